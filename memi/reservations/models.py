from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memi.columns import Timestamps, UTCDateTime, enum_check
from memi.extensions import db
from memi.statuses import OPEN_RESERVATION, ReservationStatus

STATES = tuple(ReservationStatus)
OPEN_STATES = OPEN_RESERVATION


class Reservation(Timestamps, db.Model):
    __tablename__ = "reservations"
    __table_args__ = (
        enum_check("status", STATES),
        # At most one ACCEPTED reservation per product, settled by the database.
        sa.Index(
            "uq_reservations_one_accepted",
            "product_id",
            unique=True,
            postgresql_where=sa.text("status = 'ACCEPTED'"),
            sqlite_where=sa.text("status = 'ACCEPTED'"),
        ),
        # At most one open request per buyer and product.
        sa.Index(
            "uq_reservations_one_open_per_buyer",
            "product_id",
            "buyer_id",
            unique=True,
            postgresql_where=sa.text("status IN ('REQUESTED', 'ACCEPTED')"),
            sqlite_where=sa.text("status IN ('REQUESTED', 'ACCEPTED')"),
        ),
        sa.Index("ix_reservations_seller_status", "seller_id", "status"),
        sa.Index("ix_reservations_buyer_status", "buyer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), nullable=False, index=True)
    buyer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default=ReservationStatus.REQUESTED, index=True)
    message: Mapped[str | None] = mapped_column(sa.String(500))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # An ACCEPTED reservation holds the item until expires_at (scanned by the expiry job); the seller
    # may extend it once. reason: why it ended when that is not a person's choice ("expired", "relisted",
    # "deleted"). completed_at: the seller marked the listing SOLD while it held the item; the reservation
    # stays ACCEPTED (the deal is done) and nothing may change it any more.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    extended: Mapped[bool] = mapped_column(sa.Boolean(), nullable=False, default=False, server_default=sa.false())
    reason: Mapped[str | None] = mapped_column(sa.String(20))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    product = relationship("Product")
    buyer = relationship("User", foreign_keys=[buyer_id])
    seller = relationship("User", foreign_keys=[seller_id])
