"""One error handler per surface: /api/v1 answers the contract's JSON, pages answer friendly error
pages in the site layout (or a toast for htmx requests). Views that answer an expected refusal
themselves (a form shown again with its errors, a flashed message, a toast) catch it with `domain_errors`.
"""

import logging
from contextlib import contextmanager

from flask import current_app, flash, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from memi.api import errors as api_errors
from memi.api.core import API_PREFIX
from memi.errors import DomainError, PayloadTooLarge, Unavailable, UnsupportedMediaType
from memi.extensions import db
from memi.resilience import RETRY_AFTER, database_unavailable, describe, release_session
from memi.web.forms import apply_errors
from memi.web.htmx import is_htmx, toast_header

log = logging.getLogger("memi.web")

TITLES = {
    400: _l("That did not work"),
    401: _l("Please log in"),
    403: _l("You can't do that"),
    404: _l("We couldn't find that page"),
    405: _l("That did not work"),
    413: _l("That is too much to send"),
    415: _l("That file type isn't supported"),
    429: _l("Slow down a little"),
    500: _l("Something went wrong on our side"),
    503: _l("We'll be right back"),
}


def _is_api():
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _page(status, message=None, headers=None):
    title = str(TITLES.get(status, TITLES[400]))
    g.seo_noindex = True  # an error page is no page for a search engine (memi.web.seo)
    body = render_template("errors/error.html", status=status, title=title, message=message)
    return body, status, headers or {}


def domain_error_response(exc):
    """`exc` (a DomainError) as the surface of this request answers it: JSON, a toast or a page."""
    if _is_api():
        return api_errors.domain_error(exc)
    if is_htmx():
        response = toast_header(current_app.make_response(("", 204)), exc.message)
        response.headers.update(exc.headers)
        return response
    return current_app.make_response(_page(exc.status, exc.message, exc.headers))


def unavailable_response(exc):
    """A 503 that touches no database: the page is rendered for an anonymous visitor (loading the
    signed-in user, or their unread counts, would need the database that just failed)."""
    g._login_user = current_app.login_manager.anonymous_user()
    return domain_error_response(exc)


def _safe_rollback():
    """Roll back; if the connection is broken, throw it away instead of failing the error page."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        release_session(db.session)


def database_error_response(exc):
    """A database that is down, unreachable, busy or that cut this request off is a 503 with
    Retry-After on every surface, logged once without a traceback; the connection is released."""
    release_session(db.session)
    log.warning("database unavailable on %s %s: %s", request.method, request.path, describe(exc))
    return unavailable_response(Unavailable(retry_after=RETRY_AFTER))


def register_error_handlers(app):
    @app.errorhandler(DomainError)
    def _domain(exc):
        _safe_rollback()
        return domain_error_response(exc)

    @app.errorhandler(SQLAlchemyError)
    def _database(exc):
        if database_unavailable(exc):
            return database_error_response(exc)
        return _unexpected(exc)

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        _safe_rollback()
        if _is_api():
            return api_errors.error_response(400, "validation_error", _("CSRF token missing or invalid."))
        return _page(400, _("Your session expired or the form was stale. Go back, reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(exc):
        original = getattr(exc, "original_exception", None)
        if original is not None and database_unavailable(original):  # e.g. raised by an after_request
            return database_error_response(original)
        _safe_rollback()
        if _is_api():
            return api_errors.http_error(exc)
        if is_htmx() and exc.code != 401:
            # A widget's request failed: say so in a toast instead of swapping a page into it.
            return toast_header(app.make_response(("", 204)), str(TITLES.get(exc.code, TITLES[400])))
        headers = {}
        if exc.code == 429:
            headers["Retry-After"] = exc.get_response().headers.get("Retry-After", "60")
            return _page(429, _("Too many attempts. Please wait a minute and try again."), headers)
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            headers["Allow"] = ", ".join(exc.valid_methods)
        return _page(exc.code or 500, None, headers)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        _safe_rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if _is_api():
            return api_errors.error_response(500, "internal_error", _("Something went wrong on our side."))
        return _page(500, _("Please try again in a moment."))


# ---- refusals a view answers itself -----------------------------------------------------------


def error_text(exc):
    """A DomainError in one line (a flash, a toast): its field messages when it has some, else its message."""
    return " ".join(str(m) for m in sum(exc.fields.values(), [])) if exc.fields else exc.message


class Outcome:
    """What a `domain_errors` block ended with: `error` is the refusal it caught, None on success."""

    def __init__(self):
        self.error = None

    @property
    def failed(self):
        return self.error is not None

    @property
    def message(self):
        """The refusal's own message (not its field messages)."""
        return self.error.message if self.error is not None else None

    def flash_or_toast(self, back, partial=None):
        """An htmx widget gets `partial` (or nothing) with the refusal's message in a toast; a plain form
        post gets the message flashed and a redirect to `back`."""
        if is_htmx():
            return toast_header(partial if partial is not None else current_app.make_response(("", 204)), self.message)
        flash(str(self.message), "error")
        return redirect(back)


@contextmanager
def domain_errors(*kinds, form=None, upload_field=None, flash_error=False):
    """The one way a page handles the refusals it expects: around a service call and its commit, a
    DomainError of `kinds` rolls the session back and is kept in the yielded Outcome (any other error
    goes on to the surface's error handler). Shown, as asked:
      form: on the WTForms form, field messages next to their fields, the others above the form;
      upload_field: with `form`, an upload refused as too large or of the wrong type shows under this field;
      flash_error: flashed as one line (category "error").
    """
    outcome = Outcome()
    try:
        yield outcome
    except kinds as exc:
        db.session.rollback()
        outcome.error = exc
        if form is not None:
            if upload_field and isinstance(exc, (PayloadTooLarge, UnsupportedMediaType)):
                exc = type(exc)(exc.message, fields={upload_field: [exc.message]})
            apply_errors(form, exc)
        if flash_error:
            flash(str(error_text(exc)), "error")
