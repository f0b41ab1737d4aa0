"""How a reservation ends besides accept/reject/cancel: completed when the held listing is sold,
cancelled when the seller puts it back on sale by hand or deletes it, lapsed when the hold runs out;
who is told what (the buyer concerned hears it once, through the reservation), and what the pages show."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from memi.mail.models import OutgoingEmail
from memi.products.models import Product
from memi.reservations import services
from memi.reservations.models import Reservation
from memi.web.formatting import format_until


@pytest.fixture
def sale(api, make_user, make_product):
    seller = make_user(name="Seller")
    buyer = make_user(name="Buyer")
    fan = make_user(name="Fan")
    product = make_product(seller=seller, title="Green parka")
    token = {u.id: api.tokens(u)["access_token"] for u in (seller, buyer, fan)}
    for user in (buyer, fan):
        assert api.put(f"/products/{product.id}/favorite", token=token[user.id]).status_code in (200, 201, 204)
    return seller, buyer, fan, product, token


def hold(api, sale, buyer=None):
    seller, default, _fan, product, token = sale
    buyer = buyer or default
    rid = api.post(f"/products/{product.id}/reservations", token=token[buyer.id], json={}).get_json()["id"]
    assert api.post(f"/reservations/{rid}/accept", token=token[seller.id]).status_code == 200
    return rid


def notices(api, token):
    """(type, text) of the user's notifications, oldest first, as the API shows them."""
    items = api.get("/notifications?limit=100", token=token).get_json()["items"]
    return [(n["type"], n["text"]) for n in reversed(items)]


def set_status(api, sale, status):
    seller, _buyer, _fan, product, token = sale
    res = api.patch(f"/products/{product.id}/status", token=token[seller.id], json={"status": status})
    assert res.status_code == 200, res.get_json()


def reservation_json(api, token, rid):
    items = api.get("/reservations?role=buyer&limit=100", token=token).get_json()["items"]
    return next(r for r in items if r["id"] == rid)


def test_marking_the_held_listing_sold_completes_the_reservation(app, api, sale, db):
    seller, buyer, fan, product, token = sale
    rid = hold(api, sale)
    set_status(api, sale, "SOLD")

    body = reservation_json(api, token[buyer.id], rid)
    assert body["status"] == "ACCEPTED" and body["completed_at"] is not None and body["reason"] is None
    # The buyer is told the deal is done, once, and nothing about "their" favorite being reserved or sold.
    told = notices(api, token[buyer.id])
    assert [t for t, _ in told] == ["reservation.accepted", "reservation.completed"]
    assert "sold to you" in told[-1][1] and "cancelled" not in told[-1][1]
    # Another fan of the listing hears of both changes as before.
    assert [t for t, _ in notices(api, token[fan.id])] == ["favorite.reserved", "favorite.sold"]
    assert [t for t, _ in notices(api, token[seller.id])] == ["reservation.requested"]

    # A completed reservation is final: no cancel, no extension, the expiry job leaves it alone, and
    # deleting the sold listing later does not undo it.
    assert api.post(f"/reservations/{rid}/cancel", token=token[buyer.id]).status_code == 409
    assert api.post(f"/reservations/{rid}/cancel", token=token[seller.id]).status_code == 409
    assert api.post(f"/reservations/{rid}/extend", token=token[seller.id]).status_code == 409
    with app.app_context():
        assert services.expire_due_reservations(datetime.now(UTC) + timedelta(days=30)) == 0
    assert api.delete(f"/products/{product.id}", token=token[seller.id]).status_code == 204
    db.session.expire_all()
    done = db.session.get(Reservation, rid)
    assert done.status == "ACCEPTED" and done.completed_at is not None
    assert [t for t, _ in notices(api, token[buyer.id])] == ["reservation.accepted", "reservation.completed"]


def test_the_completed_reservation_page_says_sold_not_held(api, sale, client, login):
    _seller, buyer, _fan, _product, _token = sale
    hold(api, sale)
    set_status(api, sale, "SOLD")
    login(buyer)
    html = client.get("/reservations?role=buyer").get_data(as_text=True)
    assert "Completed: sold to you" in html and "Held for you until" not in html and ">Cancel<" not in html


def test_setting_the_held_listing_active_by_hand_cancels_the_hold(api, sale, db, make_user):
    seller, buyer, fan, product, token = sale
    rid = hold(api, sale)
    set_status(api, sale, "ACTIVE")

    body = reservation_json(api, token[buyer.id], rid)
    assert body["status"] == "CANCELLED" and body["reason"] == "relisted"
    told = notices(api, token[buyer.id])
    [(_type, text)] = [n for n in told if n[0] == "reservation.cancelled"]
    assert "back on sale" in text and "was cancelled" not in text
    assert db.session.get(Product, product.id).status == "ACTIVE"

    # The listing can be held again: a new request is accepted (it used to answer 409 forever).
    other = make_user(name="Other")
    other_token = api.tokens(other)["access_token"]
    new = api.post(f"/products/{product.id}/reservations", token=other_token, json={}).get_json()["id"]
    res = api.post(f"/reservations/{new}/accept", token=token[seller.id])
    assert res.status_code == 200 and res.get_json()["status"] == "ACCEPTED"


