"""The photo API of API.md's Products section: POST /products/{id}/images, DELETE
/products/{id}/images/{image_id} and PATCH /products/{id}/images/order, on both databases."""

import io
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from PIL import Image

from memi.columns import utcnow
from memi.products.models import Product, ProductImage
from tests.conftest import database_url
from tests.imagedata import image_bytes

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


@pytest.fixture
def owner(api, make_user, make_product):
    user = make_user(name="Seller")
    product = make_product(seller=user)
    return user, product, api.tokens(user)["access_token"]


def send(api, product_id, token, *photos, field="files"):
    data = {field: [(io.BytesIO(p), f"photo{i}.jpg") for i, p in enumerate(photos)]}
    return api.post(f"/products/{product_id}/images", token=token, data=data, content_type="multipart/form-data")


def stored(app, key):
    from memi.uploads.storage import get_storage

    with app.app_context():
        storage = get_storage()
        return storage.path(key).read_bytes() if storage.exists(key) else None


def is_webp(data):
    return data is not None and data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def image_rows(db, product_id):
    return db.session.scalars(
        sa.select(ProductImage).where(ProductImage.product_id == product_id).order_by(ProductImage.position)
    ).all()


# ---- POST /products/{id}/images --------------------------------------------------------------------


def test_upload_one_then_more_gives_webp_with_sizes_and_thumbnails(app, api, owner, db):
    _, product, token = owner
    res = send(api, product.id, token, image_bytes(size=(800, 1000)))
    assert res.status_code == 201, res.get_json()
    [first] = res.get_json()
    assert first["position"] == 0 and (first["width"], first["height"]) == (800, 1000)
    assert (
        first["url"].endswith(".webp") and first["thumb_url"].endswith(".webp") and first["url"] != first["thumb_url"]
    )

    res = send(api, product.id, token, image_bytes(size=(3200, 2000)), image_bytes("PNG"), image_bytes("WEBP"))
    assert res.status_code == 201, res.get_json()
    body = res.get_json()
    assert [i["position"] for i in body] == [1, 2, 3]
    assert (body[0]["width"], body[0]["height"]) == (1600, 1000)  # long side 1600 px

    rows = image_rows(db, product.id)
    assert len(rows) == 4
    for row in rows:
        main, thumb = stored(app, row.key), stored(app, row.thumb_key)
        assert is_webp(main) and is_webp(thumb)
        assert Image.open(io.BytesIO(main)).size == (row.width, row.height)
        assert max(Image.open(io.BytesIO(thumb)).size) <= 400
    listing = api.get(f"/products/{product.id}").get_json()
    assert [i["id"] for i in listing["images"]] == [r.id for r in rows]


def test_ninth_photo_is_409(api, owner, db):
    _, product, token = owner
    assert send(api, product.id, token, *[image_bytes()] * 8).status_code == 201
    res = send(api, product.id, token, image_bytes())
    assert res.status_code == 409
    assert res.get_json()["error"]["code"] == "conflict"
    assert len(image_rows(db, product.id)) == 8


def test_more_than_eight_in_one_request_is_refused(api, owner, db):
    _, product, token = owner
    res = send(api, product.id, token, *[image_bytes()] * 9)
    assert res.status_code == 409
    assert image_rows(db, product.id) == []


def test_someone_elses_listing_is_403_and_anonymous_401(api, owner, make_user, db):
    _, product, _ = owner
    other = api.tokens(make_user())["access_token"]
    assert send(api, product.id, other, image_bytes()).status_code == 403
    assert send(api, product.id, None, image_bytes()).status_code == 401
    assert send(api, 987654, other, image_bytes()).status_code == 404
    assert image_rows(db, product.id) == []


@pytest.mark.parametrize("payload", [SVG, b"just some text, not a photo\n" * 10], ids=["svg", "text"])
def test_svg_and_text_are_415(api, owner, db, payload):
    _, product, token = owner
    res = send(api, product.id, token, payload)
    assert res.status_code == 415
    assert res.get_json()["error"]["code"] == "unsupported_media_type"
    assert image_rows(db, product.id) == []


