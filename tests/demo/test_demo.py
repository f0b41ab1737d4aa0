"""`flask demo-data`: demo sellers and realistic listings with photos, found by search, on either database."""

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from PIL import Image

from memi import demo
from memi.categories.models import Subcategory
from memi.products.models import CONDITIONS, STATUSES, Product, ProductImage, SearchTerm
from memi.products.search import SearchQuery, search
from memi.products.textfold import fold, search_text
from memi.users.models import User


def _run(app, *args):
    result = app.test_cli_runner().invoke(args=["demo-data", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_data_adds_realistic_listings_with_photos(app, db):
    output = _run(app, "--users", "3", "--products", "40")
    assert "Added 3 users, 40 listings" in output

    with app.test_request_context():
        users = db.session.scalars(sa.select(User).where(User.email.like("demo%@memi.test"))).all()
        assert len(users) == 3
        assert len({u.password_hash for u in users}) == 1  # hashed once, shared
        from memi.auth.passwords import check_password

        assert check_password(demo.DEMO_PASSWORD, users[0].password_hash)

        products = db.session.scalars(sa.select(Product).where(Product.seller_id.in_([u.id for u in users]))).all()
        assert len(products) == 40
        subs = {s.id: s for s in db.session.scalars(sa.select(Subcategory))}
        now = datetime.now(UTC)
        for p in products:
            sub = subs[p.subcategory_id]
            assert sub.category_id == p.category_id
            items = demo.ITEMS[sub.slug][2]
            assert any(en in p.title or az in p.title or demo.RU_ITEMS[en][0] in p.title for en, az in items), (
                p.title,
                sub.slug,
            )
            if p.brand:
                assert p.title.startswith(p.brand)
            assert 3 <= len(p.title) <= 120 and p.description
            assert p.status in STATUSES and p.condition in CONDITIONS
            assert Decimal("5") <= p.price <= Decimal("500")
            assert now - timedelta(days=181) <= p.created_at <= now
            if sub.slug.endswith(("sneakers", "boots", "heels", "sandals")) and sub.category.slug != "kids":
                assert p.size.isdigit() and 35 <= int(p.size) <= 46
            if sub.category.slug == "bags":
                assert p.size == "One size"
            assert p.city
        assert {p.status for p in products} & {"ACTIVE"}
        # Search reads the same folded words the Product listener would have stored.
        for p in products:
            assert (p.search_title, p.search_brand, p.search_body) == (
                search_text(p.title),
                search_text(p.brand),
                search_text(p.description),
            )

        # Search finds a listing by its brand, through the same full-text index as everything else.
        listing = next(p for p in products if p.status == "ACTIVE" and p.brand and re.fullmatch(r"[A-Za-z]+", p.brand))
        found = search(SearchQuery(q=listing.brand.lower(), limit=100))
        assert listing.id in {p.id for p in found.items}
        assert db.session.get(SearchTerm, listing.brand.lower()) is not None

        images = db.session.scalars(
            sa.select(ProductImage).where(ProductImage.product_id.in_([p.id for p in products]))
        ).all()
        per_product = {}
        for image in images:
            per_product.setdefault(image.product_id, []).append(image)
        assert set(per_product) == {p.id for p in products}
        assert all(1 <= len(v) <= 2 for v in per_product.values())
        from memi.uploads.urls import media_url

        sample = images[0]
        urls = (media_url(sample.key), media_url(sample.thumb_key))

    client = app.test_client()
    sizes = []
    for url in urls:
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.mimetype == "image/webp"
            sizes.append(Image.open(io.BytesIO(response.data)).size)
    assert sizes == [(800, 1000), (320, 400)]


def test_demo_data_mixes_azerbaijani_russian_and_english_and_each_is_found(app, db):
    _run(app, "--users", "40", "--products", "400", "--no-photos")
    with app.test_request_context():
        products = db.session.scalars(sa.select(Product)).all()
        cyrillic = [p for p in products if re.search("[а-яё]", p.title)]
        azerbaijani = [p for p in products if re.search("[əğıöüşç]", p.title + p.description)]
        english = [p for p in products if p not in cyrillic and p not in azerbaijani]
        assert len(azerbaijani) > len(cyrillic) > len(english) > 20
        names = db.session.scalars(sa.select(User.name).where(User.email.like("demo%@memi.test"))).all()
        assert any(re.search("[əğıöüşç]", n) for n in names) and any(re.search("[а-я]", n) for n in names)
        cities = {p.city for p in products}
        assert "Baku" in cities and len(cities) > 3
        # A Russian listing is found by its title's words, an Azerbaijani one by its title's words typed
        # without the Azerbaijani letters.
        for language in (cyrillic, azerbaijani):
            listing = next(
                p
                for p in language
                if p.status == "ACTIVE" and re.search("[а-яəğıöüşç]", p.title) and p.removed_at is None
            )
            q = fold(listing.title)
            assert q != listing.title.lower() or language is cyrillic
            assert listing.id in {p.id for p in search(SearchQuery(q=q, limit=100)).items}, q


def test_demo_data_without_photos_adds_more_sellers(app, db):
    _run(app, "--users", "2", "--products", "5", "--no-photos")
    _run(app, "--users", "1", "--products", "0")
    with app.app_context():
        emails = db.session.scalars(sa.select(User.email).where(User.email.like("demo%@memi.test"))).all()
        assert sorted(emails) == ["demo1@memi.test", "demo2@memi.test", "demo3@memi.test"]
        assert db.session.scalar(sa.select(sa.func.count(ProductImage.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 5


def test_russian_adjectives_agree_with_their_noun():
    from memi.demo.generator import _agree

    assert [_agree("чёрный", g) for g in "mfnp"] == ["чёрный", "чёрная", "чёрное", "чёрные"]
    assert [_agree("летний", g) for g in "fnp"] == ["летняя", "летнее", "летние"]
    assert [_agree("классический", g) for g in "fp"] == ["классическая", "классические"]
    assert [_agree("большой", g) for g in "fp"] == ["большая", "большие"]
    assert _agree("в полоску", "f") == "в полоску"
