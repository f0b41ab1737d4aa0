"""reports: whom a report is about (and an index on chats.created_at for the dashboard): (reported_user_id) and the flagged message of an automated chat report

An automated chat report has no reporter, so "the other participant" cannot say whom BLOCK_USER should
block; the report now records the user it is about. Existing rows are backfilled where the answer is
certain (user and listing reports, chat reports with a reporter); the service still derives it for any
older automated chat report from the message id in its details.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    # The dashboard counts new chats per day over the last 30 days.
    with op.batch_alter_table("chats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chats_created_at"), ["created_at"], unique=False)
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reported_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_reports_reported_user_id_users"), "users", ["reported_user_id"], ["id"]
        )
        batch_op.create_foreign_key(batch_op.f("fk_reports_message_id_messages"), "messages", ["message_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_reports_reported_user_id"), ["reported_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_message_id"), ["message_id"], unique=False)

    op.execute("UPDATE reports SET reported_user_id = target_id WHERE target_type = 'user'")
    op.execute(
        "UPDATE reports SET reported_user_id = (SELECT seller_id FROM products WHERE products.id = reports.product_id)"
        " WHERE target_type = 'product'"
    )
    op.execute(
        "UPDATE reports SET reported_user_id = (SELECT CASE WHEN chats.buyer_id = reports.reporter_id"
        " THEN chats.seller_id ELSE chats.buyer_id END FROM chats WHERE chats.id = reports.chat_id)"
        " WHERE target_type = 'chat' AND reporter_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table("chats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chats_created_at"))
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_message_id"))
        batch_op.drop_index(batch_op.f("ix_reports_reported_user_id"))
        batch_op.drop_constraint(batch_op.f("fk_reports_message_id_messages"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_reports_reported_user_id_users"), type_="foreignkey")
        batch_op.drop_column("message_id")
        batch_op.drop_column("reported_user_id")
