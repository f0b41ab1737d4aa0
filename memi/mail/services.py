"""The email outbox: queue in the request's transaction, deliver from the worker."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.policy import EmailPolicy
from email.utils import make_msgid, parseaddr

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Connection, Message

from memi.columns import utcnow
from memi.extensions import db, mail
from memi.locale import saved_or_default
from memi.mail.models import OutgoingEmail
from memi.users.models import User

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


def clean_subject(subject):
    """The subject as one header line (a line break from user text, a listing title, would make it
    invalid), cut to the column's length. A lazy string is rendered here, in the current language."""
    return " ".join(str(subject).split())[: OutgoingEmail.subject.type.length]


def queue_email(
    to, kind, template, context, subject, user_id=None, unsubscribe_url=None, coalesce_key=None, locale=None
):
    """Add an email to the outbox in the current transaction; it is sent after commit by the worker.

    The email is written in the recipient's saved language whatever the language of the request that
    causes it: `locale`, else the saved `users.locale` of `user_id` (the subject may be a lazy string,
    rendered in that language too). `template` names templates/email/<template>.txt (required) and
    .html (optional). With `unsubscribe_url` (a signed link that unsubscribes on GET and on POST
    without a CSRF token) the email carries List-Unsubscribe and List-Unsubscribe-Post:
    List-Unsubscribe=One-Click (RFC 8058).
    """
    if locale is None and user_id is not None:
        locale = db.session.scalar(sa.select(User.locale).where(User.id == user_id))
    with force_locale(saved_or_default(locale)):
        text, html = render_email(template, context)
        subject = clean_subject(subject)
    row = OutgoingEmail(
        user_id=user_id,
        kind=kind,
        to_email=to,
        subject=subject,
        body_text=text,
        body_html=html,
        unsubscribe_url=unsubscribe_url,
        message_id=new_message_id(),
        coalesce_key=coalesce_key,
    )
    db.session.add(row)
    return row


def backoff(attempts):
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)))


def new_message_id():
    """A fresh Message-ID in the sender's domain, e.g. `<171...@memi.az>`."""
    address = parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER") or "")[1]
    domain = address.rpartition("@")[2] or "memi.az"
    return make_msgid(domain=domain)


# Headers whose value is a list of <URL>s that mail clients read verbatim (RFC 2369, RFC 8058).
VERBATIM_HEADERS = frozenset({"list-unsubscribe", "list-unsubscribe-post"})


class _OutgoingPolicy(EmailPolicy):
    """Policy SMTP, except that List-Unsubscribe goes out as written, on one line, even past 78
    characters (every real signed URL is): the standard folding would turn `<https://...>` into an
    `=?utf-8?q?=3Chttps...?=` encoded word, which mail clients do not read as a link, so they would
    never offer one-click unsubscribe. One line is fine up to 998 characters (RFC 5322 2.1.1), and
    the URL column holds at most 500."""

    def _verbatim(self, name, value):
        return (
            name.lower() in VERBATIM_HEADERS
            and isinstance(value, str)
            and value.isascii()
            and "\r" not in value
            and "\n" not in value
            and len(name) + 2 + len(value) <= 998
        )

    def fold(self, name, value):
        if self._verbatim(name, value):
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if self._verbatim(name, value):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


OUTGOING_POLICY = _OutgoingPolicy(linesep="\r\n")  # otherwise email.policy.SMTP


class _Message(Message):
    """Flask-Mail's message, rendered with OUTGOING_POLICY instead of plain SMTP."""

    def _message(self):
        msg = super()._message()
        msg.policy = OUTGOING_POLICY
        return msg


@dataclass(frozen=True)
class _Claimed:
    """What sending needs, copied out of the row so nothing touches the database while SMTP talks."""

    id: int
    to_email: str
    subject: str
    body_text: str
    body_html: str | None
    unsubscribe_url: str | None
    message_id: str
    attempts: int


