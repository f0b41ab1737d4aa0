"""Upgrading a database that holds data keeps the data (SQLite rebuilds tables to alter them)."""

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAMP = "2026-01-01 00:00:00.000000"


def old_database(tmp_path, **settings):
    """A SQLite database file, and `flask(*args)` run against it in a process of its own (as an operator
    runs `flask db upgrade`), with `settings` in its environment."""
    path = tmp_path / "old.db"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{path}", MEDIA_ROOT=str(tmp_path / "media"), **settings)

    def flask(*args):
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )

    return path, flask


def seed_old_categories(path, rows=(("Women's clothing", "women-clothing", [("Dresses", "women-dresses")]),)):
    """Categories as a database before 0011 held them (an English name only), written with SQL: `flask
    seed` writes what today's models hold, which an older schema has no columns for."""
    db = sqlite3.connect(path)
    for position, (name, slug, subs) in enumerate(rows):
        category = db.execute(
            "INSERT INTO categories (name, slug, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (name, slug, position, STAMP, STAMP),
        ).lastrowid
        for sub_position, (sub_name, sub_slug) in enumerate(subs):
            db.execute(
                "INSERT INTO subcategories (category_id, name, slug, position, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (category, sub_name, sub_slug, sub_position, STAMP, STAMP),
            )
    db.commit()
    db.close()


