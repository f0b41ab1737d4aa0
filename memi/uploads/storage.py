"""Where media files live: one small interface, two backends chosen by config STORAGE.

"local" (default) keeps files under MEDIA_ROOT and serves them from /media/ (memi.uploads.views);
"s3" writes to an S3-compatible bucket and links to S3_PUBLIC_BASE_URL (a CDN or the bucket itself).
Keys come from `new_key`: random and unguessable, and never reused, so files are cached forever.
"""

import logging
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from botocore.exceptions import BotoCoreError, ClientError
from flask import current_app
from flask_babel import lazy_gettext as _l

from memi.config import ConfigError
from memi.errors import Unavailable

CACHE_CONTROL = "public, max-age=31536000, immutable"
_EXTENSION_KEY = "memi.storage"
_KEY_CHARS = re.compile(r"[A-Za-z0-9._\-/]+")
_MAX_KEY_LENGTH = 512


log = logging.getLogger("memi.storage")


class InvalidKey(ValueError):
    """A storage key that could escape its folder or is not one of ours."""


def new_key(prefix: str, ext: str = "webp") -> str:
    """A fresh random key such as `products/3f/<24 random characters>.webp`. The two-character folder
    spreads files over 256 directories."""
    token = secrets.token_urlsafe(18)
    return check_key(f"{prefix.strip('/')}/{secrets.token_hex(1)}/{token}.{ext.lstrip('.')}")


def check_key(key: str) -> str:
    """Return `key` if it is a safe relative key (letters, digits, `._-/`, no empty, `.` or `..` parts),
    else raise InvalidKey."""
    if not isinstance(key, str) or not key or len(key) > _MAX_KEY_LENGTH or not _KEY_CHARS.fullmatch(key):
        raise InvalidKey(f"Invalid storage key: {key!r}")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise InvalidKey(f"Invalid storage key: {key!r}")
    return key


def _quote(key):
    # Not check_key: a page must render even if an odd key sits in the database; quoting keeps it inert.
    return quote(key.lstrip("/"), safe="/")


class StoredFile(NamedTuple):
    key: str
    modified_at: datetime  # timezone-aware UTC


class Storage:
    """The interface every backend provides."""

    def list_files(self, prefix: str = "") -> Iterator[StoredFile]:
        """Every stored file whose key starts with `prefix` (for the orphan sweep), in no set order."""
        raise NotImplementedError

    def save(self, key: str, data: bytes, content_type: str) -> None:
        raise NotImplementedError

    def delete(self, key: str) -> None:
        """Remove the object; a key that does not exist is not an error."""
        raise NotImplementedError

    def exists(self, key: str) -> bool:
        raise NotImplementedError

    def url(self, key: str) -> str:
        """The public URL of `key` (no request is made)."""
        raise NotImplementedError


class LocalStorage(Storage):
    """Files under `root`, one per key, linked as `<base_url>/<key>`."""

    def __init__(self, root, base_url="/media/"):
        self.root = Path(root).resolve()
        self.base_url = base_url.rstrip("/")

    def path(self, key: str) -> Path:
        """The file of `key`, guaranteed to be inside root (InvalidKey otherwise)."""
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root):
            raise InvalidKey(f"Invalid storage key: {key!r}")
        return path

    def save(self, key, data, content_type):
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a half-written file is never served.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def delete(self, key):
        self.path(key).unlink(missing_ok=True)

    def exists(self, key):
        return self.path(key).is_file()

    def url(self, key):
        return f"{self.base_url}/{_quote(key)}"

    def list_files(self, prefix=""):
        # Leftover `.tmp-` files of a write that was killed are listed too: nothing refers to them.
        for folder, _dirs, files in os.walk(self.root):
            for name in files:
                path = Path(folder, name)
                key = path.relative_to(self.root).as_posix()
                if not key.startswith(prefix):
                    continue
                try:
                    modified = path.stat().st_mtime
                except FileNotFoundError:  # deleted meanwhile
                    continue
                yield StoredFile(key, datetime.fromtimestamp(modified, UTC))


