from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memi.columns import UTCDateTime, created_at_column, utcnow
from memi.extensions import db


class Chat(db.Model):
    """One conversation per (product, buyer). Read markers and email batching per participant."""

    __tablename__ = "chats"
    __table_args__ = (sa.UniqueConstraint("product_id", "buyer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), nullable=False, index=True)
    buyer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = created_at_column()
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    blocked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    buyer_last_read_id: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    seller_last_read_id: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    buyer_emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seller_emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    product = relationship("Product")
    buyer = relationship("User", foreign_keys=[buyer_id])
    seller = relationship("User", foreign_keys=[seller_id])


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
