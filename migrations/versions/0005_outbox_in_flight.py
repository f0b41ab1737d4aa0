"""email_outbox: a stable Message-ID per email, an in-flight SENDING status, a key to merge notification emails

- email_outbox.message_id: the Message-ID header, fixed when the email is queued, so a retry after a
  worker crash carries the same one (existing rows get one derived from their id).
- email_outbox.sending_started_at and status 'SENDING': the worker claims a row in a short transaction
  before talking to SMTP and marks it SENT afterwards; a row left SENDING by a dead worker is retried.
- email_outbox.coalesce_key: notification emails of one kind about one listing to one person share it,
  so that a burst of them becomes one email (memi.notifications.services).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('PENDING', 'SENT', 'FAILED')"
NEW_STATUSES = "status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')"


def upgrade():
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("sending_started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("coalesce_key", sa.String(length=120), nullable=True))
        batch_op.create_index("ix_email_outbox_user_coalesce", ["user_id", "coalesce_key"], unique=False)
        batch_op.drop_constraint(batch_op.f("ck_email_outbox_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_email_outbox_status"), sa.text(NEW_STATUSES))

    op.execute(sa.text("UPDATE email_outbox SET message_id = '<outbox-' || id || '@memi.az>' WHERE message_id IS NULL"))

    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.alter_column("message_id", existing_type=sa.String(length=255), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_email_outbox_message_id"), ["message_id"])


def downgrade():
    # An email in flight goes back to waiting: the old worker sends it (again, at worst).
    op.execute(sa.text("UPDATE email_outbox SET status = 'PENDING' WHERE status = 'SENDING'"))
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_email_outbox_message_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("ck_email_outbox_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_email_outbox_status"), sa.text(OLD_STATUSES))
        batch_op.drop_index("ix_email_outbox_user_coalesce")
        batch_op.drop_column("coalesce_key")
        batch_op.drop_column("sending_started_at")
        batch_op.drop_column("message_id")
