"""Fixtures in the flaskr style. One database per run (TEST_DATABASE_URL, else a SQLite file),
built by the real migrations; every test runs inside a transaction that is rolled back."""

import os
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.orm import scoped_session, sessionmaker
from werkzeug.serving import make_server

from memi import catalogue, create_app
from memi.extensions import db as _db
from tests.support.listing import LISTING

ROOT = Path(__file__).resolve().parent.parent
# The compiled catalogues are build products (make test builds them); a bare `pytest` rebuilds stale ones too.
catalogue.compile_catalogs()
_tmp = tempfile.mkdtemp(prefix="memi-test-")


class EnglishClient(FlaskClient):
    """The test client asks for English (Accept-Language: en) unless a test says otherwise, so the
    suite's assertions on English text keep their meaning now that the site's default is Azerbaijani.
    A test that wants another language passes its own Accept-Language header, or `environ_base`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")


# Every app the tests build (the session's app, rate-limited apps, apps of single tests) gets it.
Flask.test_client_class = EnglishClient


def database_url():
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_tmp}/test.db"


def base_overrides(**extra):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
        "JWT_SECRET_KEY": "test-jwt-secret-key-that-is-long-enough",
        "PASSWORD_PEPPER": "test-pepper",
        "BCRYPT_ROUNDS": 4,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MEDIA_ROOT": os.path.join(_tmp, "media"),
        "MAIL_SERVER": None,
        "BASE_URL": "http://memi.test",
        "SERVER_NAME": None,
    }
    config.update(extra)
    return config


def reset_database(app):
    with app.app_context():
        engine = _db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        else:
            engine.dispose()
            path = engine.url.database
            if path and os.path.exists(path):
                os.remove(path)
        upgrade(directory=str(ROOT / "migrations"))
        from memi.categories.services import seed_taxonomy

        seed_taxonomy()
        _db.session.commit()
        _db.session.remove()


@pytest.fixture(scope="session")
def app():
    app = create_app(base_overrides())
    reset_database(app)
    return app


@pytest.fixture(autouse=True)
def db(request, app):
    """Bind the session to one connection whose outer transaction is rolled back after the test.
    Services and views commit as usual; their commits only release savepoints."""
    if "live_server" in request.fixturenames or request.node.get_closest_marker("no_rollback"):
        yield _db
        return
    # No app context stays pushed during the test: requests must get their own (and their own `g`).
    with app.app_context():
        engine = _db.engine
    connection = engine.connect()
    outer = connection.begin()
    original = _db.session
    _db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    )
    try:
        yield _db
    finally:
        _db.session.remove()
        _db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def rate_limited_app():
    """`rate_limited_app(**config)`: an app with rate limits on. flask-limiter's Limiter is one object for
    every app and init_app switches it on for all of them: it is switched back afterwards, so the other
    tests' logins are not counted against these limits."""
    from memi.extensions import limiter

    was = limiter.enabled

    def make(**config):
        return create_app(base_overrides(RATELIMIT_ENABLED=True, **config))

    yield make
    limiter.enabled = was


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app, db):
    counter = {"n": 0}

    def make(
        email=None, password="correct-horse-1", name="Aysel", role="USER", city="Baku", blocked=False, locale="en"
    ):
        from memi.auth.services import register_user

        counter["n"] += 1
        with app.test_request_context():
            user = register_user(email or f"user{counter['n']}@example.az", password, name, city=city, locale=locale)
            user.role = role
            user.is_blocked = blocked
            db.session.commit()
            user.plain_password = password
            return user

    return make


@pytest.fixture
def make_product(app, db, make_user):
    """A listing through the real service (so it is indexed for search like any other)."""

    def make(seller=None, **fields):
        from memi.products.services import create_product

        seller = seller or make_user()
        data = dict(LISTING)
        status = fields.pop("status", None)
        data.update(fields)
        with app.test_request_context():
            product = create_product(seller, data)
            if status:
                from memi.products.models import Product

                db.session.get(Product, product.id).status = status
            db.session.commit()
            return product

    return make


@pytest.fixture
def login(client):
    def do(user, password=None, follow=False):
        return client.post(
            "/login",
            data={"email": user.email, "password": password or user.plain_password},
            follow_redirects=follow,
        )

    return do


