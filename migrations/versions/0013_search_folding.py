"""search folding: listings are indexed by their folded, stemmed words (memi.products.textfold)

products get search_title, search_brand and search_body: the words of title, brand and description as
search reads them (lowercase, Azerbaijani letters folded to the Latin letters people type instead,
accents dropped, Russian words stemmed). Existing listings are filled in batches here; from now on the
Product model's listener keeps them. PostgreSQL's generated search_vector ('simple' configuration,
weights A/B/C, GIN index) and SQLite's external-content FTS5 table and its triggers are rebuilt over
the new columns. The typo-correction vocabulary is refolded (search_terms holds folded words).

The folding rule is imported from the application (one rule, in one place): this migration folds with
the rule of the code that runs it.

Downgrade restores the index over title, brand and description; the vocabulary stays folded (folded
words still correct typos, the old way just finds fewer of them).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from memi.products.textfold import search_text, words

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH = 2000
SEARCH_COLUMNS = ("search_title", "search_brand", "search_body")


def _drop_index(dialect):
    if dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_products_search_vector")
        op.execute("ALTER TABLE products DROP COLUMN IF EXISTS search_vector")
    elif dialect == "sqlite":
        for trigger in ("products_fts_ai", "products_fts_ad", "products_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS products_fts")


def _create_index(dialect, title, brand, body):
    """The full-text index over the three given columns of products."""
    if dialect == "postgresql":
        op.execute(
            f"""
            ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple', coalesce({title}, '')), 'A') ||
                setweight(to_tsvector('simple', coalesce({brand}, '')), 'B') ||
                setweight(to_tsvector('simple', coalesce({body}, '')), 'C')
            ) STORED
            """
        )
        op.execute("CREATE INDEX ix_products_search_vector ON products USING gin (search_vector)")
    elif dialect == "sqlite":
        op.execute(
            f"""
            CREATE VIRTUAL TABLE products_fts USING fts5(
                {title}, {brand}, {body},
                content='products', content_rowid='id',
                tokenize="unicode61 remove_diacritics 2", prefix='2 3'
            )
            """
        )
        old = f"old.{title}, coalesce(old.{brand}, ''), old.{body}"
        new = f"new.{title}, coalesce(new.{brand}, ''), new.{body}"
        columns = f"{title}, {brand}, {body}"
        op.execute(
            f"""
            CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN
                INSERT INTO products_fts(rowid, {columns}) VALUES (new.id, {new});
            END
            """
        )
        op.execute(
            f"""
            CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN
                INSERT INTO products_fts(products_fts, rowid, {columns}) VALUES ('delete', old.id, {old});
            END
            """
        )
        op.execute(
            f"""
            CREATE TRIGGER products_fts_au AFTER UPDATE OF {columns} ON products BEGIN
                INSERT INTO products_fts(products_fts, rowid, {columns}) VALUES ('delete', old.id, {old});
                INSERT INTO products_fts(rowid, {columns}) VALUES (new.id, {new});
            END
            """
        )
        op.execute("INSERT INTO products_fts(products_fts) VALUES ('rebuild')")


def _backfill(bind):
    products = sa.table(
        "products",
        sa.column("id"),
        sa.column("title"),
        sa.column("brand"),
        sa.column("description"),
        *(sa.column(name) for name in SEARCH_COLUMNS),
    )
    update = (
        sa.update(products)
        .where(products.c.id == sa.bindparam("row_id"))
        .values({name: sa.bindparam(name) for name in SEARCH_COLUMNS})
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(products.c.id, products.c.title, products.c.brand, products.c.description)
            .where(products.c.id > last)
            .order_by(products.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        bind.execute(
            update,
            [
                {
                    "row_id": row.id,
                    "search_title": search_text(row.title),
                    "search_brand": search_text(row.brand),
                    "search_body": search_text(row.description),
                }
                for row in rows
            ],
        )
        last = rows[-1].id


def _refold_vocabulary(bind):
    terms = sa.table("search_terms", sa.column("term"))
    old = bind.execute(sa.select(terms.c.term)).scalars().all()
    new = sorted({w for term in old for w in words(term) if 3 <= len(w) <= 40 and not w.isdigit()})
    if sorted(old) == new:
        return
    bind.execute(sa.delete(terms))
    for start in range(0, len(new), BATCH):
        bind.execute(sa.insert(terms), [{"term": t} for t in new[start : start + BATCH]])


def upgrade():
    bind = op.get_bind()
    dialect = bind.dialect.name
    _drop_index(dialect)
    with op.batch_alter_table("products", schema=None) as batch_op:
        for name in SEARCH_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), server_default="", nullable=False))
    _backfill(bind)
    _create_index(dialect, *SEARCH_COLUMNS)
    _refold_vocabulary(bind)


def downgrade():
    dialect = op.get_bind().dialect.name
    _drop_index(dialect)
    with op.batch_alter_table("products", schema=None) as batch_op:
        for name in reversed(SEARCH_COLUMNS):
            batch_op.drop_column(name)
    _create_index(dialect, "title", "brand", "description")
