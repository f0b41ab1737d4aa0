"""Listing search: filters, sort, pagination, and full-text with prefixes and typo correction.

One interface (`search`), one full-text implementation per dialect: a weighted tsvector with a GIN
index on PostgreSQL, FTS5 on SQLite, both over the folded, stemmed words of the listings (the columns
search_title, search_brand, search_body; see memi.products.textfold). The words of the query are folded
and stemmed by the same rule here and only those tokens reach the tsquery / MATCH expression, so hostile
text (& | ! : * ( \\ NUL ...) is data, never syntax.
"""

import dataclasses
import difflib
import math
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from memi.categories.models import Category, Subcategory
from memi.categories.services import find_by_id_or_slug
from memi.extensions import db
from memi.products.models import CONDITIONS, Product, SearchLog, SearchTerm
from memi.products.textfold import query_forms, words
from memi.products.visibility import public_listings
from memi.statuses import ListingStatus

MAX_TOKENS = 6
# Counting every match of a common word at a million listings costs seconds (measured: 1.3 s for the
# 124,000 listings that say "zara"); past this many the total says "1,000+" and pages end there.
COUNT_CAP = 1000
# Relevance on PostgreSQL ranks the newest RANK_WINDOW matches (ts_rank reads every row it ranks: 1.6 s
# for those 124,000); the matches past them follow, newest first. Fewer matches are all ranked.
RANK_WINDOW = 200
SORTS = ("relevance", "newest", "price_asc", "price_desc")
SEARCHABLE_STATUSES = (ListingStatus.ACTIVE, ListingStatus.RESERVED)


@dataclass
class SearchQuery:
    q: str | None = None
    category: str | None = None
    subcategory: str | None = None
    conditions: list[str] = field(default_factory=list)
    size: str | None = None
    brand: str | None = None
    color: str | None = None
    city: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    seller: int | None = None
    statuses: list[str] = field(default_factory=lambda: [ListingStatus.ACTIVE])
    sort: str | None = None
    page: int = 1
    limit: int = 24

    @property
    def effective_sort(self):
        return self.sort or ("relevance" if self.tokens else "newest")

    @property
    def tokens(self):
        return tokenize(self.q)

    def filters_for_log(self):
        data = {
            k: v
            for k, v in {
                "category": self.category,
                "subcategory": self.subcategory,
                "condition": self.conditions or None,
                "size": self.size,
                "brand": self.brand,
                "color": self.color,
                "city": self.city,
                "min_price": str(self.min_price) if self.min_price is not None else None,
                "max_price": str(self.max_price) if self.max_price is not None else None,
                "seller": self.seller,
                "status": self.statuses if self.statuses != [ListingStatus.ACTIVE] else None,
                "sort": self.sort,
            }.items()
            if v
        }
        return data


@dataclass
class SearchResult:
    items: list
    total: int
    page: int
    limit: int
    corrected_q: str | None = None
    total_is_lower_bound: bool = False  # more than COUNT_CAP matched

    @property
    def pages(self):
        return math.ceil(self.total / self.limit) if self.total else 0


def words_of(text):
    """The folded words of `text` (memi.products.textfold.words), the same way for listings, queries
    and the typo-correction vocabulary: "Dəri Çanta" gives ["deri", "canta"]."""
    return words(text)


def tokenize(text):
    """The folded words of a query, at most MAX_TOKENS of them, each at most 40 characters. Each is
    matched through its forms (textfold.query_forms): as a prefix, or for a Russian word its stem."""
    if not text:
        return []
    seen, out = set(), []
    for w in words_of(text):
        w = w[:40]
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out[:MAX_TOKENS]


