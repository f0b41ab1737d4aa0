"""Email goes through the outbox and a real SMTP server on loopback; an outage delays mail, loses none."""

from datetime import timedelta

import sqlalchemy as sa

from memi.columns import utcnow
from memi.mail.models import OutgoingEmail
from tests.conftest import free_port


def _forgot(api, user):
    assert api.post("/auth/password/forgot", json={"email": user.email}).status_code == 202


def test_reset_email_arrives_over_smtp(app, api, make_user, smtp_server, db):
    user = make_user()
    _forgot(api, user)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    try:
        with app.app_context():
            from memi.mail.services import deliver_due

            assert deliver_due() == (1, 0)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    [(rcpt, message)] = smtp_server.wait_for(1)
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
