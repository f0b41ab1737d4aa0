"""Category and subcategory names in Azerbaijani, Russian and English: seeded, shown in the reader's
language on every page and in the API, and managed (all three required) by admins. Slugs never change."""

import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from memi.categories.models import Category, Subcategory, category_name
from memi.categories.taxonomy import TAXONOMY

CYRILLIC = re.compile("[а-яёА-ЯЁ]")
LATIN = re.compile("[a-zA-ZəğıöüşçƏĞİÖÜŞÇ]")


@pytest.fixture
def languages(app, monkeypatch):
    """The three languages on (LANGUAGES is ["en"] until the language switch lands): Accept-Language picks."""
    monkeypatch.setitem(app.config, "LANGUAGES", ["az", "ru", "en"])


def _category(db, slug):
    return db.session.scalars(sa.select(Category).where(Category.slug == slug)).one()


def _subcategory(db, slug):
    return db.session.scalars(sa.select(Subcategory).where(Subcategory.slug == slug)).one()


def _text(res):
    assert res.status_code == 200, res.status_code
    return res.get_data(as_text=True)


# ---- the taxonomy and the helper ---------------------------------------------------------------


def test_every_seeded_name_is_written_in_all_three_languages():
    seen = 0
    for slug, names, subs in TAXONOMY:
        for row_slug, row_names in [(slug, names), *subs]:
            seen += 1
            assert set(row_names) == {"az", "ru", "en"}, row_slug
            assert all(0 < len(name) <= 80 and name == name.strip() for name in row_names.values()), row_slug
            assert CYRILLIC.search(row_names["ru"]) and not LATIN.search(row_names["ru"]), row_slug
            assert LATIN.search(row_names["az"]) and not CYRILLIC.search(row_names["az"]), row_slug
            assert row_names["az"] != row_names["en"], row_slug
    assert seen == 67


def test_seeding_writes_every_name(db):
    dresses = _subcategory(db, "women-dresses")
    assert (dresses.name, dresses.name_az, dresses.name_ru) == ("Dresses", "Donlar", "Платья")
    bags = _category(db, "bags")
    assert (bags.name, bags.name_az, bags.name_ru) == ("Bags", "Çantalar", "Сумки")
    empty = sa.or_(Category.name_az == "", Category.name_ru == "", Category.name == "")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Category).where(empty)) == 0


def test_category_name_follows_the_current_locale(app, db):
    sneakers = _subcategory(db, "men-sneakers")
    with app.test_request_context():
        for locale, name in (("az", "Krossovkalar"), ("ru", "Кроссовки"), ("en", "Sneakers"), ("de", "Sneakers")):
            with force_locale(locale):
                assert category_name(sneakers) == name == sneakers.local_name
        assert category_name(sneakers, "ru_RU") == "Кроссовки"
    assert category_name(sneakers) == "Sneakers"  # no app context: no locale, the source language


# ---- pages -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("languages")
@pytest.mark.parametrize(
    "language,category,subcategory,english_gone",
    [
        ("az", "Qadın geyimləri", "Gödəkçələr və paltolar", True),
        ("ru", "Женская одежда", "Куртки и пальто", True),
        ("en", "Women&#39;s clothing", "Jackets &amp; coats", False),
    ],
)
def test_pages_show_names_in_the_readers_language(
    client, make_product, login, make_user, language, category, subcategory, english_gone
):
    seller = make_user(locale=language)  # signed in, the saved language wins over the header
    product = make_product(seller=seller)
    headers = {"Accept-Language": language}

    home = _text(client.get("/", headers=headers))
    assert category in home and subcategory in home
    browse = _text(client.get("/search?category=women-clothing", headers=headers))
    assert f"<title>{category} · " in browse  # the title and the filters
    assert f'<option value="women-clothing" selected>{category}</option>' in browse
    assert f'<option value="women-jackets-and-coats" >{subcategory}</option>' in browse
    assert f'<optgroup label="{category}">' in browse
    detail = _text(client.get(f"/products/{product.id}", headers=headers))
    assert f"{category} / {subcategory}" in detail
    options = _text(client.get("/sell/subcategories?category=women-clothing", headers=headers))
    assert subcategory in options

    login(seller)
    sell = _text(client.get("/sell", headers=headers))
    assert f'<option value="women-clothing">{category}</option>' in sell
    edit = _text(client.get(f"/products/{product.id}/edit", headers=headers))
    assert f'<option selected value="women-clothing">{category}</option>' in edit
    assert subcategory in edit
    if english_gone:
        for page in (home, browse, detail, sell):
            assert "Women&#39;s clothing" not in page and "Jackets &amp; coats" not in page


