from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from memi.columns import UTCDateTime, created_at_column, enum_check, utcnow
from memi.extensions import db

# PENDING: waiting (due at next_attempt_at); SENDING: claimed by a worker, in flight to SMTP since
# sending_started_at; SENT; FAILED (gave up).
OUTBOX_STATUSES = ("PENDING", "SENDING", "SENT", "FAILED")


class OutgoingEmail(db.Model):
    """The email outbox: rows are written in the same transaction as the event that causes them and
    delivered by the worker (`flask worker`), retrying with backoff while SMTP is down."""

    __tablename__ = "email_outbox"
    __table_args__ = (
        enum_check("status", OUTBOX_STATUSES),
        sa.Index("ix_email_outbox_status_next_attempt", "status", "next_attempt_at"),
        sa.Index("ix_email_outbox_user_coalesce", "user_id", "coalesce_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40), nullable=False, index=True)
    to_email: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    body_text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    # Sent as List-Unsubscribe (with List-Unsubscribe-Post: One-Click, RFC 8058) when set.
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(500))
    # The Message-ID header, fixed when the email is queued: a retry after a crash carries the same one,
    # so a receiving server or mail client can tell a second copy from a new email.
    message_id: Mapped[str] = mapped_column(sa.String(255), nullable=False, unique=True)
    # Notification emails of one kind about one thing to one person share a key (e.g.
    # "reservation.requested:product:12") and are merged into one (memi.notifications.services).
    coalesce_key: Mapped[str | None] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="PENDING")
    sending_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
