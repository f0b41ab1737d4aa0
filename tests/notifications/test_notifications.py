"""Notifications in-app and by email: who is told what, batching, settings, unsubscribe."""

import re

import pytest
import sqlalchemy as sa

from memi.mail.models import OutgoingEmail
from memi.notifications.models import Notification


@pytest.fixture
def sale(api, make_user, make_product):
    seller, buyer, fan = make_user(name="Seller"), make_user(name="Buyer"), make_user(name="Fan")
    product = make_product(seller=seller, title="Green parka", price="80")
    token = {u.name: api.tokens(u)["access_token"] for u in (seller, buyer, fan)}
    return seller, buyer, fan, product, token


def types_for(db, user):
    return db.session.scalars(
        sa.select(Notification.type).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def emails_to(db, user):
    return db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.to_email == user.email)).all()


def test_new_message_notifies_and_emails_are_batched_per_chat(api, sale, db):
    seller, buyer, _fan, product, token = sale
    chat = api.post("/chats", token=token["Buyer"], json={"product_id": product.id, "message": "Hi!"}).get_json()
    api.post(f"/chats/{chat['id']}/messages", token=token["Buyer"], json={"body": "Are you there?"})
    assert types_for(db, seller) == ["message.new", "message.new"]
    mails = emails_to(db, seller)
    assert len(mails) == 1  # one email per chat per 10 minutes, not one per message
    assert "Hi!" in mails[0].body_text and f"/chats/{chat['id']}" in mails[0].body_text
    assert "/unsubscribe/" in mails[0].body_text and mails[0].body_html
    assert types_for(db, buyer) == []


def test_reservation_lifecycle_notifies_the_other_side(api, sale, db):
    seller, buyer, _fan, product, token = sale
    rid = api.post(f"/products/{product.id}/reservations", token=token["Buyer"], json={}).get_json()["id"]
    assert types_for(db, seller) == ["reservation.requested"]
    api.post(f"/reservations/{rid}/accept", token=token["Seller"])
    assert types_for(db, buyer) == ["reservation.accepted"]
    api.post(f"/reservations/{rid}/cancel", token=token["Buyer"])
    assert types_for(db, seller) == ["reservation.requested", "reservation.cancelled"]
    assert [m.kind for m in emails_to(db, seller)] == ["reservation.requested", "reservation.cancelled"]


def test_favoriters_hear_about_status_and_price_changes_in_app_only_by_default(api, sale, db):
    seller, _buyer, fan, product, token = sale
    api.put(f"/products/{product.id}/favorite", token=token["Fan"])
    api.patch(f"/products/{product.id}", token=token["Seller"], json={"price": "60"})
    api.patch(f"/products/{product.id}/status", token=token["Seller"], json={"status": "RESERVED"})
    api.patch(f"/products/{product.id}/status", token=token["Seller"], json={"status": "ACTIVE"})
    api.patch(f"/products/{product.id}/status", token=token["Seller"], json={"status": "SOLD"})
    assert types_for(db, fan) == [
        "favorite.price_dropped",
        "favorite.reserved",
        "favorite.back_on_sale",
        "favorite.sold",
    ]
    assert emails_to(db, fan) == []  # favorites email is off unless the user turns it on
    assert types_for(db, seller) == []


def test_notifications_api_list_read_and_read_all(api, sale):
    _seller, _buyer, _fan, product, token = sale
    api.post("/chats", token=token["Buyer"], json={"product_id": product.id, "message": "One"})
    api.post(f"/products/{product.id}/reservations", token=token["Buyer"], json={})
    body = api.get("/notifications", token=token["Seller"]).get_json()
    assert body["meta"]["total"] == 2
    assert [n["type"] for n in body["items"]] == ["reservation.requested", "message.new"]  # newest first
    first = body["items"][0]
    assert first["read_at"] is None and first["created_at"].endswith("Z") and first["payload"]["title"] == "Green parka"
    assert api.post(f"/notifications/{first['id']}/read", token=token["Seller"]).status_code == 204
    assert api.get("/notifications?unread=true", token=token["Seller"]).get_json()["meta"]["total"] == 1
    assert api.post(f"/notifications/{first['id']}/read", token=token["Buyer"]).status_code == 404
    assert api.post("/notifications/read-all", token=token["Seller"]).status_code == 204
    assert api.get("/notifications?unread=true", token=token["Seller"]).get_json()["meta"]["total"] == 0
    assert api.get("/notifications").status_code == 401
    assert api.get("/notifications?unread=maybe", token=token["Seller"]).status_code == 400


def test_email_settings_page_and_one_click_unsubscribe(client, api, sale, login, db):
    seller, _buyer, fan, product, token = sale
    login(fan)
    page = client.get("/settings/notifications").get_data(as_text=True)
    assert 'value="message" checked' in page and 'value="favorite" >' in page.replace("  ", " ")
    client.post("/settings/notifications", data={"email": ["message", "favorite"]})
    api.put(f"/products/{product.id}/favorite", token=token["Fan"])
    api.patch(f"/products/{product.id}/status", token=token["Seller"], json={"status": "SOLD"})
    [mail] = emails_to(db, fan)
    link = re.search(r"http://memi\.test(/unsubscribe/\S+)", mail.body_text).group(1)
    client.post("/logout")
    res = client.get(link)  # works without logging in
    assert res.status_code == 200 and "You are unsubscribed" in res.get_data(as_text=True)
    from memi.users.models import User

    assert db.session.get(User, fan.id).email_prefs["favorite"] is False
    assert client.get("/unsubscribe/forged-token").status_code == 404


def test_notifications_page_and_bell_count(client, api, sale, login):
    seller, _buyer, _fan, product, token = sale
    api.post("/chats", token=token["Buyer"], json={"product_id": product.id, "message": "Hello there"})
    login(seller)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Buyer: “Hello there”" in html
    assert re.search(r'id="bell-count" class="count-dot">1<', html)
    client.post("/notifications/read-all")
    assert re.search(r'id="bell-count" class="count-dot" hidden>0<', client.get("/").get_data(as_text=True))


def test_nothing_is_notified_when_the_action_rolls_back(app, sale, db):
    from memi.chat.services import start_chat

    seller, buyer, _fan, product, _token = sale
    with app.test_request_context():
        start_chat(buyer, product.id, "Will be rolled back")
        db.session.rollback()
    assert types_for(db, seller) == [] and emails_to(db, seller) == []
