"""The database cannot hold a request: limits on every connection, database failures as a prompt 503
`unavailable` with Retry-After (never a 500 or a wait), a deadline on every request, a readiness probe
that answers in bounded time, and recovery without a restart once the database is back."""

import os
import sqlite3
import threading
import time

import click
import gevent
import pytest
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from memi import create_app, resilience
from memi.config import finalize_database, load_config
from memi.extensions import db as _db
from tests.conftest import base_overrides, database_url, free_port, wipe
from tests.support.tcpproxy import TCPProxy

ON_POSTGRES = database_url().startswith("postgres")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL only: set TEST_DATABASE_URL to a PostgreSQL database"
)
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite's own locking")


def pg_url(host="127.0.0.1", port=None):
    """The test database's URL with the server address replaced (a proxy, a closed port)."""
    url = sa.engine.make_url(database_url())
    return url.set(host=host, port=port or url.port).render_as_string(hide_password=False)


def assert_unavailable_json(res):
    assert res.status_code == 503, res.get_data(as_text=True)[:300]
    assert res.get_json()["error"]["code"] == "unavailable"
    assert int(res.headers["Retry-After"]) > 0


def assert_unavailable_page(res):
    assert res.status_code == 503, res.get_data(as_text=True)[:300]
    assert res.mimetype == "text/html"
    assert "right back" in res.get_data(as_text=True)
    assert int(res.headers["Retry-After"]) > 0


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


# ---- database errors are a 503 --------------------------------------------------------------------


def _app_with_routes(routes, **config):
    """A fresh app with extra test-only routes (registered here, never in the app itself)."""
    app = create_app(base_overrides(**config))
    for path, view in routes.items():
        app.add_url_rule(path, view.__name__ + path.replace("/", "_"), view)
    return app


@postgres_only
@pytest.mark.no_rollback
def test_a_statement_past_the_statement_timeout_is_a_prompt_503_and_the_connection_is_released(caplog):
    def sleep():
        _db.session.execute(sa.text("SELECT pg_sleep(30)"))
        return "slept"

    app = _app_with_routes({"/api/v1/_sleep": sleep, "/_sleep": sleep}, DB_STATEMENT_TIMEOUT_MS=300)
    client = app.test_client()
    started = time.monotonic()
    assert_unavailable_json(client.get("/api/v1/_sleep"))
    assert_unavailable_page(client.get("/_sleep"))
    assert time.monotonic() - started < 10  # not the 30 s the statement asked for
    with app.app_context():
        assert _db.engine.pool.checkedout() == 0
        _db.engine.dispose()
    warnings = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert warnings and all(r.levelname == "WARNING" and not r.exc_info for r in warnings)
    assert "QueryCanceled" in warnings[0].getMessage()


@postgres_only
@pytest.mark.no_rollback
def test_a_session_killed_for_idling_in_a_transaction_is_a_503():
    def idle():
        _db.session.execute(sa.text("SELECT 1"))
        time.sleep(1)  # idle in transaction, past the server's limit
        _db.session.execute(sa.text("SELECT 1"))
        return "still here"

    app = _app_with_routes({"/api/v1/_idle": idle}, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS=200)
    assert_unavailable_json(app.test_client().get("/api/v1/_idle"))
    with app.app_context():
        assert _db.engine.pool.checkedout() == 0
        _db.engine.dispose()


@postgres_only
@pytest.mark.no_rollback
def test_an_exhausted_pool_is_a_503_after_the_pool_timeout():
    app = create_app(base_overrides(DB_POOL_SIZE=1, DB_MAX_OVERFLOW=0, DB_POOL_TIMEOUT=0.3))
    with app.app_context():
        held = _db.engine.connect()
    try:
        started = time.monotonic()
        assert_unavailable_json(app.test_client().get("/api/v1/products"))
        assert time.monotonic() - started < 5
    finally:
        held.close()
    assert app.test_client().get("/api/v1/products").status_code == 200
    with app.app_context():
        _db.engine.dispose()


