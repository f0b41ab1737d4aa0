"""filter indexes: lower(size), lower(brand), lower(color), lower(city) on products

The browse filters compare these case-insensitively (lower(x) = ...), and the facets of the browse page
count the values among the current matches; without an index on the expression either is a scan of
every listing.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

NAMES = ("size", "brand", "color", "city")


def upgrade():
    for name in NAMES:
        op.create_index(f"ix_products_lower_{name}", "products", [sa.text(f"lower({name})")])


def downgrade():
    for name in NAMES:
        op.drop_index(f"ix_products_lower_{name}", table_name="products")
