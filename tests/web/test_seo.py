"""What search engines and link previews read: robots.txt, the sitemaps, canonical URLs, noindex on
private pages, a listing's preview card and its schema.org Product (memi.web.seo)."""

import json
import re
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest

from memi.products.models import Product
from memi.products.services import add_images
from memi.products.sitemap import PAGE
from tests.imagedata import image_bytes

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://memi.test"


def meta(body, key):
    """The content of <meta property|name=key>, or None."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', body)
    return match.group(1) if match else None


def canonical(body):
    match = re.search(r'<link rel="canonical" href="([^"]+)">', body)
    return match.group(1).replace("&amp;", "&") if match else None


def json_ld(body):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(match.group(1)) if match else None


@pytest.fixture
def listing_with_photo(app, db, make_product, make_user):
    seller = make_user(name="Nigar")
    product = make_product(seller=seller, description="Worn twice, no stains. Fits true to size.")
    with app.test_request_context():
        [image] = add_images(seller, product.id, [image_bytes()])
        db.session.commit()
    return product, image


def test_listing_has_preview_card_and_structured_data(client, listing_with_photo, app):
    product, image = listing_with_photo
    res = client.get(f"/products/{product.id}")
    body = res.get_data(as_text=True)
    url = f"{BASE}/products/{product.id}"
    assert meta(body, "og:title") == "Blue denim jacket"
    assert meta(body, "og:type") == "product"
    assert meta(body, "og:url") == url
    assert meta(body, "og:image") == f"{BASE}/media/{image.key}"
    assert meta(body, "twitter:card") == "summary_large_image"
    description = meta(body, "description")
    assert description.startswith("45 ₼ · Levi&#39;s · M · Very good. Worn twice")
    assert meta(body, "og:description") == description
    assert canonical(body) == url
    assert meta(body, "robots") is None and "X-Robots-Tag" not in res.headers

    data = json_ld(body)
    assert data["@type"] == "Product" and data["name"] == "Blue denim jacket"
    assert data["brand"] == {"@type": "Brand", "name": "Levi's"}
    assert data["image"] == [f"{BASE}/media/{image.key}"]
    offer = data["offers"]
    assert offer["@type"] == "Offer"
    assert offer["price"] == "45.00" and offer["priceCurrency"] == "AZN"
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["itemCondition"] == "https://schema.org/UsedCondition"
    # The CSP forbids inline scripts; a JSON-LD data block is not one (it is never executed).
    assert "script-src 'self'" in res.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("status", "availability"),
    [("SOLD", "SoldOut"), ("RESERVED", "Reserved")],
)
def test_structured_data_follows_the_listing_status(client, make_product, status, availability):
    product = make_product(status=status, condition="NEW_WITH_TAGS")
    offer = json_ld(client.get(f"/products/{product.id}").get_data(as_text=True))["offers"]
    assert offer["availability"] == f"https://schema.org/{availability}"
    assert offer["itemCondition"] == "https://schema.org/NewCondition"


def test_listing_description_is_cut_at_a_word(client, make_product):
    product = make_product(description="word " * 100)
    description = meta(client.get(f"/products/{product.id}").get_data(as_text=True), "description")
    assert len(description) <= 160 and description.endswith("word…")


def test_json_ld_cannot_close_its_script(client, make_product):
    product = make_product(title="Jacket </script><script>alert(1)</script>")
    body = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert json_ld(body)["name"] == "Jacket </script><script>alert(1)</script>"


def test_robots_txt(client):
    res = client.get("/robots.txt")
    assert res.status_code == 200 and res.mimetype == "text/plain"
    text = res.get_data(as_text=True)
    for private in ("/admin/", "/chats", "/my/", "/settings/", "/sell", "/api/"):
        assert f"Disallow: {private}\n" in text
    assert f"Sitemap: {BASE}/sitemap.xml" in text


def test_sitemap_lists_only_active_public_listings(client, make_product, db):
    shown = make_product()
    hidden = [
        make_product(status="SOLD"),
        make_product(status="RESERVED"),
        make_product(status="DELETED"),
    ]
    removed, blocked = make_product(), make_product()
    db.session.get(Product, removed.id).removed_at = datetime.now(UTC)
    db.session.get(Product, blocked.id).seller.is_blocked = True
    db.session.commit()
    hidden += [removed, blocked]

    index = ElementTree.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    locs = [e.text for e in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    page = (shown.id - 1) // PAGE
    assert f"{BASE}/sitemaps/pages.xml" in locs
    assert f"{BASE}/sitemaps/listings-{page}.xml" in locs

    res = client.get(f"/sitemaps/listings-{page}.xml")
    assert res.mimetype == "application/xml"
    urls = ElementTree.fromstring(res.data).findall("s:url", SITEMAP_NS)
    ids = {int(u.find("s:loc", SITEMAP_NS).text.rsplit("/", 1)[1]) for u in urls}
    assert shown.id in ids
    assert not ids & {p.id for p in hidden}
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", u.find("s:lastmod", SITEMAP_NS).text) for u in urls
    )
    # The next range of ids is another file, and an empty one.
    empty = ElementTree.fromstring(client.get(f"/sitemaps/listings-{page + 1}.xml").data)
    assert empty.findall("s:url", SITEMAP_NS) == []


def test_sitemap_pages_lists_categories(client):
    root = ElementTree.fromstring(client.get("/sitemaps/pages.xml").data)
    locs = [e.text for e in root.findall("s:url/s:loc", SITEMAP_NS)]
    assert f"{BASE}/" in locs
    assert f"{BASE}/search?category=women-clothing" in locs
    assert f"{BASE}/search?category=women-clothing&subcategory=women-jackets-and-coats" in locs


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/register",
        "/forgot-password",
        "/reset-password/not-a-token",
        "/profile",
        "/chats",
        "/notifications",
        "/admin/",
        "/sell",
        "/my/listings",
        "/favorites",
        "/settings/sessions",
    ],
)
def test_private_pages_say_noindex(client, login, make_user, path):
    if path not in ("/login", "/register", "/forgot-password", "/reset-password/not-a-token"):
        login(make_user(role="ADMIN"))
    res = client.get(path)
    body = res.get_data(as_text=True)
    assert res.status_code == (400 if "not-a-token" in path else 200), path
    assert res.headers["X-Robots-Tag"] == "noindex"
    assert meta(body, "robots") == "noindex"
    assert canonical(body) is None


def test_edit_page_and_a_deleted_listing_say_noindex(client, login, make_product, make_user):
    seller = make_user()
    product = make_product(seller=seller, status="DELETED")
    login(seller)
    for path in (f"/products/{product.id}/edit", f"/products/{product.id}"):
        res = client.get(path)
        assert res.headers.get("X-Robots-Tag") == "noindex", path
    assert meta(client.get(f"/products/{product.id}").get_data(as_text=True), "robots") == "noindex"


def test_error_pages_say_noindex(client):
    res = client.get("/products/999999")
    assert res.status_code == 404 and res.headers["X-Robots-Tag"] == "noindex"
    assert meta(res.get_data(as_text=True), "robots") == "noindex"


def test_search_with_a_query_is_noindex_follow_and_a_category_is_indexed(client):
    res = client.get("/search?q=jacket&category=women-clothing")
    assert meta(res.get_data(as_text=True), "robots") == "noindex, follow"
    assert res.headers["X-Robots-Tag"] == "noindex"
    # A tracking parameter makes another URL of the same page, not a search.
    res = client.get("/search?category=women-clothing&page=1&utm_source=x")
    body = res.get_data(as_text=True)
    assert meta(body, "robots") is None and "X-Robots-Tag" not in res.headers
    assert canonical(body) == f"{BASE}/search?category=women-clothing"


def test_canonical_of_public_pages_and_of_a_language_url(client, make_product):
    product = make_product()
    assert canonical(client.get("/").get_data(as_text=True)) == f"{BASE}/"
    assert canonical(client.get(f"/users/{product.seller_id}").get_data(as_text=True)) == (
        f"{BASE}/users/{product.seller_id}"
    )
    body = client.get(f"/products/{product.id}?lang=ru&ref=x").get_data(as_text=True)
    assert canonical(body) == f"{BASE}/products/{product.id}?lang=ru"
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', body))
    assert alternates["ru"] == canonical(body)
    assert alternates["x-default"] == f"{BASE}/products/{product.id}"
