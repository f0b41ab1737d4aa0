"""Checks at the door, before anything reads the request, and the caching rule on the way out.

- Body size: every route accepts at most MAX_BODY_BYTES (64 KiB: JSON and plain forms); only the photo
  upload routes accept MAX_CONTENT_LENGTH (MAX_UPLOAD_REQUEST_BYTES), and only as multipart/form-data.
  A declared Content-Length over the cap is a 413 before a byte is read; a chunked body is cut off by
  Werkzeug at the same cap while it is read. This runs first of all before-request hooks, so CSRF protection and the rate limiter (which read
  the form) never read more than the cap.
- Text: a query string or urlencoded form that is not valid UTF-8 (e.g. `%ED%A0%80`, a UTF-16 surrogate)
  is a 400. JSON bodies are checked where they are parsed (memi.web.request, memi.api.core).
- Cache-Control: responses with personal data (a logged-in user's pages, API answers to a bearer token,
  the API's token endpoints) are `no-store`; static files and anonymous pages keep their caching.
"""

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l

from memi.errors import Invalid, PayloadTooLarge
from memi.web.request import INVALID_TEXT, is_valid_query

# The routes that take photos (multipart): the listing form, "add photos", the avatar, and the API's.
UPLOAD_ENDPOINTS = frozenset(
    {
        "products.sell",
        "products.add_photos",
        "users.upload_avatar",
        "api_products.upload_images",
        "api_users.set_avatar",
    }
)
# API endpoints whose answers carry tokens even without an Authorization header.
TOKEN_BLUEPRINTS = frozenset({"api_auth"})


def _size(n):
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def body_cap():
    config = current_app.config
    if request.endpoint in UPLOAD_ENDPOINTS and request.mimetype == "multipart/form-data":
        return config["MAX_CONTENT_LENGTH"]
    return config["MAX_BODY_BYTES"]


def check_request():
    cap = body_cap()
    request.max_content_length = cap  # Werkzeug enforces it while reading a body without Content-Length
    length = request.content_length
    if length is not None and length > cap:
        raise PayloadTooLarge(_l("The request is too large (at most %(size)s).", size=_size(cap)))
    if not is_valid_query(request.query_string):
        raise Invalid(INVALID_TEXT)
    if request.mimetype == "application/x-www-form-urlencoded" and not is_valid_query(request.get_data(cache=True)):
        raise Invalid(INVALID_TEXT)


def set_cache_control(response):
    user = g.get("_login_user")  # set only if this request looked at the logged-in user
    private = (
        "Authorization" in request.headers
        or request.blueprint in TOKEN_BLUEPRINTS
        or (user is not None and user.is_authenticated)
    )
    if private:
        response.headers["Cache-Control"] = "no-store"
    return response


def register_door(app):
    """Run check_request before every other before-request hook (CSRF, rate limits, deadlines)."""
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
    app.after_request(set_cache_control)
