"""CPU-heavy work (bcrypt, photo re-encoding) kept off the event loop under gevent, and never waited
for without a bound.

Under gunicorn's gevent worker every request and open WebSocket of a process shares one OS thread,
so a quarter-second bcrypt check or a photo re-encode would freeze all of them. bcrypt and Pillow
release the GIL, so run in a real OS thread they let the loop go on. Without gevent (gthread, the
CLI, tests) the function is simply called.

The threads are this module's own pool, not gevent's hub thread pool: that pool waits without a
timeout in `apply`, its ten slots are shared with gevent's DNS resolver, and a task whose result
never comes back (a worker thread that exits before resolving it) keeps its greenlet and its slot
forever; that is how uploads once hung for good. Here every wait has a deadline (CPU_TASK_TIMEOUT,
then `Unavailable`, a 503 with Retry-After), a thread that dies is replaced at the next task, and
the result reaches the waiting greenlet through the hub's thread-safe callback queue.

Before handing work to a thread the caller's database transaction is ended if it has only read
(nothing stays `idle in transaction` for seconds); one that has written or locked rows is a
programming error (memi.db_setup.end_clean_transaction).
"""

import logging
import os
import threading

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from memi.db_setup import end_clean_transaction
from memi.errors import Unavailable
from memi.extensions import db

log = logging.getLogger(__name__)

DEFAULT_TASK_TIMEOUT = 30.0
BUSY = _l("The server is busy; please try again in a moment.")


def _gevent_patched():
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("socket")


def _config(key, default):
    if has_app_context():
        value = current_app.config.get(key)
        if value not in (None, ""):
            return value
    return default


def default_threads():
    return max(4, 2 * (os.cpu_count() or 1))


def run_cpu_bound(fn, *args, **kwargs):
    """`fn(*args, **kwargs)`, in a real thread when gevent runs the process. `fn` must not need the
    Flask app or request context (it runs outside them there). Its exceptions reach the caller.

    Raises Unavailable when the result has not come within CPU_TASK_TIMEOUT seconds."""
    return run_limited(None, fn, *args, **kwargs)


def run_limited(slots, fn, *args, **kwargs):
    """As run_cpu_bound, holding one of `slots` (a Slots, or None) from before the work starts until
    the work has really finished, even when the caller stopped waiting for it."""
    release_database()
    if slots is not None:
        slots.acquire()
    if not _gevent_patched():
        try:
            return fn(*args, **kwargs)
        finally:
            if slots is not None:
                slots.release()
    timeout = float(_config("CPU_TASK_TIMEOUT", DEFAULT_TASK_TIMEOUT))
    try:
        pool = _pool()
    except BaseException:
        if slots is not None:
            slots.release()
        raise
    return pool.run(fn, args, kwargs, timeout, on_done=slots.release if slots is not None else None)


# ---- the database rule ----------------------------------------------------------------------


def release_database():
    """End the current request's database transaction before slow work outside the database.
    A transaction that has only read is ended (nothing is lost); one that has written or locked
    rows must not be held across the work: RuntimeError in development and tests, a log line in
    production (where the work then goes on, as before)."""

    if not has_app_context() or "sqlalchemy" not in current_app.extensions:
        return

    if end_clean_transaction(db.session):
        return
    message = (
        "CPU-heavy work was started while the database transaction holds writes or row locks; "
        "do the work before writing (see memi/cpu.py)."
    )
    if current_app.testing or current_app.config.get("ENV_NAME", "development") == "development":
        raise RuntimeError(message)
    log.error(message)


# ---- a per-process cap on one kind of work ---------------------------------------------------


class Slots:
    """At most `size` of some CPU-heavy work at once in this process. A caller that gets no slot
    within `wait` seconds is refused with Unavailable (503, Retry-After) instead of queueing on.
    Under gevent the semaphore is gevent's (created after patching, so `threading` is gevent's):
    it must be released in the hub's thread, which run_limited does."""

    def __init__(self, size, wait, message=BUSY, retry_after=5):
        self.size = int(size)
        self.wait = float(wait)
        self.message = message
        self.retry_after = retry_after
        self._semaphore = threading.BoundedSemaphore(self.size)

    def acquire(self):
        if not self._semaphore.acquire(timeout=self.wait):
            log.warning("no free slot for CPU work within %.1f s (%d in use)", self.wait, self.size)
            raise Unavailable(self.message, retry_after=self.retry_after)

    def release(self):
        self._semaphore.release()


