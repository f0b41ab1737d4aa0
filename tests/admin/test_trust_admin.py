"""The back office against outsiders, bad query strings and CSRF; blocking a seller; restore; the API's
role check before validation; the analytics schema; the user page's reports against them."""

import json
import time

import pytest
import sqlalchemy as sa

from memi.admin.models import AdminActionLog
from memi.notifications.models import Notification
from memi.products.models import Product
from memi.reports.models import Report
from memi.reservations.models import Reservation
from memi.users.models import User
from tests.conftest import base_overrides


@pytest.fixture
def world(api, make_user, make_product):
    admin, seller, buyer = make_user(name="Admin", role="ADMIN"), make_user(name="Seller"), make_user(name="Buyer")
    product = make_product(seller=seller, title="Designer bag")
    t = {u.name: api.tokens(u)["access_token"] for u in (admin, seller, buyer)}
    rid = api.post("/reports", token=t["Buyer"], json={"target_type": "product", "target_id": product.id, "reason": "SPAM"}).get_json()["id"]  # fmt: skip
    return admin, seller, buyer, product, rid, t


def pages(w):
    _admin, seller, _buyer, product, rid, _t = w
    return [
        "/admin/",
        "/admin/users",
        f"/admin/users/{seller.id}",
        "/admin/listings",
        f"/admin/listings/{product.id}",
        "/admin/reports",
        f"/admin/reports/{rid}",
        "/admin/categories",
        "/admin/actions",
    ]


def posts(w):
    _admin, seller, _buyer, product, rid, _t = w
    return [
        (f"/admin/users/{seller.id}", {"action": "block", "reason": "x"}),
        (f"/admin/users/{seller.id}", {"action": "promote"}),
        (f"/admin/listings/{product.id}", {"action": "remove", "reason": "x"}),
        (f"/admin/reports/{rid}", {"action": "REMOVE_PRODUCT"}),
        ("/admin/categories", {"action": "create-category", "name": "Hats", "slug": "hats"}),
    ]


def state(db, w):
    _admin, seller, _buyer, product, rid, _t = w
    db.session.expire_all()
    return (
        db.session.get(User, seller.id).is_blocked,
        db.session.get(User, seller.id).role,
        db.session.get(Product, product.id).removed_at,
        db.session.get(Report, rid).status,
        db.session.scalar(sa.select(sa.func.count(AdminActionLog.id))),
    )


def test_every_admin_page_and_form_refuses_outsiders(client, login, make_user, world, db):
    before = state(db, world)
    for path in pages(world):
        res = client.get(path)
        assert res.status_code == 302 and "/login" in res.headers["Location"], path
    for path, data in posts(world):
        res = client.post(path, data=data)
        assert res.status_code == 302 and "/login" in res.headers["Location"], path
    login(world[2])  # a plain user
    for path in pages(world):
        assert client.get(path).status_code == 403, path
    for path, data in posts(world):
        assert client.post(path, data=data).status_code == 403, path
    assert state(db, world) == before


def test_a_blocked_admin_is_kept_out(client, login, make_user, world, db):
    blocked_admin = make_user(name="Former", role="ADMIN")
    login(blocked_admin)
    db.session.get(User, blocked_admin.id).is_blocked = True
    db.session.commit()
    before = state(db, world)
    for path in pages(world):
        assert client.get(path).status_code in (302, 403), path
    for path, data in posts(world):
        assert client.post(path, data=data).status_code in (302, 403), path
    assert state(db, world) == before


def test_admin_sees_every_page(client, login, world):
    login(world[0])
    for path in pages(world):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("path", ["/admin/users", "/admin/listings", "/admin/reports", "/admin/actions"])
@pytest.mark.parametrize("page", ["99999999999999999999", "10001", "-3", "0", "abc", "1e9", ""])
def test_list_pages_survive_any_page_number(client, login, world, path, page):
    login(world[0])
    res = client.get(f"{path}?page={page}")
    assert res.status_code == 200  # the first page


