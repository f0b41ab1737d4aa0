"""photo drafts: photos uploaded for a listing form that is not saved yet

A validation error on the sell or edit form no longer drops the chosen photos: they are processed
and stored as drafts of their owner (kept for a day, removed by the media sweep) and attached when
the listing is saved.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "photo_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("thumb_key", sa.String(length=200), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_photo_drafts_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_drafts")),
    )
    with op.batch_alter_table("photo_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_drafts_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photo_drafts_created_at"), ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("photo_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_drafts_created_at"))
        batch_op.drop_index(batch_op.f("ix_photo_drafts_owner_id"))
    op.drop_table("photo_drafts")