# ---- the thread pool --------------------------------------------------------------------------

_the_pool = None


def _pool():
    global _the_pool
    if _the_pool is None or _the_pool.pid != os.getpid():
        _the_pool = ThreadPool(int(_config("CPU_THREADS", 0) or default_threads()))
    return _the_pool


class _Task:
    __slots__ = ("fn", "args", "kwargs", "hub", "result", "on_done", "state")

    def __init__(self, fn, args, kwargs, hub, result, on_done):
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.hub, self.result, self.on_done = hub, result, on_done
        self.state = "queued"  # -> "running" | "abandoned"; only the pool's lock changes it


class ThreadPool:
    """Real OS threads (gevent's originals) taking tasks from a C-level queue. Each task is resolved
    exactly once, from the thread that ran it, through `hub.loop.run_callback_threadsafe`: the
    callback runs in the hub's thread, sets the caller's AsyncResult and calls `on_done`. A task
    the caller stopped waiting for before it started is skipped. Threads never exit while the
    process lives; one that dies anyway (it should not: everything is caught) is counted out and
    replaced when the next task is submitted."""

    def __init__(self, size):
        import _queue

        from gevent.monkey import get_original

        self.size = max(1, size)
        self.pid = os.getpid()
        self._queue = _queue.SimpleQueue()  # the C implementation: real locks, never gevent's
        self._lock = get_original("_thread", "allocate_lock")()
        self._start_thread = get_original("_thread", "start_new_thread")
        self.alive = 0
        self.busy = 0

    def run(self, fn, args, kwargs, timeout, on_done=None):
        import gevent
        from gevent.event import AsyncResult

        hub = gevent.get_hub()
        result = AsyncResult()
        task = _Task(fn, args, kwargs, hub, result, on_done)
        self._queue.put(task)
        try:
            self._ensure_threads()
        except BaseException:
            self._abandon(task)
            raise
        try:
            ok, value = result.get(timeout=timeout)
        except gevent.Timeout:
            abandoned_before_start = self._abandon(task)
            log.error(
                "CPU task %s gave no result within %.0f s (%s; %d threads, %d busy)",
                getattr(fn, "__qualname__", fn),
                timeout,
                "never started" if abandoned_before_start else "still running",
                self.alive,
                self.busy,
            )
            raise Unavailable(BUSY, retry_after=5) from None
        except BaseException:
            # The waiting greenlet was killed: the work is not wanted any more.
            self._abandon(task)
            raise
        if not ok:
            raise value
        return value

    def _abandon(self, task):
        """Mark `task` unwanted. Returns True when it had not started (it will be skipped, and its
        `on_done` is called here, now); False when a thread runs it (that thread calls `on_done`)."""
        with self._lock:
            if task.state != "queued":
                return False
            task.state = "abandoned"
        if task.on_done is not None:
            task.on_done()
        return True

    def _ensure_threads(self):
        with self._lock:
            missing = self.size - self.alive
            self.alive += missing
        for _ in range(missing):
            try:
                self._start_thread(self._work, ())
            except BaseException:
                with self._lock:
                    self.alive -= 1
                if self.alive == 0:
                    raise
                log.exception("could not start a CPU thread; %d running", self.alive)
                return

    def _work(self):
        try:
            while True:
                task = self._queue.get()
                with self._lock:
                    if task.state != "queued":
                        continue
                    task.state = "running"
                    self.busy += 1
                try:
                    outcome = (True, task.fn(*task.args, **task.kwargs))
                except BaseException as exc:  # noqa: BLE001 - handed to the caller, who raises it
                    outcome = (False, exc)
                finally:
                    with self._lock:
                        self.busy -= 1
                self._resolve(task, outcome)
                task = outcome = None
        finally:
            with self._lock:
                self.alive -= 1

    @staticmethod
    def _resolve(task, outcome):
        def deliver():
            try:
                if task.on_done is not None:
                    task.on_done()
            finally:
                task.result.set(outcome)

        try:
            task.hub.loop.run_callback_threadsafe(deliver)
        except Exception:  # noqa: BLE001 - the hub is gone (its process is exiting); nobody waits
            log.exception("could not hand a CPU task's result back to its caller")
