"""POST /admin/users/{id}/role and POST /admin/products/{id}/restore (API.md, Admin)."""

import sqlalchemy as sa

from memi.admin.models import AdminActionLog
from memi.products.models import Product
from memi.users.models import User


def logged(db, target_type, target_id):
    query = sa.select(AdminActionLog).where(
        AdminActionLog.target_type == target_type, AdminActionLog.target_id == target_id
    )
    return [(row.action, row.reason) for row in db.session.scalars(query.order_by(AdminActionLog.id))]


def test_role_change_is_admin_only_and_logged(api, make_user, db):
    admin, target = make_user(role="ADMIN"), make_user(name="Target")
    admin_t, user_t = api.tokens(admin)["access_token"], api.tokens(target)["access_token"]

    assert api.post(f"/admin/users/{target.id}/role", json={"role": "ADMIN"}).status_code == 401
    res = api.post(f"/admin/users/{admin.id}/role", token=user_t, json={"role": "USER"})
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "forbidden"

    res = api.post(f"/admin/users/{target.id}/role", token=admin_t, json={"role": "ADMIN", "reason": "Moderator"})
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["role"] == "ADMIN" and res.get_json()["id"] == target.id
    assert db.session.get(User, target.id).role == "ADMIN"
    res = api.post(f"/admin/users/{target.id}/role", token=admin_t, json={"role": "USER"})
    assert res.status_code == 200 and res.get_json()["role"] == "USER"
    assert logged(db, "user", target.id) == [("user.promote", "Moderator"), ("user.demote", None)]

    for bad in ({}, {"role": "OWNER"}, {"role": None}):
        assert api.post(f"/admin/users/{target.id}/role", token=admin_t, json=bad).status_code == 400, bad
    assert api.post("/admin/users/999999/role", token=admin_t, json={"role": "USER"}).status_code == 404


def test_the_last_admin_cannot_be_demoted(api, make_user, db):
    first, second = make_user(role="ADMIN"), make_user(role="ADMIN")
    make_user(role="ADMIN", blocked=True)  # a blocked admin does not keep the site running
    first_t = api.tokens(first)["access_token"]
    second_t = api.tokens(second)["access_token"]

    res = api.post(f"/admin/users/{first.id}/role", token=first_t, json={"role": "USER", "reason": "Stepping down"})
    assert res.status_code == 200 and res.get_json()["role"] == "USER"  # another admin remains
    res = api.post(f"/admin/users/{second.id}/role", token=second_t, json={"role": "USER"})
    assert res.status_code == 409 and res.get_json()["error"]["code"] == "conflict"
    assert db.session.get(User, second.id).role == "ADMIN"
    assert logged(db, "user", second.id) == []
    # The demoted admin's own token no longer opens the admin endpoints.
    assert api.post(f"/admin/users/{second.id}/role", token=first_t, json={"role": "USER"}).status_code == 403


def test_restore_puts_a_removed_listing_back(api, make_user, make_product, db):
    admin, seller, buyer = make_user(role="ADMIN"), make_user(name="Seller"), make_user(name="Buyer")
    admin_t, buyer_t = api.tokens(admin)["access_token"], api.tokens(buyer)["access_token"]
    product = make_product(seller=seller, title="Silk scarf")

    assert api.post(f"/admin/products/{product.id}/restore", json={"reason": "x"}).status_code == 401
    assert api.post(f"/admin/products/{product.id}/restore", token=buyer_t, json={}).status_code == 403
    res = api.post(f"/admin/products/{product.id}/restore", token=admin_t, json={"reason": "x"})
    assert res.status_code == 409 and res.get_json()["error"]["code"] == "conflict"  # it was not removed

    assert api.delete(f"/admin/products/{product.id}", token=admin_t, json={"reason": "Fake"}).status_code == 204
    assert api.get(f"/products/{product.id}", token=buyer_t).status_code == 404
    res = api.post(f"/admin/products/{product.id}/restore", token=admin_t, json={"reason": "Appeal accepted"})
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["id"] == product.id and res.get_json()["status"] == "ACTIVE"
    assert db.session.get(Product, product.id).removed_at is None
    assert api.get(f"/products/{product.id}", token=buyer_t).status_code == 200
    assert logged(db, "product", product.id) == [("product.remove", "Fake"), ("product.restore", "Appeal accepted")]
    assert api.post("/admin/products/999999/restore", token=admin_t, json={}).status_code == 404


def test_new_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in (
        ("/api/v1/admin/users/{user_id}/role", "post"),
        ("/api/v1/admin/products/{product_id}/restore", "post"),
        ("/api/v1/users/me/products", "get"),
        ("/api/v1/users/me/settings", "get"),
        ("/api/v1/users/me/settings", "patch"),
        ("/api/v1/chats/{chat_id}/messages", "get"),
    ):
        assert method in paths.get(path, {}), path
    messages = paths["/api/v1/chats/{chat_id}/messages"]["get"]["responses"]["200"]["content"]
    assert "MessagePage" in str(messages)
