"""memi.az: a marketplace for second-hand fashion."""

import logging
import os

import click
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from memi import extensions as ext
from memi import models  # noqa: F401  (every table known to SQLAlchemy and Alembic)
from memi.api.setup import register_api
from memi.auth.session import configure_login_manager, register_session_touch
from memi.cli import register_cli
from memi.config import BASE_DIR, check_production, finalize_database, load_config
from memi.db_setup import configure_engine_events
from memi.listeners import register_listeners
from memi.locale import select_locale
from memi.pages import register_web
from memi.resilience import RequestDeadline, guard_green_connections, release_after_deadline
from memi.web.door import register_door
from memi.web.errors import unavailable_response
from memi.web.request import MemiJSONProvider, MemiRequest, MemiSessionInterface
from memi.web.static_files import register_static_files


class BoundedIntConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def loaded_by_cli():
    """Whether a `flask ...` command (other than `flask run`) is loading the app: migrations, seeding
    and the email worker then get the CLI's database limits (memi.config.finalize_database)."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.info_name != "run"


def create_app(overrides=None):
    """Build the app from the environment (and `overrides`, for tests)."""
    if os.environ.get("MEMI_ENV", "development") != "production":
        from dotenv import load_dotenv  # development only: production reads the real environment

        load_dotenv(BASE_DIR / ".env")
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )

    app.request_class = MemiRequest
    app.session_interface = MemiSessionInterface()
    # Ids in URLs are database integers: anything past 2**31 - 1 is a 404, not an overflow.
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = MemiJSONProvider(app)
    app.config.update(load_config())
    app.config["DB_CLI"] = loaded_by_cli()
    app.config.update(overrides or {})
    finalize_database(app.config)
    check_production(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))

    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    # First of the after-request hooks, so compression runs last, on the finished response.
    register_static_files(app)

    register_listeners()  # every feature's reactions to events, in one place

    ext.db.init_app(app)
    with app.app_context():
        configure_engine_events(ext.db.engine)
        guard_green_connections(ext.db.engine, app.config["DB_CONNECT_TIMEOUT"])
    # Registered after Flask-SQLAlchemy's, so it runs first: a request cut off by its deadline throws
    # its connections away instead of asking a server that may not answer to roll back.
    app.teardown_appcontext(release_after_deadline)
    ext.migrate.init_app(app, ext.db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    ext.login_manager.init_app(app)
    ext.csrf.init_app(app)
    ext.limiter.init_app(app)
    ext.sock.init_app(app)
    ext.mail.init_app(app)
    ext.jwt.init_app(app)
    ext.babel.init_app(app, locale_selector=select_locale)

    configure_login_manager(ext.login_manager)
    register_session_touch(app)
    register_web(app)
    register_api(app)

    register_door(app)  # first of the before-request hooks: body caps and invalid text, before CSRF reads

    register_cli(app)
    app.wsgi_app = RequestDeadline(app, app.wsgi_app, unavailable_response)
    return app
