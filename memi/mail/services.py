"""The email outbox: queue in the request's transaction, deliver from the worker."""

import logging
import smtplib
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_mail import Connection, Message

from memi.columns import utcnow
from memi.extensions import db, mail
from memi.mail.models import OutgoingEmail

log = logging.getLogger("memi.mail")

MAX_ATTEMPTS = 12
BASE_BACKOFF_SECONDS = 15
MAX_BACKOFF_SECONDS = 3600


def queue_email(to, kind, template, context, subject, user_id=None):
    """Add an email to the outbox in the current transaction; it is sent after commit by the worker.

    `template` names templates/email/<template>.txt (required) and .html (optional).
    """
    ctx = dict(context, base_url=current_app.config["BASE_URL"])
    text = render_template(f"email/{template}.txt", **ctx)
    try:
        html = render_template(f"email/{template}.html", **ctx)
    except Exception as exc:  # jinja2.TemplateNotFound: plain-text only email
        if type(exc).__name__ != "TemplateNotFound":
            raise
        html = None
    row = OutgoingEmail(user_id=user_id, kind=kind, to_email=to, subject=subject, body_text=text, body_html=html)
    db.session.add(row)
    return row


def backoff(attempts):
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)))


def _send(row):
    if not current_app.config.get("MAIL_SERVER"):
        log.info(
            "email (no MAIL_SERVER, logged instead of sent) to=%s subject=%r\n%s",
            row.to_email,
            row.subject,
            row.body_text,
        )
        return
    msg = Message(
        subject=row.subject,
        recipients=[row.to_email],
        body=row.body_text,
        html=row.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    # Settings are read at each send (Flask-Mail's own send() would use those of start-up).
    with Connection(mail.init_mail(current_app.config)) as connection:
        connection.send(msg)


def deliver_due(limit=50):
    """Send due outbox rows; returns (sent, failed). Each row is locked while it is sent (SKIP LOCKED
    on PostgreSQL), so several workers never send the same row, and marked SENT in the same
    transaction. A failure schedules a retry with exponential backoff; after MAX_ATTEMPTS it stays FAILED.
    """
    now = utcnow()
    query = (
        sa.select(OutgoingEmail)
        .where(OutgoingEmail.status == "PENDING", OutgoingEmail.next_attempt_at <= now)
        .order_by(OutgoingEmail.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = db.session.scalars(query).all()
    sent = failed = 0
    for row in rows:
        try:
            _send(row)
        except (smtplib.SMTPException, OSError) as exc:
            log.debug("send failed", exc_info=True)
            row.attempts += 1
            row.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "FAILED"
            row.next_attempt_at = utcnow() + backoff(row.attempts)
            failed += 1
            log.warning("email %s not sent (attempt %s): %s", row.id, row.attempts, row.last_error)
            # SMTP is down: the rest would fail the same way; try again on the next round.
            break
        row.status = "SENT"
        row.attempts += 1
        row.sent_at = utcnow()
        sent += 1
    db.session.commit()
    return sent, failed
