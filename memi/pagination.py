"""One page of a query, for the API and the web pages alike."""

import math

import sqlalchemy as sa


def paginate(session, query, page, limit):
    """Run `query` (a Select of entities) for one page; returns (items, meta)."""
    total = session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    items = session.scalars(query.limit(limit).offset((page - 1) * limit)).unique().all()
    meta = {"page": page, "limit": limit, "total": total, "pages": math.ceil(total / limit) if total else 0}
    return items, meta