@pytest.mark.no_rollback
def test_a_database_port_that_is_closed_is_a_prompt_503_on_every_surface():
    closed = f"postgresql://postgres@127.0.0.1:{free_port()}/memi"
    app = create_app(base_overrides(SQLALCHEMY_DATABASE_URI=closed))
    client = app.test_client()
    started = time.monotonic()
    assert_unavailable_page(client.get("/"))
    assert_unavailable_json(client.get("/api/v1/products"))
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and "HX-Trigger" in htmx.headers and htmx.headers["Retry-After"]
    res = client.get("/readyz")
    assert res.status_code == 503 and res.get_json()["checks"] == {"database": "down"}
    assert time.monotonic() - started < 10


def test_which_database_errors_mean_unavailable():
    def wrap(cls, orig):
        return cls("SELECT 1", {}, orig)

    assert resilience.database_unavailable(
        wrap(sa_exc.OperationalError, sqlite3.OperationalError("database is locked"))
    )
    assert not resilience.database_unavailable(wrap(sa_exc.OperationalError, sqlite3.OperationalError("no such table")))
    assert resilience.database_unavailable(sa_exc.TimeoutError("QueuePool limit reached"))
    assert not resilience.database_unavailable(wrap(sa_exc.IntegrityError, sqlite3.IntegrityError("UNIQUE")))
    assert not resilience.database_unavailable(wrap(sa_exc.ProgrammingError, sqlite3.ProgrammingError("syntax")))


