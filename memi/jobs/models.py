"""What the job runner remembers for the back office: the last run of each job and recent failures.

Kept in the application database rather than in the queue's store, so that it survives a flushed
Redis or a deleted queue file and can be read by the admin pages like any other table.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from memi.columns import UTCDateTime, created_at_column, enum_check
from memi.extensions import db

# OK: finished; RETRYING: failed, another attempt is scheduled; FAILED: failed for good.
JOB_OUTCOMES = ("OK", "RETRYING", "FAILED")


class JobStatus(db.Model):
    """One row per job name, overwritten by each run."""

    __tablename__ = "job_status"
    __table_args__ = (enum_check("last_outcome", JOB_OUTCOMES),)

    name: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    last_started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    last_finished_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    last_outcome: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    runs: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    failures: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)


class JobFailure(db.Model):
    """Append-only: one row per failed attempt of a job (pruned after JOB_FAILURE_KEEP_DAYS)."""

    __tablename__ = "job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), nullable=False, index=True)
    task_id: Mapped[str | None] = mapped_column(sa.String(64))
    error: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    will_retry: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = created_at_column(index=True)
