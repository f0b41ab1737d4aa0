"""Engine settings per dialect."""

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, scoped_session

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


def end_clean_transaction(session):
    """End `session`'s transaction if it has written nothing and locked no rows, so slow work outside
    the database that follows (bcrypt, processing photos) holds no connection `idle in transaction`
    and, on SQLite, not the one write lock every transaction takes at BEGIN. Nothing is committed
    (there is nothing to commit) and loaded objects stay loaded (expire_on_commit=False).

    Returns True when no transaction is open any more, False when it has written or locked (its work
    must commit or roll back as one: the caller must not start slow work then). Writes are known
    from the session (pending objects, flushes and ORM writes or FOR UPDATE reads, see
    track_writes) and checked against the database itself: SQLite's change counter, PostgreSQL's
    transaction id, which is only assigned by a write or a row lock."""
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        return True
    if session.new or session.dirty or session.deleted or session.info.get(_WROTE):
        return False
    connection = session.connection()
    dialect = connection.dialect.name
    if isinstance(session.get_bind(), Connection):
        pass  # joined to a transaction it does not own (the test suite's): the session's word only
    elif dialect == "sqlite":
        begun_at = connection.info.get(_CHANGES_AT_BEGIN)
        if begun_at is None or connection.connection.dbapi_connection.total_changes != begun_at:
            return False
    elif dialect == "postgresql":
        if connection.exec_driver_sql("SELECT txid_current_if_assigned()").scalar() is not None:
            return False
    else:
        return False
    session.commit()
    return True


_WROTE = "memi_wrote"


@event.listens_for(Session, "after_flush")
def _flushed(session, _flush_context):
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _orm_write(state):
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True
    elif state.is_select and getattr(state.statement, "_for_update_arg", None) is not None:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction):
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
