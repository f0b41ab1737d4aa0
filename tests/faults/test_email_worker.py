"""The email worker SIGKILLed mid-batch: a real `flask worker` process, a real SMTP server on loopback,
the test database. Every email arrives; one that may have reached the SMTP server just before the kill
arrives at most twice, both copies with one Message-ID."""

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from memi.extensions import db as _db
from memi.mail.models import OutgoingEmail
from tests.conftest import _tmp, database_url, free_port, wipe

ROOT = Path(__file__).resolve().parent.parent.parent
EMAILS = 6
PASS_BEFORE_HOLD = 3  # the server takes this many, then holds the next one without answering


class HoldingSMTP:
    """Keeps every message; from message PASS_BEFORE_HOLD + 1 on, it does not answer until released
    (the message is in, the worker waits for the OK: the moment a kill makes a duplicate possible)."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received = []
        self.release = threading.Event()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes, policy

                sink.received.append(message_from_bytes(envelope.original_content, policy=policy.default))
                while len(sink.received) > PASS_BEFORE_HOLD and not sink.release.is_set():
                    await asyncio.sleep(0.05)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def wait_for(self, count, timeout=60):
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(self.received) >= count

    def stop(self):
        self.release.set()
        self.controller.stop()


def _env(smtp_port, **extra):
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        MAIL_TIMEOUT="60",
        WORKER_POLL_SECONDS="0.2",
        MEDIA_SWEEP_INTERVAL_SECONDS="0",
        REDIS_URL="",
        MEDIA_ROOT=os.path.join(_tmp, "media"),
    )
    env.update(extra)
    return env


def _flask(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _statuses(app):
    with app.app_context():
        rows = _db.session.execute(sa.select(OutgoingEmail.subject, OutgoingEmail.status)).all()
        _db.session.remove()
    return dict(rows)


def _idle_in_transaction(app):
    """Connections to the test database (other than ours) sitting in an open transaction."""
    with app.app_context(), _db.engine.connect() as conn:
        return conn.scalar(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
            )
        )


@pytest.mark.no_rollback
def test_worker_killed_mid_batch_loses_nothing_and_duplicates_share_a_message_id(app, make_user, tmp_path):
    from memi.mail.services import queue_email

    user = make_user()
    with app.test_request_context():
        for i in range(EMAILS):
            queue_email(user.email, "test", "password_reset", {"user": user, "link": "x", "minutes": 60}, f"Email {i}")
        _db.session.commit()
    smtp = HoldingSMTP()
    worker = None
    log = tmp_path / "worker.log"
    try:
        with open(log, "wb") as out:
            worker = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
                cwd=ROOT,
                env=_env(smtp.port),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        assert smtp.wait_for(PASS_BEFORE_HOLD + 1), f"the worker did not send: {log.read_text()[-2000:]}"
        # The worker now waits for the server's answer to the held message.
        statuses = _statuses(app)
        held = f"Email {PASS_BEFORE_HOLD}"
        assert statuses[held] == "SENDING"
        assert sorted(s for s, st in statuses.items() if st == "SENT") == [
            f"Email {i}" for i in range(PASS_BEFORE_HOLD)
        ]
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            assert _idle_in_transaction(app) == 0  # nothing held in the database while SMTP talks
        worker.kill()  # SIGKILL: no clean-up of any kind
        worker.wait(timeout=30)
        smtp.release.set()

        # A new worker soon after: the held email might still be in another worker's hands, so it is
        # left alone; the others go out.
        run = _flask("worker", "--once", **_env(smtp.port))
        assert run.returncode == 0, run.stderr[-2000:]
        statuses = _statuses(app)
        assert statuses[held] == "SENDING"
        assert [s for s, st in statuses.items() if st != "SENT"] == [held]

        # After MAIL_SENDING_TIMEOUT the held email counts as stuck and is sent again.
        run = _flask("worker", "--once", **_env(smtp.port, MAIL_SENDING_TIMEOUT="0"))
        assert run.returncode == 0, run.stderr[-2000:]
        assert set(_statuses(app).values()) == {"SENT"}
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
        smtp.stop()
        wipe(app)

    copies = Counter(m["Subject"] for m in smtp.received)
    assert set(copies) == {f"Email {i}" for i in range(EMAILS)}  # every email arrived
    assert max(copies.values()) <= 2  # none more than twice
    for subject in copies:
        ids = {m["Message-ID"] for m in smtp.received if m["Subject"] == subject}
        assert len(ids) == 1, f"{subject} went out with different Message-IDs: {ids}"
    assert copies[held] == 2  # the held one was in the server when the worker died: the one duplicate
