"""Reports and the Admin section of API.md, blocking effects, the moderation seam."""

import pytest
import sqlalchemy as sa

from memi.admin.models import AdminActionLog
from memi.notifications.models import Notification
from memi.reports.models import Report


@pytest.fixture
def world(api, make_user, make_product):
    admin, seller, buyer = make_user(name="Admin", role="ADMIN"), make_user(name="Seller"), make_user(name="Buyer")
    product = make_product(seller=seller, title="Designer bag")
    t = {u.name: api.tokens(u)["access_token"] for u in (admin, seller, buyer)}
    return admin, seller, buyer, product, t


def report(api, token, **body):
    return api.post("/reports", token=token, json={"reason": "FRAUD", **body})


def test_reports_rules(api, world):
    admin, seller, buyer, product, t = world
    res = report(api, t["Buyer"], target_type="product", target_id=product.id, details="Asked me to prepay")
    assert res.status_code == 201 and res.get_json()["status"] == "OPEN"
    assert report(api, t["Buyer"], target_type="product", target_id=product.id).status_code == 409
    assert report(api, t["Buyer"], target_type="user", target_id=seller.id).status_code == 201
    assert report(api, t["Buyer"], target_type="user", target_id=buyer.id).status_code == 400
    assert report(api, t["Buyer"], target_type="product", target_id=999999).status_code == 404
    assert report(api, t["Buyer"], target_type="alien", target_id=1).status_code == 400
    assert (
        api.post(
            "/reports", token=t["Buyer"], json={"target_type": "product", "target_id": product.id, "reason": "BORING"}
        ).status_code
        == 400
    )
    assert report(api, None, target_type="product", target_id=product.id).status_code == 401
    # A chat can be reported only by its participants.
    chat = api.post("/chats", token=t["Buyer"], json={"product_id": product.id, "message": "Hi"}).get_json()
    assert report(api, t["Admin"], target_type="chat", target_id=chat["id"]).status_code == 404
    assert report(api, t["Seller"], target_type="chat", target_id=chat["id"]).status_code == 201


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/admin/users"),
        ("post", "/admin/users/1/block"),
        ("post", "/admin/users/1/unblock"),
        ("delete", "/admin/products/1"),
        ("get", "/admin/reports"),
        ("post", "/admin/reports/1/resolve"),
        ("get", "/admin/analytics"),
        ("get", "/admin/actions"),
    ],
)
def test_admin_endpoints_refuse_everyone_else(api, world, method, path):
    _admin, _seller, _buyer, _product, t = world
    body = {"action": "DISMISS"} if "resolve" in path else {}
    assert getattr(api, method)(path, token=t["Buyer"], json=body).status_code == 403
    assert getattr(api, method)(path, json=body).status_code == 401


def test_resolve_remove_product_hides_it_and_notifies_seller_and_reporter(api, world, db):
    admin, seller, buyer, product, t = world
    rid = report(api, t["Buyer"], target_type="product", target_id=product.id).get_json()["id"]
    queue = api.get("/admin/reports?status=OPEN", token=t["Admin"]).get_json()
    assert [r["id"] for r in queue["items"]] == [rid]
    res = api.post(f"/admin/reports/{rid}/resolve", token=t["Admin"], json={"action": "REMOVE_PRODUCT", "note": "Fake"})
    assert res.status_code == 200 and res.get_json()["status"] == "RESOLVED"
    assert api.get(f"/products/{product.id}", token=t["Buyer"]).status_code == 404
    assert api.get(f"/products/{product.id}", token=t["Seller"]).status_code == 200  # the owner still sees it
    assert api.get("/products?q=designer").get_json()["meta"]["total"] == 0
    kinds = lambda user: db.session.scalars(sa.select(Notification.type).where(Notification.user_id == user.id)).all()  # noqa: E731
    assert "listing.removed" in kinds(seller) and "report.resolved" in kinds(buyer)
    assert api.post(f"/admin/reports/{rid}/resolve", token=t["Admin"], json={"action": "DISMISS"}).status_code == 409
    actions = db.session.scalars(sa.select(AdminActionLog.action).order_by(AdminActionLog.id)).all()
    assert actions == ["product.remove", "report.remove_product"]
    log = api.get("/admin/actions", token=t["Admin"]).get_json()
    assert log["meta"]["total"] == 2 and log["items"][0]["admin_id"] == admin.id