@pytest.fixture
def api(app, client):
    """A small JSON client: api.post("/auth/login", json=..., token=...)."""

    class Api:
        def _call(self, method, path, token=None, **kwargs):
            headers = kwargs.pop("headers", {})
            if token:
                headers["Authorization"] = f"Bearer {token}"
            return client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

        def get(self, path, **kw):
            return self._call("GET", path, **kw)

        def post(self, path, **kw):
            return self._call("POST", path, **kw)

        def patch(self, path, **kw):
            return self._call("PATCH", path, **kw)

        def put(self, path, **kw):
            return self._call("PUT", path, **kw)

        def delete(self, path, **kw):
            return self._call("DELETE", path, **kw)

        def tokens(self, user):
            res = self.post("/auth/login", json={"email": user.email, "password": user.plain_password})
            assert res.status_code == 200, res.get_json()
            return res.get_json()

    return Api()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    def __init__(self, port):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.raw = []  # the bytes as they came over the wire, beside each parsed message
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes, policy

                sink.raw.append(envelope.original_content)
                sink.messages.append(
                    (envelope.rcpt_tos, message_from_bytes(envelope.original_content, policy=policy.default))
                )
                return "250 OK"

        self.port = port
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def wait_for(self, count=1, timeout=5):
        deadline = time.time() + timeout
        while len(self.messages) < count and time.time() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp_server():
    sink = SMTPSink(free_port()).start()
    yield sink
    sink.stop()


def deliver_one_over_smtp(app, smtp_server):
    """Run the email outbox once against `smtp_server` (the real SMTP sink on loopback): exactly one email
    is due and is delivered; returns (recipients, message) as the server received it."""
    from memi.mail.services import deliver_due

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    try:
        with app.app_context():
            assert deliver_due() == (1, 0)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    [(rcpt, message)] = smtp_server.wait_for(1)
    return rcpt, message


def wipe(app):
    """Delete every row but the seeded taxonomy (for tests that commit for real); categories a test
    added are deleted too, so the next test's pages show the taxonomy alone."""
    from memi.categories.models import Category, Subcategory
    from memi.categories.taxonomy import TAXONOMY

    categories = [slug for slug, _names, _subs in TAXONOMY]
    subcategories = [sub[0] for _slug, _names, subs in TAXONOMY for sub in subs]
    with app.app_context():
        keep = {"categories", "subcategories", "alembic_version"}
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                if table.name not in keep:
                    conn.execute(table.delete())
            conn.execute(sa.delete(Subcategory).where(Subcategory.slug.not_in(subcategories)))
            conn.execute(sa.delete(Category).where(Category.slug.not_in(categories)))
        _db.session.remove()


@pytest.fixture
def committed_sale(app):
    """A seller, `buyers` buyers and one ACTIVE listing committed for real (for tests whose threads use
    their own connections); everything is deleted afterwards. Returns (seller_id, [buyer_ids], product_id)."""

    def make(buyers=1):
        from memi.auth.services import register_user
        from memi.products.services import create_product

        with app.test_request_context():
            seller = register_user("race-seller@example.az", "correct-horse-1", "Seller")
            _db.session.commit()  # one account per transaction: bcrypt never runs in a written one
            others = []
            for i in range(buyers):
                others.append(register_user(f"race-buyer{i}@example.az", "correct-horse-1", f"Buyer {i}"))
                _db.session.commit()
            product = create_product(
                seller, {"title": "Race jacket", "price": "10", "condition": "GOOD", "category": "women-clothing"}
            )
            _db.session.commit()
            ids = (seller.id, [b.id for b in others], product.id)
            _db.session.remove()
        return ids

    yield make
    wipe(app)


# ---- a live server in a thread (browser and socket tests) ----------------------------------------


@pytest.fixture(scope="session")
def live_app(app):
    return create_app(base_overrides(WTF_CSRF_ENABLED=True))


@pytest.fixture(scope="session")
def live_server_url(live_app):
    port = free_port()
    server = make_server("127.0.0.1", port, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture
def live_server(live_app, live_server_url):
    yield live_server_url
    wipe(live_app)
