"""The Products, Categories and Favorites sections of API.md."""

import pytest


@pytest.fixture
def seller_token(api, make_user):
    user = make_user(name="Seller", city="Ganja")
    return user, api.tokens(user)["access_token"]


NEW = {
    "title": "Nike Air Max 90",
    "description": "Size 42, worn a few times.",
    "price": "120.50",
    "condition": "GOOD",
    "category": "men-shoes",
    "subcategory": "men-sneakers",
    "size": "42",
    "color": "White",
    "brand": "Nike",
}


def test_create_product_representation(api, seller_token):
    seller, token = seller_token
    res = api.post("/products", token=token, json=NEW)
    assert res.status_code == 201, res.get_json()
    body = res.get_json()
    assert body["status"] == "ACTIVE"
    assert body["price"] == "120.50"
    assert body["city"] == "Ganja"  # the seller's city by default
    assert body["category"] == {"id": body["category"]["id"], "slug": "men-shoes", "name": "Men's shoes"}
    assert body["subcategory"]["slug"] == "men-sneakers"
    assert body["seller"] == {"id": seller.id, "name": "Seller", "avatar_url": None, "city": "Ganja"}
    assert body["is_favorite"] is False and body["favorite_count"] == 0
    assert body["images"] == []
    assert body["created_at"].endswith("Z")


def test_nul_characters_in_a_json_body_are_dropped_not_a_500(api, seller_token):
    """PostgreSQL text cannot hold NUL; a client that sends one gets its text without it."""
    _, token = seller_token
    res = api.post("/products", token=token, json=dict(NEW, title="Nike\u0000 Air", brand="Ni\u0000ke"))
    assert res.status_code == 201, res.get_json()
    assert res.get_json()["title"] == "Nike Air" and res.get_json()["brand"] == "Nike"
    res = api.patch(f"/products/{res.get_json()['id']}", token=token, json={"description": "a\u0000b"})
    assert res.status_code == 200 and res.get_json()["description"] == "ab"


def test_create_ignores_status_seller_and_counters(api, seller_token, make_user):
    seller, token = seller_token
    other = make_user()
    res = api.post("/products", token=token, json=NEW | {"status": "SOLD", "seller_id": other.id, "favorite_count": 99})
    body = res.get_json()
    assert body["status"] == "ACTIVE" and body["seller"]["id"] == seller.id and body["favorite_count"] == 0


