"""Engine settings per dialect."""

from sqlalchemy import event
from sqlalchemy.orm import scoped_session

_CHANGES_AT_BEGIN = "memi_sqlite_changes_at_begin"


def configure_engine_events(engine):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so SAVEPOINTs
        # and the test suite's rolled-back transactions behave as on PostgreSQL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn):
        # SQLite has one writer at a time. Taking the write lock up front makes concurrent requests
        # queue (busy_timeout) instead of failing when a read transaction tries to become a writer,
        # and gives lock_for_update() below the meaning SELECT ... FOR UPDATE has on PostgreSQL.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        conn.info[_CHANGES_AT_BEGIN] = conn.connection.dbapi_connection.total_changes


def lock_for_update(query, of):
    """`query` with FOR UPDATE OF `of` on PostgreSQL (the rows of that entity only, whatever the eager
    joins); on SQLite every transaction already holds the write lock."""
    return query.with_for_update(of=of)


def release_sqlite_write_lock(session):
    """On SQLite, end `session`'s transaction if it has written nothing, so slow work outside the
    database that follows (processing photos) does not hold the one write lock every SQLite
    transaction takes at BEGIN, and other requests do not time out waiting for it. Nothing is
    committed (there is nothing to commit) and loaded objects stay loaded (expire_on_commit=False).

    A transaction that has written is left alone: its work must commit or roll back as one. On
    PostgreSQL reads lock nothing a writer needs, so the transaction stays. Returns whether it ended."""
    if isinstance(session, scoped_session):
        session = session()
    if session.get_bind().dialect.name != "sqlite" or not session.in_transaction():
        return False
    if session.new or session.dirty or session.deleted:
        return False
    connection = session.connection()
    begun_at = connection.info.get(_CHANGES_AT_BEGIN)
    if begun_at is None or connection.connection.dbapi_connection.total_changes != begun_at:
        return False
    session.commit()
    return True
