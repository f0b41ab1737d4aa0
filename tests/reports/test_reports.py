"""Reports: whom an automated report is about, duplicates, own listings, the dialog and the plain page,
the rate limit and the details limit, the reporter's notification."""

import re

import pytest
import sqlalchemy as sa

from memi.notifications.models import Notification
from memi.reports.models import Report
from memi.users.models import User

HX = {"HX-Request": "true"}


@pytest.fixture
def world(api, make_user, make_product):
    admin, seller, buyer = make_user(name="Admin", role="ADMIN"), make_user(name="Seller"), make_user(name="Buyer")
    product = make_product(seller=seller, title="Designer bag")
    t = {u.name: api.tokens(u)["access_token"] for u in (admin, seller, buyer)}
    chat = api.post("/chats", token=t["Buyer"], json={"product_id": product.id, "message": "Hi"}).get_json()
    return admin, seller, buyer, product, chat, t


def system_reports(db):
    return db.session.scalars(sa.select(Report).where(Report.source == "SYSTEM").order_by(Report.id)).all()


def test_block_user_on_an_automated_chat_report_blocks_the_sender_not_the_buyer(api, client, login, world, db):
    admin, seller, buyer, _product, chat, t = world
    res = api.post(f"/chats/{chat['id']}/messages", token=t["Seller"], json={"body": "Send 50 AZN first please"})
    assert res.status_code == 201 and res.get_json()["warning"]
    [report] = system_reports(db)
    assert report.reported_user_id == seller.id and report.message_id == res.get_json()["id"]

    login(admin)
    page = client.get(f"/admin/reports/{report.id}").get_data(as_text=True)
    subject = re.search(r'id="reported-user">(.*?)</p>', page, re.S).group(1)
    assert f'href="/admin/users/{seller.id}"' in subject and "Seller" in subject and "Buyer" not in subject
    assert "Block the reported user (Seller" in page

    res = api.post(f"/admin/reports/{report.id}/resolve", token=t["Admin"], json={"action": "BLOCK_USER"})
    assert res.status_code == 200
    assert db.session.get(User, seller.id).is_blocked and not db.session.get(User, buyer.id).is_blocked


def test_older_automated_chat_reports_are_read_from_their_details(api, world, db):
    from memi.reports.services import reported_user_id

    _admin, seller, buyer, _product, chat, t = world
    message = api.post(f"/chats/{chat['id']}/messages", token=t["Seller"], json={"body": "ok"}).get_json()
    legacy = Report(
        source="SYSTEM", target_type="chat", target_id=chat["id"], chat_id=chat["id"], reason="FRAUD",
        details=f"Possible advance-payment scam: message {message['id']}", status="OPEN",
    )  # fmt: skip
    db.session.add(legacy)
    db.session.flush()
    assert reported_user_id(legacy) == seller.id
    legacy.details = "no message named"
    assert reported_user_id(legacy) is None  # never the buyer by default


def test_no_second_automated_report_while_one_is_open(api, world, db):
    _admin, seller, buyer, _product, chat, t = world
    for body in ("Pay 20 manat upfront", "Нужна предоплата"):
        api.post(f"/chats/{chat['id']}/messages", token=t["Seller"], json={"body": body})
    [report] = system_reports(db)
    assert report.details.count("message") == 2
    # A flagged message from the other participant is about someone else: a report of its own.
    api.post(f"/chats/{chat['id']}/messages", token=t["Buyer"], json={"body": "You pay in advance"})
    assert [r.reported_user_id for r in system_reports(db)] == [seller.id, buyer.id]


def test_owner_cannot_report_their_own_listing(api, client, login, world):
    _admin, seller, _buyer, product, _chat, t = world
    res = api.post("/reports", token=t["Seller"], json={"target_type": "product", "target_id": product.id, "reason": "SPAM"})  # fmt: skip
    assert res.status_code == 403 and res.get_json()["error"]["message"] == "You cannot report your own listing."
    login(seller)
    res = client.get(f"/report/product/{product.id}")
    assert res.status_code == 403 and "You cannot report your own listing." in res.get_data(as_text=True)
    res = client.post(f"/report/product/{product.id}", data={"reason": "SPAM"})
    assert res.status_code == 403


def test_report_form_for_a_chat_one_is_not_in_is_404(client, login, make_user, world):
    _admin, _seller, buyer, _product, chat, _t = world
    login(make_user(name="Stranger"))
    assert client.get(f"/report/chat/{chat['id']}").status_code == 404
    assert client.get("/report/chat/999999").status_code == 404
    assert client.post(f"/report/chat/{chat['id']}", data={"reason": "SPAM"}).status_code == 404
    client.post("/logout")
    login(buyer)
    assert client.get(f"/report/chat/{chat['id']}").status_code == 200


# ---- the dialog and the plain page ----------------------------------------------------------------


def test_report_link_loads_the_form_into_a_dialog(client, login, world):
    _admin, _seller, buyer, product, _chat, _t = world
    login(buyer)
    page = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert '<dialog id="report-dialog"' in page
    link = re.search(r'<a href="(/report/product/\d+[^"]*)" hx-get="([^"]*)" hx-target="#report-dialog-body"', page)
    assert link and link.group(1) == link.group(2)
    res = client.get(link.group(1).replace("&amp;", "&"), headers=HX)
    html = res.get_data(as_text=True)
    assert res.status_code == 200 and "<html" not in html and 'class="report-box"' in html
    assert 'hx-post="/report/product/' in html and 'id="report-title"' in html and "data-dialog-close" in html