def test_upgrading_a_sqlite_database_with_chats_keeps_every_message(tmp_path):
    path, flask = old_database(tmp_path)

    assert flask("db", "upgrade", "0002").returncode == 0
    seed_old_categories(path)
    db = sqlite3.connect(path)
    for email in ("buyer@example.az", "seller@example.az"):
        db.execute(
            "INSERT INTO users (email, password_hash, name, role, is_blocked, auth_epoch, email_prefs, created_at, "
            "updated_at) VALUES (?, 'x', 'N', 'USER', 0, 0, '{}', ?, ?)",
            (email, STAMP, STAMP),
        )
    category = db.execute("SELECT id FROM categories LIMIT 1").fetchone()[0]
    db.execute(
        "INSERT INTO products (seller_id, category_id, title, description, price, condition, status, favorite_count, "
        "view_count, created_at, updated_at) VALUES (2, ?, 'Coat', '', 10, 'GOOD', 'ACTIVE', 0, 0, ?, ?)",
        (category, STAMP, STAMP),
    )
    db.execute(
        "INSERT INTO chats (product_id, buyer_id, seller_id, created_at, last_message_at, buyer_last_read_id, "
        "seller_last_read_id) VALUES (1, 1, 2, ?, ?, 0, 0)",
        (STAMP, STAMP),
    )
    db.execute(
        "INSERT INTO messages (chat_id, sender_id, body, created_at) VALUES (1, 1, 'Is it still here?', ?)", (STAMP,)
    )
    db.execute(
        "INSERT INTO reports (reporter_id, source, target_type, target_id, chat_id, reason, status, created_at) "
        "VALUES (2, 'USER', 'chat', 1, 1, 'FRAUD', 'OPEN', ?)",
        (STAMP,),
    )
    db.commit()
    db.close()

    upgraded = flask("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    assert db.execute("SELECT body FROM messages").fetchall() == [("Is it still here?",)]
    assert db.execute("SELECT chat_id FROM reports").fetchall() == [(1,)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()


def test_outbox_in_flight_migration_upgrades_and_downgrades_with_queued_email(tmp_path):
    """0005 gives queued emails a Message-ID and allows SENDING; going back puts an email in flight back
    in the queue (its old worker sends it) and the old CHECK constraint holds again."""
    path, flask = old_database(tmp_path)

    assert flask("db", "upgrade", "0004").returncode == 0
    db = sqlite3.connect(path)
    for subject in ("One", "Two"):
        db.execute(
            "INSERT INTO email_outbox (kind, to_email, subject, body_text, status, attempts, next_attempt_at, "
            "created_at) VALUES ('test', 'a@example.az', ?, 'Hi', 'PENDING', 0, ?, ?)",
            (subject, STAMP, STAMP),
        )
    db.commit()
    db.close()

    upgraded = flask("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    ids = [row[0] for row in db.execute("SELECT message_id FROM email_outbox ORDER BY id")]
    assert ids == ["<outbox-1@memi.az>", "<outbox-2@memi.az>"]
    db.execute("UPDATE email_outbox SET status = 'SENDING' WHERE id = 1")
    db.commit()
    db.close()

    downgraded = flask("db", "downgrade", "0004")
    assert downgraded.returncode == 0, downgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    assert db.execute("SELECT status FROM email_outbox ORDER BY id").fetchall() == [("PENDING",), ("PENDING",)]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE email_outbox SET status = 'SENDING' WHERE id = 1")
    db.close()
    assert flask("db", "upgrade").returncode == 0


def test_reservation_holds_migration_gives_accepted_reservations_a_full_hold(tmp_path):
    """0007: a reservation ACCEPTED before holds existed gets a hold from the upgrade (not NULL, which
    would hold the listing forever, nor an expiry at once); others get none; going back drops the columns."""
    path, flask = old_database(tmp_path, RESERVATION_HOLD_HOURS="72")

    assert flask("db", "upgrade", "0006").returncode == 0
    seed_old_categories(path)
    db = sqlite3.connect(path)
    for email in ("buyer@example.az", "seller@example.az"):
        db.execute(
            "INSERT INTO users (email, password_hash, name, role, is_blocked, auth_epoch, email_prefs, created_at, "
            "updated_at) VALUES (?, 'x', 'N', 'USER', 0, 0, '{}', ?, ?)",
            (email, STAMP, STAMP),
        )
    category = db.execute("SELECT id FROM categories LIMIT 1").fetchone()[0]
    for title, status in (("Coat", "RESERVED"), ("Hat", "ACTIVE")):
        db.execute(
            "INSERT INTO products (seller_id, category_id, title, description, price, condition, status, "
            "favorite_count, view_count, created_at, updated_at) VALUES (2, ?, ?, '', 10, 'GOOD', ?, 0, 0, ?, ?)",
            (category, title, status, STAMP, STAMP),
        )
    for product_id, status in ((1, "ACCEPTED"), (2, "REQUESTED")):
        db.execute(
            "INSERT INTO reservations (product_id, buyer_id, seller_id, status, created_at, updated_at) "
            "VALUES (?, 1, 2, ?, ?, ?)",
            (product_id, status, STAMP, STAMP),
        )
    db.commit()
    db.close()

    before = datetime.now(UTC).replace(tzinfo=None)
    upgraded = flask("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    rows = dict(db.execute("SELECT status, expires_at FROM reservations").fetchall())
    assert rows["REQUESTED"] is None
    held_until = datetime.fromisoformat(rows["ACCEPTED"])
    assert before + timedelta(hours=71) < held_until < datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=73)
    assert db.execute("SELECT DISTINCT extended, reason FROM reservations").fetchall() == [(0, None)]
    db.close()

    downgraded = flask("db", "downgrade", "0006")
    assert downgraded.returncode == 0, downgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    columns = {row[1] for row in db.execute("PRAGMA table_info(reservations)")}
    assert not columns & {"expires_at", "extended", "reason"}
    assert db.execute("SELECT count(*) FROM reservations").fetchone() == (2,)
    db.close()


def test_product_views_migration_keeps_each_old_view_and_adds_the_daily_key(tmp_path):
    """0010: views recorded before it each stay one row (their day from created_at); after it a
    second row for the same (product, visitor, day) is refused; going back drops the columns."""
    path, flask = old_database(tmp_path)

    assert flask("db", "upgrade", "0007").returncode == 0
    seed_old_categories(path)
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO users (email, password_hash, name, role, is_blocked, auth_epoch, email_prefs, created_at, "
        "updated_at) VALUES ('seller@example.az', 'x', 'N', 'USER', 0, 0, '{}', ?, ?)",
        (STAMP, STAMP),
    )
    category = db.execute("SELECT id FROM categories LIMIT 1").fetchone()[0]
    db.execute(
        "INSERT INTO products (seller_id, category_id, title, description, price, condition, status, favorite_count, "
        "view_count, created_at, updated_at) VALUES (1, ?, 'Coat', '', 10, 'GOOD', 'ACTIVE', 0, 2, ?, ?)",
        (category, STAMP, STAMP),
    )
    for _ in range(2):
        db.execute("INSERT INTO product_views (product_id, user_id, created_at) VALUES (1, NULL, ?)", (STAMP,))
    db.commit()
    db.close()

    upgraded = flask("db", "upgrade", "0010")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    rows = db.execute("SELECT visitor, day FROM product_views ORDER BY id").fetchall()
    assert rows == [("legacy-1", "2026-01-01"), ("legacy-2", "2026-01-01")]
    db.execute(
        "INSERT INTO product_views (product_id, visitor, day, created_at) VALUES (1, 'u7', '2026-01-02', ?)", (STAMP,)
    )
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO product_views (product_id, visitor, day, created_at) VALUES (1, 'u7', '2026-01-02', ?)",
            (STAMP,),
        )
    db.commit()
    db.close()

    downgraded = flask("db", "downgrade", "0007")
    assert downgraded.returncode == 0, downgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    assert not {row[1] for row in db.execute("PRAGMA table_info(product_views)")} & {"visitor", "day"}
    assert db.execute("SELECT count(*) FROM product_views").fetchone() == (3,)
    db.close()


def test_category_names_migration_names_the_taxonomy_in_every_language(tmp_path):
    """0011: the seeded taxonomy's rows get their Azerbaijani and Russian names (by slug); a row an admin
    added gets its English name in both, so no name is empty; the columns are NOT NULL; going back drops
    them and keeps every row; ids and slugs never change."""
    path, flask = old_database(tmp_path)

    assert flask("db", "upgrade", "0010").returncode == 0
    seed_old_categories(
        path,
        (
            ("Women's clothing", "women-clothing", [("Dresses", "women-dresses"), ("Y2K", "y2k")]),
            ("Vintage", "vintage", [("Jeans", "men-jeans")]),
        ),
    )

    upgraded = flask("db", "upgrade", "0011")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    assert db.execute("SELECT id, slug, name, name_az, name_ru FROM categories ORDER BY id").fetchall() == [
        (1, "women-clothing", "Women's clothing", "Qadın geyimləri", "Женская одежда"),
        (2, "vintage", "Vintage", "Vintage", "Vintage"),
    ]
    assert db.execute("SELECT id, slug, name, name_az, name_ru FROM subcategories ORDER BY id").fetchall() == [
        (1, "women-dresses", "Dresses", "Donlar", "Платья"),
        (2, "y2k", "Y2K", "Y2K", "Y2K"),
        (3, "men-jeans", "Jeans", "Cins şalvarlar", "Джинсы"),
    ]
    for table in ("categories", "subcategories"):
        not_null = {row[1]: row[3] for row in db.execute(f"PRAGMA table_info({table})")}
        assert not_null["name_az"] == not_null["name_ru"] == 1
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(f"UPDATE {table} SET name_ru = NULL WHERE id = 1")  # noqa: S608 (a table of ours)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()

    downgraded = flask("db", "downgrade", "0010")
    assert downgraded.returncode == 0, downgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    for table in ("categories", "subcategories"):
        assert not {row[1] for row in db.execute(f"PRAGMA table_info({table})")} & {"name_az", "name_ru"}
    assert db.execute("SELECT id, slug, name FROM subcategories ORDER BY id").fetchall() == [
        (1, "women-dresses", "Dresses"),
        (2, "y2k", "Y2K"),
        (3, "men-jeans", "Jeans"),
    ]
    db.close()
    assert flask("db", "upgrade").returncode == 0
    assert flask("seed").returncode == 0


def test_user_locale_migration_gives_existing_accounts_azerbaijani(tmp_path):
    """0012: accounts from before it read memi.az in az (the default); only az, ru and en are allowed;
    going back drops the column and keeps the accounts."""
    path, flask = old_database(tmp_path)

    assert flask("db", "upgrade", "0011").returncode == 0
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO users (email, password_hash, name, role, is_blocked, auth_epoch, email_prefs, created_at, "
        "updated_at) VALUES ('old@example.az', 'x', 'N', 'USER', 0, 0, '{}', ?, ?)",
        (STAMP, STAMP),
    )
    db.commit()
    db.close()

    upgraded = flask("db", "upgrade", "0012")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    assert db.execute("SELECT locale FROM users").fetchall() == [("az",)]
    db.execute("UPDATE users SET locale = 'ru'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE users SET locale = 'fr'")
    db.commit()
    db.close()

    downgraded = flask("db", "downgrade", "0011")
    assert downgraded.returncode == 0, downgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    assert "locale" not in {row[1] for row in db.execute("PRAGMA table_info(users)")}
    assert db.execute("SELECT email FROM users").fetchall() == [("old@example.az",)]
    db.close()
