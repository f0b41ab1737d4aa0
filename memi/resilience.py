"""The database cannot hold a request: which database errors mean "unavailable" (503, not 500), how a
request lets go of its connection after one, bounded connects and pings under gevent, and the
request deadline (RequestDeadline).

Under gevent (production on PostgreSQL) psycopg2 talks to the server asynchronously through
psycogreen, and libpq ignores connect_timeout in that mode; a frozen network (packets accepted, no
answer) would then hold a connect, a pool pre-ping or a query forever. guard_green_connections bounds
connects and pings, and RequestDeadline bounds the whole request: past REQUEST_TIMEOUT_SECONDS a
gevent.Timeout is raised wherever the request waits. If it waits inside psycopg2, psycopg2 closes that
connection and SQLAlchemy invalidates it, so it never goes back to the pool half-used; a teardown
(release_after_deadline) invalidates any other connection the request's session held, which ends its
transaction on the server. The answer is then a 503 `unavailable` with Retry-After.

Without gevent (gthread workers, the SQLite default, tests) there is no deadline in the process: on
PostgreSQL the server's statement_timeout and idle_in_transaction_session_timeout, libpq's
connect_timeout and the pool timeout bound the waits; SQLite has nothing beyond its busy timeout.
"""

import logging
import sys

import psycopg2.extensions
from sqlalchemy import event
from sqlalchemy import exc as sa_exc

from memi.errors import Unavailable
from memi.extensions import db

log = logging.getLogger("memi.db")

RETRY_AFTER = 5
# SQLite OperationalErrors that mean "busy", not "the SQL is wrong".
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy", "unable to open database")


def database_unavailable(exc):
    """Whether `exc` means the database is down, unreachable, overloaded or cut this request off
    (a 503: try again), as opposed to a bug (a 500)."""
    if isinstance(exc, (sa_exc.TimeoutError, sa_exc.DisconnectionError)):  # pool exhausted; disconnects
        return True
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        return False
    orig = getattr(exc, "orig", None)
    if type(orig).__module__.startswith("sqlite3"):
        return any(text in str(orig).lower() for text in _SQLITE_BUSY)
    # PostgreSQL: connection refused or lost, statement timeout (57014), idle-in-transaction timeout,
    # lock timeout, serialization failures and deadlocks: all "try again". Programming errors are
    # ProgrammingError/DataError/IntegrityError and stay 500s or 4xx.
    return True


def describe(exc):
    """One line for the log: the driver's error class and the first line of its message."""
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [""])[0]
    return f"{type(orig).__name__}: {first}"[:300]


def invalidate_session_connections(session):
    """Close (invalidate) the connections `session`'s transaction holds, without a round trip to the
    server: used when the server may not answer. The server rolls back their transactions when it sees
    the connections close; the pool opens new ones."""
    transaction = session.get_transaction()
    connections = getattr(transaction, "_connections", None) or {}
    for entry in list(connections.values()):
        connection = entry[0]
        try:
            if not connection.invalidated:
                connection.invalidate()
        except Exception:  # noqa: BLE001 - best effort: the connection is being thrown away
            log.debug("invalidating a connection failed", exc_info=True)


def release_session(scoped):
    """After a database error: roll back and hand the connection back (or throw it away if even the
    rollback fails), so nothing stays checked out or idle in transaction."""
    session = scoped()
    try:
        session.rollback()
    except Exception:  # noqa: BLE001 - the connection is broken; drop it instead
        invalidate_session_connections(session)
        try:
            session.rollback()
        except Exception:  # noqa: BLE001
            log.debug("rollback after invalidation failed", exc_info=True)
    try:
        scoped.remove()
    except Exception:  # noqa: BLE001
        log.debug("removing the session failed", exc_info=True)


# ---- gevent ---------------------------------------------------------------------------------------


def _green():
    """Whether psycopg2 runs through a wait callback (psycogreen under gevent): libpq's connect_timeout
    does not apply then, and a gevent.Timeout can interrupt a wait."""
    return psycopg2.extensions.get_wait_callback() is not None