def _send(row):
    if not current_app.config.get("MAIL_SERVER"):
        log.info(
            "email (no MAIL_SERVER, logged instead of sent) to=%s subject=%r message_id=%s\n%s",
            row.to_email,
            row.subject,
            row.message_id,
            row.body_text,
        )
        return
    msg = _Message(
        subject=row.subject,
        recipients=[row.to_email],
        body=row.body_text,
        html=row.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    # The same Message-ID on every attempt: a copy sent twice (see deliver_due) can be recognised.
    msg.msgId = row.message_id
    if row.unsubscribe_url:
        msg.extra_headers = {
            "List-Unsubscribe": f"<{row.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    # Settings are read at each send (Flask-Mail's own send() would use those of start-up).
    with Connection(mail.init_mail(current_app.config)) as connection:
        connection.send(msg)


def recover_stuck(now=None):
    """Put rows left SENDING for longer than MAIL_SENDING_TIMEOUT (their worker died, or hung past
    every timeout) back in the queue; returns how many. Such a row may already have reached the SMTP
    server, so it can arrive twice: with the same Message-ID."""
    now = now or utcnow()
    cutoff = now - timedelta(seconds=current_app.config.get("MAIL_SENDING_TIMEOUT", 300))
    stuck = (OutgoingEmail.status == "SENDING", OutgoingEmail.sending_started_at < cutoff)
    # One that has used up its attempts (an email that kills the worker every time) gives up.
    failed = db.session.execute(
        sa.update(OutgoingEmail)
        .where(*stuck, OutgoingEmail.attempts >= MAX_ATTEMPTS)
        .values(status="FAILED", sending_started_at=None, last_error="Worker stopped while sending")
    ).rowcount
    retried = db.session.execute(
        sa.update(OutgoingEmail).where(*stuck).values(status="PENDING", sending_started_at=None, next_attempt_at=now)
    ).rowcount
    db.session.commit()
    if failed or retried:
        log.warning(
            "%s email(s) were left in flight by a stopped worker: %s retried, %s failed",
            failed + retried,
            retried,
            failed,
        )
    return retried


def _claim_next():
    """Claim the next due row in one short transaction (SENDING, attempts + 1) and commit; returns a
    _Claimed, or None when nothing is due. SKIP LOCKED on PostgreSQL lets several workers claim side by
    side; the status condition on the update makes a claim count once on every database."""
    for _ in range(10):
        now = utcnow()
        query = (
            sa.select(OutgoingEmail.id)
            .where(OutgoingEmail.status == "PENDING", OutgoingEmail.next_attempt_at <= now)
            .order_by(OutgoingEmail.id)
            .limit(1)
        )
        if db.engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row_id = db.session.scalar(query)
        if row_id is None:
            db.session.commit()
            return None
        claimed = db.session.execute(
            sa.update(OutgoingEmail)
            .where(OutgoingEmail.id == row_id, OutgoingEmail.status == "PENDING")
            .values(status="SENDING", sending_started_at=now, attempts=OutgoingEmail.attempts + 1)
        ).rowcount
        if not claimed:  # another worker was faster
            db.session.commit()
            continue
        row = db.session.execute(
            sa.select(
                OutgoingEmail.id,
                OutgoingEmail.to_email,
                OutgoingEmail.subject,
                OutgoingEmail.body_text,
                OutgoingEmail.body_html,
                OutgoingEmail.unsubscribe_url,
                OutgoingEmail.message_id,
                OutgoingEmail.attempts,
            ).where(OutgoingEmail.id == row_id)
        ).one()
        db.session.commit()
        return _Claimed(*row)
    return None


def _finish(row_id, **values):
    """Record the outcome of a claimed row in one short transaction (only while it is still ours)."""
    db.session.execute(
        sa.update(OutgoingEmail)
        .where(OutgoingEmail.id == row_id, OutgoingEmail.status == "SENDING")
        .values(sending_started_at=None, **values)
    )
    db.session.commit()


def deliver_due(limit=50):
    """Send up to `limit` due outbox rows; returns (sent, failed).

    Each row is claimed in a short transaction (status SENDING, attempts + 1, committed), sent with no
    transaction open, and marked SENT in another short transaction. SMTP cannot give exactly once: a
    worker that dies after the SMTP server took a message and before the SENT commit leaves the row
    SENDING, and after MAIL_SENDING_TIMEOUT it is sent again, with the same Message-ID (at most one
    duplicate per crash, recognisable by that header). An SMTP failure schedules a retry with
    exponential backoff and ends the round (the rest would fail the same way); after MAX_ATTEMPTS the
    row stays FAILED. A row that can never be sent (a malformed address or header) is marked FAILED at
    once and the round goes on, so one bad row never holds up the others.
    """
    recover_stuck()
    sent = failed = 0
    for _ in range(limit):
        row = _claim_next()
        if row is None:
            break
        try:
            _send(row)
        except (smtplib.SMTPException, OSError) as exc:
            _failed(row, exc)
            failed += 1
            break
        except Exception as exc:  # noqa: BLE001 - not transient: retrying cannot help
            log.exception("email %s cannot be sent", row.id)
            _failed(row, exc, final=True)
            failed += 1
            continue
        _finish(row.id, status="SENT", sent_at=utcnow())
        sent += 1
    return sent, failed


def _failed(row, exc, final=False):
    error = f"{type(exc).__name__}: {exc}"[:500]
    final = final or row.attempts >= MAX_ATTEMPTS
    _finish(
        row.id,
        status="FAILED" if final else "PENDING",
        last_error=error,
        next_attempt_at=utcnow() + backoff(row.attempts),
    )
    log.warning("email %s not sent (attempt %s): %s", row.id, row.attempts, error)
