"""One rule for which listings a person may see (memi/products/visibility.py), checked in every place
that shows listings: a blocked seller's listing and a listing an admin removed are invisible there."""

import pytest

from memi.extensions import db as _db

HIDDEN_WORD = "Zanzibarite"


@pytest.fixture
def hidden(api, make_user, make_product):
    """A visible listing, a blocked seller's, and one an admin removed; `fan` favorited all three
    before the admin acted, the admin through the API like on the site."""
    admin = make_user(name="Admin", role="ADMIN")
    fan = make_user(name="Fan")
    kept_seller, blocked_seller, removed_seller = make_user(), make_user(), make_user()
    shown = make_product(
        seller=kept_seller,
        title=f"{HIDDEN_WORD} shown coat",
        category="men-clothing",
        subcategory="men-jackets-and-coats",
    )
    blocked = make_product(
        seller=blocked_seller,
        title=f"{HIDDEN_WORD} blocked coat",
        category="men-clothing",
        subcategory="men-jackets-and-coats",
    )
    removed = make_product(
        seller=removed_seller,
        title=f"{HIDDEN_WORD} removed coat",
        category="men-clothing",
        subcategory="men-jackets-and-coats",
    )
    # A second listing keeps the removed listing's seller (not blocked) on the marketplace.
    make_product(
        seller=removed_seller, title="Plain scarf", category="men-clothing", subcategory="men-jackets-and-coats"
    )
    fan_token = api.tokens(fan)["access_token"]
    for p in (shown, blocked, removed):
        assert api.put(f"/products/{p.id}/favorite", token=fan_token).status_code == 204
    admin_token = api.tokens(admin)["access_token"]
    res = api.post(f"/admin/users/{blocked_seller.id}/block", token=admin_token, json={"reason": "Fraud"})
    assert res.status_code == 200
    res = api.delete(f"/admin/products/{removed.id}", token=admin_token, json={"reason": "Counterfeit"})
    assert res.status_code == 204
    return {
        "admin": admin,
        "fan": fan,
        "fan_token": fan_token,
        "admin_token": admin_token,
        "shown": shown,
        "blocked": blocked,
        "removed": removed,
        "blocked_seller": blocked_seller,
        "removed_seller": removed_seller,
    }


def _ids(res):
    assert res.status_code == 200, res.get_json()
    return {item["id"] for item in res.get_json()["items"]}


def _titles_on(page):
    assert page.status_code == 200
    return {t for t in ("shown", "blocked", "removed") if f"{HIDDEN_WORD} {t} coat" in page.get_data(as_text=True)}


def test_search_api_and_browse_page(api, client, hidden):
    shown = hidden["shown"].id
    assert _ids(api.get(f"/products?q={HIDDEN_WORD}")) == {shown}
    assert _ids(api.get(f"/products?q={HIDDEN_WORD}&status=ACTIVE&status=RESERVED")) == {shown}
    assert _ids(api.get("/products?category=men-clothing&q=coat")) == {shown}
    assert _titles_on(client.get(f"/search?q={HIDDEN_WORD}")) == {"shown"}
    assert _titles_on(client.get("/search?category=men-clothing")) == {"shown"}
    # Signed in as the removed listing's seller or an admin changes nothing in lists.
    assert _ids(api.get(f"/products?q={HIDDEN_WORD}", token=hidden["admin_token"])) == {shown}


def test_search_never_lists_a_status_outside_the_public_ones(app, make_product, hidden):
    from memi.products.search import SearchQuery, search

    make_product(title=f"{HIDDEN_WORD} deleted coat", status="DELETED")
    with app.test_request_context():
        deleted_ok = SearchQuery(q=HIDDEN_WORD, statuses=["ACTIVE", "DELETED"])
        assert {p.id for p in search(deleted_ok).items} == {hidden["shown"].id}


def test_product_page_and_api_get(api, client, login, hidden):
    for key in ("blocked", "removed"):
        pid = hidden[key].id
        assert client.get(f"/products/{pid}").status_code == 404
        assert api.get(f"/products/{pid}").status_code == 404
        assert api.get(f"/products/{pid}", token=hidden["fan_token"]).status_code == 404
        # The owner (when they can still sign in) and admins still open it.
        assert api.get(f"/products/{pid}", token=hidden["admin_token"]).status_code == 200
    owner_token = api.tokens(hidden["removed_seller"])["access_token"]
    assert api.get(f"/products/{hidden['removed'].id}", token=owner_token).status_code == 200
    assert client.get(f"/products/{hidden['shown'].id}").status_code == 200
    login(hidden["fan"])
    assert client.get(f"/products/{hidden['blocked'].id}").status_code == 404
    assert client.get(f"/products/{hidden['removed'].id}").status_code == 404


def test_favorites_page_and_api(api, client, login, hidden):
    assert _ids(api.get("/users/me/favorites", token=hidden["fan_token"])) == {hidden["shown"].id}
    login(hidden["fan"])
    assert _titles_on(client.get("/favorites")) == {"shown"}


def test_seller_page_and_api_listings(api, client, hidden):
    removed_seller, blocked_seller = hidden["removed_seller"], hidden["blocked_seller"]
    items = api.get(f"/users/{removed_seller.id}/products")
    assert hidden["removed"].id not in _ids(items) and len(_ids(items)) == 1
    assert api.get(f"/users/{removed_seller.id}").get_json()["active_listings"] == 1
    page = client.get(f"/users/{removed_seller.id}")
    assert _titles_on(page) == set() and "Plain scarf" in page.get_data(as_text=True)
    assert api.get(f"/users/{blocked_seller.id}/products").status_code == 404
    assert client.get(f"/users/{blocked_seller.id}").status_code == 404


def test_seller_lists_and_counts_leave_out_a_blocked_sellers_listings(app, hidden):
    """The service-level seller lists agreed with the pages only because the pages 404 first."""
    from memi.products.services import seller_listings
    from memi.users.services import active_listing_count

    with app.test_request_context():
        seller = hidden["blocked_seller"]
        assert _db.session.scalars(seller_listings(seller.id)).all() == []
        assert active_listing_count(seller) == 0


def test_admin_sees_the_blocked_sellers_count_as_the_public_does(client, login, hidden):
    """The product page an admin opens shows the seller's public listing count."""
    login(hidden["admin"])
    page = client.get(f"/products/{hidden['blocked'].id}")
    assert page.status_code == 200
    assert "0 items for sale" in page.get_data(as_text=True)