def guard_green_connections(engine, seconds):
    """Under gevent, bound each new connection and each pool pre-ping by `seconds`: a connect that
    takes longer is a connection error (503), a ping that takes longer means the connection is dead
    (the pool throws its connections away and connects afresh)."""
    if engine.dialect.name != "postgresql" or not seconds or seconds <= 0:
        return

    @event.listens_for(engine, "do_connect")
    def _bounded_connect(dialect, _record, cargs, cparams):
        if not _green():
            return None  # SQLAlchemy connects as usual; libpq's connect_timeout applies
        import gevent

        error = dialect.loaded_dbapi.OperationalError(f"connection to the database timed out after {seconds}s")
        with gevent.Timeout(seconds, error):
            return dialect.loaded_dbapi.connect(*cargs, **cparams)

    ping = engine.dialect.do_ping

    def bounded_ping(dbapi_connection):
        if not _green():
            return ping(dbapi_connection)
        import gevent

        with gevent.Timeout(seconds, False):
            return ping(dbapi_connection)
        # Timed out: psycopg2 closed the connection; False makes the pool discard it.
        return False

    engine.dialect.do_ping = bounded_ping


def gevent_patched():
    if "gevent" not in sys.modules:
        return False
    from gevent import monkey

    return monkey.is_module_patched("socket")


class DeadlineExceeded(BaseException):  # noqa: N818 - like gevent.Timeout, not an Exception on purpose
    """Raised into a request that ran past its deadline. A BaseException, so that no `except Exception`
    in the app swallows it and SQLAlchemy invalidates a connection it interrupts."""


class RequestDeadline:
    """WSGI middleware: under gevent, every request (WebSocket routes excepted: they live as long as
    the socket) ends within REQUEST_TIMEOUT_SECONDS, with a 503 `unavailable` past it, rendered by
    `unavailable_response` (memi.web.errors.unavailable_response: the surface is passed in, not imported)."""

    def __init__(self, app, wsgi_app, unavailable_response):
        self.app = app
        self.wsgi_app = wsgi_app
        self.unavailable_response = unavailable_response
        self._socket_paths = None

    def _exempt(self, environ):
        if self._socket_paths is None:
            self._socket_paths = {rule.rule for rule in self.app.url_map.iter_rules() if rule.websocket}
        return environ.get("PATH_INFO", "") in self._socket_paths

    def __call__(self, environ, start_response):
        seconds = self.app.config.get("REQUEST_TIMEOUT_SECONDS") or 0
        if seconds <= 0 or not gevent_patched() or self._exempt(environ):
            return self.wsgi_app(environ, start_response)
        import gevent

        started = []

        def tracking_start_response(status, headers, exc_info=None):
            started.append(status)
            return start_response(status, headers, exc_info)

        marker = DeadlineExceeded(seconds)
        timer = gevent.Timeout(seconds, marker)
        timer.start()
        try:
            return self.wsgi_app(environ, tracking_start_response)
        except DeadlineExceeded as exc:
            if exc is not marker:
                raise
            log.warning(
                "request deadline (%ss) passed on %s %s: answered 503",
                seconds,
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
            )
            return self._unavailable(environ, start_response, sys.exc_info() if started else None)
        finally:
            timer.close()

    def _unavailable(self, environ, start_response, exc_info):
        with self.app.request_context(environ):
            response = self.unavailable_response(Unavailable(retry_after=RETRY_AFTER))
            response = self.app.process_response(response)
        if exc_info:
            return response(environ, lambda status, headers: start_response(status, headers, exc_info))
        return response(environ, start_response)


def release_after_deadline(exc):
    """teardown_appcontext, run before Flask-SQLAlchemy's: after a deadline the session's connections
    are invalidated rather than rolled back, since the server may not answer a rollback either."""
    if not isinstance(exc, DeadlineExceeded):
        return
    invalidate_session_connections(db.session())