class FullText:
    """Dialect-specific full-text matching."""

    rank_window = None  # rank every match

    def match(self, query, tokens):
        """`query` (a Select over Product) narrowed to listings matching every token (as a prefix)."""
        raise NotImplementedError

    def rank(self):
        """ORDER BY expressions for relevance, valid after match(): every listing whose title holds
        all the words comes before any whose words are only in the brand or description."""
        raise NotImplementedError

    def closest_term(self, token):
        """The vocabulary word a misspelled `token` most likely meant, or None. The same on both
        databases, so a typo found on one is found on the other: candidates share the first letter
        and are at most two letters longer or shorter (an index range over the vocabulary's primary
        key, then a few thousand rows at most), ranked by difflib's similarity ratio (0.7 or more), which
        forgives a dropped, added, changed or swapped letter ("lethar", "nkie"). Trigram similarity
        cannot: "nkie" shares one trigram with "nike"."""
        if len(token) < 3:
            return None
        candidates = db.session.scalars(
            sa.select(SearchTerm.term)
            .where(
                SearchTerm.term >= token[0],
                SearchTerm.term < token[0] + "\uffff",
                sa.func.length(SearchTerm.term).between(len(token) - 2, len(token) + 2),
            )
            .limit(5000)
        ).all()
        best = difflib.get_close_matches(token, candidates, n=1, cutoff=0.7)
        return best[0] if best else None

    def known_prefix(self, token):
        return (
            db.session.scalar(
                sa.select(SearchTerm.term).where(SearchTerm.term >= token, SearchTerm.term < token + "\uffff").limit(1)
            )
            is not None
        )


class PostgresFullText(FullText):
    rank_window = RANK_WINDOW

    def _tsquery(self, tokens):
        # Tokens are letters and digits only; each matches through any of its forms, most as a prefix.
        expression = " & ".join(
            "(" + " | ".join(f + (":*" if prefix else "") for f, prefix in query_forms(t)) + ")" for t in tokens
        )
        return sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), sa.bindparam("tsq", expression))

    def match(self, query, tokens):
        self._tokens = tokens
        return query.where(sa.literal_column("products.search_vector").op("@@")(self._tsquery(tokens)))

    def rank(self):
        # Weights A (title) 1.0, B (brand) 0.4, C (description) 0.2, without length normalisation:
        # a title match outranks the others.
        return [sa.func.ts_rank(sa.literal_column("products.search_vector"), self._tsquery(self._tokens)).desc()]


class SqliteFullText(FullText):
    def _expression(self, tokens):
        return " AND ".join(
            "(" + " OR ".join(f'"{f}"' + ("*" if prefix else "") for f, prefix in query_forms(t)) + ")" for t in tokens
        )

    def match(self, query, tokens):
        self._tokens = tokens
        fts = sa.table("products_fts", sa.column("rowid"))
        return query.join(fts, fts.c.rowid == Product.id).where(
            sa.text("products_fts MATCH :fts_match").bindparams(fts_match=self._expression(tokens))
        )

    def rank(self):
        # bm25 alone cannot put titles first: it saturates with the column weights and normalises
        # by the length of the whole row, so a long title lost to a short brand. Title matches are
        # a tier of their own (one extra lookup in the index, done once per query), bm25 orders
        # within each tier (lower is better).
        in_title = sa.text(
            "CASE WHEN products.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH :fts_title) "
            "THEN 0 ELSE 1 END"
        ).bindparams(fts_title="{search_title} : (" + self._expression(self._tokens) + ")")
        return [in_title, sa.text("bm25(products_fts, 10.0, 5.0, 1.0)")]


def full_text():
    return PostgresFullText() if db.session.get_bind().dialect.name == "postgresql" else SqliteFullText()


def _base(query_params: SearchQuery):
    p = query_params
    query = public_listings(p.statuses)
    if p.category:
        cat_id = _id_or_slug(Category, p.category)
        query = query.where(Product.category_id == cat_id)
    if p.subcategory:
        query = query.where(Product.subcategory_id == _id_or_slug(Subcategory, p.subcategory))
    if p.conditions:
        query = query.where(Product.condition.in_(p.conditions))
    for column, value in (
        (Product.size, p.size),
        (Product.brand, p.brand),
        (Product.color, p.color),
        (Product.city, p.city),
    ):
        if value:
            # Case-insensitive on both databases: "m" finds "M", "nike" finds "Nike".
            query = query.where(sa.func.lower(column) == value.strip().lower())
    if p.min_price is not None:
        query = query.where(Product.price >= p.min_price)
    if p.max_price is not None:
        query = query.where(Product.price <= p.max_price)
    if p.seller:
        query = query.where(Product.seller_id == p.seller)
    return query


def _id_or_slug(model, value):
    row = find_by_id_or_slug(model, value)
    return row.id if row is not None else -1  # matches nothing


def _count(query):
    """Matches of `query`, counted up to COUNT_CAP + 1."""
    capped = query.with_only_columns(Product.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(capped))


