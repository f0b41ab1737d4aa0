"""The app as a whole: health, headers, config, migrations, CLI, error pages."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from memi import create_app
from memi.config import ConfigError
from memi.extensions import db as _db
from memi.schema_filters import include_object
from tests.conftest import base_overrides


def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.no_rollback
def test_readyz_is_503_when_the_database_is_down():
    down = create_app(base_overrides(SQLALCHEMY_DATABASE_URI="postgresql://postgres@127.0.0.1:1/none"))
    res = down.test_client().get("/readyz")
    assert res.status_code == 503
    assert res.get_json()["status"] == "unavailable"
    assert res.get_json()["checks"]["database"] == "down"


@pytest.mark.no_rollback
# SQLite's reflection skips expression indexes (the filters' lower(...) indexes, migration 0015) with a
# warning; PostgreSQL reflects and compares them.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_and_migrations_agree(app):
    """Autogenerate finds nothing to do on a database built by the migrations."""
    with app.app_context():
        with _db.engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_object, "render_as_batch": True}
            )
            diff = compare_metadata(ctx, _db.metadata)
    assert diff == []


def test_security_headers_on_pages(client):
    res = client.get("/")
    csp = res.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Referrer-Policy"]
    assert "<script>" not in res.get_data(as_text=True)


def test_session_cookie_flags(client, make_user):
    user = make_user()
    res = client.post("/login", data={"email": user.email, "password": user.plain_password})
    cookie = next(c for c in res.headers.getlist("Set-Cookie") if c.startswith("memi_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_uses_secure_host_cookie_and_hsts(monkeypatch):
    monkeypatch.setenv("MEMI_ENV", "production")
    for key in ("SECRET_KEY", "JWT_SECRET_KEY", "PASSWORD_PEPPER"):
        monkeypatch.setenv(key, "x" * 40 + key)
    prod = create_app(base_overrides(SECRET_KEY="y" * 40, PASSWORD_PEPPER="p" * 40, TESTING=False))
    assert prod.config["SESSION_COOKIE_NAME"] == "__Host-memi"
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    res = prod.test_client().get("/healthz")
    assert "max-age" in res.headers["Strict-Transport-Security"]


@pytest.mark.parametrize("env", ["production", "staging"])
def test_outside_development_default_secrets_are_refused(monkeypatch, env):
    monkeypatch.setenv("MEMI_ENV", env)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app({"TESTING": False})


def test_friendly_404_page_in_site_layout(client):
    res = client.get("/no-such-page")
    assert res.status_code == 404
    html = res.get_data(as_text=True)
    assert "We couldn&#39;t find that page" in html or "We couldn't find that page" in html
    assert 'class="site-header"' in html


def test_500_page_has_no_stack_trace(app, client, monkeypatch):
    from memi.products import views

    monkeypatch.setattr(views, "list_categories", lambda: 1 / 0)
    res = client.get("/")
    assert res.status_code == 500
    html = res.get_data(as_text=True)
    assert "ZeroDivisionError" not in html and "Traceback" not in html
    assert "Something went wrong on our side" in html


def test_a_dependency_that_is_down_is_a_503_with_retry_after_on_pages_htmx_and_api(client, monkeypatch):
    """Unavailable says when to come back on every surface: the friendly page, the htmx toast and the
    API's JSON all carry Retry-After."""
    from memi.categories import services as categories
    from memi.errors import Unavailable
    from memi.products import views

    def down():
        raise Unavailable("The catalogue is resting.", retry_after=7)

    monkeypatch.setattr(views, "list_categories", down)
    monkeypatch.setattr(categories, "list_categories", down)
    page = client.get("/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "7"
    assert "The catalogue is resting." in page.get_data(as_text=True)
    toast = client.get("/sell/subcategories", headers={"HX-Request": "true"})
    assert toast.status_code == 204 and toast.headers["Retry-After"] == "7"
    assert "The catalogue is resting." in toast.headers["HX-Trigger"]
    res = client.get("/api/v1/categories")
    assert res.status_code == 503 and res.headers["Retry-After"] == "7"
    assert res.get_json()["error"]["code"] == "unavailable"


def test_seed_is_idempotent_and_slugs_unique(app, db):
    from memi.categories.models import Category, Subcategory

    runner = app.test_cli_runner()
    before = db.session.scalar(sa.select(sa.func.count(Subcategory.id)))
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0 and "0 new rows" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Subcategory.id))) == before
    names = set(db.session.scalars(sa.select(Category.name)))
    assert {"Women's clothing", "Men's shoes", "Bags", "Accessories"} <= names
    subs = set(db.session.scalars(sa.select(Subcategory.name)))
    assert {"Dresses", "Sneakers", "Backpacks", "Watches"} <= subs


def test_create_admin_command(app, api, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--email", "boss@memi.az", "--password", "admin-password-1"])
    assert result.exit_code == 0, result.output
    res = api.post("/auth/login", json={"email": "boss@memi.az", "password": "admin-password-1"})
    assert res.get_json()["user"]["role"] == "ADMIN"
    bad = runner.invoke(args=["create-admin", "--email", "x@memi.az", "--password", "short"])
    assert bad.exit_code != 0 and "8 characters" in bad.output


def test_worker_once_delivers(app, api, make_user, db):
    from memi.mail.models import OutgoingEmail

    user = make_user()
    api.post("/auth/password/forgot", json={"email": user.email})
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0 and "sent 1" in result.output
    assert db.session.scalars(sa.select(OutgoingEmail.status)).all() == ["SENT"]
