"""The job runner (memi.jobs): periodic jobs fire on their intervals, a failed job is retried with
backoff and then recorded as failed, the outbox is delivered through it, and the admin sees it all.

The consumer's pieces are driven by hand with a moved clock (Huey's scheduler check and its execute),
on an in-memory queue: nothing sleeps."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from memi.jobs import runner, tasks
from memi.jobs.models import JobFailure, JobStatus
from memi.mail.models import OutgoingEmail
from tests.conftest import database_url, wipe

ROOT = Path(__file__).resolve().parent.parent.parent

T0 = datetime(2026, 1, 1, 12, 0, 0)  # Huey's clock: naive UTC


@pytest.fixture
def jobs(app):
    """The runner on an in-memory queue, with the worker's intervals (the outbox every 2 s, the sweep
    hourly, first a minute after start), and a scheduler as `flask worker` runs it."""
    names = (
        "JOBS_BACKEND",
        "WORKER_POLL_SECONDS",
        "MEDIA_SWEEP_INTERVAL_SECONDS",
        "RESERVATION_EXPIRY_INTERVAL_SECONDS",
    )
    saved = {k: app.config.get(k) for k in names}
    # The reservation expiry is off here (tests/reservations/test_holds.py drives it).
    app.config.update(
        JOBS_BACKEND="memory",
        WORKER_POLL_SECONDS=2,
        MEDIA_SWEEP_INTERVAL_SECONDS=3600,
        RESERVATION_EXPIRY_INTERVAL_SECONDS=0,
    )
    huey = runner.configure(app)
    huey.flush()
    tasks.apply_config(app.config)
    scheduler = runner.SecondScheduler(huey, threading.Event(), 1, True)
    yield scheduler
    huey.flush()
    app.config.update(saved)


def tick(scheduler, now):
    """One periodic check of the scheduler at `now`: the names of the jobs it enqueued."""
    scheduler.enqueue_periodic_tasks(now)
    return [task.name.rsplit(".", 1)[-1] for task in scheduler.huey.pending()]


def run_queued(huey, now=None):
    """Execute everything queued, as a worker would (`now`: the clock the worker sees)."""
    while (task := huey.dequeue()) is not None:
        huey.execute(task, now)


def status(db, name):
    db.session.expire_all()
    return db.session.get(JobStatus, name)


def test_periodic_jobs_fire_on_their_intervals_and_the_outbox_is_delivered_through_them(app, api, make_user, jobs, db):
    user = make_user()
    assert api.post("/auth/password/forgot", json={"email": user.email}).status_code == 202
    huey = jobs.huey

    # At start only the outbox relay is due; the sweep waits a minute.
    assert tick(jobs, T0) == ["email-outbox"]
    run_queued(huey)
    assert db.session.scalars(sa.select(OutgoingEmail.status)).all() == ["SENT"]
    relay = status(db, "email-outbox")
    assert relay.last_outcome == "OK" and relay.runs == 1 and relay.last_success_at is not None

    # A second later nothing is due; two seconds later the relay again.
    assert tick(jobs, T0 + timedelta(seconds=1)) == []
    assert tick(jobs, T0 + timedelta(seconds=2)) == ["email-outbox"]
    run_queued(huey)
    assert status(db, "email-outbox").runs == 2

    # A minute in, the media sweep runs; then not again within the hour.
    assert "media-sweep" in tick(jobs, T0 + timedelta(seconds=60))
    run_queued(huey)
    assert status(db, "media-sweep").last_outcome == "OK"
    later = [tick(jobs, T0 + timedelta(seconds=s)) for s in range(61, 3600, 300)]
    run_queued(huey)
    assert not any("media-sweep" in names for names in later)
    assert "media-sweep" in tick(jobs, T0 + timedelta(seconds=3660))


def test_a_sweep_interval_of_zero_turns_the_sweep_off(app, jobs):
    app.config["MEDIA_SWEEP_INTERVAL_SECONDS"] = 0
    tasks.apply_config(app.config)
    names = set()
    for s in range(0, 7200, 30):
        names.update(tick(jobs, T0 + timedelta(seconds=s)))
    assert names == {"email-outbox"}


def test_a_failed_job_is_retried_with_backoff_then_recorded_as_failed_on_the_admin_page(
    app, jobs, monkeypatch, db, client, make_user, login
):
    calls = []

    def storage_down(**kwargs):
        calls.append(1)
        raise ConnectionError("storage unreachable")

    monkeypatch.setattr(tasks, "sweep_orphans", storage_down)
    huey = jobs.huey
    tasks.sweep_media()  # enqueue a run, as the scheduler does hourly
    run_queued(huey)
    assert len(calls) == 1
    assert status(db, "media-sweep").last_outcome == "RETRYING"
    assert huey.pending_count() == 0 and huey.scheduled_count() == 1  # waiting for its retry

    # Retries after 60 s, then 120 s, then 240 s (retry_delay 60, backoff 2): never sooner.
    now = datetime.now(UTC).replace(tzinfo=None)
    for delay in (60, 120, 240):
        assert huey.read_schedule(now + timedelta(seconds=delay - 5)) == []
        now += timedelta(seconds=delay + 1)
        [retry] = huey.read_schedule(now + timedelta(seconds=5))
        huey.execute(retry, now + timedelta(seconds=5))
        now = datetime.now(UTC).replace(tzinfo=None)
    assert len(calls) == 4  # the first attempt and three retries
    assert huey.scheduled_count() == 0 and huey.pending_count() == 0  # given up

    sweep = status(db, "media-sweep")
    assert sweep.last_outcome == "FAILED" and sweep.failures == 4 and sweep.last_success_at is None
    assert "storage unreachable" in sweep.last_error
    failures = db.session.scalars(sa.select(JobFailure).order_by(JobFailure.id)).all()
    assert [f.will_retry for f in failures] == [True, True, True, False]

    login(make_user(role="ADMIN"))
    page = client.get("/admin/jobs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "media-sweep" in html and "email-outbox" in html
    assert "ConnectionError: storage unreachable" in html
    assert "Gave up" in html and "Failed" in html

    # Storage back: the next run succeeds and says so.
    monkeypatch.setattr(tasks, "sweep_orphans", lambda **kw: None)
    tasks.sweep_media()
    run_queued(huey)
    sweep = status(db, "media-sweep")
    assert sweep.last_outcome == "OK" and sweep.last_error is None and sweep.failures == 4


@pytest.mark.parametrize("outage", ["database", "smtp"])
def test_the_relay_slows_down_while_it_fails_and_recovers_after(app, jobs, monkeypatch, db, outage):
    """With the database down (the relay fails) or SMTP refusing (emails fail), the relay backs off
    (4, 8, 16 s ... up to a minute), not every poll; one good round brings it back to every 2 s."""

    def database_down(limit):
        raise OSError("could not connect to server")

    monkeypatch.setattr(tasks, "deliver_due", database_down if outage == "database" else lambda limit: (0, 1))
    huey = jobs.huey
    fired = []
    for s in range(0, 40):
        now = T0 + timedelta(seconds=s)
        if tick(jobs, now):
            fired.append(s)
            run_queued(huey, now)
    assert fired == [0, 4, 12, 28]  # waits of 4, 8, 16 s after failures
    assert status(db, "email-outbox").last_outcome == ("FAILED" if outage == "database" else "OK")

    monkeypatch.setattr(tasks, "deliver_due", lambda limit: (0, 0))
    fired = []
    for s in range(60, 80):
        now = T0 + timedelta(seconds=s)
        if tick(jobs, now):
            fired.append(s)
            run_queued(huey, now)
    assert fired == [60, 62, 64, 66, 68, 70, 72, 74, 76, 78]  # back to every 2 s after one success


def test_the_jobs_page_is_for_admins_only(client, make_user, login, jobs):
    assert client.get("/admin/jobs").status_code == 302  # anonymous: to the login page
    login(make_user())
    assert client.get("/admin/jobs").status_code == 403


def test_the_jobs_page_shows_the_queue(client, make_user, login, jobs):
    tasks.relay_outbox()
    login(make_user(role="ADMIN"))
    html = client.get("/admin/jobs").get_data(as_text=True)
    assert "Queued" in html and "Not run yet" in html
    assert "Jobs" in html  # in the admin navigation


def test_the_queue_lives_beside_a_sqlite_database_or_in_redis(app):
    class App:
        instance_path = "/srv/memi/instance"

        def __init__(self, **config):
            self.config = {"SQLALCHEMY_DATABASE_URI": "sqlite:////data/memi.db", **config}

    assert runner.backend({}) == "sqlite"
    assert runner.backend({"REDIS_URL": "redis://r:6379/0"}) == "redis"
    assert runner.backend({"REDIS_URL": "redis://r:6379/0", "JOBS_BACKEND": "sqlite"}) == "sqlite"
    assert runner.sqlite_path(App()) == "/data/memi-jobs.db"
    assert runner.sqlite_path(App(SQLALCHEMY_DATABASE_URI="postgresql://x/y")) == "/srv/memi/instance/jobs.db"
    assert runner.sqlite_path(App(JOBS_SQLITE_PATH="/q.db")) == "/q.db"


def test_with_the_queue_down_the_scheduler_relays_email_itself(app, api, make_user, jobs, monkeypatch, db):
    """Redis down: email still goes out (it never depended on Redis); other jobs wait for the queue."""
    user = make_user()
    assert api.post("/auth/password/forgot", json={"email": user.email}).status_code == 202
    swept = []
    monkeypatch.setattr(tasks, "sweep_orphans", lambda **kw: swept.append(1))

    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis")

    monkeypatch.setattr(jobs.huey.storage, "enqueue", down)
    tick(jobs, T0)
    assert db.session.scalars(sa.select(OutgoingEmail.status)).all() == ["SENT"]
    assert status(db, "email-outbox").last_outcome == "OK"
    tick(jobs, T0 + timedelta(seconds=60))
    assert swept == [] and status(db, "media-sweep") is None


@pytest.mark.no_rollback
def test_flask_worker_runs_the_jobs_and_stops_gracefully_on_sigterm(app, make_user, tmp_path):
    """The real `flask worker`: it sends a queued email, records the relay's run, and exits cleanly
    on SIGTERM (a stopped container) instead of being killed."""
    from memi.extensions import db as _db
    from memi.mail.services import queue_email

    user = make_user()
    with app.test_request_context():
        queue_email(user.email, "test", "password_reset", {"user": user, "link": "x", "minutes": 60}, "Hello")
        _db.session.commit()
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        JOBS_SQLITE_PATH=str(tmp_path / "jobs.db"),
        MEDIA_ROOT=str(tmp_path / "media"),
        MEDIA_SWEEP_INTERVAL_SECONDS="0",
        WORKER_POLL_SECONDS="1",
        REDIS_URL="",
        LOG_LEVEL="INFO",
    )
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT, env=env, stdout=out, stderr=out
        )

    def sent():
        with app.app_context():
            status = _db.session.scalar(sa.select(OutgoingEmail.status))
            relay = _db.session.get(JobStatus, "email-outbox")
            _db.session.remove()
        return status == "SENT" and relay is not None and relay.last_outcome == "OK"

    try:
        deadline = time.monotonic() + 60
        while not sent() and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        assert sent(), log.read_text()[-2000:]
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, log.read_text()[-2000:]
        assert "Shutting down gracefully" in log.read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
        wipe(app)
