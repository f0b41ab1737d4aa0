"""The job runner: Huey, on SQLite beside the app's database (the embedded default) or on Redis.

`huey` is the one Huey instance of the process; `configure(app)` points its storage at what the app's
configuration asks for (JOBS_BACKEND: sqlite, redis, or memory for tests) and is called by `flask
worker` and the admin's Jobs page. `job(...)` and `periodic_job(...)` declare tasks that run inside an
app context, record their last run in job_status and every failed attempt in job_failures (see
memi.jobs.services), and are retried with exponential backoff when they ask for retries.

Periodic jobs are checked every second (Huey's own scheduler checks once a minute, for crontabs) and
fire on an interval: `Every(seconds)`. Each consumer started with periodic scheduling (JOBS_PERIODIC)
enqueues them, so every job must be safe to run twice at once (the outbox relay claims rows; the media
sweep only deletes what no row refers to).
"""

import logging
import os
import signal
import socket
from datetime import timedelta
from functools import wraps

from huey import Huey
from huey.consumer import Consumer, Scheduler
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from redis import ConnectionPool

from memi.columns import utcnow
from memi.extensions import db
from memi.jobs import services

log = logging.getLogger("memi.jobs")

QUEUE_NAME = "memi"


class _Huey(Huey):
    storage_class = MemoryStorage  # until configure() is called: nothing leaves the process


huey = _Huey(QUEUE_NAME, results=False, utc=True)
_app = {"app": None, "key": None}


def backend(config):
    """The queue's storage: JOBS_BACKEND if set, else redis with REDIS_URL and sqlite without."""
    return (config.get("JOBS_BACKEND") or ("redis" if config.get("REDIS_URL") else "sqlite")).lower()


def sqlite_path(app):
    """JOBS_SQLITE_PATH, else `<app database>-jobs.db` beside a SQLite app database, else instance/jobs.db."""
    config = app.config
    if config.get("JOBS_SQLITE_PATH"):
        return config["JOBS_SQLITE_PATH"]
    url = config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = url[len("sqlite:///") :]
        return (path[:-3] if path.endswith(".db") else path) + "-jobs.db"
    return os.path.join(app.instance_path, "jobs.db")


def configure(app):
    """Point `huey` at the storage the app's configuration names (idempotent) and remember the app,
    whose context every job runs in."""
    app = getattr(app, "_get_current_object", lambda: app)()  # current_app: the app behind it
    kind = backend(app.config)
    if kind == "redis":
        key = (kind, app.config["REDIS_URL"])
    elif kind == "sqlite":
        key = (kind, sqlite_path(app))
    elif kind == "memory":
        key = (kind, id(app))
    else:
        raise ValueError(f"JOBS_BACKEND must be sqlite, redis or memory, not {kind!r}")
    _app["app"] = app
    if _app["key"] == key:
        return huey
    if kind == "redis":
        # Short timeouts: a frozen Redis must not hang the admin page; the consumer's blocking read
        # waits 1 s at a time, well inside socket_timeout.
        pool = ConnectionPool.from_url(key[1], socket_timeout=5, socket_connect_timeout=2)
        huey.storage = RedisStorage(QUEUE_NAME, connection_pool=pool, blocking=True, read_timeout=1)
    elif kind == "sqlite":
        huey.storage = SqliteStorage(QUEUE_NAME, filename=key[1])
    else:
        huey.storage = MemoryStorage(QUEUE_NAME)
    _app["key"] = key
    return huey


class Every:
    """A periodic schedule: due every `seconds` (at least 1; None or 0: never), first `first` seconds
    after the scheduler starts. `slow_down()` doubles the wait (up to `max_seconds`) after a failure and
    `reset()` restores it. The scheduler's clock (a UTC datetime) is passed in, so a test can move it.
    `set()` changes the interval (from the configuration, when the worker starts)."""

    def __init__(self, seconds=None, first=0, max_seconds=None):
        self.set(seconds, first, max_seconds)

    def set(self, seconds, first=0, max_seconds=None):
        self.seconds = max(float(seconds), 1.0) if seconds else None
        self.first = float(first)
        self.max_seconds = max(max_seconds or 0, self.seconds or 0)
        self.wait = self.seconds
        self.last_at = self.next_at = None

    def __call__(self, now):
        if self.seconds is None:
            return False
        if self.next_at is None:
            self.next_at = now + timedelta(seconds=self.first)
        if now < self.next_at:
            return False
        self.last_at, self.next_at = now, now + timedelta(seconds=self.wait)
        return True

    def slow_down(self):
        if self.seconds is not None:
            self._wait(min(self.wait * 2, self.max_seconds))

    def reset(self):
        if self.seconds is not None:
            self._wait(self.seconds)

    def _wait(self, seconds):
        self.wait = seconds
        if self.last_at is not None:
            self.next_at = self.last_at + timedelta(seconds=seconds)


# What a periodic job returns to be run less often for now (as after a failure) without having failed.
SLOW_DOWN = object()


def _record(name, task, started, error, will_retry):
    try:
        services.record_run(name, started, error=error, will_retry=will_retry, task_id=getattr(task, "id", None))
        db.session.commit()
    except Exception:  # the database is down: the log has it
        db.session.rollback()
        log.exception("could not record the run of job %s", name)


