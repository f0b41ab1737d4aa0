"""Password hashing: bcrypt over an HMAC-SHA256 of the password with a server-side pepper.

bcrypt reads only 72 bytes (bcrypt 5 raises past that); the pre-hash makes every password, however
long, count in full, and the pepper keeps a stolen database alone from being enough to guess.
"""

import base64
import hashlib
import hmac

import bcrypt
from flask import current_app
from flask_babel import lazy_gettext as _l

from memi.cpu import run_cpu_bound

MIN_LENGTH = 8
MAX_LENGTH = 128
BCRYPT_ROUNDS = 12


def _prehash(password):
    pepper = current_app.config["PASSWORD_PEPPER"].encode()
    digest = hmac.new(pepper, password.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest)  # 44 bytes, no NUL


def hash_password(password):
    rounds = current_app.config.get("BCRYPT_ROUNDS", BCRYPT_ROUNDS)
    return run_cpu_bound(bcrypt.hashpw, _prehash(password), bcrypt.gensalt(rounds)).decode()


def check_password(password, password_hash):
    try:
        return run_cpu_bound(bcrypt.checkpw, _prehash(password), password_hash.encode())
    except ValueError:
        return False


_dummy_hash = None


def burn_check_time(password):
    """Spend the time of one real check, so an unknown email answers as slowly as a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("not-a-real-password")
    check_password(password, _dummy_hash)


def password_problems(password):
    """The messages a password earns; empty when it is acceptable."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        return [_l("Use at least %(num)d characters.", num=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_l("Use at most %(num)d characters.", num=MAX_LENGTH)]
    return []