@pytest.mark.parametrize(
    "patch,field",
    [
        ({"price": "0"}, "price"),
        ({"price": "-5"}, "price"),
        ({"price": "12.345"}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": True}, "price"),
        ({"condition": "BROKEN"}, "condition"),
        ({"category": "no-such"}, "category"),
        ({"subcategory": "women-dresses"}, "subcategory"),
        ({"title": "x"}, "title"),
        ({"category": 99999999999999999999}, "category"),
        ({"subcategory": "99999999999999999999"}, "subcategory"),
    ],
)
def test_create_validation(api, seller_token, patch, field):
    res = api.post("/products", token=seller_token[1], json=NEW | patch)
    assert res.status_code == 400
    assert field in res.get_json()["error"]["details"]


def test_create_requires_auth(api):
    assert api.post("/products", json=NEW).status_code == 401


def test_owner_edits_others_get_403(api, seller_token, make_user):
    _, token = seller_token
    pid = api.post("/products", token=token, json=NEW).get_json()["id"]
    res = api.patch(f"/products/{pid}", token=token, json={"price": "99", "title": "Nike Air Max 90 white"})
    assert res.status_code == 200 and res.get_json()["price"] == "99.00"
    other = api.tokens(make_user())["access_token"]
    assert api.patch(f"/products/{pid}", token=other, json={"price": "1"}).status_code == 403
    assert api.delete(f"/products/{pid}", token=other).status_code == 403
    assert api.patch(f"/products/{pid}/status", token=other, json={"status": "SOLD"}).status_code == 403


def test_status_transitions(api, seller_token):
    _, token = seller_token
    pid = api.post("/products", token=token, json=NEW).get_json()["id"]

    def move(status):
        return api.patch(f"/products/{pid}/status", token=token, json={"status": status})

    assert move("RESERVED").get_json()["status"] == "RESERVED"
    assert move("ACTIVE").get_json()["status"] == "ACTIVE"
    assert move("SOLD").get_json()["status"] == "SOLD"
    res = move("ACTIVE")
    assert res.status_code == 409 and res.get_json()["error"]["code"] == "conflict"
    assert move("DELETED").status_code == 400
    assert api.patch(f"/products/{pid}", token=token, json={"price": "1"}).status_code == 409


def test_soft_delete_is_404_to_others_but_visible_to_owner(api, seller_token, make_user, db):
    from memi.products.models import Product

    _, token = seller_token
    pid = api.post("/products", token=token, json=NEW).get_json()["id"]
    assert api.delete(f"/products/{pid}", token=token).status_code == 204
    assert db.session.get(Product, pid).status == "DELETED"  # the row stays
    assert api.get(f"/products/{pid}").status_code == 404
    other = api.tokens(make_user())["access_token"]
    assert api.get(f"/products/{pid}", token=other).status_code == 404
    owner_view = api.get(f"/products/{pid}", token=token)
    assert owner_view.status_code == 200 and owner_view.get_json()["status"] == "DELETED"


def test_unknown_product_is_404(api):
    res = api.get("/products/424242")
    assert res.status_code == 404 and res.get_json()["error"]["code"] == "not_found"


def test_favorites_idempotent_and_listed(api, make_product, make_user):
    product = make_product()
    token = api.tokens(make_user())["access_token"]
    for _ in range(2):
        assert api.put(f"/products/{product.id}/favorite", token=token).status_code == 204
    body = api.get(f"/products/{product.id}", token=token).get_json()
    assert body["favorite_count"] == 1 and body["is_favorite"] is True
    favs = api.get("/users/me/favorites", token=token).get_json()
    assert [p["id"] for p in favs["items"]] == [product.id]
    assert favs["meta"] == {"page": 1, "limit": 20, "total": 1, "pages": 1}
    for _ in range(2):
        assert api.delete(f"/products/{product.id}/favorite", token=token).status_code == 204
    body = api.get(f"/products/{product.id}", token=token).get_json()
    assert body["favorite_count"] == 0 and body["is_favorite"] is False
    assert api.put(f"/products/{product.id}/favorite").status_code == 401
    assert api.put("/products/999999/favorite", token=token).status_code == 404


def test_seller_products_lists_active_and_reserved_only(api, make_product, make_user):
    seller = make_user()
    a = make_product(seller=seller, title="Active one")
    r = make_product(seller=seller, title="Reserved one", status="RESERVED")
    make_product(seller=seller, title="Sold one", status="SOLD")
    make_product(seller=seller, title="Deleted one", status="DELETED")
    body = api.get(f"/users/{seller.id}/products").get_json()
    assert {p["id"] for p in body["items"]} == {a.id, r.id}
    assert api.get(f"/users/{seller.id}").get_json()["active_listings"] == 2


def test_categories_tree_and_admin_only_management(api, make_user):
    tree = api.get("/categories").get_json()
    assert any(c["slug"] == "bags" and any(s["slug"] == "backpacks" for s in c["subcategories"]) for c in tree)
    user_token = api.tokens(make_user())["access_token"]
    assert api.post("/categories", token=user_token, json={"name": "Vintage"}).status_code == 403
    assert api.post("/categories", json={"name": "Vintage"}).status_code == 401
    admin_token = api.tokens(make_user(role="ADMIN"))["access_token"]
    vintage = {"name": "Vintage & retro", "name_az": "Vintaj və retro", "name_ru": "Винтаж и ретро"}
    res = api.post("/categories", token=admin_token, json=vintage)
    assert res.status_code == 201 and res.get_json()["slug"] == "vintage-retro"
    cid = res.get_json()["id"]
    assert api.post("/categories", token=admin_token, json=vintage).status_code == 409
    seventies = {"name": "70s", "name_az": "70-ci illər", "name_ru": "70-е", "slug": "seventies"}
    sub = api.post(f"/categories/{cid}/subcategories", token=admin_token, json=seventies)
    assert sub.status_code == 201 and sub.get_json()["slug"] == "seventies"
    assert api.patch(f"/subcategories/{sub.get_json()['id']}", token=user_token, json={"name": "x"}).status_code == 403
    assert api.patch(f"/categories/{cid}", token=admin_token, json={"name": "Vintage"}).get_json()["name"] == "Vintage"
    assert api.delete(f"/subcategories/{sub.get_json()['id']}", token=admin_token).status_code == 204
    assert api.delete(f"/categories/{cid}", token=admin_token).status_code == 204


def test_category_in_use_cannot_be_deleted(api, make_product, make_user):
    product = make_product()
    admin_token = api.tokens(make_user(role="ADMIN"))["access_token"]
    res = api.delete(f"/categories/{product.category_id}", token=admin_token)
    assert res.status_code == 409


def test_api_views_are_recorded_like_page_views(api, make_product, make_user, db):
    import sqlalchemy as sa

    from memi.products.models import Product, ProductView

    seller = make_user()
    product = make_product(seller=seller)
    viewer = make_user()
    assert api.get(f"/products/{product.id}").status_code == 200
    assert api.get(f"/products/{product.id}", token=api.tokens(viewer)["access_token"]).status_code == 200
    assert api.get(f"/products/{product.id}", token=api.tokens(seller)["access_token"]).status_code == 200
    rows = db.session.scalars(sa.select(ProductView.user_id).where(ProductView.product_id == product.id)).all()
    assert sorted(rows, key=lambda u: u or 0) == [None, viewer.id]  # the seller's own view is not counted
    db.session.expire_all()
    assert db.session.get(Product, product.id).view_count == 2
    assert api.get("/products/987654").status_code == 404


def test_patch_subcategory_of_another_category_is_refused(api, seller_token):
    """A women's dress cannot be filed under men's shoes by sending only `subcategory`: 400 naming the
    field, and the listing keeps its place (it does not turn up in the other category's filter)."""
    _, token = seller_token
    pid = api.post("/products", token=token, json=NEW).get_json()["id"]
    res = api.patch(f"/products/{pid}", token=token, json={"subcategory": "women-dresses"})
    assert res.status_code == 400
    assert "subcategory" in res.get_json()["error"]["details"]
    body = api.get(f"/products/{pid}").get_json()
    assert body["category"]["slug"] == "men-shoes" and body["subcategory"]["slug"] == "men-sneakers"
    dresses = api.get("/products?subcategory=women-dresses").get_json()
    assert pid not in [p["id"] for p in dresses["items"]]


def test_patch_answers_with_the_stored_category(api, seller_token):
    """A subcategory of the same category alone, and category with subcategory together, are taken; the
    answer shows what is stored."""
    _, token = seller_token
    pid = api.post("/products", token=token, json=NEW).get_json()["id"]
    res = api.patch(f"/products/{pid}", token=token, json={"subcategory": "men-boots"})
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["category"]["slug"] == "men-shoes" and res.get_json()["subcategory"]["slug"] == "men-boots"
    res = api.patch(f"/products/{pid}", token=token, json={"category": "women-shoes", "subcategory": "women-sneakers"})
    assert res.status_code == 200, res.get_json()
    body = res.get_json()
    assert body["category"]["slug"] == "women-shoes" and body["subcategory"]["slug"] == "women-sneakers"
    assert api.get(f"/products/{pid}").get_json()["category"]["slug"] == "women-shoes"
    res = api.patch(f"/products/{pid}", token=token, json={"category": "men-clothing"})
    assert res.status_code == 200
    assert res.get_json()["category"]["slug"] == "men-clothing" and res.get_json()["subcategory"] is None


def test_a_visitor_counts_once_a_day(app, api, make_product, make_user, db):
    """Reloading a listing does not inflate its views: anyone is counted once per day (a signed-in
    user by account, on any device; anyone else by address and browser), and again the next day."""
    from datetime import timedelta

    import sqlalchemy as sa

    from memi.columns import utcnow
    from memi.products import services
    from memi.products.models import Product, ProductView

    product = make_product()
    viewer = make_user()
    token = api.tokens(viewer)["access_token"]
    firefox, phone = {"User-Agent": "Firefox/130"}, {"User-Agent": "Safari iPhone"}

    def views():
        db.session.expire_all()
        return db.session.get(Product, product.id).view_count

    for _ in range(3):
        assert api.get(f"/products/{product.id}", headers=dict(firefox)).status_code == 200
    assert views() == 1
    api.get(f"/products/{product.id}", headers=dict(phone))  # another browser: another visitor
    assert views() == 2
    api.get(f"/products/{product.id}", headers=dict(firefox), environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert views() == 3  # the same browser from another address
    for headers in (firefox, phone):
        api.get(f"/products/{product.id}", token=token, headers=dict(headers))
    assert views() == 4  # one account, two devices
    rows = db.session.scalars(sa.select(ProductView).where(ProductView.product_id == product.id)).all()
    assert len(rows) == 4 and all("10.1.2.3" not in row.visitor for row in rows)

    # Seen yesterday is not seen today: the same visitors count again.
    with app.app_context():
        yesterday = services.view_day(utcnow()) - timedelta(days=1)
    db.session.execute(sa.update(ProductView).values(day=yesterday))
    db.session.commit()
    api.get(f"/products/{product.id}", headers=dict(firefox))
    api.get(f"/products/{product.id}", token=token)
    assert views() == 6


def test_a_view_does_not_change_when_the_listing_was_last_updated(api, make_product, db):
    """`updated_at` tells clients the listing changed; being looked at is not a change."""
    from datetime import timedelta

    import sqlalchemy as sa

    from memi.columns import utcnow
    from memi.products.models import Product

    product = make_product()
    edited = utcnow() - timedelta(days=2)
    db.session.execute(sa.update(Product).where(Product.id == product.id).values(updated_at=edited))
    db.session.commit()
    before = api.get(f"/products/{product.id}").get_json()["updated_at"]
    api.get(f"/products/{product.id}", headers={"User-Agent": "another browser"})
    db.session.expire_all()
    row = db.session.get(Product, product.id)
    assert row.view_count == 2
    assert abs(row.updated_at - edited) < timedelta(seconds=1)
    assert api.get(f"/products/{product.id}").get_json()["updated_at"] == before