class S3Storage(Storage):
    """Objects in an S3-compatible bucket (AWS, MinIO, R2, ...), public through `public_base_url`."""

    def __init__(
        self,
        bucket,
        *,
        public_base_url=None,
        endpoint_url=None,
        region=None,
        access_key_id=None,
        secret_access_key=None,
    ):
        self.bucket = bucket
        self.endpoint_url = endpoint_url
        self.region = region
        self._credentials = (access_key_id, secret_access_key)
        if public_base_url:
            self.public_base_url = public_base_url.rstrip("/")
        elif endpoint_url:
            self.public_base_url = f"{endpoint_url.rstrip('/')}/{bucket}"
        else:
            self.public_base_url = f"https://{bucket}.s3.{region or 'us-east-1'}.amazonaws.com"
        self._client = None
        self._lock = threading.Lock()

    @property
    def client(self):
        # Created on first use: rendering a page only needs url(), never a connection.
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3  # lazily: slow to import, and only S3 deployments need it
                    from botocore.config import Config

                    access_key_id, secret_access_key = self._credentials
                    # Without keys boto3 uses its usual chain (environment, instance role).
                    self._client = boto3.session.Session().client(
                        "s3",
                        endpoint_url=self.endpoint_url,
                        region_name=self.region,
                        aws_access_key_id=access_key_id or None,
                        aws_secret_access_key=secret_access_key or None,
                        config=Config(
                            connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
                        ),
                    )
        return self._client

    def save(self, key, data, content_type):
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=check_key(key),
                Body=data,
                ContentType=content_type,
                CacheControl=CACHE_CONTROL,
            )
        except (BotoCoreError, ClientError) as exc:
            log.warning("S3 put %s failed: %s", key, exc)
            raise Unavailable(_l("Photo storage is unavailable right now; please try again in a moment."))

    def delete(self, key):
        # S3 answers 204 for a key that does not exist.
        try:
            self.client.delete_object(Bucket=self.bucket, Key=check_key(key))
        except (BotoCoreError, ClientError) as exc:
            # A leftover object costs a little storage; it must not fail the user's request.
            log.warning("S3 delete %s failed: %s", key, exc)

    def exists(self, key):
        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def url(self, key):
        return f"{self.public_base_url}/{_quote(key)}"

    def list_files(self, prefix="", page_size=1000):
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix, PaginationConfig={"PageSize": page_size}
            )
            for page in pages:
                for item in page.get("Contents", []):
                    yield StoredFile(item["Key"], item["LastModified"].astimezone(UTC))
        except (BotoCoreError, ClientError) as exc:
            log.warning("S3 list %s failed: %s", prefix, exc)
            raise Unavailable(_l("Photo storage is unavailable right now; please try again in a moment."))


def build_storage(config) -> Storage:
    """The backend that `config` (a mapping like app.config) asks for; ConfigError if it is incomplete."""
    kind = (config.get("STORAGE") or "local").lower()
    if kind == "local":
        return LocalStorage(config["MEDIA_ROOT"], config.get("MEDIA_URL") or "/media/")
    if kind == "s3":
        if not config.get("S3_BUCKET"):
            raise ConfigError("STORAGE=s3 needs S3_BUCKET.")
        return S3Storage(
            config["S3_BUCKET"],
            public_base_url=config.get("S3_PUBLIC_BASE_URL"),
            endpoint_url=config.get("S3_ENDPOINT_URL"),
            region=config.get("S3_REGION"),
            access_key_id=config.get("S3_ACCESS_KEY_ID"),
            secret_access_key=config.get("S3_SECRET_ACCESS_KEY"),
        )
    raise ConfigError(f"Unknown STORAGE {kind!r}: use 'local' or 's3'.")


_SETTINGS = (
    "STORAGE",
    "MEDIA_ROOT",
    "MEDIA_URL",
    "S3_BUCKET",
    "S3_PUBLIC_BASE_URL",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
)


def get_storage(app=None) -> Storage:
    """The configured backend of `app` (default: the current app), built once per app and rebuilt only
    if its settings change (tests switch backends on a live app)."""
    app = app or current_app._get_current_object()
    settings = tuple(app.config.get(name) for name in _SETTINGS)
    cached = app.extensions.get(_EXTENSION_KEY)
    if cached is None or cached[0] != settings:
        cached = app.extensions[_EXTENSION_KEY] = (settings, build_storage(app.config))
    return cached[1]
