"""Records of job runs (job_status, job_failures) and what the admin's Jobs page shows of them."""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from memi.columns import utcnow
from memi.extensions import db
from memi.jobs.models import JobFailure, JobStatus

FAILURE_KEEP_DAYS = 30


def record_run(name, started, error=None, will_retry=False, task_id=None, now=None):
    """Record one run of job `name` (started at `started`): OK without `error`, else RETRYING or
    FAILED, plus a job_failures row. Flushes; the caller commits."""
    finished = now or utcnow()
    ok = error is None
    outcome = "OK" if ok else ("RETRYING" if will_retry else "FAILED")
    table = JobStatus.__table__
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table).values(
        name=name,
        last_started_at=started,
        last_finished_at=finished,
        last_outcome=outcome,
        last_error=error,
        last_success_at=finished if ok else None,
        runs=1,
        failures=0 if ok else 1,
    )
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.name],
            set_={
                "last_started_at": started,
                "last_finished_at": finished,
                "last_outcome": outcome,
                "last_error": error,
                "last_success_at": finished if ok else table.c.last_success_at,
                "runs": table.c.runs + 1,
                "failures": table.c.failures + (0 if ok else 1),
            },
        )
    )
    if not ok:
        db.session.add(JobFailure(name=name, task_id=task_id, error=error[:500], will_retry=will_retry))
        db.session.execute(
            sa.delete(JobFailure).where(JobFailure.created_at < finished - timedelta(days=FAILURE_KEEP_DAYS))
        )
    db.session.flush()


def statuses():
    """{name: JobStatus} of every job that has run."""
    return {row.name: row for row in db.session.scalars(sa.select(JobStatus))}


def recent_failures(limit=50):
    return db.session.scalars(sa.select(JobFailure).order_by(JobFailure.id.desc()).limit(limit)).all()