@pytest.mark.usefixtures("languages")
def test_one_language_is_never_served_to_another(client):
    """Nothing keeps one reader's category names for the next: the same pages, asked in turn."""
    for language, name in (("ru", "Сумки"), ("az", "Çantalar"), ("ru", "Сумки"), ("en", "Bags"), ("az", "Çantalar")):
        assert f">{name}</a>" in _text(client.get("/", headers={"Accept-Language": language}))
        assert f">{name}</option>" in _text(client.get("/search", headers={"Accept-Language": language}))


# ---- the API -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("languages")
def test_api_category_names_follow_accept_language(api, make_product):
    product = make_product()
    expected = {
        "az": ("Qadın geyimləri", "Donlar"),
        "ru": ("Женская одежда", "Платья"),
        "en": ("Women's clothing", "Dresses"),
    }
    for language in ("ru", "az", "en", "ru"):
        res = api.get("/categories", headers={"Accept-Language": language})
        assert res.status_code == 200 and "Accept-Language" in res.headers["Vary"]
        women = next(c for c in res.get_json() if c["slug"] == "women-clothing")
        dresses = next(s for s in women["subcategories"] if s["slug"] == "women-dresses")
        assert (women["name"], dresses["name"]) == expected[language]
        assert (women["name_az"], women["name_ru"], women["name_en"]) == (
            "Qadın geyimləri",
            "Женская одежда",
            "Women's clothing",
        )
        assert (dresses["name_az"], dresses["name_ru"], dresses["name_en"]) == ("Donlar", "Платья", "Dresses")
        assert isinstance(women["id"], int) and isinstance(dresses["id"], int)

    names = {"az": ("Qadın geyimləri", "Gödəkçələr və paltolar"), "ru": ("Женская одежда", "Куртки и пальто")}
    for language, (category, subcategory) in names.items():
        body = api.get(f"/products/{product.id}", headers={"Accept-Language": language}).get_json()
        assert body["category"] == {"id": product.category_id, "slug": "women-clothing", "name": category}
        assert body["subcategory"]["name"] == subcategory and body["subcategory"]["slug"] == "women-jackets-and-coats"
        listed = api.get("/products?category=women-clothing", headers={"Accept-Language": language}).get_json()
        assert listed["items"][0]["category"]["name"] == category


