"""Opaque random tokens (refresh, password reset): the raw value goes to the user, only its
SHA-256 is stored."""

import hashlib
import secrets


def new_token():
    raw = secrets.token_urlsafe(32)
    return raw, token_hash(raw)


def token_hash(raw):
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
