"""Demo data: sellers, realistic listings and generated photos, in bulk (`flask demo-data`).

For trying the app and for `make bench`. Rows go in with bulk statements (COPY on PostgreSQL, multi-row
INSERT on SQLite), never one ORM object at a time, so 100,000 listings take well under a minute. Every
demo seller shares one password hash (bcrypt per user would cost minutes) and every listing points at
one or two of a couple of dozen generated photos.

Modules: vocabulary (the words and weights listings are made of), photos (generated pictures),
generator (rows and bulk writes).
"""

from memi.demo.generator import DEFAULT_SEED, DEMO_PASSWORD, analyze, generate
from memi.demo.vocabulary import ITEMS, RU_ITEMS

__all__ = ["DEFAULT_SEED", "DEMO_PASSWORD", "ITEMS", "RU_ITEMS", "analyze", "generate"]
