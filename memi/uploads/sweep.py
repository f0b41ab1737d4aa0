"""The orphan media sweep: delete stored files that no row refers to once they are old enough.

A process killed between storing a photo's files and committing its row (or a rollback whose clean-up
did not run) leaves files nothing points at. They are harmless but cost storage; `sweep_orphans`
removes them from the worker (every MEDIA_SWEEP_INTERVAL_SECONDS) and from `flask sweep-media`.
Files younger than MEDIA_SWEEP_AGE_HOURS are always kept: their upload may still be about to commit.
Photo drafts (photos chosen on a listing form not saved yet) refer to their files for PHOTO_DRAFT_HOURS;
each sweep first removes the drafts that have expired, whose files are then orphans like any other.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from memi.columns import utcnow
from memi.extensions import db
from memi.limits import photo_draft_lifetime
from memi.products.models import PhotoDraft, ProductImage
from memi.uploads.storage import InvalidKey, get_storage
from memi.users.models import User

log = logging.getLogger("memi.storage")

# The folders our keys are made in (new_key's prefixes); anything else in the bucket is not ours to touch.
SWEPT_PREFIXES = ("products/", "avatars/")
CHUNK = 500


@dataclass
class SweepResult:
    checked: int = 0
    young: int = 0
    referenced: int = 0
    deleted: list = field(default_factory=list)
    expired_drafts: int = 0


def _key_columns():
    """Every column that holds a storage key."""

    return (ProductImage.key, ProductImage.thumb_key, PhotoDraft.key, PhotoDraft.thumb_key, User.avatar_key)


def referenced_keys(keys):
    """The subset of `keys` that some row refers to."""
    found = set()
    for column in _key_columns():
        found.update(db.session.scalars(sa.select(column).where(column.in_(keys))))
    return found


def sweep_orphans(older_than=None, dry_run=False, now=None):
    """Delete (or with `dry_run` only list) files under SWEPT_PREFIXES older than `older_than`
    (default MEDIA_SWEEP_AGE_HOURS) that no row refers to. Each lookup is its own short transaction,
    ended before any storage call. Returns a SweepResult."""
    if older_than is None:
        older_than = timedelta(hours=current_app.config.get("MEDIA_SWEEP_AGE_HOURS", 24))
    cutoff = (now or utcnow()) - older_than
    storage = get_storage()
    result = SweepResult()
    result.expired_drafts = expire_photo_drafts(now=now, dry_run=dry_run)

    def settle(chunk):
        try:
            used = referenced_keys(chunk)
        finally:
            db.session.commit()  # read only: end the transaction before touching storage
        result.referenced += len(used)
        for key in chunk:
            if key in used:
                continue
            if not dry_run:
                try:
                    storage.delete(key)
                except InvalidKey:  # not a name we would make (put there by hand): leave it
                    log.warning("media sweep: skipped %r", key)
                    continue
            result.deleted.append(key)

    for prefix in SWEPT_PREFIXES:
        chunk = []
        for item in storage.list_files(prefix):
            result.checked += 1
            if item.modified_at >= cutoff:
                result.young += 1
                continue
            chunk.append(item.key)
            if len(chunk) >= CHUNK:
                settle(chunk)
                chunk = []
        if chunk:
            settle(chunk)
    if result.deleted:
        log.info(
            "media sweep: %s %s orphan file(s) older than %s",
            "would delete" if dry_run else "deleted",
            len(result.deleted),
            older_than,
        )
    return result


def expire_photo_drafts(now=None, dry_run=False):
    """Delete the photo drafts older than PHOTO_DRAFT_HOURS (a listing form nobody saved), committed at
    once; their files are then orphans like any other. Returns how many there were."""
    cutoff = (now or utcnow()) - photo_draft_lifetime()
    expired = PhotoDraft.created_at <= cutoff
    try:
        if dry_run:
            return db.session.scalar(sa.select(sa.func.count(PhotoDraft.id)).where(expired)) or 0
        return db.session.execute(sa.delete(PhotoDraft).where(expired)).rowcount or 0
    finally:
        db.session.commit()