def test_blocking_takes_effect_everywhere_and_unblocking_brings_listings_back(api, client, world, db, login):
    admin, seller, buyer, product, t = world
    seller_tokens = api.tokens(seller)
    chat = api.post("/chats", token=t["Buyer"], json={"product_id": product.id, "message": "Hi"}).get_json()
    other = api.post(
        "/products",
        token=t["Buyer"],
        json={"title": "Buyer's coat", "price": "10", "condition": "GOOD", "category": "men-clothing"},
    ).get_json()
    rid = api.post(f"/products/{other['id']}/reservations", token=t["Seller"], json={}).get_json()["id"]
    login(seller)
    assert client.get("/profile").status_code == 200

    res = api.post(f"/admin/users/{seller.id}/block", token=t["Admin"], json={"reason": "Scam"})
    assert res.status_code == 200 and res.get_json()["is_blocked"] is True
    assert client.get("/profile").status_code == 302  # web session ended
    assert api.get("/users/me", token=seller_tokens["access_token"]).status_code in (401, 403)  # access token
    assert api.post("/auth/refresh", json={"refresh_token": seller_tokens["refresh_token"]}).status_code in (401, 403)
    assert api.post("/auth/login", json={"email": seller.email, "password": seller.plain_password}).status_code == 403
    assert api.get("/products?q=designer").get_json()["meta"]["total"] == 0  # out of search
    assert api.get(f"/products/{product.id}").status_code == 404  # public page
    assert api.get(f"/users/{seller.id}").status_code == 404  # public profile
    assert api.get(f"/products/{product.id}", token=t["Admin"]).status_code == 200
    res = api.post(f"/chats/{chat['id']}/messages", token=t["Buyer"], json={"body": "Hello?"})
    assert res.status_code == 403  # chat takes no new messages
    shown = api.get(f"/chats/{chat['id']}", token=t["Buyer"]).get_json()  # and says why, in the API too
    assert shown["blocked"] is True and shown["other_user_blocked"] is True and shown["blocked_by_me"] is False
    from memi.reservations.models import Reservation

    assert db.session.get(Reservation, rid).status == "CANCELLED"  # their open requests
    assert (
        "reservation.cancelled"
        in db.session.scalars(sa.select(Notification.type).where(Notification.user_id == buyer.id)).all()
    )
    page = client.get(f"/chats/{chat['id']}")
    assert page.status_code == 302  # (the seller is logged out) ...
    client.post("/login", data={"email": buyer.email, "password": buyer.plain_password})
    assert "this user is blocked" in client.get(f"/chats/{chat['id']}").get_data(as_text=True)

    api.post(f"/admin/users/{seller.id}/unblock", token=t["Admin"], json={"reason": "Appeal accepted"})
    assert api.get("/products?q=designer").get_json()["meta"]["total"] == 1
    assert api.get(f"/users/{seller.id}").status_code == 200


def test_admin_cannot_block_themselves_and_user_search(api, world):
    admin, seller, _buyer, _product, t = world
    assert api.post(f"/admin/users/{admin.id}/block", token=t["Admin"], json={}).status_code == 400
    found = api.get("/admin/users?q=seller", token=t["Admin"]).get_json()
    assert [u["id"] for u in found["items"]] == [seller.id]
    assert api.get("/admin/users?blocked=true", token=t["Admin"]).get_json()["meta"]["total"] == 0


def test_resolve_block_user_from_a_chat_report_blocks_the_other_participant(api, world, db):
    from memi.users.models import User

    admin, seller, buyer, product, t = world
    chat = api.post("/chats", token=t["Buyer"], json={"product_id": product.id, "message": "Hi"}).get_json()
    rid = report(api, t["Buyer"], target_type="chat", target_id=chat["id"]).get_json()["id"]
    api.post(f"/admin/reports/{rid}/resolve", token=t["Admin"], json={"action": "BLOCK_USER", "note": "Scammer"})
    assert db.session.get(User, seller.id).is_blocked and not db.session.get(User, buyer.id).is_blocked


def test_moderation_blocks_banned_words_and_warns_about_scams(api, world, db):
    _admin, seller, buyer, product, t = world
    res = api.post(
        "/products",
        token=t["Seller"],
        json={"title": "Replica Gucci bag", "price": "10", "condition": "GOOD", "category": "bags"},
    )
    assert res.status_code == 400 and "not allowed" in res.get_json()["error"]["message"]
    chat = api.post("/chats", token=t["Buyer"], json={"product_id": product.id, "message": "Hi"}).get_json()
    res = api.post(
        f"/chats/{chat['id']}/messages",
        token=t["Seller"],
        json={"body": "Please send an advance payment to card 4169 7388 1234 5678"},
    )
    assert res.status_code == 201 and "never pay before" in res.get_json()["warning"]
    system = db.session.scalars(sa.select(Report).where(Report.source == "SYSTEM")).all()
    assert [(r.target_type, r.target_id) for r in system] == [("chat", chat["id"])]
    res = api.post(f"/chats/{chat['id']}/messages", token=t["Seller"], json={"body": "Call me +994 50 123 45 67"})
    assert res.get_json()["warning"]  # moving off the platform: a warning, no report
    res = api.post(f"/chats/{chat['id']}/messages", token=t["Seller"], json={"body": "See you at 5"})
    assert res.get_json()["warning"] is None
