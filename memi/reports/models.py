from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from memi.columns import UTCDateTime, created_at_column, enum_check
from memi.extensions import db
from memi.statuses import ReportStatus

TARGET_TYPES = ("product", "user", "chat")
REASONS = ("SPAM", "FRAUD", "PROHIBITED_ITEM", "OFFENSIVE", "COUNTERFEIT", "OTHER")
REPORT_STATUSES = tuple(ReportStatus)
RESOLUTION_ACTIONS = ("DISMISS", "REMOVE_PRODUCT", "BLOCK_USER")
SOURCES = ("USER", "SYSTEM")


class Report(db.Model):
    """A report against a product, a user or a chat. target_id is the contract's id; the matching
    foreign key column (product_id, target_user_id or chat_id) keeps the reference honest."""

    __tablename__ = "reports"
    __table_args__ = (
        enum_check("target_type", TARGET_TYPES),
        enum_check("reason", REASONS),
        enum_check("status", REPORT_STATUSES),
        enum_check("source", SOURCES),
        sa.CheckConstraint(
            "resolution_action IS NULL OR resolution_action IN ('DISMISS', 'REMOVE_PRODUCT', 'BLOCK_USER')",
            name="resolution_action",
        ),
        sa.CheckConstraint(
            "(target_type = 'product' AND product_id = target_id)"
            " OR (target_type = 'user' AND target_user_id = target_id)"
            " OR (target_type = 'chat' AND chat_id = target_id)",
            name="target_matches",
        ),
        # One open report per reporter and target.
        sa.Index(
            "uq_reports_one_open",
            "reporter_id",
            "target_type",
            "target_id",
            unique=True,
            postgresql_where=sa.text("status = 'OPEN'"),
            sqlite_where=sa.text("status = 'OPEN'"),
        ),
        sa.Index("ix_reports_status_created_at", "status", "created_at"),
        sa.Index("ix_reports_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    source: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="USER")
    target_type: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    target_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("products.id"), index=True)
    target_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    chat_id: Mapped[int | None] = mapped_column(sa.ForeignKey("chats.id"), index=True)
    # Whom the report is about (the user, the listing's seller, the reported chat participant or, for
    # an automated chat report, the sender of the flagged message): BLOCK_USER blocks this user.
    reported_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # The flagged message of an automated chat report.
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(20), nullable=False, index=True)
    details: Mapped[str | None] = mapped_column(sa.String(1000))
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default=ReportStatus.OPEN, index=True)
    resolution_action: Mapped[str | None] = mapped_column(sa.String(20))
    resolution_note: Mapped[str | None] = mapped_column(sa.String(1000))
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
