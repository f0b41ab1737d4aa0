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


def render_email(template, context):
    """(text, html) of templates/email/<template>.txt and .html (html None when there is no .html)."""
    ctx = dict(context, base_url=current_app.config["BASE_URL"])
    text = render_template(f"email/{template}.txt", **ctx)
    try:
        html = render_template(f"email/{template}.html", **ctx)
    except Exception as exc:  # jinja2.TemplateNotFound: plain-text only email
        if type(exc).__name__ != "TemplateNotFound":
            raise
        html = None
    return text, html


def queue_email(to, kind, template, context, subject, user_id=None, unsubscribe_url=None):
    """Add an email to the outbox in the current transaction; it is sent after commit by the worker.

    `template` names templates/email/<template>.txt (required) and .html (optional). With
    `unsubscribe_url` (a signed link that unsubscribes on GET and on POST without a CSRF token) the
    email carries List-Unsubscribe and List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058).
    """
    text, html = render_email(template, context)
    # A subject is one header line: a line break from user text (a listing title) would make it invalid.
    subject = " ".join(subject.split())[: OutgoingEmail.subject.type.length]
    row = OutgoingEmail(
        user_id=user_id,
        kind=kind,
        to_email=to,
        subject=subject,
        body_text=text,
        body_html=html,
        unsubscribe_url=unsubscribe_url,
    )
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
    if row.unsubscribe_url:
        msg.extra_headers = {
            "List-Unsubscribe": f"<{row.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    # Settings are read at each send (Flask-Mail's own send() would use those of start-up).
    with Connection(mail.init_mail(current_app.config)) as connection:
        connection.send(msg)


def _next_due():
    query = (
        sa.select(OutgoingEmail)
        .where(OutgoingEmail.status == "PENDING", OutgoingEmail.next_attempt_at <= utcnow())
        .order_by(OutgoingEmail.id)
        .limit(1)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return db.session.scalars(query).first()


def deliver_due(limit=50):
    """Send up to `limit` due outbox rows; returns (sent, failed).

    One row at a time, each in its own transaction: the row is locked while it is sent (SKIP LOCKED on
    PostgreSQL, so several workers never send the same row) and marked SENT in the same transaction, so
    a row that went out is never sent again by a later round. An SMTP failure schedules a retry with
    exponential backoff and ends the round (the rest would fail the same way); after MAX_ATTEMPTS the row
    stays FAILED. A row that can never be sent (a malformed address or header) is marked FAILED at once
    and the round goes on, so one bad row never holds up the others.
    """
    sent = failed = 0
    for _ in range(limit):
        row = _next_due()
        if row is None:
            break
        try:
            _send(row)
        except (smtplib.SMTPException, OSError) as exc:
            _failed(row, exc)
            failed += 1
            db.session.commit()
            break
        except Exception as exc:  # noqa: BLE001 - not transient: retrying cannot help
            log.exception("email %s cannot be sent", row.id)
            _failed(row, exc, final=True)
            failed += 1
            db.session.commit()
            continue
        row.status = "SENT"
        row.attempts += 1
        row.sent_at = utcnow()
        sent += 1
        db.session.commit()
    db.session.commit()
    return sent, failed


def _failed(row, exc, final=False):
    row.attempts += 1
    row.last_error = f"{type(exc).__name__}: {exc}"[:500]
    if final or row.attempts >= MAX_ATTEMPTS:
        row.status = "FAILED"
    row.next_attempt_at = utcnow() + backoff(row.attempts)
    log.warning("email %s not sent (attempt %s): %s", row.id, row.attempts, row.last_error)
