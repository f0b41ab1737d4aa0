"""Search as people in Azerbaijan type it, on both databases: Azerbaijani with or without its letters,
Russian in any form of a word, English; typo correction on folded words; the migration that folds
existing listings."""

import sqlite3

import pytest
import sqlalchemy as sa

from memi.products.textfold import fold, forms, search_text, search_words, words
from tests.test_migrations import STAMP, old_database


def ids(res):
    assert res.status_code == 200, res.get_json()
    return {p["id"] for p in res.get_json()["items"]}


@pytest.fixture
def listings(make_product, make_user):
    seller = make_user(name="Gülnar Əliyeva")
    return {
        "shoes": make_product(
            seller=seller,
            title="Ayaqqabı qara, 38 ölçü",
            brand="Zara",
            description="Cəmi bir dəfə geyinilib.",
            category="women-shoes",
            subcategory="women-sneakers",
        ),
        "bag": make_product(
            seller=seller,
            title="Dəri çanta",
            brand="Mango",
            description="Gülnar xanımın çantası, İçərişəhərdə görüşmək olar.",
            category="bags",
            subcategory="handbags",
        ),
        "bag_plain": make_product(
            seller=seller,
            title="Deri canta qirmizi",
            brand="Guess",
            description="Temizdir.",
            category="bags",
            subcategory="handbags",
        ),
        "sneakers_ru": make_product(
            seller=seller,
            title="Кроссовки Nike белые",
            brand="Nike",
            description="Носил два раза, размер 42.",
            category="men-shoes",
            subcategory="men-sneakers",
        ),
        "pairs_ru": make_product(
            seller=seller,
            title="Пара кроссовок Adidas",
            brand="Adidas",
            description="Продаю, не подошёл размер. Ёлочный узор.",
            category="men-shoes",
            subcategory="men-sneakers",
        ),
        "dress_ru": make_product(
            seller=seller,
            title="Летнее платье в цветочек",
            brand="Mango",
            description="Размер S.",
            category="women-clothing",
            subcategory="women-dresses",
        ),
        "shawl_ru": make_product(
            seller=seller,
            title="Шёлковый платок",
            brand="Vakko",
            description="Можно носить и как шарф.",
            category="accessories",
            subcategory="scarves-and-shawls",
        ),
        "platform_ru": make_product(
            seller=seller,
            title="Босоножки на платформе",
            brand="Zara",
            description="Удобные.",
            category="women-shoes",
            subcategory="women-sandals",
        ),
        "dress_en": make_product(
            seller=seller,
            title="Red summer dress",
            brand="H&M",
            description="Light dress, worn once.",
            category="women-clothing",
            subcategory="women-dresses",
        ),
    }