def test_over_the_byte_cap_is_413(app, api, owner, db, monkeypatch):
    _, product, token = owner
    photo = image_bytes()
    monkeypatch.setitem(app.config, "MAX_IMAGE_BYTES", len(photo) - 1)
    res = send(api, product.id, token, photo)
    assert res.status_code == 413
    assert res.get_json()["error"]["code"] == "payload_too_large"
    assert image_rows(db, product.id) == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {"files": ["aGVsbG8="]}},
        {"data": b"raw bytes", "content_type": "image/jpeg"},
        {"data": {"photos": [(io.BytesIO(b"x"), "a.jpg")]}, "content_type": "multipart/form-data"},
    ],
    ids=["json", "raw", "wrong-field"],
)
def test_a_body_without_multipart_files_is_400(api, owner, kwargs):
    _, product, token = owner
    res = api.post(f"/products/{product.id}/images", token=token, **kwargs)
    assert res.status_code == 400
    assert res.get_json()["error"]["code"] == "validation_error"


# ---- DELETE /products/{id}/images/{image_id} ---------------------------------------------------------


def test_delete_removes_the_row_and_both_files_owner_only(app, api, owner, make_user, db):
    _, product, token = owner
    first, second = send(api, product.id, token, image_bytes(), image_bytes("PNG")).get_json()
    row = db.session.get(ProductImage, first["id"])
    keys = (row.key, row.thumb_key)
    assert all(stored(app, k) for k in keys)

    other = api.tokens(make_user())["access_token"]
    assert api.delete(f"/products/{product.id}/images/{first['id']}", token=other).status_code == 403
    assert api.delete(f"/products/{product.id}/images/{first['id']}").status_code == 401
    assert all(stored(app, k) for k in keys)

    assert api.delete(f"/products/{product.id}/images/{first['id']}", token=token).status_code == 204
    assert [r.id for r in image_rows(db, product.id)] == [second["id"]]
    assert [stored(app, k) for k in keys] == [None, None]
    assert api.delete(f"/products/{product.id}/images/{first['id']}", token=token).status_code == 404


def test_an_image_of_another_listing_is_404(api, owner, make_product):
    user, product, token = owner
    elsewhere = make_product(seller=user)
    [image] = send(api, elsewhere.id, token, image_bytes()).get_json()
    assert api.delete(f"/products/{product.id}/images/{image['id']}", token=token).status_code == 404


# ---- PATCH /products/{id}/images/order ---------------------------------------------------------------


def test_reorder_owner_only_and_bad_ids_are_400(api, owner, make_user, make_product, db):
    user, product, token = owner
    a, b, c = (i["id"] for i in send(api, product.id, token, *[image_bytes()] * 3).get_json())
    res = api.patch(f"/products/{product.id}/images/order", token=token, json={"image_ids": [c, a, b]})
    assert res.status_code == 200
    assert [i["id"] for i in res.get_json()] == [c, a, b] and [i["position"] for i in res.get_json()] == [0, 1, 2]
    assert [r.id for r in image_rows(db, product.id)] == [c, a, b]

    other = api.tokens(make_user())["access_token"]
    assert (
        api.patch(f"/products/{product.id}/images/order", token=other, json={"image_ids": [a, b, c]}).status_code == 403
    )
    [foreign] = send(api, make_product(seller=user).id, token, image_bytes()).get_json()
    for bad in ([a, b], [a, b, c, c], [a, b, foreign["id"]], [a, b, c, 999999], [], ["x"], None):
        res = api.patch(f"/products/{product.id}/images/order", token=token, json={"image_ids": bad})
        assert res.status_code == 400, bad
        assert res.get_json()["error"]["code"] == "validation_error"
    assert [r.id for r in image_rows(db, product.id)] == [c, a, b]


# ---- sold and moderated-away listings ------------------------------------------------------------------


def test_photos_of_a_sold_listing_cannot_change(api, owner, db):
    _, product, token = owner
    a, b = (i["id"] for i in send(api, product.id, token, image_bytes(), image_bytes()).get_json())
    assert api.patch(f"/products/{product.id}/status", token=token, json={"status": "SOLD"}).status_code == 200
    assert send(api, product.id, token, image_bytes()).status_code == 409
    assert api.delete(f"/products/{product.id}/images/{a}", token=token).status_code == 409
    res = api.patch(f"/products/{product.id}/images/order", token=token, json={"image_ids": [b, a]})
    assert res.status_code == 409
    assert [r.id for r in image_rows(db, product.id)] == [a, b]


