"""Demo rows in bulk: weighted choices of subcategory, brand, size, colour ..., listing rows, and the
writes (COPY on PostgreSQL, multi-row INSERT on SQLite)."""

import io
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from memi.auth.passwords import hash_password
from memi.categories.models import Category
from memi.categories.services import seed_taxonomy
from memi.demo.photos import PHOTO_SIZE, make_photos
from memi.demo.vocabulary import (
    ADJECTIVES,
    BEAUTY_CONDITION_TEXT,
    BEAUTY_KINDS,
    CATEGORY_WEIGHTS,
    CITIES,
    CITY_AZ,
    CITY_RU,
    CONDITION_PRICE,
    CONDITION_TEXT,
    CONDITION_WEIGHTS,
    EXTRA_TEXT,
    ITEMS,
    KINDS,
    LANGUAGE_WEIGHTS,
    LUXURY,
    MATERIALS,
    MEN_NAMES,
    MODELS,
    RU_ADJECTIVES,
    RU_BEAUTY_CONDITION_TEXT,
    RU_COLOURS,
    RU_CONDITION_TEXT,
    RU_EXTRA_TEXT,
    RU_ITEMS,
    RU_MATERIALS,
    RU_MEN_NAMES,
    RU_SELLER_SHARE,
    RU_SURNAMES,
    RU_WOMEN_NAMES,
    STATUS_WEIGHTS,
    SURNAMES,
    WOMEN_NAMES,
)
from memi.extensions import db
from memi.products import textfold
from memi.products.models import Product, ProductImage, SearchTerm
from memi.users.models import User

DEMO_PASSWORD = "demo-password"
EMAIL_DOMAIN = "memi.test"
DEFAULT_SEED = 20240601
BATCH = 5000
AGE_DAYS = 180

# ---- rows -------------------------------------------------------------------------------------


class _Weighted:
    """Fast repeated weighted choice from a fixed list."""

    def __init__(self, values, weights=None):
        self.values = list(values)
        weights = list(weights) if weights else [1] * len(self.values)
        total, self.cumulative = 0, []
        for w in weights:
            total += w
            self.cumulative.append(total)

    def pick(self, rng):
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


class _Catalogue:
    """Weighted choices prepared once: which subcategory, brand, size, colour ... a listing gets."""

    def __init__(self, categories):
        slots, weights = [], []
        for category in categories:
            subs = [s for s in category.subcategories if s.slug in ITEMS]
            share = CATEGORY_WEIGHTS.get(category.slug, 3)
            for sub in subs:
                slots.append((category.id, sub.id, sub.slug))
                weights.append(share / len(subs))
        if not slots:
            raise RuntimeError("No known subcategories: run `flask seed` first.")
        self.slots = _Weighted(slots, weights)
        self.kinds = {}
        for kind, (brands, sizes, materials, adjectives, colours, prices) in KINDS.items():
            self.kinds[kind] = (
                _Weighted([b for b, _ in brands], [w for _, w in brands]),
                _Weighted(*sizes),
                MATERIALS[materials],
                ADJECTIVES.get(adjectives, []),
                _Weighted([c[:2] for c in colours], [c[2] for c in colours]) if colours else None,
                prices,
            )
        self.conditions = _Weighted(CONDITION_WEIGHTS, CONDITION_WEIGHTS.values())
        self.statuses = _Weighted(STATUS_WEIGHTS, STATUS_WEIGHTS.values())
        self.languages = _Weighted(LANGUAGE_WEIGHTS, LANGUAGE_WEIGHTS.values())


def _model_for(rng, brand, slug):
    models = [m for m, fits in MODELS.get(brand, ()) if slug.endswith(fits)]
    return rng.choice(models) if models and rng.random() < 0.6 else None


def _title(rng, brand, item, colour, material, adjective, model, azerbaijani):
    """e.g. "Zara black leather jacket", "Nike Air Max 90 sneakers", "Mango qara dəri gödəkçə"."""
    i = 1 if azerbaijani else 0
    words = []
    if model:
        words = [brand, model, item[i]]
        if colour and rng.random() < 0.5:
            words.insert(2, colour[i] if azerbaijani else colour[0].lower())
    else:
        roll = rng.random()
        describe = []
        if colour and roll < 0.75:
            describe.append(colour[i] if azerbaijani else colour[0].lower())
        if material and roll < 0.45:
            describe.append(material[i] if azerbaijani else material[0].lower())
        elif adjective and roll >= 0.45:
            describe.append(adjective[i])
        words = ([brand] if brand else []) + describe + [item[i]]
    title = " ".join(words)
    return (title[0].upper() + title[1:])[:120]


