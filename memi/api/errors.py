"""The JSON error format of /api/v1: {"error": {"code", "message", "details"}} with the matching status."""

import logging

from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from memi.errors import DomainError
from memi.library_messages import translate_details, translate_library_message

log = logging.getLogger("memi.api")

HTTP_CODES = {
    400: "validation_error",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}

DEFAULT_MESSAGES = {
    400: _l("The request is not valid."),
    401: _l("Authentication is required."),
    403: _l("You are not allowed to do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    413: _l("The request is too large."),
    415: _l("This media type is not supported."),
    429: _l("Too many requests; slow down."),
    500: _l("Something went wrong on our side."),
}


def error_response(status, code, message, details=None, headers=None):
    """The error body in the request's language: lazy messages render here, and the libraries' own
    messages in `details` (marshmallow, webargs) go through our catalogue (memi.library_messages)."""
    body = {"error": {"code": code, "message": translate_library_message(message)}}
    if details:
        body["error"]["details"] = translate_details(details)
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _flatten_webargs(messages):
    """webargs nests messages by location ({"json": {"price": [...]}}); clients want the fields."""
    details = {}
    for location, fields in (messages or {}).items():
        if isinstance(fields, dict):
            details.update(fields)
        else:
            details[location] = fields
    return details


def domain_error(exc: DomainError):
    return error_response(exc.status, exc.code, exc.message, exc.fields or None, exc.headers)


def http_error(exc: HTTPException):
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    details = _flatten_webargs(data.get("messages")) if data.get("messages") else None
    headers = dict(data.get("headers") or {})
    if status == 429:
        retry_after = getattr(exc, "retry_after", None)
        response = exc.get_response()
        headers.setdefault("Retry-After", response.headers.get("Retry-After", "60"))
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
    if status == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    message = DEFAULT_MESSAGES.get(status) if details or status >= 500 else None
    # Werkzeug's own descriptions are English only: a status we have no text for gets a general one.
    fallback = DEFAULT_MESSAGES[500] if status >= 500 else _l("The request could not be handled.")
    message = message or data.get("message") or DEFAULT_MESSAGES.get(status) or fallback
    return error_response(status, HTTP_CODES.get(status, "error"), message, details, headers)


def internal_error(exc):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", DEFAULT_MESSAGES[500])