def test_a_moderated_away_listing_is_404_to_outsiders_on_every_mutation(api, owner, make_user, db):
    _, product, token = owner
    [image] = send(api, product.id, token, image_bytes()).get_json()
    db.session.get(Product, product.id).removed_at = utcnow()
    db.session.commit()
    other = api.tokens(make_user())["access_token"]
    admin = api.tokens(make_user(role="ADMIN"))["access_token"]
    calls = [
        lambda t: api.patch(f"/products/{product.id}", token=t, json={"price": "1"}),
        lambda t: api.patch(f"/products/{product.id}/status", token=t, json={"status": "RESERVED"}),
        lambda t: send(api, product.id, t, image_bytes()),
        lambda t: api.delete(f"/products/{product.id}/images/{image['id']}", token=t),
        lambda t: api.patch(f"/products/{product.id}/images/order", token=t, json={"image_ids": [image["id"]]}),
        lambda t: api.delete(f"/products/{product.id}", token=t),
    ]
    for call in calls:
        res = call(other)
        assert res.status_code == 404 and res.get_json()["error"]["code"] == "not_found"
        assert call(admin).status_code == 403  # admins see it, but only the seller changes it
    assert api.get(f"/products/{product.id}", token=other).status_code == 404
    # The seller still manages it.
    assert api.patch(f"/products/{product.id}", token=token, json={"price": "99"}).status_code == 200
    assert db.session.get(Product, product.id).status == "ACTIVE"


# ---- two uploads at once (real commits, each request on its own connection) ---------------------------


def _slow_processing(monkeypatch, probe=None):
    """Make each photo take a moment (like a large one), and optionally run `probe` meanwhile."""
    from memi.uploads import images

    real = images.process_image

    def slow(data, **kwargs):
        if probe:
            probe()
        time.sleep(0.1)
        return real(data, **kwargs)

    monkeypatch.setattr(images, "process_image", slow)


def _others_can_write(product_id):
    """Whether another connection can take the write lock (SQLite) or the listing's row lock
    (PostgreSQL) right now, within 200 ms."""
    url = sa.make_url(database_url())
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, timeout=0.2, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            conn.close()
    from memi.extensions import db as _db

    try:  # a connection of its own from the app's pool (called inside the request's app context)
        with _db.engine.begin() as conn:
            conn.execute(sa.text("SET LOCAL lock_timeout = '200ms'"))
            conn.execute(sa.text("SELECT id FROM products WHERE id = :id FOR UPDATE"), {"id": product_id})
        return True
    except sa.exc.OperationalError:
        return False


def _login(app, email):
    res = app.test_client().post("/api/v1/auth/login", json={"email": email, "password": "correct-horse-1"})
    return res.get_json()["access_token"]


@pytest.mark.no_rollback
def test_photos_are_processed_while_other_writers_can_write(app, committed_sale, monkeypatch):
    _, _, product_id = committed_sale(buyers=0)
    token = _login(app, "race-seller@example.az")
    seen = []
    _slow_processing(monkeypatch, probe=lambda: seen.append(_others_can_write(product_id)))
    res = app.test_client().post(
        f"/api/v1/products/{product_id}/images",
        headers={"Authorization": f"Bearer {token}"},
        data={"files": [(io.BytesIO(image_bytes()), "a.jpg"), (io.BytesIO(image_bytes()), "b.jpg")]},
        content_type="multipart/form-data",
    )
    assert res.status_code == 201, res.get_json()
    assert seen == [True, True]


@pytest.mark.no_rollback
def test_two_uploads_at_once_never_make_more_than_eight(app, committed_sale, monkeypatch):
    from memi.extensions import db as _db

    _, _, product_id = committed_sale(buyers=0)
    token = _login(app, "race-seller@example.az")
    _slow_processing(monkeypatch)
    photos = [image_bytes()] * 5
    start = threading.Barrier(2)

    def upload(_):
        client = app.test_client()
        start.wait()
        res = client.post(
            f"/api/v1/products/{product_id}/images",
            headers={"Authorization": f"Bearer {token}"},
            data={"files": [(io.BytesIO(p), f"{i}.jpg") for i, p in enumerate(photos)]},
            content_type="multipart/form-data",
        )
        return res.status_code

    before = _media_files(app)
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(upload, range(2)))
    with app.app_context():
        keys = _db.session.execute(
            sa.select(ProductImage.key, ProductImage.thumb_key).where(ProductImage.product_id == product_id)
        ).all()
        _db.session.remove()
    assert statuses == [201, 409]
    assert len(keys) == 5
    # The refused upload's files were removed again: what is new on disk is the stored photos' files.
    assert _media_files(app) - before == {k for pair in keys for k in pair}


def _media_files(app):
    from memi.uploads.storage import get_storage

    with app.app_context():
        root = get_storage().root
    return {str(p.relative_to(root)) for p in root.rglob("*.webp")}
