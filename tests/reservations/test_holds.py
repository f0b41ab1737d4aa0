"""Reservation holds: an accepted reservation holds the item for RESERVATION_HOLD_HOURS, the seller may
extend it once, and the worker's expiry job cancels a lapsed hold (the listing back on sale, both sides
told). The job is driven as the worker drives it, on an in-memory queue, with a moved clock."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from memi.jobs import runner, tasks
from memi.notifications.models import Notification
from memi.products.models import Product
from memi.reservations import services
from memi.reservations.models import Reservation

T0 = datetime(2026, 1, 1, 12, 0, 0)  # Huey's clock: naive UTC


@pytest.fixture
def sale(api, make_user, make_product):
    seller = make_user(name="Seller")
    buyer = make_user(name="Buyer")
    product = make_product(seller=seller)
    token = {u.id: api.tokens(u)["access_token"] for u in (seller, buyer)}
    return seller, buyer, product, token


def accepted(api, sale, product=None):
    seller, buyer, default, token = sale
    product = product or default
    rid = api.post(f"/products/{product.id}/reservations", token=token[buyer.id], json={}).get_json()["id"]
    res = api.post(f"/reservations/{rid}/accept", token=token[seller.id])
    assert res.status_code == 200
    return res.get_json()


def parse(value):
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture
def jobs(app):
    """The runner on an in-memory queue with the expiry job every minute, and the worker's scheduler."""
    saved = {k: app.config.get(k) for k in ("JOBS_BACKEND", "RESERVATION_EXPIRY_INTERVAL_SECONDS")}
    app.config.update(JOBS_BACKEND="memory", RESERVATION_EXPIRY_INTERVAL_SECONDS=60)
    huey = runner.configure(app)
    huey.flush()
    tasks.apply_config(app.config)
    yield runner.SecondScheduler(huey, threading.Event(), 1, True)
    huey.flush()
    app.config.update(saved)
    tasks.apply_config(app.config)


def run_expiry_at(scheduler, huey_now, monkeypatch, clock):
    """One scheduler check at `huey_now`; run what it queued with the app's clock at `clock`."""
    monkeypatch.setattr(services, "utcnow", lambda: clock)
    scheduler.enqueue_periodic_tasks(huey_now)
    names = []
    while (task := scheduler.huey.dequeue()) is not None:
        names.append(task.name)
        scheduler.huey.execute(task, huey_now)
    return [name for name in names if name == "reservation-expiry"]  # the outbox relay runs too


def notified(db, user):
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Notification.type).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def test_accepting_holds_the_item_for_the_hold_period(app, api, sale):
    before = datetime.now(UTC)
    body = accepted(api, sale)
    hold = timedelta(hours=app.config["RESERVATION_HOLD_HOURS"])
    assert app.config["RESERVATION_HOLD_HOURS"] == 72
    assert before + hold - timedelta(seconds=5) <= parse(body["expires_at"]) <= datetime.now(UTC) + hold
    assert body["reason"] is None


def test_the_seller_extends_once_the_buyer_and_strangers_cannot(app, api, sale, make_user):
    seller, buyer, product, token = sale
    body = accepted(api, sale)
    rid = body["id"]
    stranger = api.tokens(make_user())["access_token"]
    assert api.post(f"/reservations/{rid}/extend", token=stranger).status_code == 404  # private
    assert api.post(f"/reservations/{rid}/extend", token=token[buyer.id]).status_code == 403
    assert api.post(f"/reservations/{rid}/extend").status_code == 401
    assert api.post("/reservations/999999/extend", token=token[seller.id]).status_code == 404

    res = api.post(f"/reservations/{rid}/extend", token=token[seller.id])
    assert res.status_code == 200 and res.get_json()["status"] == "ACCEPTED"
    hold = timedelta(hours=app.config["RESERVATION_HOLD_HOURS"])
    assert parse(res.get_json()["expires_at"]) == parse(body["expires_at"]) + hold

    again = api.post(f"/reservations/{rid}/extend", token=token[seller.id])
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"
    # Only an accepted hold can be extended.
    api.post(f"/reservations/{rid}/cancel", token=token[buyer.id])
    assert api.post(f"/reservations/{rid}/extend", token=token[seller.id]).status_code == 409


def test_a_requested_reservation_cannot_be_extended(api, sale):
    seller, buyer, product, token = sale
    rid = api.post(f"/products/{product.id}/reservations", token=token[buyer.id], json={}).get_json()["id"]
    assert api.post(f"/reservations/{rid}/extend", token=token[seller.id]).status_code == 409


