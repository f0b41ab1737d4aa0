"""Domain errors raised by services. Each surface (HTML, htmx, JSON API, WebSocket) maps
them to its own answer; services never know which surface called them."""

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    code = "error"
    status = 400
    default_message = _l("Something went wrong.")

    def __init__(self, message=None, fields=None):
        # `is None`, not `or`: the truth of a lazy message would translate it here, before any request.
        self.message = (
            self.default_message if message is None or (isinstance(message, str) and not message) else message
        )
        self.fields = fields or {}
        super().__init__(self.message)

    @property
    def headers(self):
        """HTTP headers every surface sends with this error: Retry-After when the error says when to retry."""
        retry_after = getattr(self, "retry_after", None)
        return {"Retry-After": str(retry_after)} if retry_after else {}


class Invalid(DomainError):
    """Input that breaks a rule; `fields` maps field names to lists of messages."""

    code = "validation_error"
    status = 400
    default_message = _l("The data is not valid.")


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401
    default_message = _l("Authentication is required.")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    default_message = _l("You are not allowed to do this.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _l("Not found.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _l("This conflicts with the current state.")


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status = 413
    default_message = _l("The upload is too large.")


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"
    status = 415
    default_message = _l("This file type is not supported.")


class Unavailable(DomainError):
    """A dependency (the database, object storage, ...) is down or busy; try again later.
    `retry_after`: the seconds a client should wait (sent as Retry-After)."""

    code = "unavailable"
    status = 503
    default_message = _l("This is temporarily unavailable; please try again in a moment.")

    def __init__(self, message=None, fields=None, retry_after=5):
        super().__init__(message, fields)
        self.retry_after = int(retry_after)


class RateLimited(DomainError):
    """`retry_after`: seconds until the limit resets. Left out, it is the reset time of the limit this
    request just hit through memi.ratelimit.allow (60 when there is none)."""

    code = "rate_limited"
    status = 429
    default_message = _l("Too many requests; slow down.")

    def __init__(self, message=None, fields=None, retry_after=None):
        super().__init__(message, fields)
        if retry_after is None:
            retry_after = g.get("memi_retry_after") if has_app_context() else None
        self.retry_after = int(retry_after or 60)
