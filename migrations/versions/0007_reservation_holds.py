"""reservation holds: reservations get expires_at (indexed, for the expiry scan), extended and reason

An ACCEPTED reservation holds its item until expires_at; the worker cancels it after that (reason
"expired"). Reservations already ACCEPTED when this runs get a full hold from the upgrade
(RESERVATION_HOLD_HOURS, default 72): NULL would hold those listings forever, and expiring them at
once would take items off people who were promised them without warning.

Revision ID: 0007
Revises: 0006
"""

import os
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("extended", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("reason", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_reservations_expires_at"), ["expires_at"], unique=False)
    hours = float(os.environ.get("RESERVATION_HOLD_HOURS") or 72)
    reservations = sa.table(
        "reservations", sa.column("status", sa.String), sa.column("expires_at", sa.DateTime(timezone=True))
    )
    until = datetime.now(UTC) + timedelta(hours=hours)
    if op.get_bind().dialect.name == "sqlite":
        until = until.replace(tzinfo=None)  # stored as naive UTC there, as the app does
    op.execute(
        reservations.update()
        .where(reservations.c.status == "ACCEPTED", reservations.c.expires_at.is_(None))
        .values(expires_at=until)
    )


def downgrade():
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reservations_expires_at"))
        batch_op.drop_column("reason")
        batch_op.drop_column("extended")
        batch_op.drop_column("expires_at")