@sqlite_only
@pytest.mark.no_rollback
def test_a_locked_sqlite_database_is_a_503_not_a_500(app):
    """Another process holds SQLite's one write lock past the busy timeout."""
    path = sa.engine.make_url(database_url()).database
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert_unavailable_json(app.test_client().get("/api/v1/products"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert app.test_client().get("/api/v1/products").status_code == 200


# ---- a database that goes away and comes back -----------------------------------------------------


@pytest.fixture
def proxied_app(app):
    """An app whose database connections go through a TCPProxy to the test database."""
    proxy = TCPProxy("127.0.0.1", sa.engine.make_url(database_url()).port or 5432).start()
    proxied = create_app(base_overrides(SQLALCHEMY_DATABASE_URI=pg_url(port=proxy.port), DB_CONNECT_TIMEOUT=2))
    yield proxied, proxy
    proxy.thaw()
    proxy.stop()
    with proxied.app_context():
        _db.session.remove()
        _db.engine.dispose()
    wipe(app)


@postgres_only
@pytest.mark.no_rollback
def test_the_database_going_down_is_a_503_and_the_app_recovers_on_its_own(proxied_app):
    app, proxy = proxied_app
    from memi.auth.services import register_user

    with app.test_request_context():
        register_user("down@example.az", "correct-horse-1", "Aysel")
        _db.session.commit()
        _db.session.remove()
    client = app.test_client()
    api = app.test_client()
    assert client.post("/login", data={"email": "down@example.az", "password": "correct-horse-1"}).status_code == 302
    token = api.post("/api/v1/auth/login", json={"email": "down@example.az", "password": "correct-horse-1"}).get_json()[
        "access_token"
    ]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/").status_code == 200
    assert api.get("/api/v1/users/me", headers=auth).status_code == 200

    proxy.stop()  # the port is closed and every pooled connection is cut
    started = time.monotonic()
    assert_unavailable_page(client.get("/"))  # signed in: the error page itself needs no database
    assert_unavailable_json(api.get("/api/v1/users/me", headers=auth))
    assert_unavailable_json(api.get("/api/v1/products"))
    assert client.get("/readyz").status_code == 503
    assert time.monotonic() - started < 10

    proxy.start()  # back, on the same port: no restart of the app
    assert client.get("/").status_code == 200
    assert api.get("/api/v1/users/me", headers=auth).status_code == 200
    assert client.get("/readyz").status_code == 200


@postgres_only
@pytest.mark.no_rollback
def test_readyz_answers_promptly_while_the_database_is_frozen(proxied_app):
    app, proxy = proxied_app
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    proxy.freeze()  # connections accepted, nothing answered
    started = time.monotonic()
    res = client.get("/readyz")
    assert res.status_code == 503 and res.get_json()["checks"]["database"] == "down"
    assert time.monotonic() - started < 6  # instead of hanging as long as the freeze lasts
    proxy.thaw()
    deadline = time.monotonic() + 15
    while client.get("/readyz").status_code != 200:  # the earlier stuck probe finishes once thawed
        assert time.monotonic() < deadline
        time.sleep(0.2)


# ---- the request deadline -------------------------------------------------------------------------


@pytest.fixture
def under_gevent(monkeypatch):
    """The deadline applies in gevent workers; here gevent's Timeout runs in the test's own greenlet."""
    monkeypatch.setattr(resilience, "gevent_patched", lambda: True)


@pytest.mark.no_rollback
def test_a_request_past_its_deadline_is_a_503_and_lets_go_of_its_connection(under_gevent):
    held = []

    def stuck():
        _db.session.execute(sa.text("SELECT 1"))  # a transaction is open, a connection checked out
        held.append(_db.session.connection().connection.dbapi_connection)
        gevent.sleep(30)  # waits on something that never comes
        return "done"

    app = _app_with_routes({"/api/v1/_stuck": stuck, "/_stuck": stuck}, REQUEST_TIMEOUT_SECONDS=0.3)
    client = app.test_client()
    started = time.monotonic()
    assert_unavailable_json(client.get("/api/v1/_stuck"))
    assert_unavailable_page(client.get("/_stuck"))
    assert time.monotonic() - started < 10
    # Thrown away, not rolled back and pooled: the server ends its transaction when it sees it close.
    for connection in held:
        with pytest.raises(Exception, match="closed"):
            connection.cursor().execute("SELECT 1")
    with app.app_context():
        assert _db.engine.pool.checkedout() == 0
        _db.engine.dispose()
    assert client.get("/healthz").status_code == 200


@pytest.mark.no_rollback
def test_websocket_routes_have_no_deadline(under_gevent):
    app = create_app(base_overrides(REQUEST_TIMEOUT_SECONDS=0.3))
    deadline = app.wsgi_app
    assert isinstance(deadline, resilience.RequestDeadline)
    assert deadline._exempt({"PATH_INFO": "/api/v1/ws"})
    assert not deadline._exempt({"PATH_INFO": "/api/v1/products"})


# ---- a real gevent server against a frozen database ---------------------------------------------


def _get(url, timeout=30):
    import requests

    started = time.monotonic()
    res = requests.get(url, timeout=timeout)
    return res, time.monotonic() - started


@postgres_only
@pytest.mark.no_rollback
def test_gunicorn_gevent_answers_503_promptly_while_the_database_is_frozen(app, tmp_path):
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proxy = TCPProxy("127.0.0.1", sa.engine.make_url(database_url()).port or 5432).start()
    port = free_port()
    env = {
        **os.environ,
        "MEMI_ENV": "development",
        "DATABASE_URL": pg_url(port=proxy.port),
        "REQUEST_TIMEOUT_SECONDS": "4",
        "DB_CONNECT_TIMEOUT": "2",
        "READYZ_TIMEOUT_SECONDS": "2",
        "GUNICORN_WORKER_CLASS": "gevent",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESS_LOG": "0",
        "RATELIMIT_ENABLED": "false",
        "MEDIA_ROOT": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as stderr:
        server = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "--config", "gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{port}", "--no-control-socket", "wsgi:app"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        import requests

        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        assert _get(base + "/api/v1/products")[0].status_code == 200  # the pool holds a connection now

        proxy.freeze()
        results = {}

        def fetch(name, path):
            results[name] = _get(base + path)

        threads = [
            threading.Thread(target=fetch, args=(name, path))
            for name, path in (("api", "/api/v1/products"), ("page", "/"), ("ready", "/readyz"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(40)
        for name in ("api", "page", "ready"):
            res, took = results[name]
            assert res.status_code == 503, (name, res.text[:300])
            assert res.headers.get("Retry-After"), name
            assert took < 15, (name, took)  # the deadline (4 s), not the freeze
        assert results["api"][0].json()["error"]["code"] == "unavailable"
        assert _get(base + "/healthz")[0].status_code == 200  # the worker itself stayed responsive

        proxy.thaw()
        deadline = time.monotonic() + 20
        while _get(base + "/api/v1/products")[0].status_code != 200:
            assert time.monotonic() < deadline, "no recovery after the database came back"
            time.sleep(0.3)
    finally:
        proxy.thaw()  # so the worker's stuck requests can finish and it exits promptly
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
        proxy.stop()