_ENDINGS = {  # masculine ending: feminine, neuter, plural (the first that fits)
    "шой": ("шая", "шое", "шие"),
    "ый": ("ая", "ое", "ые"),
    "ой": ("ая", "ое", "ые"),
    "кий": ("кая", "кое", "кие"),
    "ний": ("няя", "нее", "ние"),
}


def _agree(adjective, gender):
    """A Russian adjective agreed with its noun's gender ("чёрный" with a куртка is "чёрная"); fixed
    phrases ("в полоску", "из экокожи") stay as they are."""
    if gender == "m" or " " in adjective:
        return adjective
    for ending, (f, n, p) in _ENDINGS.items():
        if adjective.endswith(ending):
            return adjective[: -len(ending)] + {"f": f, "n": n, "p": p}[gender]
    return adjective


def _title_ru(rng, brand, item, colour, material, adjective, model):
    """e.g. "Nike Air Max 90 кроссовки белые", "Zara чёрная кожаная куртка", "Mango платье в цветочек"."""
    noun, gender = RU_ITEMS[item[0]]
    if model:
        words = [brand, model, noun]
        if colour and rng.random() < 0.5:
            words.append(_agree(RU_COLOURS[colour[0]], gender))
    else:
        roll = rng.random()
        before, after = [], []
        for wanted, word in (
            (colour and roll < 0.75, colour and RU_COLOURS[colour[0]]),
            (material and roll < 0.45, material and RU_MATERIALS[material[0]]),
            (adjective and roll >= 0.45 and not (material and roll < 0.45), adjective and RU_ADJECTIVES[adjective[0]]),
        ):
            if wanted:
                (after if " " in word else before).append(_agree(word, gender))
        words = ([brand] if brand else []) + before + [noun] + after
    title = " ".join(words)
    return (title[0].upper() + title[1:])[:120]


def _description(rng, condition, brand, size, city, language, beauty):
    if language == "ru":
        conditions = RU_BEAUTY_CONDITION_TEXT if beauty else RU_CONDITION_TEXT
        sentences = [rng.choice(conditions[condition])]
        extras = RU_EXTRA_TEXT["any"] + (
            RU_EXTRA_TEXT["wear"] if size and size != "One size" and "ml" not in size else []
        )
        city_name = CITY_RU.get(city, city)
    else:
        i = 1 if language == "az" else 0
        sentences = [rng.choice((BEAUTY_CONDITION_TEXT if beauty else CONDITION_TEXT)[condition][i])]
        extras = EXTRA_TEXT["any"][i] + (
            EXTRA_TEXT["wear"][i] if size and size != "One size" and "ml" not in size else []
        )
        city_name = CITY_AZ.get(city, city) if language == "az" else city
    extras = [s for s in extras if brand or "{brand}" not in s]
    for extra in rng.sample(extras, rng.choice((0, 1, 1, 2))):
        sentences.append(extra.format(brand=brand or "", size=size or "", city=city_name))
    return " ".join(sentences)


def _price(rng, low, high, brand, condition):
    value = low * (high / low) ** (rng.random() ** 1.4)
    value *= LUXURY.get(brand, 1.0) * CONDITION_PRICE[condition]
    value = min(500.0, max(5.0, value))
    cents = rng.random()
    if cents < 0.45:
        amount = Decimal(round(value))
    elif cents < 0.65:
        amount = Decimal(int(value)) + Decimal("0.50")
    elif cents < 0.85:
        amount = Decimal(int(value)) + Decimal("0.99")
    else:
        amount = Decimal(f"{value:.2f}")
    return min(Decimal("500.00"), max(Decimal("5.00"), amount)).quantize(Decimal("0.01"))


PRODUCT_COLUMNS = (
    "id", "seller_id", "category_id", "subcategory_id", "title", "description", "price", "condition", "size", "color",
    "brand", "material", "city", "status", "favorite_count", "view_count", "sold_at", "deleted_at", "removed_at",
    "removed_reason", "created_at", "updated_at", "search_title", "search_brand", "search_body",
)  # fmt: skip
IMAGE_COLUMNS = ("product_id", "key", "thumb_key", "width", "height", "position", "created_at")