def test_favoriters_are_told_when_the_seller_deletes_the_listing(api, sale, db):
    seller, buyer, fan, product, token = sale
    db.session.get(type(buyer), fan.id).email_prefs = {"favorite": True}
    db.session.commit()
    rid = hold(api, sale)
    assert api.delete(f"/products/{product.id}", token=token[seller.id]).status_code == 204

    fan_notices = api.get("/notifications", token=token[fan.id]).get_json()["items"]
    deleted = fan_notices[0]
    assert deleted["type"] == "favorite.deleted" and "deleted" in deleted["text"]
    assert deleted["url"] == "/favorites"  # the listing itself is gone
    emails = db.session.scalars(sa.select(OutgoingEmail.subject).where(OutgoingEmail.to_email == fan.email)).all()
    assert any("deleted" in subject for subject in emails)  # by email too, as the fan asked for favorites

    # The buyer whose hold ended hears it once, through the reservation.
    told = notices(api, token[buyer.id])
    assert [t for t, _ in told] == ["reservation.accepted", "reservation.cancelled"]
    assert "deleted" in told[-1][1]
    assert reservation_json(api, token[buyer.id], rid)["reason"] == "deleted"


def test_a_favorite_deleted_without_email_wanted_is_in_app_only(api, sale, db):
    seller, _buyer, fan, product, token = sale
    api.delete(f"/products/{product.id}", token=token[seller.id])
    assert [t for t, _ in notices(api, token[fan.id])] == ["favorite.deleted"]
    assert db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.to_email == fan.email)).all() == []


def test_the_expiry_notice_says_the_hold_ran_out(app, api, sale, db):
    seller, buyer, _fan, _product, token = sale
    rid = hold(api, sale)
    expires_at = db.session.get(Reservation, rid).expires_at
    with app.app_context():
        assert services.expire_due_reservations(expires_at + timedelta(seconds=1)) == 1
        db.session.commit()  # as the job does
    for user in (seller, buyer):
        items = api.get("/notifications", token=token[user.id]).get_json()["items"]
        [latest] = [n for n in items if n["type"] == "reservation.cancelled"]
        assert latest["payload"]["reason"] == "expired"
        assert "ran out" in latest["text"] and "was cancelled" not in latest["text"]


def baku_weekday_clock(value):
    local = value.replace(tzinfo=value.tzinfo or UTC).astimezone(ZoneInfo("Asia/Baku"))
    return local.strftime("%a %H:%M")


def test_the_pages_show_until_when_the_item_is_held(app, api, sale, client, login, db):
    seller, buyer, _fan, product, token = sale
    rid = hold(api, sale)
    login(buyer)  # before writing (no password hashing while the transaction holds writes)
    seller_client = app.test_client()
    seller_client.post("/login", data={"email": seller.email, "password": seller.plain_password})
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2, hours=3)
    db.session.get(Reservation, rid).expires_at = until
    db.session.commit()
    expected = baku_weekday_clock(until)  # "Tue 18:00", in Baku time

    assert f"Held for you until {expected}" in client.get("/reservations?role=buyer").get_data(as_text=True)
    detail = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert f"The seller is holding this for you until {expected}." in detail
    assert f"Held until {expected}" in seller_client.get("/reservations?role=seller").get_data(as_text=True)


def test_format_until_is_weekday_and_clock_in_baku_time(app):
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_until(datetime(2026, 12, 1, 14, 0, tzinfo=UTC), now=now) == "Tue 18:00"
        assert format_until(datetime(2026, 12, 3, 20, 30), now=now) == "Fri 00:30"  # naive UTC, past midnight
        # A week or more away, the date says which Tuesday.
        assert format_until(datetime(2026, 12, 8, 14, 0, tzinfo=UTC), now=now) == "Dec 8, 2026, 18:00"
        assert format_until(None) == ""


def test_a_stranger_on_the_web_gets_not_found_the_buyer_a_refusal(api, sale, app, make_user):
    _seller, buyer, _fan, product, token = sale
    rid = api.post(f"/products/{product.id}/reservations", token=token[buyer.id], json={}).get_json()["id"]
    stranger = make_user(name="Stranger")
    web = app.test_client()
    web.post("/login", data={"email": stranger.email, "password": stranger.plain_password})
    for action in ("accept", "reject", "cancel", "extend"):
        assert web.post(f"/reservations/{rid}/{action}", data={}).status_code == 404, action
    assert api.post(f"/reservations/{rid}/accept", token=token[buyer.id]).status_code == 403
