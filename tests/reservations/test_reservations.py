"""Reservations: the state machine, its outsiders, and the race settled by the database."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from memi.products.models import Product
from memi.reservations.models import Reservation


@pytest.fixture
def sale(api, make_user, make_product):
    seller = make_user(name="Seller")
    buyers = [make_user(name=f"Buyer {i}") for i in range(3)]
    product = make_product(seller=seller)
    token = {u.id: api.tokens(u)["access_token"] for u in [seller, *buyers]}
    return seller, buyers, product, token


def request_(api, token, product):
    return api.post(f"/products/{product.id}/reservations", token=token, json={"message": "Can you hold it?"})


def test_request_accept_rejects_others_and_reserves(api, sale, db):
    seller, buyers, product, token = sale
    ids = [request_(api, token[b.id], product).get_json()["id"] for b in buyers]
    res = api.post(f"/reservations/{ids[0]}/accept", token=token[seller.id])
    assert res.status_code == 200 and res.get_json()["status"] == "ACCEPTED"
    statuses = dict(db.session.execute(sa.select(Reservation.id, Reservation.status)).all())
    assert statuses == {ids[0]: "ACCEPTED", ids[1]: "REJECTED", ids[2]: "REJECTED"}
    assert db.session.get(Product, product.id).status == "RESERVED"
    assert api.get(f"/products/{product.id}").get_json()["status"] == "RESERVED"
    # Not ACTIVE any more: new requests are refused.
    assert request_(api, token[buyers[1].id], product).status_code == 409


def test_cancel_accepted_puts_listing_back_on_sale(api, sale, db):
    seller, buyers, product, token = sale
    rid = request_(api, token[buyers[0].id], product).get_json()["id"]
    api.post(f"/reservations/{rid}/accept", token=token[seller.id])
    res = api.post(f"/reservations/{rid}/cancel", token=token[buyers[0].id])
    assert res.status_code == 200 and res.get_json()["status"] == "CANCELLED"
    assert db.session.get(Product, product.id).status == "ACTIVE"
    assert api.post(f"/reservations/{rid}/cancel", token=token[buyers[0].id]).status_code == 409


def test_rules_and_outsiders(api, sale, make_user):
    seller, buyers, product, token = sale
    assert request_(api, token[seller.id], product).status_code == 403  # own listing
    rid = request_(api, token[buyers[0].id], product).get_json()["id"]
    assert request_(api, token[buyers[0].id], product).status_code == 409  # one open request
    assert api.post(f"/reservations/{rid}/accept", token=token[buyers[0].id]).status_code == 403
    assert api.post(f"/reservations/{rid}/reject", token=token[buyers[0].id]).status_code == 403
    stranger = api.tokens(make_user())["access_token"]
    # A reservation that exists but is not theirs: 404, as for one that does not exist (API.md: private
    # resources the caller is not part of), so that outsiders cannot probe which reservations exist.
    for action in ("accept", "reject", "cancel", "extend"):
        res = api.post(f"/reservations/{rid}/{action}", token=stranger)
        assert res.status_code == 404, action
        assert res.get_json() == api.post(f"/reservations/999999/{action}", token=stranger).get_json()
    assert api.post(f"/reservations/{rid}/accept").status_code == 401
    assert api.post("/reservations/999999/accept", token=token[seller.id]).status_code == 404
    assert api.post(f"/reservations/{rid}/reject", token=token[seller.id]).get_json()["status"] == "REJECTED"
    assert api.post(f"/reservations/{rid}/accept", token=token[seller.id]).status_code == 409
    # After a rejection the buyer may ask again.
    assert request_(api, token[buyers[0].id], product).status_code == 201


def test_list_by_role_and_status(api, sale):
    seller, buyers, product, token = sale
    request_(api, token[buyers[0].id], product)
    assert api.get("/reservations?role=seller", token=token[seller.id]).get_json()["meta"]["total"] == 1
    assert api.get("/reservations?role=buyer", token=token[seller.id]).get_json()["meta"]["total"] == 0
    mine = api.get("/reservations?role=buyer&status=REQUESTED", token=token[buyers[0].id]).get_json()
    assert mine["items"][0]["product"]["id"] == product.id and mine["items"][0]["buyer"]["name"] == "Buyer 0"
    assert api.get("/reservations?status=NOPE", token=token[seller.id]).status_code == 400
    assert api.get("/reservations?role=admin", token=token[seller.id]).status_code == 400


def test_selling_or_deleting_closes_open_requests(api, sale, db):
    seller, buyers, product, token = sale
    r0 = request_(api, token[buyers[0].id], product).get_json()["id"]
    r1 = request_(api, token[buyers[1].id], product).get_json()["id"]
    api.post(f"/reservations/{r0}/accept", token=token[seller.id])
    api.patch(f"/products/{product.id}/status", token=token[seller.id], json={"status": "SOLD"})
    statuses = dict(db.session.execute(sa.select(Reservation.id, Reservation.status)).all())
    # The accepted one is completed (API.md: it stays ACCEPTED, the deal is done), the others rejected.
    assert statuses == {r0: "ACCEPTED", r1: "REJECTED"}


@pytest.mark.no_rollback
def test_many_accepts_at_once_leave_exactly_one_accepted(app, committed_sale):
    from memi.extensions import db as _db
    from memi.reservations import services
    from memi.users.models import User

    seller_id, buyer_ids, product_id = committed_sale(buyers=8)
    with app.test_request_context():
        ids = []
        for buyer_id in buyer_ids:
            ids.append(services.request_reservation(_db.session.get(User, buyer_id), product_id).id)
        _db.session.commit()
        _db.session.remove()

    def accept(rid):
        with app.test_request_context():
            try:
                services.accept(_db.session.get(User, seller_id), rid)
                _db.session.commit()
                return "ACCEPTED"
            except Exception as exc:  # noqa: BLE001 - the test reports what happened
                _db.session.rollback()
                return type(exc).__name__
            finally:
                _db.session.remove()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(accept, ids))
    with app.app_context():
        accepted = _db.session.scalar(sa.select(sa.func.count(Reservation.id)).where(Reservation.status == "ACCEPTED"))
        product_status = _db.session.get(Product, product_id).status
        _db.session.remove()
    assert results.count("ACCEPTED") == 1 and accepted == 1
    assert set(results) == {"ACCEPTED", "Conflict"}
    assert product_status == "RESERVED"
