"""Notifications in-app and by email: who is told what, batching, settings, unsubscribe."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from memi.columns import utcnow
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
    return db.session.scalars(
        sa.select(OutgoingEmail).where(OutgoingEmail.to_email == user.email).order_by(OutgoingEmail.id)
    ).all()


def test_new_message_notifies_and_emails_are_batched_per_chat(api, sale, db):
    seller, buyer, _fan, product, token = sale
    chat = api.post("/chats", token=token["Buyer"], json={"product_id": product.id, "message": "Hi!"}).get_json()
    api.post(f"/chats/{chat['id']}/messages", token=token["Buyer"], json={"body": "Are you there?"})
    assert types_for(db, seller) == ["message.new", "message.new"]
    first, digest = emails_to(db, seller)
    # One email now; the second message waits for the end of the 10-minute window, in one digest.
    assert "Hi!" in first.body_text and f"/chats/{chat['id']}" in first.body_text
    assert "/unsubscribe/" in first.body_text and first.body_html
    assert first.next_attempt_at <= utcnow() < digest.next_attempt_at
    assert "Are you there?" in digest.body_text and "Hi!" not in digest.body_text
    assert types_for(db, buyer) == []


class Clock:
    """utcnow() for the notification service and the outbox worker, moved by hand."""

    def __init__(self, monkeypatch):
        self.now = utcnow() + timedelta(seconds=1)  # rows stamped by the real clock are due at once
        for module in ("memi.notifications.services", "memi.mail.services"):
            monkeypatch.setattr(f"{module}.utcnow", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)


def test_message_emails_are_batched_nothing_lost_nothing_twice(app, api, sale, db, smtp_server, monkeypatch):
    """At most one email per chat and recipient per 10 minutes; messages inside a window are summed up
    in one email when it ends."""
    from memi.mail.services import deliver_due

    seller, _buyer, _fan, product, token = sale
    clock = Clock(monkeypatch)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)

    def say(body):
        api.post(f"/chats/{chat_id}/messages", token=token["Buyer"], json={"body": body})

    def deliver():
        with app.app_context():
            return deliver_due()

    try:
        chat_id = api.post(
            "/chats", token=token["Buyer"], json={"product_id": product.id, "message": "note 1"}
        ).get_json()["id"]
        assert deliver() == (1, 0)  # the first message of a quiet chat goes at once
        clock.advance(minutes=1)
        say("note 2")
        clock.advance(minutes=2)
        say("note 3")
        assert deliver() == (0, 0)  # inside the window: nothing more yet
        clock.advance(minutes=7)  # the window ends: one email with both
        assert deliver() == (1, 0)
        clock.advance(minutes=1)
        say("note 4")  # a new window (from the digest on)
        clock.advance(minutes=9)
        assert deliver() == (1, 0)
        clock.advance(minutes=30)
        say("note 5")  # a quiet chat again: at once
        assert deliver() == (1, 0)
        clock.advance(hours=1)
        assert deliver() == (0, 0)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    received = [m for _, m in smtp_server.wait_for(4)]
    assert len(received) == 4
    texts = [m.get_body(("plain",)).get_content() for m in received]
    subjects = [m["Subject"] for m in received]
    assert "note 1" in texts[0] and "note 2" not in texts[0]
    assert "note 2" in texts[1] and "note 3" in texts[1] and "note 1" not in texts[1]
    assert subjects[1] == "2 new messages about “Green parka”"
    assert "note 4" in texts[2] and "note 3" not in texts[2] and "note 5" not in texts[2]
    assert "note 5" in texts[3] and "note 4" not in texts[3]
    # Every message was emailed exactly once.
    for body in ("note 1", "note 2", "note 3", "note 4", "note 5"):
        assert sum(body in t for t in texts) == 1, body
    assert all(row.status == "SENT" for row in emails_to(db, seller))


def test_notification_email_survives_an_outage_and_offers_one_click_unsubscribe(
    app, api, sale, db, smtp_server, client
):
    """A notification email waits out an SMTP outage, goes out once, and carries List-Unsubscribe with
    One-Click; the mail client's POST to it needs no CSRF token."""
    from memi.mail.services import deliver_due
    from tests.conftest import free_port

    seller, _buyer, _fan, product, token = sale
    api.post(f"/products/{product.id}/reservations", token=token["Buyer"], json={})
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nothing listens there
    try:
        with app.app_context():
            assert deliver_due() == (0, 1)
        [row] = emails_to(db, seller)
        assert row.status == "PENDING" and row.attempts == 1
        app.config.update(MAIL_PORT=smtp_server.port)
        db.session.execute(sa.update(OutgoingEmail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        with app.app_context():
            assert deliver_due() == (1, 0)
            assert deliver_due() == (0, 0)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    [(rcpt, message)] = smtp_server.wait_for(1)
    assert rcpt == [seller.email] and "asked you to hold" in message["Subject"]
    url = re.fullmatch(r"<(http://memi\.test/unsubscribe/\S+)>", message["List-Unsubscribe"]).group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.get_body(("plain",)).get_content()
    app.config.update(WTF_CSRF_ENABLED=True)
    try:
        res = client.post(url.removeprefix("http://memi.test"), data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config.update(WTF_CSRF_ENABLED=False)
    assert res.status_code == 200
    from memi.users.models import User

    assert db.session.get(User, seller.id).email_prefs["reservation"] is False


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
    from memi.users.models import User

    # Opening the link (as a link scanner does) only asks; nothing changes until the button is pressed.
    res = client.get(link)
    page = res.get_data(as_text=True)
    assert res.status_code == 200 and "Unsubscribe from these emails?" in page and "You are unsubscribed" not in page
    assert f'<form method="post" action="{link}">' in page
    db.session.expire_all()
    assert db.session.get(User, fan.id).email_prefs["favorite"] is True
    res = client.post(link)  # the button; works without logging in
    assert res.status_code == 200 and "You are unsubscribed" in res.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, fan.id).email_prefs["favorite"] is False
    assert client.get("/unsubscribe/forged-token").status_code == 404
    assert client.post("/unsubscribe/forged-token").status_code == 404


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


def test_twenty_reservation_request_cancel_cycles_send_the_seller_at_most_two_emails(app, api, sale, db):
    """A buyer asking and cancelling 20 times in a row: the seller sees every step in the app, but the
    emails of one kind about one listing are merged: one "asked you to hold", one "cancelled"."""
    seller, buyer, _fan, product, token = sale
    for _ in range(20):
        res = api.post(f"/products/{product.id}/reservations", token=token["Buyer"], json={})
        assert res.status_code == 201, res.get_json()
        assert api.post(f"/reservations/{res.get_json()['id']}/cancel", token=token["Buyer"]).status_code == 200
    assert types_for(db, seller) == ["reservation.requested", "reservation.cancelled"] * 20
    emails = emails_to(db, seller)
    assert len(emails) <= 2
    assert sorted(e.kind for e in emails) == ["reservation.cancelled", "reservation.requested"]
    assert emails_to(db, buyer) == []


def test_a_notification_email_after_one_was_sent_waits_for_the_window_and_takes_in_the_burst(
    app, api, sale, db, smtp_server, monkeypatch
):
    """Once an email went out, the next ones of the same kind about the same listing within
    MAIL_COALESCE_SECONDS become one email, sent when the window ends, with the latest news; another
    listing or another kind is not held back."""
    from memi.mail.services import deliver_due

    seller, buyer, _fan, product, token = sale
    clock = Clock(monkeypatch)

    def cycle():
        rid = api.post(f"/products/{product.id}/reservations", token=token["Buyer"], json={}).get_json()["id"]
        api.post(f"/reservations/{rid}/cancel", token=token["Buyer"])

    def deliver():
        with app.app_context():
            return deliver_due()

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_COALESCE_SECONDS=600)
    try:
        cycle()
        assert deliver() == (2, 0)  # requested + cancelled, at once
        clock.advance(minutes=1)
        for _ in range(5):
            cycle()
        assert deliver() == (0, 0)  # within 10 minutes of the last ones: they wait
        clock.advance(minutes=9, seconds=1)
        assert deliver() == (2, 0)  # one of each kind for the whole burst
        clock.advance(minutes=30)
        cycle()
        assert deliver() == (2, 0)  # a quiet listing again: at once
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    received = [m for _, m in smtp_server.wait_for(6)]
    assert len(received) == 6
    assert sum("asked you to hold" in m["Subject"] for m in received) == 3
    assert len(types_for(db, seller)) == 14  # in the app, every step