def _order(params, tokens, engine):
    sort = params.effective_sort if tokens or params.sort != "relevance" else "newest"
    if sort == "relevance" and tokens:
        return "relevance", [*engine.rank(), Product.created_at.desc(), Product.id.desc()]
    if sort == "price_asc":
        return sort, [Product.price.asc(), Product.id.desc()]
    if sort == "price_desc":
        return sort, [Product.price.desc(), Product.id.desc()]
    return "newest", [Product.created_at.desc(), Product.id.desc()]


def _page(query, order, limit, offset):
    return (
        db.session.scalars(query.options(selectinload(Product.images)).order_by(*order).limit(limit).offset(offset))
        .unique()
        .all()
    )


def _run(params, tokens, engine, with_total=True):
    query = _base(params)
    if tokens:
        query = engine.match(query, tokens)
    total = _count(query) if with_total else None
    sort, order = _order(params, tokens, engine)
    offset = (params.page - 1) * params.limit
    window = engine.rank_window
    if sort != "relevance" or window is None or (total is not None and total <= window):
        return _page(query, order, params.limit, offset), total
    # Many matches: rank the newest `window` of them; the rest follow, newest first.
    newest = [Product.created_at.desc(), Product.id.desc()]
    ranked_ids = query.with_only_columns(Product.id).order_by(*newest).limit(window).cte("ranked_window")
    items = []
    if offset < window:
        windowed = query.join(ranked_ids, ranked_ids.c.id == Product.id)
        items = _page(windowed, order, min(params.limit, window - offset), offset)
    if len(items) < params.limit:
        rest = query.where(Product.id.not_in(sa.select(ranked_ids.c.id)))
        items += _page(rest, newest, params.limit - len(items), max(0, offset - window))
    return items, total


def _corrected(tokens, engine):
    """`tokens` with each word the vocabulary does not know replaced by the closest one it does, or
    None when nothing changed."""
    fixed, changed = [], False
    for token in tokens:
        if engine.known_prefix(token):
            fixed.append(token)
            continue
        better = engine.closest_term(token)
        if better:
            fixed.append(better)
            changed = True
        else:
            fixed.append(token)
    return fixed if changed else None


def search(params: SearchQuery, with_total=True) -> SearchResult:
    """Listings matching `params`. When a text query finds nothing, misspelled words are corrected
    against the vocabulary of listed words and the search runs once more ("lether" finds leather).
    `with_total=False` skips counting every match (the home page shows only the newest)."""
    engine = full_text()
    tokens = params.tokens
    items, counted = _run(params, tokens, engine, with_total)
    corrected = None
    if tokens and not items and params.page == 1:
        fixed = _corrected(tokens, engine)
        if fixed:
            items, counted = _run(params, fixed, engine)
            corrected = " ".join(fixed)
    more = counted is not None and counted > COUNT_CAP  # _count stops at COUNT_CAP + 1
    return SearchResult(
        items=items,
        total=COUNT_CAP if more else counted,
        page=params.page,
        limit=params.limit,
        corrected_q=corrected,
        total_is_lower_bound=more,
    )


# Facets: the values of these attributes among the current matches, with how many listings have each.
FACETS = ("size", "brand", "color", "city")
FACET_TOP = 12
# A facet scan reads at most this many matching rows, so a broad search stays within its time budget
# (measured at 100,000 listings on PostgreSQL: bench/README.md). Past the cap the counts are those of
# a bounded sample (`Facet.sampled`); the page then says "about".
FACET_SCAN = 2000


@dataclass
class FacetValue:
    value: str  # as listings spell it (the most common of its spellings)
    count: int


@dataclass
class Facet:
    name: str
    values: list[FacetValue]
    sampled: bool = False  # counted over the newest FACET_SCAN matches only


def _facet_query(params, name, tokens, engine):
    """Matches of `params` without its own `name` filter (picking another size shows what the
    other sizes would give)."""
    query = _base(dataclasses.replace(params, **{name: None}))
    if tokens:
        query = engine.match(query, tokens)
    return query


