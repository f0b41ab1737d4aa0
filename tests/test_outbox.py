"""Email goes through the outbox and a real SMTP server on loopback; an outage delays mail, loses none."""

from datetime import timedelta

import sqlalchemy as sa

from memi.columns import utcnow
from memi.extensions import db as _db
from memi.mail.models import OutgoingEmail
from tests.conftest import deliver_one_over_smtp, free_port


def _forgot(api, user):
    assert api.post("/auth/password/forgot", json={"email": user.email}).status_code == 202


def test_reset_email_arrives_over_smtp(app, api, make_user, smtp_server, db):
    user = make_user()
    _forgot(api, user)
    rcpt, message = deliver_one_over_smtp(app, smtp_server)
    assert rcpt == [user.email]
    assert message["Subject"] == "Reset your memi.az password"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "http://memi.test/reset-password/" in text
    assert "http://memi.test/reset-password/" in html
    row = db.session.scalars(sa.select(OutgoingEmail)).one()
    assert row.status == "SENT" and row.sent_at is not None


def test_smtp_outage_delays_mail_and_sends_it_exactly_once_later(app, api, make_user, smtp_server, db):
    from memi.mail.services import deliver_due

    user = make_user()
    _forgot(api, user)
    closed_port = free_port()  # nothing listens here
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port)
    try:
        with app.app_context():
            assert deliver_due() == (0, 1)
        row = db.session.scalars(sa.select(OutgoingEmail)).one()
        assert row.status == "PENDING" and row.attempts == 1
        assert row.next_attempt_at > utcnow()  # backoff before the next try

        # Not due yet: the worker leaves it alone.
        app.config.update(MAIL_PORT=smtp_server.port)
        with app.app_context():
            assert deliver_due() == (0, 0)
        # Time passes; SMTP is back.
        db.session.execute(sa.update(OutgoingEmail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        with app.app_context():
            assert deliver_due() == (1, 0)
            assert deliver_due() == (0, 0)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    assert len(smtp_server.wait_for(1)) == 1
    row = db.session.scalars(sa.select(OutgoingEmail)).one()
    assert row.status == "SENT" and row.attempts == 2


def test_without_mail_server_emails_are_logged(app, api, make_user, caplog, db):
    from memi.mail.services import deliver_due

    user = make_user()
    _forgot(api, user)
    with caplog.at_level("INFO", logger="memi.mail"), app.app_context():
        assert deliver_due() == (1, 0)
    assert user.email in caplog.text and "reset-password" in caplog.text


def test_email_row_is_rolled_back_with_its_request(app, make_user, db):
    """The outbox row lives in the request's transaction: no commit, no email."""
    from memi.auth.services import request_password_reset

    user = make_user()
    with app.test_request_context():
        request_password_reset(user.email)
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(OutgoingEmail.id))) == 0


def test_an_email_that_cannot_be_sent_does_not_hold_up_or_repeat_the_others(app, make_user, smtp_server, db):
    """A row SMTP can never take (a malformed address) fails on its own; the rows around it go out
    exactly once, and a line break in a subject (from a listing title) is folded, not a broken header."""
    from memi.mail.services import deliver_due, queue_email

    good = make_user()
    context = {"user": good, "link": "http://memi.test/x", "minutes": 60}
    with app.test_request_context():
        queue_email(good.email, "test", "password_reset", context, "First")
        bad = queue_email("bad\r\nBcc: x@evil.test", "test", "password_reset", context, "Broken")
        queue_email(good.email, "test", "password_reset", context, "Nice coat\r\nreally")
        db.session.commit()
        bad_id = bad.id
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    try:
        with app.app_context():
            assert deliver_due() == (2, 1)
            assert deliver_due() == (0, 0)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    received = smtp_server.wait_for(2)
    assert sorted(message["Subject"] for _, message in received) == ["First", "Nice coat really"]
    assert db.session.get(OutgoingEmail, bad_id).status == "FAILED"


# ---- in flight, Message-ID, SMTP outage ---------------------------------------------------------


class FlakySMTP:
    """An SMTP server on loopback that keeps every message it is given and answers the first `refuse`
    of them with a temporary failure (451), as a busy or greylisting server does."""

    def __init__(self, refuse=0):
        from aiosmtpd.controller import Controller

        self.received = []
        self.refuse = refuse
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes, policy

                sink.received.append(message_from_bytes(envelope.original_content, policy=policy.default))
                if len(sink.received) <= sink.refuse:
                    return "451 Try again later"
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


def _queue(app, user, subject):
    from memi.mail.services import queue_email

    with app.test_request_context():
        row = queue_email(user.email, "test", "password_reset", {"user": user, "link": "x", "minutes": 60}, subject)
        _db.session.commit()
    return row


