from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from memi.columns import created_at_column
from memi.extensions import db


class AdminActionLog(db.Model):
    """Append-only record of every admin mutation; no code path edits or deletes it."""

    __tablename__ = "admin_action_log"
    __table_args__ = (sa.Index("ix_admin_action_log_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    admin_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    action: Mapped[str] = mapped_column(sa.String(40), nullable=False, index=True)
    target_type: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    target_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    reason: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = created_at_column(index=True)
