"""Input hygiene at the door: NUL characters are dropped from every query string, form field and JSON
string (PostgreSQL text cannot hold them, and no user means to send one), and text that is not valid
Unicode (a lone UTF-16 surrogate such as a JSON "\\ud800", or bytes that are not UTF-8) is a 400."""

import re
from urllib.parse import parse_qsl, unquote_to_bytes

from flask import Request, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

_SURROGATE = re.compile("[\ud800-\udfff]")
INVALID_TEXT = _l("The request contains text that is not valid Unicode.")


class InvalidText(ValueError):
    """Text no database or template can hold. A ValueError, so that Flask's get_json answers 400."""

    def __init__(self, message=INVALID_TEXT):
        super().__init__(message)
        self.message = message


def _check_str(value, strip):
    if not value.isascii() and _SURROGATE.search(value):
        raise InvalidText()
    return value.replace("\x00", "") if strip else value


def clean_text(value, strip=True):
    """`value` (a string, or lists and dicts of them) without NULs (kept if not `strip`); raises InvalidText
    on a lone surrogate."""
    if isinstance(value, str):
        return _check_str(value, strip)
    if isinstance(value, list):
        return [clean_text(v, strip) for v in value]
    if isinstance(value, dict):
        return {clean_text(k, strip): clean_text(v, strip) for k, v in value.items()}
    return value


def strip_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [strip_nul(v) for v in value]
    if isinstance(value, dict):
        return {strip_nul(k): strip_nul(v) for k, v in value.items()}
    return value


def is_valid_query(raw):
    """Whether a raw query string (bytes) decodes to valid UTF-8 once percent-decoded."""
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class NulFreeMultiDict(ImmutableMultiDict):
    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        items = (
            mapping.items(multi=True)
            if hasattr(mapping, "items") and hasattr(mapping, "getlist")
            else (mapping.items() if hasattr(mapping, "items") else mapping)
        )
        super().__init__([(strip_nul(k), strip_nul(v)) for k, v in items])


class CappedStream(LimitedStream):
    """A body without Content-Length (chunked), read up to max_content_length. Werkzeug's readall() (what
    get_data() and get_json() use) stops quietly at the cap, leaving a truncated body to be parsed; here
    a body that goes on past the cap is a 413."""

    def readall(self):
        data = super().readall()
        if self.is_exhausted and self._stream.read(1):
            raise RequestEntityTooLarge()
        return data


class MemiRequest(Request):
    parameter_storage_class = NulFreeMultiDict

    @cached_property
    def stream(self):
        limit = self.max_content_length
        if self.content_length is None and limit is not None and self.environ.get("wsgi.input_terminated"):
            return CappedStream(self.environ["wsgi.input"], limit, is_max=True)
        return Request.stream.fget(self)

    @cached_property
    def args(self):
        # Werkzeug decodes the raw query string strictly first, so raw non-UTF-8 bytes (not %-escaped) would
        # raise here, in every later reader of request.args (the error page too). memi.web.door answers
        # such a request 400 before any view runs; this only keeps reading the arguments safe.
        return self.parameter_storage_class(
            parse_qsl(self.query_string.decode("utf-8", "replace"), keep_blank_values=True, errors="werkzeug.url_quote")
        )


class MemiJSONProvider(DefaultJSONProvider):
    @staticmethod
    def default(o):
        """Lazy translations (flask_babel's LazyString) are text in the request's language."""
        if isinstance(o, LazyString):
            return str(o)
        return DefaultJSONProvider.default(o)

    def loads(self, s, **kwargs):
        return clean_text(super().loads(s, **kwargs))


class MemiSessionInterface(SecureCookieSessionInterface):
    """The API never writes the session cookie. The socket reads it to authenticate browser pages, and
    a reconnecting socket must not overwrite the cookie a page has just been given (a race that would
    leave the page with a stale CSRF token)."""

    def should_set_cookie(self, app, session):
        if request.path.startswith("/api/"):
            return False
        return super().should_set_cookie(app, session)