def _wrap(name, func, schedule=None):
    """Run `func` in an app context, record the outcome, and re-raise a failure so Huey retries it."""

    @wraps(func)
    def run(*args, task=None, **kwargs):
        app = _app["app"]
        if app is None:
            raise RuntimeError("memi.jobs.configure(app) was not called")
        with app.app_context():
            started = utcnow()
            try:
                result = func(*args, **kwargs)
                db.session.commit()
            except Exception as exc:
                db.session.rollback()
                will_retry = bool(task is not None and task.retries)
                error = f"{type(exc).__name__}: {exc}"[:500]
                log.warning("job %s failed%s: %s", name, " (will retry)" if will_retry else "", error)
                if schedule is not None:
                    schedule.slow_down()
                _record(name, task, started, error, will_retry)
                db.session.remove()
                raise
            if schedule is not None:
                schedule.slow_down() if result is SLOW_DOWN else schedule.reset()
            _record(name, task, started, None, False)
            db.session.remove()
            return result

    return run


def job(name, retries=3, retry_delay=30, retry_backoff=2, **options):
    """Declare a job run by the worker: `my_job(...)` enqueues it. A failure is retried `retries`
    times, after `retry_delay` seconds and then `retry_backoff` times longer each time."""

    def decorator(func):
        run = _wrap(name, func)
        return huey.task(
            retries=retries, retry_delay=retry_delay, retry_backoff=retry_backoff, context=True, name=name, **options
        )(run)

    return decorator


PERIODIC = {}  # name -> (task, schedule), in the order declared: what the admin's Jobs page lists
INLINE_IF_QUEUE_DOWN = set()  # task classes


def periodic_job(name, schedule, retries=0, retry_delay=30, retry_backoff=2, inline_if_queue_down=False, **options):
    """Declare a job the worker enqueues on `schedule` (an `Every`; one set to None never fires, but
    keeps its name, so that a run of it still queued finds its code). With `inline_if_queue_down` the
    scheduler runs it itself while the queue's store is unreachable."""

    def decorator(func):
        run = _wrap(name, func, schedule=schedule)
        task = huey.periodic_task(
            schedule,
            retries=retries,
            retry_delay=retry_delay,
            retry_backoff=retry_backoff,
            context=True,
            name=name,
            **options,
        )(run)
        PERIODIC[name] = (task, schedule)
        if inline_if_queue_down:
            INLINE_IF_QUEUE_DOWN.add(task.task_class)
        return task

    return decorator


class SecondScheduler(Scheduler):
    """Huey's scheduler, checking periodic jobs every second instead of every minute (they fire on
    their own `Every` interval). A periodic job declared with `inline_if_queue_down` runs right here
    when the queue cannot take it (Redis down): email does not wait for Redis."""

    periodic_task_seconds = 1

    def enqueue_periodic_tasks(self, now):
        for task in self.huey.read_periodic(now):
            try:
                self.huey.enqueue(task)
            except Exception as exc:
                if type(task) not in INLINE_IF_QUEUE_DOWN:
                    log.warning("could not enqueue periodic job %s: %s", task.name, exc)
                    continue
                log.warning("job queue unreachable (%s): running %s in the scheduler", exc, task.name)
                try:
                    task.execute()
                except Exception:  # recorded and logged by the job itself
                    pass


class JobConsumer(Consumer):
    scheduler_class = SecondScheduler


def run_consumer(app, workers=2, periodic=True, shutdown_timeout=20):
    """Run the consumer in this process until SIGTERM or SIGINT, which stop it gracefully (the jobs in
    progress finish, for up to `shutdown_timeout` seconds; a second signal stops it at once)."""
    configure(app)
    if not log.isEnabledFor(logging.DEBUG):
        # Huey logs every run at INFO (the outbox relay runs every few seconds): keep its start-up
        # lines and its warnings and errors; our own jobs log what they did.
        logging.getLogger("huey").setLevel(logging.WARNING)
        logging.getLogger("huey.consumer").setLevel(logging.INFO)
        logging.getLogger("huey.consumer.Scheduler").setLevel(logging.WARNING)
    # smtplib has no timeout of its own; a stuck SMTP server must not hold a worker thread forever.
    socket.setdefaulttimeout(app.config["MAIL_TIMEOUT"])
    consumer = JobConsumer(
        huey,
        workers=workers,
        periodic=periodic,
        # SQLite is polled: an idle worker looks again after at most a second. Redis blocks on its
        # list instead; this is then only the longest wait between tries while Redis is down.
        max_delay=1.0 if backend(app.config) == "sqlite" else 10.0,
        scheduler_interval=1,
        graceful_signal="TERM",
        shutdown_timeout=shutdown_timeout,
        flush_locks=False,
    )
    consumer._signal_actions[signal.SIGINT] = (False, True)  # Ctrl-C is graceful too
    consumer.run()


def queue_counts():
    """{"queued": jobs waiting for a worker, "scheduled": jobs waiting for their time (retries)}, or
    None when the queue's store cannot be reached."""
    try:
        return {"queued": huey.pending_count(), "scheduled": huey.scheduled_count()}
    except Exception:  # Redis down or frozen, the SQLite file unreadable: the page says so
        log.warning("job queue unreachable", exc_info=True)
        return None
