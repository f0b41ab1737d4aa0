"""The bare baseline for `make bench`: what the same pages cost with nothing but Flask, raw SQL and one
Jinja template.

No ORM, no sessions, logins, CSRF, favorites, i18n, search logging, typo correction or view counting:
a psycopg2 pool per worker (opened lazily, after gunicorn forks; one connection per request), hand-written
SQL equal in effect to what memi's pages read, and a template compiled once that renders the same 24
cards (photo, price, title, brand, size). Run by bench/run.py under the repo's gunicorn.conf.py:
    gunicorn -c gunicorn.conf.py --pythonpath bench baseline:app
"""

import os
import re
import threading
from decimal import Decimal

import psycopg2.pool
from flask import Flask, abort, g, jsonify, request
from jinja2 import Environment

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1/memi_bench")
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/").rstrip("/")
PAGE_SIZE = 24
API_PAGE_SIZE = 20
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
CONDITIONS = ("NEW_WITH_TAGS", "NEW_WITHOUT_TAGS", "VERY_GOOD", "GOOD", "SATISFACTORY")

# As many connections per worker as SQLAlchemy's default pool allows the app (5 + 10 overflow).
MAX_CONNECTIONS = 15

app = Flask(__name__)
_pool = None
_pool_lock = threading.Lock()
_slots = threading.BoundedSemaphore(MAX_CONNECTIONS)


def pool():
    # Opened on first use, so each gunicorn worker gets its own connections after the fork.
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = psycopg2.pool.ThreadedConnectionPool(1, MAX_CONNECTIONS, DATABASE_URL)
    return _pool


def connection():
    """The request's connection, taken from the pool once (waiting for a free one, as SQLAlchemy does)."""
    if "connection" not in g:
        _slots.acquire()
        try:
            g.connection = pool().getconn()
        except Exception:
            _slots.release()
            raise
        g.connection.autocommit = True
    return g.connection


@app.teardown_appcontext
def _release(exc):
    conn = g.pop("connection", None)
    if conn is not None:
        pool().putconn(conn)
        _slots.release()


def query(sql, params=(), one=False):
    with connection().cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return (rows[0] if rows else None) if one else rows


TEMPLATE = Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} · memi.az</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>
<h1>{{ title }}</h1>
{% if total is not none %}<p>{{ total }} listings</p>{% endif %}
{% if product %}
  <article><h2>{{ product.title }}</h2><p>{{ product.price }} AZN · {{ product.brand or '' }} · {{ product.size or '' }}</p>
  <p>{{ product.description }}</p><p>{{ product.seller_name }}, {{ product.city or '' }} · {{ product.category_name }}</p>
  {% for image in images %}<img src="{{ media }}/{{ image.key }}" width="{{ image.width }}" height="{{ image.height }}" alt="">{% endfor %}
  </article>
{% endif %}
<div class="grid">
{% for p in products %}
  <article class="card"><a href="/products/{{ p.id }}">
    {% if p.thumb_key %}<img src="{{ media }}/{{ p.thumb_key }}" alt="{{ p.title }}" width="400" height="500" loading="lazy">{% endif %}
    <p class="card-price">{{ p.price }} AZN</p><h3>{{ p.title }}</h3>
    <p>{{ [p.brand, p.size]|select|join(' · ') }}</p></a></article>
{% endfor %}
</div></main></body></html>"""
)

CARD_COLUMNS = """p.id, p.title, p.price, p.brand, p.size, p.status,
    (SELECT i.thumb_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS thumb_key"""
VISIBLE = "p.status = 'ACTIVE' AND p.removed_at IS NULL AND NOT u.is_blocked"


def _filters():
    """WHERE clauses and parameters for the query string (the subset the scenarios use)."""
    clauses, params = [VISIBLE], []
    args = request.args
    if args.get("category"):
        clauses.append("p.category_id = (SELECT id FROM categories WHERE slug = %s)")
        params.append(args["category"])
    conditions = [c for c in args.getlist("condition") if c in CONDITIONS]
    if conditions:
        clauses.append("p.condition = ANY(%s)")
        params.append(conditions)
    for name, op in (("min_price", ">="), ("max_price", "<=")):
        if args.get(name):
            clauses.append(f"p.price {op} %s")
            params.append(Decimal(args[name]))
    words = [w.lower() for w in WORD_RE.findall(args.get("q", ""))][:6]
    tsquery = " & ".join(f"{w}:*" for w in words) or None
    if tsquery:
        clauses.append("p.search_vector @@ to_tsquery('simple', %s)")
        params.append(tsquery)
    return " AND ".join(clauses), params, tsquery


def _listings(limit):
    where, params, tsquery = _filters()
    base = f"FROM products p JOIN users u ON u.id = p.seller_id WHERE {where}"  # noqa: S608 (fixed fragments)
    total = query(f"SELECT count(*) AS n {base}", params, one=True)["n"]  # noqa: S608
    if tsquery:
        order, order_params = (
            "ts_rank(p.search_vector, to_tsquery('simple', %s)) DESC, p.created_at DESC, p.id DESC",
            [tsquery],
        )
    else:
        order, order_params = "p.created_at DESC, p.id DESC", []
    rows = query(f"SELECT {CARD_COLUMNS} {base} ORDER BY {order} LIMIT %s", [*params, *order_params, limit])  # noqa: S608
    return rows, total


@app.get("/")
def home():
    products = query(
        f"SELECT {CARD_COLUMNS} FROM products p JOIN users u ON u.id = p.seller_id "  # noqa: S608
        f"WHERE {VISIBLE} ORDER BY p.created_at DESC, p.id DESC LIMIT %s",
        [PAGE_SIZE],
    )
    return TEMPLATE.render(title="Just listed", products=products, total=None, product=None, media=MEDIA_URL)


@app.get("/search")
def browse():
    products, total = _listings(PAGE_SIZE)
    return TEMPLATE.render(title="Search", products=products, total=total, product=None, media=MEDIA_URL)


@app.get("/api/v1/products")
def api_search():
    products, total = _listings(API_PAGE_SIZE)
    items = [
        {
            "id": p["id"],
            "title": p["title"],
            "price": str(p["price"]),
            "brand": p["brand"],
            "size": p["size"],
            "thumb_url": f"{MEDIA_URL}/{p['thumb_key']}" if p["thumb_key"] else None,
        }
        for p in products
    ]
    return jsonify(items=items, meta={"page": 1, "limit": API_PAGE_SIZE, "total": total})


@app.get("/products/<int:product_id>")
def detail(product_id):
    product = query(
        """SELECT p.id, p.seller_id, p.title, p.description, p.price, p.condition, p.brand, p.size, p.color,
                  p.city, p.status, p.created_at, u.name AS seller_name, c.name AS category_name,
                  (SELECT count(*) FROM products s WHERE s.seller_id = p.seller_id AND s.status = 'ACTIVE') AS seller_active
           FROM products p JOIN users u ON u.id = p.seller_id JOIN categories c ON c.id = p.category_id
           WHERE p.id = %s AND p.status IN ('ACTIVE', 'RESERVED', 'SOLD') AND p.removed_at IS NULL AND NOT u.is_blocked""",
        [product_id],
        one=True,
    )
    if product is None:
        abort(404)
    images = query(
        "SELECT key, thumb_key, width, height FROM product_images WHERE product_id = %s ORDER BY position, id",
        [product_id],
    )
    return TEMPLATE.render(
        title=product["title"], product=product, images=images, products=[], total=None, media=MEDIA_URL
    )


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
