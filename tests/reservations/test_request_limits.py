"""Reservation requests are rate limited per buyer and listing (each one emails the seller): the 4th
request/cancel cycle on one listing within the window is refused with 429 and Retry-After."""

import pytest


@pytest.fixture
def limited(rate_limited_app, make_user, make_product):
    app = rate_limited_app()  # the shipped limits: 3 per listing per 10 minutes, 20 per buyer per hour
    seller, buyer = make_user(name="Seller"), make_user(name="Buyer")
    product = make_product(seller=seller)
    return app, buyer, product, seller


def _token(client, user):
    res = client.post("/api/v1/auth/login", json={"email": user.email, "password": user.plain_password})
    return {"Authorization": f"Bearer {res.get_json()['access_token']}"}


def test_fourth_request_cancel_cycle_on_one_listing_is_refused(limited, make_product):
    app, buyer, product, seller = limited
    c = app.test_client()
    auth = _token(c, buyer)
    for _ in range(3):
        res = c.post(f"/api/v1/products/{product.id}/reservations", headers=auth, json={})
        assert res.status_code == 201, res.get_json()
        assert c.post(f"/api/v1/reservations/{res.get_json()['id']}/cancel", headers=auth).status_code == 200
    res = c.post(f"/api/v1/products/{product.id}/reservations", headers=auth, json={})
    assert res.status_code == 429
    assert res.get_json()["error"]["code"] == "rate_limited"
    assert "reserve this item" in res.get_json()["error"]["message"]
    assert 0 < int(res.headers["Retry-After"]) <= 600
    # Another listing is still fine.
    other = make_product(seller=seller)
    assert c.post(f"/api/v1/products/{other.id}/reservations", headers=auth, json={}).status_code == 201


def test_the_page_refuses_too_with_a_clear_message(limited):
    app, buyer, product, seller = limited
    c = app.test_client()
    c.post("/login", data={"email": buyer.email, "password": buyer.plain_password})
    auth = _token(c, buyer)
    for _ in range(3):
        res = c.post(f"/api/v1/products/{product.id}/reservations", headers=auth, json={})
        c.post(f"/api/v1/reservations/{res.get_json()['id']}/cancel", headers=auth)
    page = c.post(f"/products/{product.id}/reserve", data={})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert "reserve this item several times" in page.get_data(as_text=True)


def test_a_buyer_has_an_overall_cap(rate_limited_app, make_user, make_product):
    app = rate_limited_app(RESERVATION_RATE_PER_BUYER="2 per hour")
    buyer, seller = make_user(name="Buyer"), make_user(name="Seller")
    c = app.test_client()
    auth = _token(c, buyer)
    codes = [
        c.post(f"/api/v1/products/{make_product(seller=seller).id}/reservations", headers=auth, json={}).status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
