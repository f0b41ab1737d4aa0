"""reservation completion: reservations get completed_at

Marking a listing SOLD while a reservation holds it completes that reservation: it stays ACCEPTED with
completed_at set (it used to be cancelled). Existing rows keep NULL: there is no way to tell which
cancelled reservations were really sales.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.drop_column("completed_at")
