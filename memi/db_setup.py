"""Engine settings per dialect."""

from sqlalchemy import event


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


def lock_for_update(query, of):
    """`query` with FOR UPDATE OF `of` on PostgreSQL (the rows of that entity only, whatever the eager
    joins); on SQLite every transaction already holds the write lock."""
    return query.with_for_update(of=of)
