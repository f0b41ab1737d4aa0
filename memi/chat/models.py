from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memi.columns import UTCDateTime, created_at_column, utcnow
from memi.extensions import db


class Chat(db.Model):
    """One conversation per (product, buyer). Read markers, blocks and email batching per participant:
    each side's block stands on its own (the chat is blocked while either stands), and each side's
    new-message email window (`*_emailed_at`) holds at most one pending digest (`*_digest_email_id`)
    that sums up the messages from `*_digest_from_id` on."""

    __tablename__ = "chats"
    __table_args__ = (sa.UniqueConstraint("product_id", "buyer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), nullable=False, index=True)
    buyer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = created_at_column(index=True)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    buyer_blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seller_blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    buyer_last_read_id: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    seller_last_read_id: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    buyer_emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seller_emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    buyer_digest_email_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("email_outbox.id", ondelete="SET NULL"), index=True
    )
    seller_digest_email_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("email_outbox.id", ondelete="SET NULL"), index=True
    )
    buyer_digest_from_id: Mapped[int | None] = mapped_column(sa.Integer)
    seller_digest_from_id: Mapped[int | None] = mapped_column(sa.Integer)

    product = relationship("Product")
    buyer = relationship("User", foreign_keys=[buyer_id])
    seller = relationship("User", foreign_keys=[seller_id])

    @property
    def blocked(self):
        return self.buyer_blocked_at is not None or self.seller_blocked_at is not None

    def blocked_by(self, user_id):
        """Whether `user_id`'s own block of this chat stands."""
        if user_id == self.buyer_id:
            return self.buyer_blocked_at is not None
        if user_id == self.seller_id:
            return self.seller_blocked_at is not None
        return False


class Message(db.Model):
    """Immutable: there is no edit and no delete."""

    __tablename__ = "messages"
    __table_args__ = (sa.Index("ix_messages_chat_id_id", "chat_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(sa.ForeignKey("chats.id", ondelete="CASCADE"), nullable=False, index=True)
    sender_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    # A safety warning the automated moderation attached for the recipient (advance payment, off-platform).
    warning: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = created_at_column(index=True)

    chat = relationship(Chat)
