"""The browse page's filters: pick lists with counts (facets), chips for the active filters, the
sheet's "Show N items", brand type-ahead; the same on SQLite and PostgreSQL."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

from memi.products import search


@pytest.fixture
def wardrobe(make_product, make_user):
    seller = make_user(email="facets@example.az")
    rows = [
        # (title, category, size, brand, color, city, condition)
        ("Denim jacket", "women-clothing", "M", "Levi's", "Blue", "Baku", "GOOD"),
        ("Wool coat", "women-clothing", "m", "Zara", "Black", "Baku", "VERY_GOOD"),
        ("Silk blouse", "women-clothing", "S", "zara", "White", "Ganja", "GOOD"),
        ("Linen dress", "women-clothing", "M", "ZARA", "White", "baku", "NEW_WITH_TAGS"),
        ("Summer skirt", "women-clothing", "L", "Mango", "Red", "Sumqayit", "GOOD"),
        ("Running shoes", "men-shoes", "M", "Nike", "Black", "Baku", "GOOD"),
        ("Court sneakers", "men-shoes", "42", "Nike", "White", "Baku", "VERY_GOOD"),
    ]
    subs = {"women-clothing": "women-dresses", "men-shoes": "men-sneakers"}
    for title, category, size, brand, color, city, condition in rows:
        make_product(
            seller=seller,
            title=title,
            category=category,
            subcategory=subs[category],
            size=size,
            brand=brand,
            color=color,
            city=city,
            condition=condition,
        )


def counts(facet):
    return {v.value.lower(): v.count for v in facet.values}


def test_facet_counts_for_a_filter_combination(app, wardrobe):
    with app.test_request_context():
        found = search.facets(search.SearchQuery(category="women-clothing", size="m", brand="zara"))
    # Each facet counts the listings of every other filter: sizes among the category's Zara, brands
    # among its size M, colours and cities among its size M Zara (grouped whatever the case).
    assert counts(found["size"]) == {"m": 2, "s": 1}
    assert counts(found["brand"]) == {"zara": 2, "levi's": 1}
    assert counts(found["color"]) == {"black": 1, "white": 1}
    assert counts(found["city"]) == {"baku": 2}
    assert found["brand"].values[0].value == "Zara" or found["brand"].values[0].value.lower() == "zara"
    assert not any(f.sampled for f in found.values())


def test_facets_follow_the_words_searched_for(app, wardrobe):
    with app.test_request_context():
        found = search.facets(search.SearchQuery(q="sneakers"))
    assert counts(found["brand"]) == {"nike": 1} and counts(found["size"]) == {"42": 1}


def test_facets_scan_a_bounded_sample(app, wardrobe, monkeypatch):
    monkeypatch.setattr(search, "FACET_SCAN", 3)
    with app.test_request_context():
        found = search.facets(search.SearchQuery())
    assert found["city"].sampled and sum(v.count for v in found["city"].values) == 3


def test_pick_lists_with_counts_replace_the_text_boxes(client, wardrobe):
    html = client.get("/search?category=women-clothing&size=M").get_data(as_text=True)
    size = re.search(r'<select id="f-size".*?</select>', html, re.S).group(0)
    assert re.search(r'<option value="M" selected>M \(3\)</option>', size)
    assert "S (1)" in size and "L (1)" in size
    city = unescape(re.search(r'<select id="f-city".*?</select>', html, re.S).group(0))
    assert re.search(r"Baku \(3\)", city) and "Ganja" not in city  # Ganja's blouse is size S
    assert '<input id="f-brand"' in html and 'list="brand-options"' in html
    brands = re.search(r'<datalist id="brand-options">.*?</datalist>', html, re.S).group(0)
    assert 'value="Zara" label="1 item"' in brands or 'label="1 item"' in brands


def test_brand_type_ahead_lists_brands_of_the_typed_prefix_with_counts(client, wardrobe):
    html = client.get("/search/brands?brand=za&category=women-clothing").get_data(as_text=True)
    assert html.strip().startswith('<datalist id="brand-options">')
    options = re.findall(r'<option value="([^"]+)" label="([^"]+)">', unescape(html))
    assert [(v.lower(), label) for v, label in options] == [("zara", "3 items")]
    assert "<option" not in client.get("/search/brands?brand=q%25_").get_data(as_text=True)


def chip_links(html):
    return [unescape(h) for h in re.findall(r'<a class="filter-chip" href="([^"]+)"', html)]


def test_one_chip_per_active_filter_and_each_removes_exactly_that_filter(client, wardrobe):
    query = [
        ("q", "jacket"),
        ("category", "women-clothing"),
        ("condition", "GOOD"),
        ("condition", "VERY_GOOD"),
        ("size", "M"),
        ("brand", "Levi's"),
        ("color", "Blue"),
        ("city", "Baku"),
        ("min_price", "10"),
        ("max_price", "100"),
        ("page", "1"),
    ]
    from urllib.parse import urlencode

    html = client.get("/search?" + urlencode(query)).get_data(as_text=True)
    links = chip_links(html)
    filters = [pair for pair in query if pair[0] not in ("q", "page")]
    assert len(links) == len(filters)
    for link, removed in zip(links, filters, strict=True):
        left = parse_qsl(urlsplit(link).query)
        assert urlsplit(link).path == "/search"
        assert sorted(left) == sorted(p for p in query if p != removed and p[0] != "page"), removed
    labels = re.findall(r'<a class="filter-chip" href="[^"]+" aria-label="([^"]+)"', html)
    assert unescape(labels[3]) == "Remove filter: Size M"
    # A chip is a plain link: following it gives the page without that filter.
    page = client.get(links[3]).get_data(as_text=True)
    assert len(chip_links(page)) == len(filters) - 1 and "Size M" not in re.sub(
        r"<select.*?</select>", "", page, flags=re.S
    )


def test_no_chips_without_filters(client, wardrobe):
    html = client.get("/search?q=coat").get_data(as_text=True)
    assert chip_links(html) == [] and 'class="filter-chips"' not in html


def test_show_n_items_counts_the_chosen_filters(client, wardrobe):
    answer = client.get("/search/count?category=women-clothing&size=m&city=baku", headers={"HX-Request": "true"})
    html = answer.get_data(as_text=True)
    assert re.search(r'<button id="sheet-apply"[^>]*>Show 3 items</button>', html)
    # The sheet's pick lists follow the chosen filters (out of band).
    assert 'id="facet-fields" class="facet-fields" hx-swap-oob="true"' in html
    results = client.get("/search?category=women-clothing&size=m&city=baku").get_data(as_text=True)
    assert "3 items" in results and results.count('class="card"') == 3
    assert re.search(r'<button id="sheet-apply"[^>]*>\s*Show 3 items\s*</button>', results)
    one = client.get("/search/count?brand=nike&size=42").get_data(as_text=True)
    assert re.search(r">Show 1 item</button>", one)


def test_results_answer_updates_the_pick_lists_and_the_count(client, wardrobe):
    html = client.get("/search?brand=nike", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="results"')
    assert 'hx-swap-oob="true"' in html and 'id="sheet-apply"' in html and "Show 2 items" in html


def test_one_search_box_and_no_empty_sidebar_with_a_query(client, wardrobe):
    html = client.get("/search?q=coat").get_data(as_text=True)
    assert 'id="q-browse"' not in html
    assert html.count('type="search" name="q"') == 2  # the header's (laptop) and its phone row: one each size
    assert '<input type="hidden" name="q" value="coat">' in html
    assert re.search(r'<dialog id="filter-sheet"[^>]*\bopen\b', html)  # open, whatever the query
    assert "<details" not in html.split('id="filters"')[1].split("</form>")[0]


def test_api_search_answer_keeps_its_fields(client, wardrobe):
    body = client.get("/api/v1/products?size=m&brand=zara").get_json()
    assert set(body) == {"items", "meta"} and body["meta"]["total"] == 2


def test_show_n_items_counts_what_the_corrected_words_find(client, wardrobe):
    # The page shows "Wool coat" for the typo "wolo": the sheet says so too, and its pick lists follow.
    html = client.get("/search/count?q=wool").get_data(as_text=True)
    assert ">Show 1 item</button>" in html
    typo = client.get("/search/count?q=wolo").get_data(as_text=True)
    assert ">Show 1 item</button>" in typo and "Black (1)" in typo
