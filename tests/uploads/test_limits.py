"""What one account can cost the server in photo processing: a per-process cap on photos processed at
once (503 with Retry-After past a short wait), a pixel cap checked before decoding, a per-user upload
rate (429), and no database transaction left open while photos are processed."""

import io
import time

import pytest
import sqlalchemy as sa
from PIL import Image

from memi import create_app
from tests.conftest import base_overrides, database_url
from tests.imagedata import image_bytes
from tests.products.test_views import sell_form


def _huge_png(size=(6000, 5000)):
    """30 megapixels of black: a few dozen kilobytes on the wire, 90 MB and more once decoded."""
    buf = io.BytesIO()
    Image.new("RGB", size).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _send(client, product_id, token, *photos):
    data = {"files": [(io.BytesIO(p), f"photo{i}.jpg") for i, p in enumerate(photos)]}
    return client.post(
        f"/api/v1/products/{product_id}/images",
        headers={"Authorization": f"Bearer {token}"},
        data=data,
        content_type="multipart/form-data",
    )


def _token(client, user):
    res = client.post("/api/v1/auth/login", json={"email": user.email, "password": user.plain_password})
    return res.get_json()["access_token"]


# ---- pixels -----------------------------------------------------------------------------------------


def test_a_photo_with_huge_declared_dimensions_is_refused_before_decoding(api, make_user, make_product, monkeypatch):
    user = make_user()
    product = make_product(seller=user)
    data = _huge_png()
    assert len(data) < 200_000
    decoded = []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda im: decoded.append(im.size) or real_load(im))
    res = api.post(
        f"/products/{product.id}/images",
        token=api.tokens(user)["access_token"],
        data={"files": [(io.BytesIO(data), "big.png")]},
        content_type="multipart/form-data",
    )
    assert res.status_code == 413, res.get_json()
    assert "25 megapixels" in res.get_json()["error"]["message"]
    assert (6000, 5000) not in decoded


def test_the_pixel_cap_is_configurable(make_user, make_product):
    app = create_app(base_overrides(MAX_IMAGE_PIXELS=100_000))
    user = make_user()
    product = make_product(seller=user)
    client = app.test_client()
    res = _send(client, product.id, _token(client, user), image_bytes(size=(400, 300)))
    assert res.status_code == 413
    assert "0.1 megapixels" in res.get_json()["error"]["message"]


# ---- photos processed at once ------------------------------------------------------------------------


@pytest.fixture
def one_slot_app():
    """An app that processes one photo at a time and waits a quarter second for a free slot."""
    return create_app(base_overrides(PHOTO_CONCURRENCY=1, PHOTO_SLOT_WAIT=0.25))


def _hold_the_slot(app):
    from memi.uploads.images import photo_slots

    with app.app_context():
        slots = photo_slots()
    slots.acquire()
    return slots


def test_an_upload_that_finds_no_free_slot_is_a_prompt_503_on_the_api(one_slot_app, make_user, make_product):
    user = make_user()
    product = make_product(seller=user)
    client = one_slot_app.test_client()
    token = _token(client, user)
    slots = _hold_the_slot(one_slot_app)
    try:
        start = time.monotonic()
        res = _send(client, product.id, token, image_bytes())
        took = time.monotonic() - start
    finally:
        slots.release()
    assert res.status_code == 503, res.get_json()
    assert res.get_json()["error"]["code"] == "unavailable"
    assert int(res.headers["Retry-After"]) > 0
    assert took < 5
    # With the slot free again the same upload goes through.
    assert _send(client, product.id, token, image_bytes()).status_code == 201


def test_an_upload_that_finds_no_free_slot_is_a_503_page_on_the_web(one_slot_app, make_user):
    user = make_user()
    client = one_slot_app.test_client()
    client.post("/login", data={"email": user.email, "password": user.plain_password})
    slots = _hold_the_slot(one_slot_app)
    try:
        data = sell_form(photos=[(io.BytesIO(image_bytes()), "a.jpg")])
        res = client.post("/sell", data=data, content_type="multipart/form-data")
    finally:
        slots.release()
    assert res.status_code == 503
    assert "Retry-After" in res.headers
    assert "<html" in res.get_data(as_text=True).lower()


# ---- uploads per user -------------------------------------------------------------------------------


def test_photo_uploads_per_user_are_rate_limited_on_the_api(rate_limited_app, make_user, make_product):
    app = rate_limited_app(PHOTO_UPLOAD_RATE="2 per hour")
    user, other = make_user(), make_user()
    product, others_product = make_product(seller=user), make_product(seller=other)
    client = app.test_client()
    token = _token(client, user)
    assert _send(client, product.id, token, image_bytes(), image_bytes()).status_code == 201
    res = _send(client, product.id, token, image_bytes())
    assert res.status_code == 429, res.get_json()
    assert res.get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(res.headers["Retry-After"]) <= 3600
    # Another seller is not affected.
    assert _send(client, others_product.id, _token(client, other), image_bytes()).status_code == 201


def test_photo_uploads_per_user_are_rate_limited_on_the_sell_page(rate_limited_app, make_user):
    app = rate_limited_app(PHOTO_UPLOAD_RATE="1 per hour")
    user = make_user()
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": user.plain_password})
    photos = [(io.BytesIO(image_bytes()), "a.jpg"), (io.BytesIO(image_bytes()), "b.jpg")]
    res = client.post("/sell", data=sell_form(photos=photos), content_type="multipart/form-data")
    assert res.status_code == 429
    assert "Retry-After" in res.headers
    assert "many photos" in res.get_data(as_text=True)


# ---- no transaction open while photos are processed ----------------------------------------------------


def _idle_in_transaction(app):
    """This test database's other connections that sit `idle in transaction` (PostgreSQL), or whether
    the app's session has a transaction open (SQLite)."""
    url = sa.make_url(database_url())
    if url.get_backend_name() != "postgresql":
        from memi.extensions import db

        return [1] if db.session().in_transaction() else []
    engine = sa.create_engine(url.set(drivername="postgresql+psycopg2"), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
                )
            ).all()
    finally:
        engine.dispose()


@pytest.mark.no_rollback
def test_no_connection_is_idle_in_transaction_while_photos_are_processed(app, committed_sale, monkeypatch):
    from memi.uploads import images

    _, _, product_id = committed_sale(buyers=0)
    client = app.test_client()
    res = client.post("/api/v1/auth/login", json={"email": "race-seller@example.az", "password": "correct-horse-1"})
    token = res.get_json()["access_token"]
    seen = []
    real = images._process_image

    def probe(data, **kwargs):
        seen.append(_idle_in_transaction(app))
        return real(data, **kwargs)

    monkeypatch.setattr(images, "_process_image", probe)
    res = _send(client, product_id, token, image_bytes(), image_bytes())
    assert res.status_code == 201, res.get_json()
    assert seen == [[], []]
