"""product views once a day: product_views get visitor and day, unique per (product, visitor, day)

A listing's view count grows once per visitor and day (a signed-in user by id, anyone else by a keyed
hash of address and user agent); the unique key lets the database settle two views at once. Rows
recorded before this each stay one view: their day is the day of created_at and their visitor a
unique "legacy-<id>".

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("product_views", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visitor", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("day", sa.Date(), nullable=True))
    op.execute("UPDATE product_views SET day = date(created_at), visitor = 'legacy-' || CAST(id AS VARCHAR(20))")
    with op.batch_alter_table("product_views", schema=None) as batch_op:
        batch_op.alter_column("visitor", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("day", existing_type=sa.Date(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_product_views_product_id_visitor_day"), ["product_id", "visitor", "day"]
        )


def downgrade():
    with op.batch_alter_table("product_views", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_product_views_product_id_visitor_day"), type_="unique")
        batch_op.drop_column("day")
        batch_op.drop_column("visitor")
