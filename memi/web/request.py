"""Input hygiene at the door: NUL characters are dropped from every query string, form field and JSON
string. PostgreSQL text cannot hold them, and no user means to send one."""

from flask import Request, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from werkzeug.datastructures import ImmutableMultiDict


def strip_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [strip_nul(v) for v in value]
    if isinstance(value, dict):
        return {strip_nul(k): strip_nul(v) for k, v in value.items()}
    return value


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


class MemiRequest(Request):
    parameter_storage_class = NulFreeMultiDict


class MemiJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        return strip_nul(super().loads(s, **kwargs))


class MemiSessionInterface(SecureCookieSessionInterface):
    """The API never writes the session cookie. The socket reads it to authenticate browser pages, and
    a reconnecting socket must not overwrite the cookie a page has just been given (a race that would
    leave the page with a stale CSRF token)."""

    def should_set_cookie(self, app, session):
        if request.path.startswith("/api/"):
            return False
        return super().should_set_cookie(app, session)
