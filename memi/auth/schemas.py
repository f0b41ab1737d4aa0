"""API shapes of the account endpoints."""

import marshmallow as ma

from memi.auth.services import describe_agent
from memi.users.schemas import PrivateUserSchema


class RegisterSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    city = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)


class LoginSchema(ma.Schema):
    email = ma.fields.String(required=True)
    password = ma.fields.String(required=True)


class RefreshSchema(ma.Schema):
    refresh_token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class ForgotSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(max=254))


class ResetSchema(ma.Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    password = ma.fields.String(required=True)


class TokenPairSchema(ma.Schema):
    access_token = ma.fields.String()
    refresh_token = ma.fields.String()


class AuthResultSchema(TokenPairSchema):
    user = ma.fields.Nested(PrivateUserSchema)


class ChangePasswordSchema(ma.Schema):
    current_password = ma.fields.String(required=True)
    new_password = ma.fields.String(required=True)


class SessionSchema(ma.Schema):
    """One signed-in device of the user (a browser or an API client)."""

    id = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "`web` (a browser) or `api` (a client with tokens)"})
    device = ma.fields.String(metadata={"description": 'A short summary, e.g. "Firefox on Windows"'})
    user_agent = ma.fields.String(allow_none=True)
    ip = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    last_used_at = ma.fields.DateTime()
    current = ma.fields.Boolean(metadata={"description": "true for the session making this request"})


def session_item(row, current_id):
    """The API representation of a session row (SessionSchema)."""
    return {
        "id": row.id,
        "kind": row.kind,
        "device": describe_agent(row.user_agent),
        "user_agent": row.user_agent,
        "ip": row.ip,
        "created_at": row.created_at,
        "last_used_at": row.last_seen_at,
        "current": row.id == current_id,
    }
