"""Dashboard figures against known data; the page for admins only."""

from datetime import UTC, datetime, timedelta

import pytest

from memi.columns import utcnow
from memi.reports.models import Report


@pytest.fixture
def data(app, db, make_user, make_product, api):
    seller, buyer = make_user(name="Seller"), make_user(name="Buyer")
    old = make_user(name="Old")
    from memi.users.models import User

    db.session.get(User, old.id).created_at = utcnow() - timedelta(days=3)
    p1 = make_product(seller=seller, title="Chatted and reserved")
    p2 = make_product(seller=seller, title="Sold one", status="SOLD")
    make_product(seller=seller, title="Deleted one", status="DELETED")
    t = api.tokens(buyer)["access_token"]
    api.post("/chats", token=t, json={"product_id": p1.id, "message": "Hi"})
    chat_id = api.get("/chats", token=t).get_json()["items"][0]["id"]
    api.post(f"/chats/{chat_id}/messages", token=t, json={"body": "Hello?"})
    api.post(f"/products/{p1.id}/reservations", token=t, json={})
    created = utcnow() - timedelta(hours=5)
    db.session.add(
        Report(
            reporter_id=buyer.id,
            source="USER",
            target_type="product",
            target_id=p2.id,
            product_id=p2.id,
            reason="SPAM",
            status="RESOLVED",
            created_at=created,
            resolved_at=created + timedelta(hours=2),
        )
    )
    db.session.add(
        Report(
            reporter_id=buyer.id,
            source="USER",
            target_type="product",
            target_id=p1.id,
            product_id=p1.id,
            reason="FRAUD",
            status="OPEN",
        )
    )
    db.session.commit()
    return seller, buyer


def test_figures(app, data):
    from memi.admin.analytics import analytics

    with app.app_context():
        f = analytics()
    assert f["users"] == 3 + 0  # seller, buyer, old
    today = datetime.now(UTC).date()
    assert len(f["new_users_per_day"]) == 30 and f["new_users_per_day"][-1] == {"day": today.isoformat(), "count": 2}
    assert f["new_users_per_day"][-4]["count"] == 1
    assert f["listings_by_status"] == {"ACTIVE": 1, "RESERVED": 0, "SOLD": 1, "DELETED": 1}
    assert sum(p["count"] for p in f["new_listings_per_day"]) == 3
    assert f["chats"] == 1 and f["messages"] == 2
    assert f["reservations_by_state"] == {"REQUESTED": 1, "ACCEPTED": 0, "REJECTED": 0, "CANCELLED": 0}
    assert f["open_reports"] == 1 and f["median_hours_to_resolve"] == 2.0
    assert f["funnel"] == {"listed": 3, "with_chat": 1, "with_reservation": 1, "sold": 1}


def test_chats_and_messages_over_the_last_30_days(app, db, data, api, make_product):
    from memi.admin.analytics import analytics
    from memi.chat.models import Chat, Message

    seller, buyer = data
    old = make_product(seller=seller, title="Old chat")
    t = api.tokens(buyer)["access_token"]
    chat_id = api.post("/chats", token=t, json={"product_id": old.id, "message": "Long ago"}).get_json()["id"]
    db.session.get(Chat, chat_id).created_at = utcnow() - timedelta(days=40)
    for message in db.session.query(Message).filter(Message.chat_id == chat_id):
        message.created_at = utcnow() - timedelta(days=40)
    three_days_ago = db.session.query(Message).filter(Message.chat_id != chat_id).order_by(Message.id).first()
    three_days_ago.created_at = utcnow() - timedelta(days=3)
    db.session.commit()
    with app.app_context():
        f = analytics()
    today = datetime.now(UTC).date()
    assert f["chats"] == 2 and f["new_chats_30d"] == 1
    assert f["messages"] == 3 and f["new_messages_30d"] == 2
    assert len(f["new_chats_per_day"]) == 30 and f["new_chats_per_day"][-1] == {"day": today.isoformat(), "count": 1}
    assert [p["count"] for p in f["new_messages_per_day"][-4:]] == [1, 0, 0, 1]


def test_dashboard_page_and_api(client, api, data, make_user, login):
    admin = make_user(role="ADMIN")
    assert api.get("/admin/analytics", token=api.tokens(admin)["access_token"]).get_json()["chats"] == 1
    assert client.get("/admin/").status_code == 302
    login(data[1])
    assert client.get("/admin/").status_code == 403
    client.post("/logout")
    login(admin)
    html = client.get("/admin/").get_data(as_text=True)
    assert "Open reports" in html and "<svg" in html and "Got a reservation request" in html
    assert "New chats per day, last 30 days" in html and "Messages per day, last 30 days" in html
    assert "<script>" not in html and 'style="' not in html


def test_dashboard_reads_as_words_in_the_admins_language(client, data, make_user, login):
    """Reservation states and the funnel's shares read as words and numbers of the admin's language,
    never as codes ("REQUESTED") or English number style."""
    login(make_user(role="ADMIN", locale="ru"))
    html = client.get("/admin/").get_data(as_text=True)
    for code in ("REQUESTED", "ACCEPTED", "REJECTED", "CANCELLED"):
        assert f"<th>{code}</th>" not in html
    assert "<th>Запрошено</th>" in html  # the reservation state's label in the ru catalogue
    assert "%" in html and ".0%" not in html  # "100%", not "100.0%"