def _listings(rng, catalogue, ids, sellers, now):
    """Product rows (tuples in PRODUCT_COLUMNS order) for the given ids; sellers are (id, city) pairs."""
    seller_weights = _Weighted(sellers, [1 / (rank + 1) ** 0.7 for rank in range(len(sellers))])
    for product_id in ids:
        category_id, subcategory_id, slug = catalogue.slots.pick(rng)
        kind, _shape, items = ITEMS[slug]
        brands, sizes, materials, adjectives, colours, (low, high) = catalogue.kinds[kind]
        brand = brands.pick(rng)
        item = rng.choice(items)
        colour = colours.pick(rng) if colours else None
        material = rng.choice(materials) if materials and rng.random() < 0.7 else None
        adjective = rng.choice(adjectives) if adjectives else None
        size = sizes.pick(rng)
        condition = catalogue.conditions.pick(rng)
        status = catalogue.statuses.pick(rng)
        seller_id, seller_city = seller_weights.pick(rng)
        city = seller_city if rng.random() < 0.9 else rng.choice(CITIES)[0]
        language = catalogue.languages.pick(rng)
        model = _model_for(rng, brand, slug) if brand else None
        created = now - timedelta(seconds=int(AGE_DAYS * 86400 * rng.random() ** 1.15))
        closed = min(now, created + timedelta(hours=rng.randint(2, 24 * 30)))
        views = int(rng.paretovariate(1.3) * 8) if status != "DELETED" else rng.randint(0, 20)
        if language == "ru":
            title = _title_ru(rng, brand, item, colour, material, adjective, model)
        else:
            title = _title(rng, brand, item, colour, material, adjective, model, language == "az")
        description = _description(rng, condition, brand, size, city, language, kind in BEAUTY_KINDS)
        yield (
            product_id,
            seller_id,
            category_id,
            subcategory_id,
            title,
            description,
            _price(rng, low, high, brand, condition),
            condition,
            size,
            colour[0] if colour else None,
            brand,
            material[0] if material else None,
            city,
            status,
            min(views // 12, 250),
            min(views, 100_000),
            closed if status == "SOLD" else None,
            closed if status == "DELETED" else None,
            None,
            None,
            created,
            closed if status in ("SOLD", "DELETED", "RESERVED") else created,
            _search_text(title),
            _search_text(brand),
            _search_text(description),
        )


@lru_cache(maxsize=200_000)
def _search_text(text):
    """What the Product listener stores for search (memi.products.textfold); cached, as brands, titles
    and descriptions repeat across a million generated listings."""
    return textfold.search_text(text)


# ---- bulk writing -----------------------------------------------------------------------------


def _dialect():
    return db.session.get_bind().dialect.name


def _copy_text(value):
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


def _write(model, columns, rows):
    """Insert row tuples: COPY on PostgreSQL (through the session's own connection, so it stays in the
    session's transaction), an executemany INSERT elsewhere."""
    if not rows:
        return
    if _dialect() == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(map(_copy_text, row)))
            buffer.write("\n")
        buffer.seek(0)
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = db.session.connection().connection.cursor()
        try:
            cursor.copy_expert(f"COPY {model.__tablename__} ({names}) FROM STDIN", buffer)
        finally:
            cursor.close()
    else:
        db.session.execute(sa.insert(model), [dict(zip(columns, row, strict=True)) for row in rows])


