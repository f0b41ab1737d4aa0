"""What Alembic's autogenerate compares: search machinery created by raw SQL in migrations
(FTS5 tables, triggers, generated search columns) is not described by the models."""

RAW_SQL_TABLE_PREFIXES = ("products_fts",)


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "table" and name and name.startswith(RAW_SQL_TABLE_PREFIXES):
        return False
    return True