def test_htmx_post_confirms_in_place_or_shows_the_errors(client, login, world, db):
    _admin, _seller, buyer, product, _chat, _t = world
    login(buyer)
    url = f"/report/product/{product.id}"
    res = client.post(url, data={"reason": "FRAUD", "details": "x" * 1001}, headers=HX)
    html = res.get_data(as_text=True)
    assert res.status_code == 200 and "<html" not in html  # swapped into the dialog
    assert "Use at most 1000 characters." in html and 'aria-invalid="true"' in html
    res = client.post(url, data={"reason": "BORING"}, headers=HX)
    assert "Must be one of" in res.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 0

    res = client.post(url, data={"reason": "FRAUD", "details": "Asked to prepay"}, headers=HX)
    html = res.get_data(as_text=True)
    assert res.status_code == 200 and "<html" not in html and "Thank you. Our team will look at it soon." in html
    assert "Location" not in res.headers and "<form" not in html
    res = client.post(url, data={"reason": "FRAUD"}, headers=HX)
    assert "You already reported this" in res.get_data(as_text=True)


def test_plain_page_without_javascript(client, login, world):
    _admin, _seller, buyer, product, _chat, _t = world
    login(buyer)
    url = f"/report/product/{product.id}?next=/products/{product.id}"
    page = client.get(url)
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    res = client.post(url, data={"reason": "FRAUD", "details": "x" * 1001})
    assert res.status_code == 400 and "Use at most 1000 characters." in res.get_data(as_text=True)
    res = client.post(url, data={"reason": "FRAUD", "next": f"/products/{product.id}"})
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/products/{product.id}")
    assert "Thank you" in client.get(f"/products/{product.id}").get_data(as_text=True)


def test_reporting_from_the_profile_and_the_chat_page(client, login, world, db):
    _admin, seller, buyer, _product, chat, _t = world
    login(buyer)
    for page_url, kind, target in ((f"/users/{seller.id}", "user", seller.id), (f"/chats/{chat['id']}", "chat", chat["id"])):  # fmt: skip
        page = client.get(page_url).get_data(as_text=True)
        link = re.search(rf'hx-get="(/report/{kind}/{target}[^"]*)"', page).group(1).replace("&amp;", "&")
        assert "<html" not in client.get(link, headers=HX).get_data(as_text=True)
        res = client.post(link, data={"reason": "OFFENSIVE"}, headers=HX)
        assert "Thank you" in res.get_data(as_text=True)
    reports = db.session.scalars(sa.select(Report).order_by(Report.id)).all()
    assert [(r.target_type, r.reported_user_id) for r in reports] == [("user", seller.id), ("chat", seller.id)]


def test_details_limit_in_the_api(api, world):
    _admin, _seller, _buyer, product, _chat, t = world
    body = {"target_type": "product", "target_id": product.id, "reason": "FRAUD"}
    res = api.post("/reports", token=t["Buyer"], json=body | {"details": "x" * 1001})
    assert res.status_code == 400 and "details" in res.get_json()["error"]["details"]
    assert api.post("/reports", token=t["Buyer"], json=body | {"details": "x" * 1000}).status_code == 201


# ---- the rate limit -------------------------------------------------------------------------------


@pytest.fixture
def limited(db, rate_limited_app):
    return rate_limited_app(REPORT_RATE="2 per hour")


def test_report_rate_limit_answers_429_with_the_real_retry_after(limited, make_user, make_product):
    users = [make_user(name=f"Target {i}") for i in range(3)]
    reporter = make_user(name="Busy")
    c = limited.test_client()
    token = c.post("/api/v1/auth/login", json={"email": reporter.email, "password": reporter.plain_password})
    headers = {"Authorization": f"Bearer {token.get_json()['access_token']}"}
    codes = []
    for u in users:
        res = c.post("/api/v1/reports", headers=headers, json={"target_type": "user", "target_id": u.id, "reason": "SPAM"})  # fmt: skip
        codes.append(res.status_code)
    assert codes == [201, 201, 429]
    body = res.get_json()
    assert body["error"]["code"] == "rate_limited" and body["error"]["message"]
    assert 60 < int(res.headers["Retry-After"]) <= 3600  # the hour's window, not a fixed minute

    # The page says so too, with the same header.
    c.post("/login", data={"email": reporter.email, "password": reporter.plain_password})
    res = c.post(f"/report/user/{users[2].id}", data={"reason": "SPAM"})
    assert res.status_code == 429 and 60 < int(res.headers["Retry-After"]) <= 3600
    assert "You have sent many reports" in res.get_data(as_text=True)


# ---- the outcome for the reporter -------------------------------------------------------------------


@pytest.mark.parametrize(
    "action,text",
    [("DISMISS", "no action was needed"), ("BLOCK_USER", "our team acted on it")],
)
def test_reporter_is_told_the_outcome(api, client, login, world, db, action, text):
    _admin, seller, buyer, _product, _chat, t = world
    rid = api.post("/reports", token=t["Buyer"], json={"target_type": "user", "target_id": seller.id, "reason": "SPAM"}).get_json()["id"]  # fmt: skip
    api.post(f"/admin/reports/{rid}/resolve", token=t["Admin"], json={"action": action})
    assert db.session.scalar(sa.select(Notification.type).where(Notification.user_id == buyer.id)) == "report.resolved"
    login(buyer)
    assert text in client.get("/notifications").get_data(as_text=True)