def _reserve_ids(model, count):
    """`count` fresh primary keys for `model`'s table."""
    table = model.__tablename__
    if _dialect() == "postgresql":
        return db.session.scalars(
            sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table, "n": count},
        ).all()
    # SQLite: the session's transaction holds the write lock (BEGIN IMMEDIATE), so max(id) stays ours.
    start = (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
    return list(range(start, start + count))


def _next_demo_number():
    emails = db.session.scalars(sa.select(User.email).where(User.email.like(f"demo%@{EMAIL_DOMAIN}"))).all()
    numbers = [int(e[4 : -len(EMAIL_DOMAIN) - 1]) for e in emails if e[4 : -len(EMAIL_DOMAIN) - 1].isdigit()]
    return max(numbers, default=0) + 1


def _create_users(rng, count, now):
    """Bulk-insert `count` demo sellers sharing one password hash; returns [(id, city)]."""
    password_hash = hash_password(DEMO_PASSWORD)
    first = _next_demo_number()
    cities = _Weighted([c[0] for c in CITIES], [c[2] for c in CITIES])
    rows = []
    for n in range(first, first + count):
        woman = rng.random() < 0.62
        if rng.random() < RU_SELLER_SHARE:
            first_name = rng.choice(RU_WOMEN_NAMES if woman else RU_MEN_NAMES)
            surname = rng.choice(RU_SURNAMES) + ("а" if woman else "")
        else:
            first_name = rng.choice(WOMEN_NAMES if woman else MEN_NAMES)
            surname = rng.choice(SURNAMES) + ("a" if woman else "")
        created = now - timedelta(seconds=rng.randint(AGE_DAYS * 86400, 2 * 365 * 86400))
        rows.append(
            {
                "email": f"demo{n}@{EMAIL_DOMAIN}",
                "password_hash": password_hash,
                "name": f"{first_name} {surname}",
                "city": cities.pick(rng),
                "phone": (
                    f"+994 {rng.choice(('50', '51', '55', '70', '77', '99'))} {rng.randint(200, 999)} "
                    f"{rng.randint(10, 99)} {rng.randint(10, 99)}"
                    if rng.random() < 0.7
                    else None
                ),
                "role": "USER",
                "is_blocked": False,
                "auth_epoch": 0,
                "email_prefs": {},
                "created_at": created,
                "updated_at": created,
            }
        )
    ids = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        ids += db.session.scalars(sa.insert(User).returning(User.id, sort_by_parameter_order=True), batch).all()
    return [(user_id, row["city"]) for user_id, row in zip(ids, rows, strict=True)]


def _index_vocabulary(words):
    """Add the listings' words to the search vocabulary, exactly as services._index_words does."""
    terms = sorted({w for w in words if 3 <= len(w) <= 40 and not w.isdigit()})
    insert = postgresql.insert if _dialect() == "postgresql" else sqlite.insert
    for start in range(0, len(terms), BATCH):
        db.session.execute(
            insert(SearchTerm).values([{"term": t} for t in terms[start : start + BATCH]]).on_conflict_do_nothing()
        )
    return len(terms)


def generate(users=50, products=500, seed=DEFAULT_SEED, with_photos=True, log=None):
    """Add `users` demo sellers and `products` listings (with generated photos unless with_photos is
    False). Flushes but does not commit. Returns counts and timings (seconds)."""
    log = log or (lambda message: None)
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    timings, started = {}, time.perf_counter()

    def lap(name, since):
        timings[name] = round(time.perf_counter() - since, 2)
        return time.perf_counter()

    mark = started
    if not db.session.scalar(sa.select(sa.func.count(Category.id))):
        seed_taxonomy()
    categories = db.session.scalars(
        sa.select(Category).options(selectinload(Category.subcategories)).order_by(Category.position, Category.id)
    ).all()
    catalogue = _Catalogue(categories)

    photos = None
    if with_photos and products:
        photos = make_photos()
        mark = lap("photos", mark)
        log(f"photos: {sum(map(len, (photos or {}).values()))} generated in {timings['photos']}s")

    sellers = _create_users(rng, users, now)
    if products and not sellers:
        raise ValueError("Listings need at least one demo seller.")
    mark = lap("users", mark)
    log(f"users: {len(sellers)} in {timings['users']}s")

    shapes = {slug: shape for slug, (_kind, shape, _items) in ITEMS.items()}
    slug_of = {sub.id: sub.slug for category in categories for sub in category.subcategories}
    words, image_count, written = set(), 0, 0
    for start in range(0, products, BATCH):
        ids = _reserve_ids(Product, min(BATCH, products - start))
        rows = list(_listings(rng, catalogue, ids, sellers, now))
        _write(Product, PRODUCT_COLUMNS, rows)
        images = []
        for row in rows:
            words.update(textfold.words(f"{row[4]} {row[10] or ''} {row[5]}"))
            if photos:
                choices = photos[shapes[slug_of[row[3]]]]
                picked = rng.sample(choices, 1 if rng.random() < 0.55 else 2)
                for position, (key, thumb_key) in enumerate(picked):
                    images.append((row[0], key, thumb_key, PHOTO_SIZE[0], PHOTO_SIZE[1], position, row[20]))
        _write(ProductImage, IMAGE_COLUMNS, images)
        image_count += len(images)
        written += len(rows)
        if products > BATCH:
            log(f"  listings: {written}/{products} ({time.perf_counter() - mark:.1f}s)")
    mark = lap("products", mark)
    log(f"listings: {written} and {image_count} photo rows in {timings['products']}s")

    terms = _index_vocabulary(words)
    db.session.flush()
    lap("vocabulary", mark)
    log(f"search vocabulary: {terms} words in {timings['vocabulary']}s")
    timings["total"] = round(time.perf_counter() - started, 2)
    return {"users": len(sellers), "products": written, "images": image_count, "terms": terms, "timings": timings}


def analyze():
    """After a bulk load on PostgreSQL: move the GIN indexes' pending entries into the index proper (a
    bulk insert leaves them in the unsorted pending list, which every search would scan until the next
    vacuum) and refresh the planner's statistics. A no-op elsewhere."""
    if _dialect() != "postgresql":
        return
    db.session.execute(
        sa.text(
            """SELECT gin_clean_pending_list(i.indexrelid)
               FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
               WHERE am.amname = 'gin' AND i.indrelid IN ('products'::regclass, 'search_terms'::regclass)"""
        )
    )
    db.session.commit()
    # VACUUM (not only ANALYZE) sets the visibility map, so counts by status can be index-only scans.
    # Maintenance is not held to the web's statement timeout, and it skips truncating empty pages at
    # the tables' ends: that step waits for an exclusive lock behind every open reader of the table.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("SET statement_timeout = 0"))
        conn.execute(sa.text("VACUUM (ANALYZE, TRUNCATE false) users, products, product_images, search_terms"))
        conn.execute(sa.text("RESET statement_timeout"))
