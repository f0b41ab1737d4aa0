"""Statuses as enums (memi/statuses.py): the stored and served strings are unchanged, and the
reservation state machine written once decides both what the services allow and which buttons a
page shows."""

import json
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from memi.statuses import (
    RESERVATION_ACTIONS,
    ListingStatus,
    ReportStatus,
    ReservationStatus,
    Role,
    reservation_actions,
)


def test_members_are_their_strings():
    for enum in (ListingStatus, ReservationStatus, ReportStatus, Role):
        for member in enum:
            assert member == member.value and str(member) == member.value
            assert json.dumps(member) == f'"{member.value}"'


def test_rows_store_the_same_strings(app, db, make_user, make_product):
    product = make_product(seller=make_user(role=Role.ADMIN))
    with app.test_request_context():
        row = db.session.execute(
            sa.text("SELECT p.status, u.role FROM products p JOIN users u ON u.id = p.seller_id WHERE p.id = :id"),
            {"id": product.id},
        ).one()
    assert tuple(row) == ("ACTIVE", "ADMIN")


SELLER, BUYER, STRANGER = 1, 2, 3


@pytest.mark.parametrize(
    ("status", "user_id", "expected"),
    [
        ("REQUESTED", SELLER, ["accept", "reject", "cancel"]),
        ("REQUESTED", BUYER, ["cancel"]),
        ("ACCEPTED", SELLER, ["cancel", "extend"]),
        ("ACCEPTED", BUYER, ["cancel"]),
        ("REJECTED", SELLER, []),
        ("CANCELLED", BUYER, []),
        ("REQUESTED", STRANGER, []),
        ("REQUESTED", None, []),
    ],
)
def test_reservation_actions(status, user_id, expected):
    reservation = SimpleNamespace(status=status, seller_id=SELLER, buyer_id=BUYER, extended=False)
    user = SimpleNamespace(id=user_id) if user_id else None
    assert reservation_actions(reservation, user) == expected


def test_a_hold_is_extended_once_and_lapses_only_on_its_own():
    reservation = SimpleNamespace(status="ACCEPTED", seller_id=SELLER, buyer_id=BUYER, extended=True)
    assert reservation_actions(reservation, SimpleNamespace(id=SELLER)) == ["cancel"]
    assert "expire" not in reservation_actions(reservation, SimpleNamespace(id=BUYER))


def _buttons(page):
    html = page.get_data(as_text=True)
    return [name for name in RESERVATION_ACTIONS if f'/{name}"' in html]


def test_pages_offer_what_the_machine_allows_and_the_services_agree(api, client, login, make_user, make_product):
    seller, buyer = make_user(name="Seller"), make_user(name="Buyer")
    product = make_product(seller=seller)
    token = {u.id: api.tokens(u)["access_token"] for u in (seller, buyer)}
    rid = api.post(f"/products/{product.id}/reservations", token=token[buyer.id], json={}).get_json()["id"]
    login(seller)
    assert _buttons(client.get("/reservations?role=seller")) == ["accept", "reject", "cancel"]
    client.post("/logout")
    login(buyer)
    assert _buttons(client.get("/reservations?role=buyer")) == ["cancel"]
    # What the page does not offer, the service refuses (fresh tokens: signing out ends the old ones).
    token = {u.id: api.tokens(u)["access_token"] for u in (seller, buyer)}
    assert api.post(f"/reservations/{rid}/accept", token=token[buyer.id]).status_code == 403
    assert api.post(f"/reservations/{rid}/accept", token=token[seller.id]).status_code == 200
    assert api.post(f"/reservations/{rid}/reject", token=token[seller.id]).status_code == 409
    assert _buttons(client.get("/reservations?role=buyer")) == ["cancel"]