# ---- the rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,folded",
    [
        ("Ayaqqabı", "ayaqqabi"),
        ("Gülnar", "gulnar"),
        ("Dəri Çanta", "deri canta"),
        ("İÇƏRİŞƏHƏR ŞƏKİ", "icerisheher seki".replace("sh", "s")),
        ("Ağ göy", "ag goy"),
        ("Ёлка", "елка"),
        ("Йод", "йод"),
        ("Café Crème", "cafe creme"),
        ("nike\x00air", "nike air"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_query_words_match_as_prefix_or_russian_stem():
    from memi.products.textfold import query_forms

    assert query_forms("nik") == (("nik", True),)
    assert query_forms("платье") == (("плат", False), ("платье", True))
    assert query_forms("кроссовок") == (("кроссовок", True), ("кроссовк", False))


def test_russian_words_are_stemmed_and_fleeting_vowels_get_both_forms():
    assert forms("кроссовки") == ("кроссовк",)
    assert set(forms("кроссовок")) == {"кроссовок", "кроссовк"}
    assert set(forms("сумок")) == {"сумок", "сумк"}
    assert forms("сумка") == ("сумк",)
    assert forms("ayaqqabi") == ("ayaqqabi",)  # Latin words are folded, not stemmed
    assert search_words("Кроссовки Nike") == ["кроссовк", "nike"]
    assert search_text("Dəri çanta") == "deri canta"
    assert words("H&M, Levi's") == ["h", "m", "levi", "s"]


def test_listings_keep_their_search_text_in_step_with_edits(app, db, listings, make_user):
    from memi.products.models import Product
    from memi.products.services import update_product

    bag = db.session.get(Product, listings["bag"].id)
    assert (bag.search_title, bag.search_brand) == ("deri canta", "mango")
    with app.test_request_context():
        update_product(bag.seller, bag.id, {"title": "Qırmızı gödəkçə", "brand": "Bershka"})
        db.session.commit()
    db.session.expire_all()
    bag = db.session.get(Product, listings["bag"].id)
    assert (bag.search_title, bag.search_brand) == ("qirmizi godekce", "bershka")


# ---- both databases, through the API ------------------------------------------------------------


@pytest.mark.parametrize(
    "q,expected",
    [
        ("ayaqqabi", {"shoes"}),
        ("Ayaqqabı", {"shoes"}),
        ("ayaqq", {"shoes"}),
        ("gulnar", {"bag"}),
        ("Gülnar", {"bag"}),
        ("iceriseherde", {"bag"}),
        ("deri canta", {"bag", "bag_plain"}),
        ("dəri çanta", {"bag", "bag_plain"}),
        ("DƏRİ ÇANTA", {"bag", "bag_plain"}),
        ("qırmızı", {"bag_plain"}),
        ("кроссовки", {"sneakers_ru", "pairs_ru"}),
        ("кроссовок", {"sneakers_ru", "pairs_ru"}),
        ("Кроссовка", {"sneakers_ru", "pairs_ru"}),
        ("кроссовки nike", {"sneakers_ru"}),
        ("белый", {"sneakers_ru"}),
        ("подошел", {"pairs_ru"}),
        ("елочный", {"pairs_ru"}),
        # A whole Russian word matches its stem, not every word that starts like it.
        ("платье", {"dress_ru"}),
        ("платья", {"dress_ru"}),
        ("платок", {"shawl_ru"}),
        ("платки", {"shawl_ru"}),
        ("плат", {"dress_ru", "shawl_ru", "platform_ru"}),  # a word being typed is a prefix
        ("кроссов", {"sneakers_ru", "pairs_ru"}),
        ("summer dress", {"dress_en"}),
        ("dres", {"dress_en"}),
    ],
)
def test_a_listing_is_found_however_its_words_are_typed(api, listings, q, expected):
    assert ids(api.get("/products", query_string={"q": q})) == {listings[k].id for k in expected}


def test_each_language_finds_its_own_listings(api, listings):
    assert ids(api.get("/products", query_string={"q": "geyinilib"})) == {listings["shoes"].id}
    assert ids(api.get("/products", query_string={"q": "размер"})) == {
        listings["sneakers_ru"].id,
        listings["pairs_ru"].id,
        listings["dress_ru"].id,
    }
    assert ids(api.get("/products", query_string={"q": "worn once"})) == {listings["dress_en"].id}


def test_typo_correction_works_on_folded_words(app, api, client, listings):
    from memi.products.search import SearchQuery, search

    with app.app_context():
        result = search(SearchQuery(q="ayaqabı"))
        assert [p.id for p in result.items] == [listings["shoes"].id]
        assert result.corrected_q == "ayaqqabi"
    body = api.get("/products", query_string={"q": "ayaqabi"}).get_json()
    assert {p["id"] for p in body["items"]} == {listings["shoes"].id}
    html = client.get("/search", query_string={"q": "ayaqabi"}, headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Ayaqqabı qara, 38 ölçü" in html and "showing “ayaqqabi”" in html
    body = api.get("/products", query_string={"q": "çantta"}).get_json()
    assert {p["id"] for p in body["items"]} == {listings["bag"].id, listings["bag_plain"].id}


def test_the_vocabulary_holds_folded_words(db, listings):
    from memi.products.models import SearchTerm

    terms = set(db.session.scalars(sa.select(SearchTerm.term)))
    assert {"ayaqqabi", "canta", "gulnar", "кроссовок", "кроссовки"} <= terms
    assert not {"ayaqqabı", "çanta", "gülnar"} & terms


def test_title_matches_still_rank_first_with_folded_words(api, listings):
    res = api.get("/products", query_string={"q": "gulnar canta"})
    # Only the bag with "Gülnar" in its description; its title holds "çanta".
    assert ids(res) == {listings["bag"].id}
    found = [p["id"] for p in api.get("/products", query_string={"q": "canta"}).get_json()["items"]]
    assert set(found) == {listings["bag"].id, listings["bag_plain"].id}


@pytest.mark.parametrize("q", ["ə & ı | !", "кроссовк:* | !", "\x00çanta", "ё" * 150, "(((ş"])
def test_hostile_text_in_other_scripts_is_data(api, listings, q):
    assert api.get("/products", query_string={"q": q}).status_code == 200


def test_the_search_page_folds_too(client, listings):
    html = client.get("/search", query_string={"q": "deri canta"}, headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Dəri çanta" in html and "Deri canta qirmizi" in html
    assert "Red summer dress" not in html


# ---- the migration ------------------------------------------------------------------------------


def test_the_migration_folds_existing_listings_and_vocabulary(tmp_path):
    path, flask = old_database(tmp_path)
    assert flask("db", "upgrade", "0012").returncode == 0  # the revision before the search columns
    assert flask("seed").returncode == 0
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO users (email, password_hash, name, role, is_blocked, auth_epoch, email_prefs, created_at, "
        "updated_at) VALUES ('s@example.az', 'x', 'N', 'USER', 0, 0, '{}', ?, ?)",
        (STAMP, STAMP),
    )
    category = db.execute("SELECT id FROM categories LIMIT 1").fetchone()[0]
    db.execute(
        "INSERT INTO products (seller_id, category_id, title, brand, description, price, condition, status, "
        "favorite_count, view_count, created_at, updated_at) VALUES (1, ?, 'Dəri çanta', 'Gülnar', 'Кроссовок нет', "
        "10, 'GOOD', 'ACTIVE', 0, 0, ?, ?)",
        (category, STAMP, STAMP),
    )
    db.execute("INSERT INTO search_terms (term) VALUES ('çanta'), ('dəri'), ('canta')")
    db.commit()
    db.close()

    upgraded = flask("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    db = sqlite3.connect(path)
    assert db.execute("SELECT search_title, search_brand, search_body FROM products").fetchone() == (
        "deri canta",
        "gulnar",
        "кроссовок кроссовк нет",
    )
    assert db.execute("SELECT rowid FROM products_fts WHERE products_fts MATCH 'canta'").fetchall() == [(1,)]
    assert sorted(t for (t,) in db.execute("SELECT term FROM search_terms")) == ["canta", "deri"]
    db.close()

    downgraded = flask("db", "downgrade", "0012")
    assert downgraded.returncode == 0, downgraded.stderr
    db = sqlite3.connect(path)
    assert db.execute("SELECT rowid FROM products_fts WHERE products_fts MATCH 'çanta'").fetchall() == [(1,)]
    assert "search_title" not in [row[1] for row in db.execute("PRAGMA table_info(products)")]
    db.close()
