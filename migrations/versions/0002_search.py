"""search: full-text index per dialect, the word vocabulary for typo correction, browse indexes

PostgreSQL: a stored generated tsvector (title weight A, brand B, description C; 'simple'
configuration, since listings are written in Azerbaijani, Russian and English) with a GIN index, and
pg_trgm over the vocabulary table so a misspelled word is corrected against distinct words, not
against a million titles.
SQLite: an external-content FTS5 table kept in step by triggers.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_terms")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(
            "ix_products_category_status_created", ["category_id", "status", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_products_subcategory_status_created", ["subcategory_id", "status", "created_at"], unique=False
        )

    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            """
            ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
                setweight(to_tsvector('simple', coalesce(brand, '')), 'B') ||
                setweight(to_tsvector('simple', coalesce(description, '')), 'C')
            ) STORED
            """
        )
        op.execute("CREATE INDEX ix_products_search_vector ON products USING gin (search_vector)")
        op.execute("CREATE INDEX ix_search_terms_trgm ON search_terms USING gin (term gin_trgm_ops)")
    elif dialect == "sqlite":
        op.execute(
            """
            CREATE VIRTUAL TABLE products_fts USING fts5(
                title, brand, description,
                content='products', content_rowid='id',
                tokenize="unicode61 remove_diacritics 2", prefix='2 3'
            )
            """
        )
        op.execute(
            """
            CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN
                INSERT INTO products_fts(rowid, title, brand, description)
                VALUES (new.id, new.title, coalesce(new.brand, ''), new.description);
            END
            """
        )
        op.execute(
            """
            CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN
                INSERT INTO products_fts(products_fts, rowid, title, brand, description)
                VALUES ('delete', old.id, old.title, coalesce(old.brand, ''), old.description);
            END
            """
        )
        op.execute(
            """
            CREATE TRIGGER products_fts_au AFTER UPDATE OF title, brand, description ON products BEGIN
                INSERT INTO products_fts(products_fts, rowid, title, brand, description)
                VALUES ('delete', old.id, old.title, coalesce(old.brand, ''), old.description);
                INSERT INTO products_fts(rowid, title, brand, description)
                VALUES (new.id, new.title, coalesce(new.brand, ''), new.description);
            END
            """
        )
        op.execute("INSERT INTO products_fts(products_fts) VALUES ('rebuild')")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_terms_trgm")
        op.execute("DROP INDEX IF EXISTS ix_products_search_vector")
        op.execute("ALTER TABLE products DROP COLUMN IF EXISTS search_vector")
    elif dialect == "sqlite":
        for trigger in ("products_fts_ai", "products_fts_ad", "products_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS products_fts")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_subcategory_status_created")
        batch_op.drop_index("ix_products_category_status_created")
    op.drop_table("search_terms")
