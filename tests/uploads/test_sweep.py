"""The orphan media sweep: files no row refers to go once they are a day old; files in use, files that
may belong to an upload still committing, and files that are not ours stay."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from memi import create_app
from memi.columns import utcnow
from memi.products.models import ProductImage
from memi.uploads.storage import LocalStorage, S3Storage, get_storage, new_key
from memi.uploads.sweep import sweep_orphans
from memi.users.models import User
from tests.conftest import base_overrides, database_url

ROOT = Path(__file__).resolve().parent.parent.parent
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 fake webp bytes for sweep tests"
TWO_DAYS = 2 * 24 * 3600


def _age(storage, key, seconds):
    path = storage.path(key)
    then = time.time() - seconds
    os.utime(path, (then, then))


def _referenced_files(app, storage, db, make_product):
    """A listing photo (main + thumbnail) and an avatar, stored and referenced by rows."""
    product = make_product()
    image_key, thumb_key, avatar_key = new_key("products"), new_key("products"), new_key("avatars")
    for key in (image_key, thumb_key, avatar_key):
        storage.save(key, WEBP, "image/webp")
    db.session.add(ProductImage(product_id=product.id, key=image_key, thumb_key=thumb_key, width=1, height=1))
    db.session.get(User, product.seller_id).avatar_key = avatar_key
    db.session.commit()
    return {image_key, thumb_key, avatar_key}


@pytest.fixture
def local_app(tmp_path):
    return create_app(base_overrides(MEDIA_ROOT=str(tmp_path / "media")))


def test_local_sweep_deletes_day_old_orphans_only(local_app, db, make_product):
    with local_app.app_context():
        storage = get_storage()
        assert isinstance(storage, LocalStorage)
        used = _referenced_files(local_app, storage, db, make_product)
        old_orphan, fresh_orphan, old_avatar_orphan = new_key("products"), new_key("products"), new_key("avatars")
        leftover = "products/ab/.tmp-k3j_2x"  # a write killed before its rename
        not_ours = "exports/report.csv"
        for key in (old_orphan, fresh_orphan, old_avatar_orphan, leftover, not_ours):
            storage.save(key, WEBP, "image/webp")
        for key in used | {old_orphan, old_avatar_orphan, leftover, not_ours}:
            _age(storage, key, TWO_DAYS)
        _age(storage, fresh_orphan, 3600)  # an hour old: its upload may still be committing

        assert {f.key for f in storage.list_files("products/")} == {
            k for k in used | {old_orphan, fresh_orphan, leftover} if k.startswith("products/")
        }

        runner = local_app.test_cli_runner()
        dry = runner.invoke(args=["sweep-media", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "3 orphan file(s) found" in dry.output and old_orphan in dry.output
        assert storage.exists(old_orphan)  # a dry run deletes nothing

        done = runner.invoke(args=["sweep-media"])
        assert done.exit_code == 0, done.output
        assert "3 orphan file(s) deleted" in done.output
        for key in (old_orphan, old_avatar_orphan):
            assert not storage.exists(key)
        assert not (storage.root / leftover).exists()
        for key in used | {fresh_orphan, not_ours}:
            assert storage.exists(key), key


def test_sweep_age_is_configurable(local_app, db):
    local_app.config["MEDIA_SWEEP_AGE_HOURS"] = 0.5
    with local_app.app_context():
        storage = get_storage()
        key = new_key("products")
        storage.save(key, WEBP, "image/webp")
        _age(storage, key, 3600)
        assert sweep_orphans().deleted == [key]
        assert not storage.exists(key)


@pytest.mark.no_rollback
def test_the_worker_sweeps_periodically(tmp_path):
    """`flask worker` runs the sweep on its own (every MEDIA_SWEEP_INTERVAL_SECONDS)."""
    storage = LocalStorage(tmp_path / "media")
    orphan = new_key("products")
    storage.save(orphan, WEBP, "image/webp")
    _age(storage, orphan, TWO_DAYS)
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(tmp_path / "media"),
        MEDIA_SWEEP_INTERVAL_SECONDS="0.2",
        WORKER_POLL_SECONDS="0.2",
        REDIS_URL="",
    )
    with open(tmp_path / "worker.log", "wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 60
        while storage.exists(orphan) and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        assert not storage.exists(orphan), (tmp_path / "worker.log").read_text()[-2000:]
    finally:
        worker.kill()
        worker.wait(timeout=30)


# ---- S3, against moto's S3 server on loopback ----------------------------------------------------


def test_s3_sweep_lists_every_page_and_deletes_orphans_only(s3_app, db, make_product):
    with s3_app.app_context():
        storage = get_storage()
        assert isinstance(storage, S3Storage)
        used = _referenced_files(s3_app, storage, db, make_product)
        orphans = {new_key("products") for _ in range(3)}
        for key in orphans:
            storage.save(key, WEBP, "image/webp")
        storage.save("exports/report.csv", b"x", "text/csv")

        # Pages of two keys: the listing follows the continuation token through all of them.
        expected = {k for k in used | orphans if k.startswith("products/")}
        assert {f.key for f in storage.list_files("products/", page_size=2)} == expected
        assert {f.key for f in storage.list_files("products/")} == expected

        assert sweep_orphans().deleted == []  # all fresh: nothing is old enough
        later = sweep_orphans(now=utcnow() + timedelta(days=2))  # two days on
        assert sorted(later.deleted) == sorted(orphans)
        left = {f.key for f in storage.list_files("")}
        assert left == used | {"exports/report.csv"}


def test_the_sweep_removes_expired_photo_drafts_and_their_files(local_app, db, make_user):
    """A draft (a photo chosen on a listing form never saved) lives a day; then the sweep removes the row
    and its files. A live draft's files are referenced and stay."""
    from memi.products.models import PhotoDraft

    owner = make_user()
    with local_app.app_context():
        storage = get_storage()
        old_key, old_thumb, live_key, live_thumb = (new_key("products") for _ in range(4))
        for key in (old_key, old_thumb, live_key, live_thumb):
            storage.save(key, WEBP, "image/webp")
            _age(storage, key, TWO_DAYS)
        now = utcnow()
        db.session.add_all(
            [
                PhotoDraft(
                    owner_id=owner.id,
                    key=old_key,
                    thumb_key=old_thumb,
                    width=1,
                    height=1,
                    created_at=now - timedelta(hours=25),
                ),
                PhotoDraft(
                    owner_id=owner.id,
                    key=live_key,
                    thumb_key=live_thumb,
                    width=1,
                    height=1,
                    created_at=now - timedelta(hours=2),
                ),
            ]
        )
        db.session.commit()

        result = sweep_orphans()
        assert result.expired_drafts == 1
        assert set(result.deleted) == {old_key, old_thumb}
        assert not storage.exists(old_key) and storage.exists(live_key) and storage.exists(live_thumb)
        assert db.session.scalars(sa.select(PhotoDraft.key)).all() == [live_key]
