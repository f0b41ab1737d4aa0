"""API shapes of the account endpoints."""

import marshmallow as ma

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
