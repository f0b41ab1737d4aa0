"""Fault tests: the app under gunicorn (gevent, two workers) and the email worker, as real processes, against a
PostgreSQL cluster, a Redis and an SMTP server of their own that the tests restart, stop, freeze and kill.

The tests that use the `stack` fixture run in the PostgreSQL suite only (TEST_DATABASE_URL=postgresql://...;
the cluster they break is their own, not that database) and are skipped, with the reason, when initdb or
redis-server is missing. Each starts from a whole stack (`Stack.restore`); everything is stopped and deleted
after the last of them, also after a failure. Every test here is marked `faults`: select them with
`-m faults`, leave them out with `-m "not faults"`.
"""

import itertools
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.faults.stack import Stack, make_base_dir, missing_tools

HERE = Path(__file__).resolve().parent


def _skip_reason():
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith(("postgresql", "postgres:")):
        return "fault tests run in the PostgreSQL suite only (set TEST_DATABASE_URL=postgresql://...)"
    missing = missing_tools()
    return f"fault tests skipped: {missing}" if missing else None


def pytest_collection_modifyitems(config, items):
    reason = None
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.faults)
        if "stack" not in getattr(item, "fixturenames", ()):
            continue  # a fault test of its own making (its own processes, the test database)
        item.add_marker(pytest.mark.no_rollback)  # real processes, real commits: no rolled-back transaction
        reason = reason if reason is not None else (_skip_reason() or "")
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    stack = item.funcargs.get("stack") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(stack, Stack):
        for name, text in stack.logs().items():
            report.sections.append((f"{name} log (last lines)", text))
    return report


# Package scope: the processes are stopped once the last fault test has run, not at the end of the whole suite.
@pytest.fixture(scope="package")
def stack():
    started = time.monotonic()
    stack = Stack(make_base_dir())
    try:
        stack.start()
    except BaseException:
        logs = stack.logs()
        stack.destroy()
        print("\n".join(f"--- {k}\n{v}" for k, v in logs.items()))
        raise
    print(f"\nfault stack up in {time.monotonic() - started:.1f}s: app {stack.app.url}, PostgreSQL {stack.pg.port}")
    yield stack
    errors = stack.destroy()
    assert not errors, f"cleaning up the fault stack: {errors}"


@pytest.fixture(autouse=True)
def whole_stack(request):
    """Every test on the stack starts with everything running, unfrozen and fast."""
    if "stack" in request.fixturenames:
        request.getfixturevalue("stack").restore()


# ---- accounts and listings, made through the services against the stack's database -------------------


@dataclass
class Account:
    id: int
    email: str
    password: str


_serial = itertools.count(1)


class People:
    """Users and listings created in this process through the real services (bcrypt at its cheapest, so
    that logins through the app are fast too), committed to the stack's database."""

    PASSWORD = "correct-horse-1"

    def __init__(self, app):
        self.app = app

    def users(self, prefix, count):
        from memi.auth.services import register_user
        from memi.extensions import db

        made = []
        with self.app.test_request_context():
            for _ in range(count):
                email = f"{prefix}-{next(_serial)}@example.az"
                user = register_user(email, self.PASSWORD, "Fault Tester")
                db.session.commit()  # one transaction each: no hashing while a transaction holds writes
                made.append(Account(user.id, email, self.PASSWORD))
            db.session.remove()
        return made

    def user(self, prefix):
        return self.users(prefix, 1)[0]

    def listing(self, seller, title="Fault test jacket"):
        from memi.extensions import db
        from memi.products.services import create_product
        from memi.users.models import User

        with self.app.test_request_context():
            product = create_product(
                db.session.get(User, seller.id),
                {"title": title, "price": "25.00", "condition": "GOOD", "category": "women-clothing"},
            )
            db.session.commit()
            product_id = product.id
            db.session.remove()
        return product_id

    def dispose(self):
        from memi.extensions import db

        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="package")
def people(stack):
    from memi import create_app
    from tests.conftest import base_overrides

    app = create_app(
        base_overrides(SQLALCHEMY_DATABASE_URI=stack.pg.url(), MEDIA_ROOT=str(stack.base / "media"), **_secrets())
    )
    people = People(app)
    yield people
    people.dispose()


def _secrets():
    from tests.faults.stack import SECRETS

    return dict(SECRETS)


# ---- HTTP ----------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a client saw: a status (None when the connection failed or timed out), how long it took."""

    status: int | None
    elapsed: float
    started: float
    error: str | None = None
    body: dict | None = None
    text: str = ""
    headers: dict | None = None

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 400

    def __repr__(self):
        what = self.status if self.status is not None else self.error
        return f"<{what} in {self.elapsed:.1f}s{' ' + self.text[:120] if self.status and self.status >= 400 else ''}>"


def call(session, method, url, token=None, timeout=15, **kwargs):
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.monotonic()
    try:
        response = session.request(method, url, headers=headers, timeout=timeout, allow_redirects=False, **kwargs)
    except requests.RequestException as exc:
        return Outcome(None, time.monotonic() - started, started, error=type(exc).__name__)
    body = None
    if response.headers.get("Content-Type", "").startswith("application/json"):
        try:
            body = response.json()
        except ValueError:
            body = None
    return Outcome(
        response.status_code,
        time.monotonic() - started,
        started,
        body=body,
        text=response.text,
        headers=dict(response.headers),
    )


class Http:
    """One client (one connection pool) of the app."""

    def __init__(self, base_url):
        self.base = base_url
        self.session = requests.Session()

    def api(self, method, path, token=None, **kwargs):
        return call(self.session, method, self.base + "/api/v1" + path, token=token, **kwargs)

    def get(self, path, **kwargs):
        return call(self.session, "GET", self.base + path, **kwargs)

    def token(self, account):
        outcome = self.api("POST", "/auth/login", json={"email": account.email, "password": account.password})
        assert outcome.status == 200, outcome
        return outcome.body["access_token"]

    def web_login(self, account, timeout=15):
        """Log in through the login page as a browser does (CSRF token from the form); the POST's outcome."""
        page = self.get("/login", timeout=timeout)
        if page.status != 200:
            return page
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        return call(
            self.session,
            "POST",
            self.base + "/login",
            timeout=timeout,
            data={"csrf_token": token.group(1), "email": account.email, "password": account.password},
        )

    def close(self):
        self.session.close()


@pytest.fixture
def http(stack):
    """http() -> a new client of the app; all are closed after the test."""
    clients = []

    def make():
        client = Http(stack.app.url)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