def test_api_admin_needs_every_name_for_a_new_category(api, make_user, db):
    admin = api.tokens(make_user(role="ADMIN"))["access_token"]
    res = api.post("/categories", token=admin, json={"name": "Vintage", "name_az": "Vintaj"})
    assert res.status_code == 400
    assert set(res.get_json()["error"]["details"]) == {"name_ru"}
    res = api.post("/categories", token=admin, json={"name_az": "Vintaj", "name_ru": "Винтаж", "name_en": " "})
    assert res.status_code == 400 and set(res.get_json()["error"]["details"]) == {"name"}
    res = api.post("/categories", token=admin, json={"name_az": "V" * 81, "name_ru": "Винтаж", "name_en": "Vintage"})
    assert res.status_code == 400 and set(res.get_json()["error"]["details"]) == {"name_az"}
    assert db.session.scalar(sa.select(Category.id).where(Category.slug == "vintage")) is None

    res = api.post("/categories", token=admin, json={"name_az": "Vintaj", "name_ru": "Винтаж", "name_en": "Vintage"})
    assert res.status_code == 201
    body = res.get_json()
    assert (body["slug"], body["name_az"], body["name_ru"], body["name_en"]) == (
        "vintage",
        "Vintaj",
        "Винтаж",
        "Vintage",
    )
    cid = body["id"]
    res = api.patch(f"/categories/{cid}", token=admin, json={"name_ru": "Винтажное"})
    assert res.status_code == 200
    assert (res.get_json()["name_az"], res.get_json()["name_ru"], res.get_json()["slug"]) == (
        "Vintaj",
        "Винтажное",
        "vintage",
    )
    res = api.patch(f"/categories/{cid}", token=admin, json={"name_az": "  "})
    assert res.status_code == 400 and set(res.get_json()["error"]["details"]) == {"name_az"}
    sub = api.post(
        f"/categories/{cid}/subcategories", token=admin, json={"name": "Y2K", "name_az": "Y2K", "name_ru": "Y2K"}
    )
    assert sub.status_code == 201 and sub.get_json()["slug"] == "y2k"
    res = api.patch(f"/subcategories/{sub.get_json()['id']}", token=admin, json={"name_en": "Y2K & 2000s"})
    assert res.get_json()["name_en"] == "Y2K & 2000s" and res.get_json()["slug"] == "y2k"


# ---- the admin page ----------------------------------------------------------------------------


def test_admin_page_shows_and_edits_every_name(client, make_user, login, db):
    login(make_user(role="ADMIN"))
    page = _text(client.get("/admin/categories"))
    bags = _category(db, "bags")
    for field, value in (("name_az", "Çantalar"), ("name_ru", "Сумки"), ("name", "Bags")):
        assert f'name="{field}" value="{value}"' in page
    assert page.count('name="name_az"') == page.count('name="name_ru"') == page.count('name="name"')

    res = client.post(
        "/admin/categories",
        data={"action": "rename-category", "id": bags.id, "name_az": "Çanta", "name_ru": "Сумочки", "name": "Bags"},
    )
    assert res.status_code == 302
    db.session.expire_all()
    bags = _category(db, "bags")
    assert (bags.name_az, bags.name_ru, bags.name, bags.slug) == ("Çanta", "Сумочки", "Bags", "bags")


@pytest.mark.parametrize(
    "names,message",
    [
        ({"name_az": "", "name_ru": "Винтаж", "name": "Vintage"}, "Enter the Azerbaijani name (1 to 80 characters)."),
        ({"name_az": "Vintaj", "name_ru": "   ", "name": "Vintage"}, "Enter the Russian name (1 to 80 characters)."),
        ({"name_az": "Vintaj", "name_ru": "Винтаж"}, "Enter the English name (1 to 80 characters)."),
        ({"name_az": "Vintaj", "name_ru": "В" * 81, "name": "Vintage"}, "Enter the Russian name (1 to 80 characters)."),
    ],
)
def test_admin_page_refuses_a_missing_or_long_name(client, make_user, login, db, names, message):
    login(make_user(role="ADMIN"))
    res = client.post("/admin/categories", data={"action": "create-category", **names}, follow_redirects=True)
    assert message in _text(res)
    assert db.session.scalar(sa.select(Category.id).where(Category.slug.in_(["vintage", "vintaj"]))) is None

    bags_id = _category(db, "bags").id
    sub = _subcategory(db, "backpacks")
    res = client.post(
        "/admin/categories",
        data={"action": "rename-subcategory", "id": sub.id, "name": "", **names},  # the page sends every field
        follow_redirects=True,
    )
    assert message in _text(res)
    db.session.expire_all()
    sub = _subcategory(db, "backpacks")
    assert (sub.name_az, sub.name_ru, sub.name, sub.category_id) == ("Bel çantaları", "Рюкзаки", "Backpacks", bags_id)