def _all_due(db):
    db.session.execute(sa.update(OutgoingEmail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_a_retried_email_carries_the_same_message_id(app, make_user, db):
    """Refused once (451), sent on the retry: both copies the server saw have one Message-ID, the one
    stored with the email when it was queued."""
    from memi.mail.services import deliver_due

    user = make_user()
    row = _queue(app, user, "Your order")
    db.session.commit()
    assert row.message_id.startswith("<") and row.message_id.endswith("@memi.az>")
    server = FlakySMTP(refuse=1)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    try:
        with app.app_context():
            assert deliver_due() == (0, 1)
            _all_due(db)
            assert deliver_due() == (1, 0)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
        server.stop()
    assert [m["Message-ID"] for m in server.received] == [row.message_id, row.message_id]
    assert db.session.get(OutgoingEmail, row.id).status == "SENT"


def test_an_email_left_in_flight_by_a_dead_worker_is_sent_again_with_its_message_id(app, make_user, db):
    """A worker that dies between the SMTP server's OK and its own SENT commit leaves the row SENDING.
    It is left alone while another worker could still be sending it, then sent again: the one
    duplicate carries the same Message-ID."""
    from memi.mail.services import deliver_due

    user = make_user()
    row = _queue(app, user, "Held for you")
    db.session.commit()
    server = FlakySMTP()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_SENDING_TIMEOUT=300)
    try:
        with app.app_context():
            assert deliver_due() == (1, 0)
        # As if the worker had been killed right after the server took the message.
        db.session.execute(
            sa.update(OutgoingEmail).values(status="SENDING", sending_started_at=utcnow() - timedelta(seconds=60))
        )
        db.session.commit()
        with app.app_context():
            assert deliver_due() == (0, 0)  # still within MAIL_SENDING_TIMEOUT: maybe another worker's
        db.session.execute(sa.update(OutgoingEmail).values(sending_started_at=utcnow() - timedelta(seconds=301)))
        db.session.commit()
        with app.app_context():
            assert deliver_due() == (1, 0)
            assert deliver_due() == (0, 0)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
        server.stop()
    assert [m["Message-ID"] for m in server.received] == [row.message_id, row.message_id]
    assert db.session.get(OutgoingEmail, row.id).status == "SENT"


def test_no_transaction_is_open_while_smtp_is_talked_to(app, make_user, db, monkeypatch):
    from memi.mail import services

    user = make_user()
    _queue(app, user, "One")
    _queue(app, user, "Two")
    db.session.commit()
    seen = []

    def send(row):
        seen.append((row.subject, db.session().in_transaction()))
        status = db.session.scalar(sa.select(OutgoingEmail.status).where(OutgoingEmail.id == row.id))
        db.session.commit()
        assert status == "SENDING"  # claimed (and committed) before the SMTP conversation

    monkeypatch.setattr(services, "_send", send)
    with app.app_context():
        assert services.deliver_due() == (2, 0)
    assert seen == [("One", False), ("Two", False)]


def test_smtp_down_for_100_emails_then_back(app, api, client, make_user, db):
    """SMTP down: the site answers as usual (no 500), 100 queued emails wait with backoff (none is
    given up on), and once SMTP is back every one arrives exactly once."""
    from memi.mail.services import deliver_due

    user = make_user()
    for i in range(98):
        _queue(app, user, f"Queued {i}")
    db.session.commit()
    closed_port = free_port()  # nothing listens here
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port)
    server = None
    try:
        # Requests that queue email, and pages, while SMTP is down.
        for _ in range(2):
            assert api.post("/auth/password/forgot", json={"email": user.email}).status_code == 202
        assert client.get("/").status_code == 200
        assert client.get("/healthz").status_code == 200
        assert db.session.scalar(sa.select(sa.func.count(OutgoingEmail.id))) == 100

        with app.app_context():
            for _ in range(5):  # five worker rounds during the outage
                sent, failed = deliver_due()
                assert sent == 0 and failed <= 1
        rows = db.session.scalars(sa.select(OutgoingEmail)).all()
        assert {r.status for r in rows} == {"PENDING"}
        tried = [r for r in rows if r.attempts]
        assert tried and all(r.next_attempt_at > utcnow() for r in tried)  # backing off
        assert all("ConnectionRefusedError" in r.last_error for r in tried)

        server = FlakySMTP()
        app.config.update(MAIL_PORT=server.port)
        _all_due(db)  # time passes
        with app.app_context():
            total = 0
            for _ in range(5):
                sent, failed = deliver_due()
                assert failed == 0
                total += sent
                if not sent:
                    break
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
        if server:
            server.stop()
    assert total == 100
    ids = [m["Message-ID"] for m in server.received]
    assert len(ids) == len(set(ids)) == 100
    assert set(db.session.scalars(sa.select(OutgoingEmail.status))) == {"SENT"}


def test_list_unsubscribe_goes_out_as_a_plain_url_even_when_long(app, smtp_server, db, make_user):
    """Mail clients offer one-click unsubscribe only for a literal `<https://...>` header: a realistic
    signed URL (well past 78 characters) must not be folded into an =?utf-8?q?...?= encoded word."""
    from memi.mail.services import queue_email
    from memi.notifications.services import unsubscribe_token

    user = make_user()
    with app.test_request_context():
        url = (
            "https://www.memi.az/unsubscribe/"
            + unsubscribe_token(user.id, "reservation")
            + "?utm_source=email&utm_campaign=reservation"
        )
        assert len(url) >= 120
        context = {"user": user, "minutes": 60, "link": "https://www.memi.az/"}
        queue_email(user.email, "test", "password_reset", context, "Hi", user_id=user.id, unsubscribe_url=url)
        db.session.commit()
    _rcpt, message = deliver_one_over_smtp(app, smtp_server)
    [raw] = smtp_server.raw
    headers = raw.split(b"\r\n\r\n", 1)[0]
    # One line, the URL as written (no =?utf-8?q?=3Chttps...?= encoded word, no folding inside it).
    assert f"\r\nList-Unsubscribe: <{url}>\r\n".encode() in headers + b"\r\n"
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click" in headers
    assert message["List-Unsubscribe"] == f"<{url}>" and message["Subject"] == "Hi"
