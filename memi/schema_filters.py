"""What Alembic's autogenerate compares: search machinery created by raw SQL in migrations
(FTS5 tables, the PostgreSQL tsvector column and its GIN/trigram indexes) is not described by the models."""

RAW_SQL_TABLE_PREFIXES = ("products_fts",)
RAW_SQL_COLUMNS = {("products", "search_vector")}
RAW_SQL_INDEXES = {"ix_products_search_vector", "ix_search_terms_trgm"}


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "table" and name and name.startswith(RAW_SQL_TABLE_PREFIXES):
        return False
    if type_ == "column" and (getattr(obj, "table", None) is not None) and (obj.table.name, name) in RAW_SQL_COLUMNS:
        return False
    if type_ == "index" and name in RAW_SQL_INDEXES:
        return False
    return True
