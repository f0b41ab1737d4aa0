"""What every /api/v1 module shares: the Blueprint class, the JWT guard, pagination."""

import functools

import marshmallow as ma
from flask_jwt_extended import get_current_user, verify_jwt_in_request
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser, abort

from memi.web.request import INVALID_TEXT, InvalidText, clean_text

API_PREFIX = "/api/v1"


class Parser(FlaskParser):
    # Malformed input is a 400 with field details (SECURITY.md), for bodies and query strings alike.
    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {"json": ma.EXCLUDE, "form": ma.EXCLUDE, "query": ma.RAISE}

    def _raw_load_json(self, req):
        # webargs parses the body itself, past the app's JSON provider: drop NULs and refuse lone
        # surrogates here too (a 400 with the contract's error, never a 500 from the database driver).
        try:
            return clean_text(super()._raw_load_json(req))
        except InvalidText:
            abort(400, messages={"json": [INVALID_TEXT]})


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = Parser()


def jwt_required(fn):
    """Require a valid access token of a user who is not blocked and whose sessions were not ended
    since it was issued (memi.auth.services.load_token_user, run per request)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        verify_jwt_in_request()
        return fn(*args, **kwargs)

    wrapper._apidoc = getattr(fn, "_apidoc", {})
    wrapper._apidoc.setdefault("manual_doc", {}).setdefault("security", [{"bearerAuth": []}])
    return wrapper


def jwt_optional(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        verify_jwt_in_request(optional=True)
        return fn(*args, **kwargs)

    return wrapper


def current_api_user():
    return get_current_user()


class NoQueryArgs(ma.Schema):
    """No query parameters: an unknown one is a 400 (the API parser refuses unknown query keys)."""


class PaginationArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


class MetaSchema(ma.Schema):
    page = ma.fields.Integer()
    limit = ma.fields.Integer()
    total = ma.fields.Integer()
    pages = ma.fields.Integer()
    total_is_lower_bound = ma.fields.Boolean(
        metadata={"description": "Search only: true when more listings matched than `total` counts (1,000)."}
    )


def page_schema(item_schema, name):
    """A `{items, meta}` list schema for `item_schema`."""
    return type(
        name,
        (ma.Schema,),
        {"items": ma.fields.List(ma.fields.Nested(item_schema)), "meta": ma.fields.Nested(MetaSchema)},
    )
