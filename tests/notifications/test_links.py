"""Notification links are built when shown (page, API, socket frame, email) from the ids a payload
holds; rows stored with a path before that still lead where they did."""

import sqlalchemy as sa

from memi.events import notification_created
from memi.mail.models import OutgoingEmail
from memi.notifications.links import link_for
from memi.notifications.models import Notification


def _notifications(db, user):
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)).all()


def test_payloads_hold_ids_and_the_api_answers_text_and_url(api, make_user, make_product, db):
    seller, buyer, fan = make_user(name="Seller"), make_user(name="Buyer"), make_user(name="Fan")
    product = make_product(seller=seller, title="Green parka")
    token = {u.name: api.tokens(u)["access_token"] for u in (seller, buyer, fan)}
    api.put(f"/products/{product.id}/favorite", token=token["Fan"])
    api.post(f"/products/{product.id}/reservations", token=token["Buyer"], json={})
    chat = api.post("/chats", token=token["Buyer"], json={"product_id": product.id, "message": "Hi!"}).get_json()
    api.patch(f"/products/{product.id}/status", token=token["Seller"], json={"status": "RESERVED"})

    for row in _notifications(db, seller) + _notifications(db, fan):
        assert "url" not in row.payload, row.payload  # no stored paths

    items = api.get("/notifications", token=token["Seller"]).get_json()["items"]
    urls = {item["type"]: item["url"] for item in items}
    assert urls == {"message.new": f"/chats/{chat['id']}", "reservation.requested": "/reservations?role=seller"}
    assert all(item["text"] for item in items)
    [fan_item] = api.get("/notifications", token=token["Fan"]).get_json()["items"]
    assert fan_item["type"] == "favorite.reserved" and fan_item["url"] == f"/products/{product.id}"
    assert fan_item["text"] == "“Green parka” from your favorites is reserved"


def test_rows_stored_with_a_path_still_lead_there(api, client, login, make_user, db):
    user = make_user()
    db.session.add_all(
        [
            Notification(user_id=user.id, type="report.resolved", payload={"action": "DISMISS", "url": "/"}),
            Notification(user_id=user.id, type="old.kind", payload={"url": "/chats/9"}),
            Notification(user_id=user.id, type="favorite.sold", payload={"product_id": 4, "url": "/products/4"}),
        ]
    )
    db.session.commit()
    items = api.get("/notifications", token=api.tokens(user)["access_token"]).get_json()["items"]
    assert sorted(item["url"] for item in items) == ["/", "/chats/9", "/products/4"]
    login(user)
    old = next(item for item in items if item["type"] == "old.kind")
    res = client.post(f"/notifications/{old['id']}/read")  # the page's link: mark read, then go there
    assert res.status_code == 302 and res.headers["Location"] == "/chats/9"


def test_the_frame_and_the_email_carry_the_built_link(app, make_user, make_product, db):
    from memi.notifications.services import notify

    owner = make_user(name="Owner")
    product = make_product(seller=owner)
    frames = []

    def keep(sender, **kwargs):
        frames.append(kwargs["frame"])

    notification_created.connect(keep)
    try:
        with app.test_request_context():
            payload = {"product_id": product.id, "title": "Coat"}
            notify(owner.id, "listing.removed", payload, email=("Gone", "notify_generic", {"text": "Gone"}))
            db.session.commit()
    finally:
        notification_created.disconnect(keep)
    assert frames[-1]["url"] == f"/products/{product.id}"
    assert "url" not in frames[-1]["notification"]["payload"]
    [mail] = db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.to_email == owner.email)).all()
    assert f"http://memi.test/products/{product.id}" in mail.body_text


def test_links_are_built_without_a_request(app):
    """A worker or the CLI (no request, no SERVER_NAME) gets the same paths."""
    with app.app_context():
        assert link_for("listing.removed", {"product_id": 5}) == "/products/5"
        assert link_for("message.new", {"chat_id": 3}) == "/chats/3"
        assert link_for("reservation.requested", {"product_id": 5}) == "/reservations?role=seller"
        assert link_for("report.resolved", {"action": "DISMISS"}) == "/"