@pytest.mark.parametrize("arg", ["target_id", "admin_id"])
@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "abc", "2147483648"])
def test_action_log_numeric_filters_are_checked(client, login, world, arg, value):
    login(world[0])
    res = client.get(f"/admin/actions?{arg}={value}")
    assert res.status_code == 400 and "must be an id" in res.get_data(as_text=True)
    assert client.get(f"/admin/actions?{arg}=5").status_code == 200


# ---- CSRF -----------------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(db):
    from memi import create_app

    return create_app(base_overrides(WTF_CSRF_ENABLED=True))


def test_admin_form_and_report_form_need_the_csrf_token(csrf_app, world, db):
    import re

    admin, seller, buyer, product, _rid, _t = world

    def logged_in(user):
        # Logging in needs a token too: take it from the login page.
        c = csrf_app.test_client()
        page = c.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        res = c.post("/login", data={"email": user.email, "password": user.plain_password, "csrf_token": token})
        assert res.status_code == 302
        return c, token

    c, _token = logged_in(buyer)
    res = c.post(f"/report/user/{seller.id}", data={"reason": "SPAM"})
    assert res.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 1  # only the fixture's
    c, token = logged_in(admin)
    res = c.post(f"/admin/users/{seller.id}", data={"action": "block", "reason": "no token"})
    assert res.status_code == 400 and not db.session.get(User, seller.id).is_blocked
    page = c.get(f"/admin/users/{seller.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    res = c.post(f"/admin/users/{seller.id}", data={"action": "block", "reason": "ok", "csrf_token": token})
    assert res.status_code == 302 and db.session.get(User, seller.id).is_blocked  # with the token it works


# ---- blocking a seller -----------------------------------------------------------------------------


def test_blocking_a_seller_cancels_every_open_request_on_their_listings(api, make_user, make_product, world, db):
    admin, seller, buyer, product, _rid, t = world
    held = make_product(seller=seller, title="Held coat")
    other = make_user(name="Other")
    t_other = api.tokens(other)["access_token"]
    requested = api.post(f"/products/{product.id}/reservations", token=t["Buyer"], json={}).get_json()["id"]
    accepted = api.post(f"/products/{held.id}/reservations", token=t_other, json={}).get_json()["id"]
    assert api.post(f"/reservations/{accepted}/accept", token=t["Seller"]).status_code == 200
    assert db.session.get(Product, held.id).status == "RESERVED"

    assert api.post(f"/admin/users/{seller.id}/block", token=t["Admin"], json={"reason": "Scam"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Reservation, requested).status == "CANCELLED"
    assert db.session.get(Reservation, accepted).status == "CANCELLED"
    assert db.session.get(Product, held.id).status == "ACTIVE"  # comes back on sale if unblocked
    for user in (buyer, other):
        kinds = db.session.scalars(sa.select(Notification.type).where(Notification.user_id == user.id)).all()
        assert "reservation.cancelled" in kinds


def test_blocked_sellers_listing_pages_404_and_leave_home_and_browse(client, login, world, db):
    admin, seller, _buyer, product, _rid, t = world
    assert "Designer bag" in client.get("/").get_data(as_text=True)
    assert "Designer bag" in client.get("/search?q=designer").get_data(as_text=True)
    login(admin)
    client.post(f"/admin/users/{seller.id}", data={"action": "block", "reason": "Scam"})
    assert client.get(f"/products/{product.id}").status_code == 200  # admins still see it
    client.post("/logout")
    assert client.get(f"/products/{product.id}").status_code == 404
    assert "Designer bag" not in client.get("/").get_data(as_text=True)
    assert "Designer bag" not in client.get("/search?q=designer").get_data(as_text=True)
    assert "Designer bag" not in client.get("/search").get_data(as_text=True)


# ---- restore, the user page -----------------------------------------------------------------------


def test_restoring_a_listing_that_was_not_removed_is_refused(api, client, login, world, db):
    _admin, _seller, _buyer, product, _rid, _t = world
    login(world[0])
    res = client.post(f"/admin/listings/{product.id}", data={"action": "restore", "reason": "?"}, follow_redirects=True)
    assert "This listing was not removed" in res.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AdminActionLog.id))) == 0
    from memi.admin.services import restore_product
    from memi.errors import Conflict

    with pytest.raises(Conflict):
        restore_product(db.session.get(User, world[0].id), product.id)


