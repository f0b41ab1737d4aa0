"""Listing and photo limits are defined once (memi/limits.py): the column, the sell form, the API and
the photo pipeline all follow them, and the MAX_IMAGE_BYTES setting moves every photo byte check."""

import io

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from memi import limits
from memi.products.forms import ListingForm
from memi.products.models import Product
from tests.imagedata import image_bytes


def test_columns_and_form_follow_the_limits(app):
    for field, (low, high) in limits.TEXT_LIMITS.items():
        if field != "description":
            assert Product.__table__.c[field].type.length == high, field
        with app.test_request_context():
            lengths = [v for v in ListingForm(meta={"csrf": False})[field].validators if hasattr(v, "max")]
        assert [(v.min if v.min > 0 else 0, v.max) for v in lengths] == [(low, high)], field


@pytest.mark.parametrize("field", ["title", "description", "brand", "city"])
def test_api_refuses_one_character_too_many(api, make_user, field):
    token = api.tokens(make_user())["access_token"]
    body = {"title": "Blue jacket", "price": "10", "condition": "GOOD", "category": "women-clothing"}
    high = limits.TEXT_LIMITS[field][1]
    res = api.post("/products", token=token, json={**body, field: "x" * (high + 1)})
    assert res.status_code == 400 and field in res.get_json()["error"]["details"]
    res = api.post("/products", token=token, json={**body, field: "x" * high})
    assert res.status_code == 201, res.get_json()


def test_price_bounds(api, make_user):
    token = api.tokens(make_user())["access_token"]
    body = {"title": "Blue jacket", "condition": "GOOD", "category": "women-clothing"}
    top = limits.MAX_PRICE
    assert api.post("/products", token=token, json={**body, "price": str(top)}).status_code == 400
    assert api.post("/products", token=token, json={**body, "price": str(top - 1)}).status_code == 201
    assert api.get(f"/products?max_price={top + 1}").status_code == 400


def _send(api, product_id, token, photo):
    # Encoded in memory: the test client would spool a body this large to a file it never closes.
    boundary, body = encode_multipart(MultiDict({"files": FileStorage(io.BytesIO(photo), "photo.jpg")}))
    content_type = f"multipart/form-data; boundary={boundary}"
    return api.post(f"/products/{product_id}/images", token=token, data=body, content_type=content_type)


def test_max_image_bytes_above_the_default_lets_a_larger_photo_through(app, api, make_user, make_product, monkeypatch):
    seller = make_user()
    product = make_product(seller=seller)
    token = api.tokens(seller)["access_token"]
    # A real photo padded past the default cap (decoders ignore bytes after the image).
    photo = image_bytes() + b"\0" * (limits.DEFAULT_MAX_IMAGE_BYTES + 1024)
    res = _send(api, product.id, token, photo)
    assert res.status_code == 413
    assert "10 MB" in res.get_json()["error"]["message"]
    monkeypatch.setitem(app.config, "MAX_IMAGE_BYTES", limits.DEFAULT_MAX_IMAGE_BYTES * 2)
    res = _send(api, product.id, token, photo)
    assert res.status_code == 201, res.get_json()