def facet(params: SearchQuery, name, top=FACET_TOP, prefix=None, tokens=None):
    """The `top` most common values of attribute `name` among the listings matching `params` (all
    its other filters), case-insensitively grouped; `prefix` keeps values starting with it (brand
    type-ahead)."""
    engine = full_text()
    tokens = params.tokens if tokens is None else tokens
    column = getattr(Product, name)
    query = _facet_query(params, name, tokens, engine).where(column.is_not(None), column != "")
    if prefix:
        folded = prefix.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(sa.func.lower(column).like(folded + "%", escape="\\"))
    scanned = query.with_only_columns(column.label("v")).order_by(None).limit(FACET_SCAN + 1).subquery()
    key = sa.func.lower(scanned.c.v)
    n = sa.func.count()
    rows = db.session.execute(
        sa.select(key.label("k"), sa.func.min(scanned.c.v), n, sa.func.sum(n).over())
        .group_by(key)
        .order_by(n.desc(), key)
        .limit(top)
    ).all()
    sampled = bool(rows) and rows[0][3] > FACET_SCAN
    return Facet(name=name, values=[FacetValue(value=r[1], count=r[2]) for r in rows], sampled=sampled)


def _tally(rows, names, top):
    """Facet values of `names` (columns of `rows`, in order), most common first, grouped
    case-insensitively; each shown as its most common spelling."""
    out = {}
    for i, name in enumerate(names):
        counts, spellings = {}, {}
        for row in rows:
            value = row[i]
            if not value or not value.strip():
                continue
            key = value.strip().lower()
            counts[key] = counts.get(key, 0) + 1
            spelled = spellings.setdefault(key, {})
            spelled[value.strip()] = spelled.get(value.strip(), 0) + 1
        best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        out[name] = [
            FacetValue(value=max(spellings[k].items(), key=lambda kv: (kv[1], kv[0]))[0], count=n) for k, n in best
        ]
    return out


def facets(params: SearchQuery, corrected_q=None, top=FACET_TOP):
    """Every facet of FACETS for the matches of `params` (of `corrected_q` instead of its words when
    the search corrected a typo). The facets whose own filter is not set share one scan of the matches; each
    set one scans the matches without its own filter. A scan reads at most FACET_SCAN rows, in no
    particular order: past that the counts are those of a bounded sample (`Facet.sampled`)."""
    engine = full_text()
    tokens = tokenize(corrected_q) if corrected_q else params.tokens
    unset = [n for n in FACETS if not getattr(params, n)]
    scans = ([(unset, params)] if unset else []) + [
        ([n], dataclasses.replace(params, **{n: None})) for n in FACETS if getattr(params, n)
    ]
    found = {}
    for names, scope in scans:
        query = _base(scope)
        if tokens:
            query = engine.match(query, tokens)
        columns = [getattr(Product, n) for n in names]
        rows = db.session.execute(query.with_only_columns(*columns).order_by(None).limit(FACET_SCAN + 1)).all()
        sampled = len(rows) > FACET_SCAN
        for name, values in _tally(rows[:FACET_SCAN], names, top).items():
            found[name] = Facet(name=name, values=values, sampled=sampled)
    return {name: found[name] for name in FACETS}


def count(params: SearchQuery):
    """How many listings match `params`: (count up to COUNT_CAP, whether there are more, the corrected
    words when a typo was corrected, as search() does)."""
    engine = full_text()
    tokens = params.tokens

    def matches(words):
        query = _base(params)
        if words:
            query = engine.match(query, words)
        return _count(query)

    counted, corrected = matches(tokens), None
    if tokens and not counted:
        fixed = _corrected(tokens, engine)
        if fixed:
            counted, corrected = matches(fixed), " ".join(fixed)
    return min(counted, COUNT_CAP), counted > COUNT_CAP, corrected


def log_search(params: SearchQuery, result: SearchResult, user):
    """Usage data: the query, filters and result count (user id only)."""

    if params.page != 1:
        return
    db.session.add(
        SearchLog(
            user_id=user.id if user is not None and getattr(user, "is_authenticated", False) else None,
            query=(params.q or "")[:200] or None,
            filters=params.filters_for_log(),
            result_count=result.total,
        )
    )


__all__ = [
    "CONDITIONS",
    "FACETS",
    "SORTS",
    "Facet",
    "FacetValue",
    "SearchQuery",
    "SearchResult",
    "count",
    "facet",
    "facets",
    "log_search",
    "search",
    "tokenize",
]
