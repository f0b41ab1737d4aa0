"""chats: a block per side, new-message email digests; outbox: the one-click unsubscribe URL

- chats.blocked_by_id / blocked_at become buyer_blocked_at / seller_blocked_at, so that each side's
  block stands on its own (existing blocks are carried over to the side that made them).
- chats.{buyer,seller}_digest_email_id / _digest_from_id: the pending digest email of new messages
  per recipient (see memi.notifications.services).
- email_outbox.unsubscribe_url: sent as the List-Unsubscribe header.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unsubscribe_url", sa.String(length=500), nullable=True))

    with op.batch_alter_table("chats", schema=None) as batch_op:
        batch_op.add_column(sa.Column("buyer_blocked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("seller_blocked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("buyer_digest_email_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("seller_digest_email_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("buyer_digest_from_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("seller_digest_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_chats_buyer_digest_email_id_email_outbox"),
            "email_outbox",
            ["buyer_digest_email_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_chats_seller_digest_email_id_email_outbox"),
            "email_outbox",
            ["seller_digest_email_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_chats_buyer_digest_email_id"), ["buyer_digest_email_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chats_seller_digest_email_id"), ["seller_digest_email_id"], unique=False)

    # Carry existing blocks over to the side that made them.
    for side in ("buyer", "seller"):
        op.execute(
            sa.text(
                f"UPDATE chats SET {side}_blocked_at = COALESCE(blocked_at, CURRENT_TIMESTAMP) "
                f"WHERE blocked_by_id = {side}_id"
            )
        )

    with op.batch_alter_table("chats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chats_blocked_by_id"))
        batch_op.drop_constraint(batch_op.f("fk_chats_blocked_by_id_users"), type_="foreignkey")
        batch_op.drop_column("blocked_by_id")
        batch_op.drop_column("blocked_at")


def downgrade():
    with op.batch_alter_table("chats", schema=None) as batch_op:
        batch_op.add_column(sa.Column("blocked_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_chats_blocked_by_id_users"), "users", ["blocked_by_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_chats_blocked_by_id"), ["blocked_by_id"], unique=False)

    # One block survives the way back: the buyer's where both sides blocked.
    op.execute(
        sa.text(
            "UPDATE chats SET blocked_by_id = seller_id, blocked_at = seller_blocked_at "
            "WHERE seller_blocked_at IS NOT NULL"
        )
    )
    op.execute(
        sa.text(
            "UPDATE chats SET blocked_by_id = buyer_id, blocked_at = buyer_blocked_at WHERE buyer_blocked_at IS NOT NULL"
        )
    )

    with op.batch_alter_table("chats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chats_seller_digest_email_id"))
        batch_op.drop_index(batch_op.f("ix_chats_buyer_digest_email_id"))
        batch_op.drop_constraint(batch_op.f("fk_chats_seller_digest_email_id_email_outbox"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_chats_buyer_digest_email_id_email_outbox"), type_="foreignkey")
        batch_op.drop_column("seller_digest_from_id")
        batch_op.drop_column("buyer_digest_from_id")
        batch_op.drop_column("seller_digest_email_id")
        batch_op.drop_column("buyer_digest_email_id")
        batch_op.drop_column("seller_blocked_at")
        batch_op.drop_column("buyer_blocked_at")

    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.drop_column("unsubscribe_url")
