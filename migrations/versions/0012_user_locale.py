"""user locale: users.locale, the language a person reads memi.az in (az, ru, en; default az)

Emails and pushed notifications reach a person outside any request of theirs, so the language they
chose is kept on the account. Existing accounts start in Azerbaijani, the site's default.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=5), nullable=False, server_default="az"))
        batch_op.create_check_constraint(batch_op.f("ck_users_locale"), sa.text("locale IN ('az', 'ru', 'en')"))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_locale"), type_="check")
        batch_op.drop_column("locale")