def test_user_page_lists_chat_reports_about_them(api, client, login, world, db):
    admin, seller, _buyer, product, _rid, t = world
    chat = api.post("/chats", token=t["Buyer"], json={"product_id": product.id, "message": "Hi"}).get_json()
    chat_report = api.post("/reports", token=t["Buyer"], json={"target_type": "chat", "target_id": chat["id"], "reason": "OFFENSIVE"}).get_json()["id"]  # fmt: skip
    api.post(f"/chats/{chat['id']}/messages", token=t["Seller"], json={"body": "Pay 30 AZN upfront"})
    automated = db.session.scalar(sa.select(Report.id).where(Report.source == "SYSTEM"))
    login(admin)
    page = client.get(f"/admin/users/{seller.id}").get_data(as_text=True)
    against = page.split("Reports against them")[1].split("Reports by them")[0]
    assert f"/admin/reports/{chat_report}" in against and f"/admin/reports/{automated}" in against
    buyer_page = client.get(f"/admin/users/{world[2].id}").get_data(as_text=True)
    assert (
        f'/admin/reports/{chat_report}"' not in buyer_page.split("Reports against them")[1].split("Reports by them")[0]
    )


# ---- the API -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("post", "/admin/reports/{rid}/resolve", {"action": "NUKE"}),
        ("post", "/admin/users/{seller}/block", {"reason": "x" * 600}),
        ("post", "/admin/users/{seller}/unblock", {"reason": "x" * 600}),
        ("delete", "/admin/products/{product}", {"reason": "x" * 600}),
        ("get", "/admin/users?page=0", None),
    ],
)
def test_non_admins_get_403_before_their_body_is_checked(api, world, method, path, body):
    admin, seller, _buyer, product, rid, t = world
    url = path.format(rid=rid, seller=seller.id, product=product.id)
    res = getattr(api, method)(url, token=t["Buyer"], json=body)
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "forbidden"
    assert getattr(api, method)(url, token=t["Admin"], json=body).status_code in (400, 422)


def test_analytics_has_a_response_schema(client, api, world):
    spec = client.get("/api/v1/openapi.json").get_json()
    op = spec["paths"]["/api/v1/admin/analytics"]["get"]
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    body = api.get("/admin/analytics", token=world[5]["Admin"]).get_json()
    assert set(schema["properties"]) == set(body)
    assert schema["properties"]["new_chats_per_day"]["type"] == "array"


# ---- sockets close when the admin blocks -------------------------------------------------------------


@pytest.mark.no_rollback
def test_blocking_through_the_admin_api_closes_the_users_sockets(live_app, live_server):
    import urllib.request

    from simple_websocket import Client, ConnectionClosed

    from memi.auth.services import create_admin
    from memi.extensions import db as _db

    def post(path, body, token=None):
        req = urllib.request.Request(
            live_server + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {}),
        )  # fmt: skip
        with urllib.request.urlopen(req, timeout=5) as res:
            return json.loads(res.read() or b"null")

    with live_app.test_request_context():
        create_admin("boss-sock@memi.az", "admin-password-1", "Boss")
        _db.session.commit()
        _db.session.remove()
    admin = post("/api/v1/auth/login", {"email": "boss-sock@memi.az", "password": "admin-password-1"})
    user = post("/api/v1/auth/register", {"email": "sock-user@example.az", "password": "socket-pass-1", "name": "Sock"})
    ws = Client.connect(live_server.replace("http://", "ws://") + f"/api/v1/ws?token={user['access_token']}")
    time.sleep(0.2)
    post(f"/api/v1/admin/users/{user['user']['id']}/block", {"reason": "Scam"}, admin["access_token"])
    with pytest.raises(ConnectionClosed):
        for _ in range(30):
            ws.receive(timeout=0.1)
    assert ws.close_reason == 1008
