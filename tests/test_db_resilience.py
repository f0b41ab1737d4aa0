"""The database cannot hold a request: limits on every connection, database failures as a prompt 503
`unavailable` with Retry-After (never a 500 or a wait), a deadline on every request, a readiness probe
that answers in bounded time, and recovery without a restart once the database is back."""

import click
import pytest
import sqlalchemy as sa

from memi import create_app
from memi.config import finalize_database, load_config
from memi.extensions import db as _db
from tests.conftest import base_overrides, database_url

ON_POSTGRES = database_url().startswith("postgres")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL only: set TEST_DATABASE_URL to a PostgreSQL database"
)


# ---- engine options -------------------------------------------------------------------------------


def test_postgres_connections_get_timeouts_keepalives_and_a_bounded_pool(monkeypatch):
    for name, value in {
        "DB_CONNECT_TIMEOUT": "4",
        "DB_STATEMENT_TIMEOUT_MS": "7000",
        "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS": "9000",
        "DB_KEEPALIVES_IDLE": "11",
        "DB_POOL_TIMEOUT": "2.5",
        "DB_POOL_SIZE": "3",
        "DB_MAX_OVERFLOW": "1",
    }.items():
        monkeypatch.setenv(name, value)
    config = {**load_config(), "SQLALCHEMY_DATABASE_URI": "postgresql://u@db/memi"}
    finalize_database(config)
    options = config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True
    assert (options["pool_timeout"], options["pool_size"], options["max_overflow"]) == (2.5, 3, 1)
    args = options["connect_args"]
    assert args["connect_timeout"] == 4
    assert (args["keepalives"], args["keepalives_idle"]) == (1, 11)
    assert "-c statement_timeout=7000" in args["options"]
    assert "-c idle_in_transaction_session_timeout=9000" in args["options"]


def test_cli_commands_are_not_cut_off_by_the_web_statement_timeout():
    """`flask db upgrade`, `flask worker`, `flask demo-data` run long statements on purpose."""
    with click.Context(click.Command("upgrade"), info_name="upgrade"):
        cli_app = create_app(base_overrides(SQLALCHEMY_DATABASE_URI="postgresql://u@127.0.0.1:1/none"))
    web_app = create_app(base_overrides(SQLALCHEMY_DATABASE_URI="postgresql://u@127.0.0.1:1/none"))
    cli_options = cli_app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"]
    web_options = web_app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"]
    assert "-c statement_timeout=0 " in cli_options
    assert "-c statement_timeout=10000 " in web_options


@postgres_only
@pytest.mark.no_rollback
def test_the_server_applies_the_configured_timeouts():
    app = create_app(base_overrides(DB_STATEMENT_TIMEOUT_MS=1234, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS=4321))
    with app.app_context():
        assert _db.session.execute(sa.text("SHOW statement_timeout")).scalar() == "1234ms"
        assert _db.session.execute(sa.text("SHOW idle_in_transaction_session_timeout")).scalar() == "4321ms"
        _db.session.remove()
        _db.engine.dispose()