def test_the_expiry_job_cancels_lapsed_holds_and_tells_both_sides(app, api, sale, make_product, db, jobs, monkeypatch):
    seller, buyer, product, token = sale
    due = accepted(api, sale)
    later_product = make_product(seller=seller)
    not_due = accepted(api, sale, later_product)
    api.post(f"/reservations/{not_due['id']}/extend", token=token[seller.id])  # held 72 h longer
    before = {seller.id: notified(db, seller), buyer.id: notified(db, buyer)}

    # A minute before the hold lapses: nothing happens.
    clock = parse(due["expires_at"]) - timedelta(minutes=1)
    assert run_expiry_at(jobs, T0, monkeypatch, clock) == ["reservation-expiry"]
    db.session.expire_all()
    assert db.session.get(Reservation, due["id"]).status == "ACCEPTED"

    # The clock past expires_at: the next run cancels it, the listing is on sale again.
    clock = parse(due["expires_at"]) + timedelta(seconds=30)
    assert run_expiry_at(jobs, T0 + timedelta(seconds=30), monkeypatch, clock) == []  # not due for a minute
    assert run_expiry_at(jobs, T0 + timedelta(seconds=60), monkeypatch, clock) == ["reservation-expiry"]
    db.session.expire_all()
    lapsed = db.session.get(Reservation, due["id"])
    assert lapsed.status == "CANCELLED" and lapsed.reason == "expired" and lapsed.cancelled_by_id is None
    assert db.session.get(Product, product.id).status == "ACTIVE"
    for user in (seller, buyer):  # no actor: both sides are told
        assert notified(db, user) == [*before[user.id], "reservation.cancelled"]
    # The extended hold is not due: untouched.
    assert db.session.get(Reservation, not_due["id"]).status == "ACCEPTED"
    assert db.session.get(Product, later_product.id).status == "RESERVED"
    assert (
        api.get("/reservations?role=buyer&status=CANCELLED", token=token[buyer.id]).get_json()["items"][0]["reason"]
        == "expired"
    )

    # Running it again changes nothing and tells nobody twice.
    assert run_expiry_at(jobs, T0 + timedelta(seconds=120), monkeypatch, clock) == ["reservation-expiry"]
    assert services.expire_due_reservations(clock) == 0
    db.session.expire_all()
    assert db.session.get(Reservation, due["id"]).status == "CANCELLED"
    for user in (seller, buyer):
        assert notified(db, user) == [*before[user.id], "reservation.cancelled"]


def test_an_interval_of_zero_turns_the_expiry_off(app, jobs):
    app.config["RESERVATION_EXPIRY_INTERVAL_SECONDS"] = 0
    tasks.apply_config(app.config)
    for s in range(0, 600, 30):
        jobs.enqueue_periodic_tasks(T0 + timedelta(seconds=s))
    assert "reservation-expiry" not in [t.name for t in jobs.huey.pending()]


def test_the_reservations_page_offers_the_seller_an_extension(app, api, sale, client, login):
    seller, buyer, product, token = sale
    rid = accepted(api, sale)["id"]
    login(seller)
    html = client.get("/reservations?role=seller").get_data(as_text=True)
    assert "Held until" in html and "Extend hold" in html
    csrf = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    res = client.post(f"/reservations/{rid}/extend", data={"csrf_token": csrf})
    assert res.status_code == 302
    html = client.get("/reservations?role=seller").get_data(as_text=True)
    assert "Held until" in html and "Extend hold" not in html  # once only

    client.post("/logout", data={"csrf_token": csrf})
    login(buyer)
    html = client.get("/reservations?role=buyer").get_data(as_text=True)
    assert "Held for you until" in html and "Extend hold" not in html


@pytest.mark.no_rollback
def test_two_expiry_runs_and_a_cancel_at_once_end_the_hold_exactly_once(app, committed_sale):
    """Two workers' expiry runs and the buyer's cancel race for one lapsed hold: one of them ends it,
    the others find it ended (each re-reads it under the listing's lock); nobody is told twice."""
    from memi.extensions import db as _db
    from memi.users.models import User

    seller_id, (buyer_id,), product_id = committed_sale(buyers=1)
    with app.test_request_context():
        rid = services.request_reservation(_db.session.get(User, buyer_id), product_id).id
        services.accept(_db.session.get(User, seller_id), rid)
        _db.session.commit()
        expires_at = _db.session.get(Reservation, rid).expires_at
        _db.session.remove()
    later = expires_at + timedelta(minutes=1)

    def expire(_):
        with app.app_context():
            try:
                done = services.expire_due_reservations(later)
                _db.session.commit()
                return "expired" if done else "nothing"
            finally:
                _db.session.remove()

    def cancel(_):
        with app.test_request_context():
            try:
                services.cancel(_db.session.get(User, buyer_id), rid)
                _db.session.commit()
                return "cancelled"
            except Exception as exc:  # noqa: BLE001 - the test reports what happened
                _db.session.rollback()
                return type(exc).__name__
            finally:
                _db.session.remove()

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = [f.result() for f in [pool.submit(expire, 0), pool.submit(cancel, 0), pool.submit(expire, 0)]]
    with app.app_context():
        reservation = _db.session.get(Reservation, rid)
        status, reason = reservation.status, reservation.reason
        product_status = _db.session.get(Product, product_id).status
        told = _db.session.scalars(
            sa.select(Notification.user_id).where(Notification.type == "reservation.cancelled")
        ).all()
        _db.session.remove()
    assert results.count("expired") + results.count("cancelled") == 1, results
    assert set(results) <= {"expired", "cancelled", "nothing", "Conflict"}
    assert status == "CANCELLED" and product_status == "ACTIVE"
    if "expired" in results:
        assert reason == "expired" and sorted(told) == sorted([seller_id, buyer_id])
    else:
        assert reason is None and told == [seller_id]


def test_a_hold_that_has_run_out_cannot_be_extended_before_the_job_ends_it(app, db, make_user, make_product):
    """Between the end of a hold and the expiry job's next run, the seller cannot bring it back to life."""
    from datetime import timedelta

    from memi.columns import utcnow
    from memi.errors import Conflict
    from memi.extensions import db as _db
    from memi.reservations import services
    from memi.reservations.models import Reservation

    seller, buyer = make_user(), make_user()
    product = make_product(seller=seller)
    with app.test_request_context():
        reservation = services.request_reservation(_db.session.merge(buyer), product.id)
        _db.session.commit()
        services.accept(_db.session.merge(seller), reservation.id)
        _db.session.commit()
        row = _db.session.get(Reservation, reservation.id)
        row.expires_at = utcnow() - timedelta(seconds=1)
        _db.session.commit()
        with pytest.raises(Conflict):
            services.extend_reservation(_db.session.merge(seller), reservation.id)
