"""Storage backends (local folder, and S3 against a real S3 server on loopback) and the /media/ route."""

import io
import os
import re

import pytest
from botocore.exceptions import ClientError

from memi import create_app
from memi.config import ConfigError
from memi.uploads.storage import (
    CACHE_CONTROL,
    InvalidKey,
    LocalStorage,
    S3Storage,
    check_key,
    get_storage,
    new_key,
)
from memi.uploads.urls import media_url
from memi.uploads.views import bp as media_bp
from tests.conftest import base_overrides, free_port
from tests.uploads.conftest import raw_client

WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 fake webp bytes for storage tests"
HOSTILE_KEYS = [
    "../x.webp",
    "products/../../x.webp",
    "/etc/passwd",
    "products//x.webp",
    "./x.webp",
    "products\\..\\x.webp",
    "products/x.webp\x00.png",
    "products/%2e%2e/x.webp",
    "",
]


# ---- keys ----------------------------------------------------------------------------------------


def test_new_key_is_random_and_well_formed():
    keys = {new_key("products") for _ in range(500)}
    assert len(keys) == 500
    for key in keys:
        assert re.fullmatch(r"products/[0-9a-f]{2}/[A-Za-z0-9_-]{24}\.webp", key), key
    assert re.fullmatch(r"avatars/[0-9a-f]{2}/[A-Za-z0-9_-]{24}\.png", new_key("avatars/", ext=".png"))


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_hostile_keys_are_refused(key):
    with pytest.raises(InvalidKey):
        check_key(key)


# ---- configuration -------------------------------------------------------------------------------


def test_local_is_the_default_and_cached(app):
    with app.app_context():
        storage = get_storage()
        assert isinstance(storage, LocalStorage)
        assert str(storage.root) == os.path.realpath(app.config["MEDIA_ROOT"])
        assert get_storage() is storage


def test_unknown_or_incomplete_backends_are_config_errors():
    with pytest.raises(ConfigError):
        get_storage(create_app(base_overrides(STORAGE="ftp")))
    with pytest.raises(ConfigError, match="S3_BUCKET"):
        get_storage(create_app(base_overrides(STORAGE="s3", S3_BUCKET=None)))


def test_media_url(app):
    with app.app_context():
        assert media_url(None) is None
        assert media_url("") is None
        assert media_url("products/ab/token.webp") == "/media/products/ab/token.webp"
    s3_app = create_app(base_overrides(STORAGE="s3", S3_BUCKET="memi", S3_PUBLIC_BASE_URL="https://cdn.memi.test/m/"))
    with s3_app.app_context():
        assert media_url("products/ab/token.webp") == "https://cdn.memi.test/m/products/ab/token.webp"
        # An odd key from the database still renders, inert.
        assert media_url('a"b <c>.webp') == "https://cdn.memi.test/m/a%22b%20%3Cc%3E.webp"


# ---- local backend -------------------------------------------------------------------------------


@pytest.fixture
def local(tmp_path):
    return LocalStorage(tmp_path / "media")


def test_local_round_trip(local):
    key = new_key("products")
    assert not local.exists(key)
    local.save(key, WEBP, "image/webp")
    assert local.exists(key)
    assert (local.root / key).read_bytes() == WEBP
    assert local.url(key) == f"/media/{key}"
    local.delete(key)
    assert not local.exists(key)
    assert not (local.root / key).exists()
    local.delete(key)  # already gone: not an error
    local.delete(new_key("products"))  # never existed: not an error


def test_local_leaves_no_temporary_files(local):
    key = new_key("products")
    local.save(key, WEBP, "image/webp")
    local.save(key, WEBP + b"v2", "image/webp")
    assert os.listdir(local.path(key).parent) == [key.rsplit("/", 1)[1]]
    assert local.path(key).read_bytes() == WEBP + b"v2"


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_local_refuses_traversal(local, key):
    outside = local.root.parent / "x.webp"
    outside.write_bytes(b"not yours")
    for call in (lambda: local.save(key, WEBP, "image/webp"), lambda: local.delete(key), lambda: local.exists(key)):
        with pytest.raises(InvalidKey):
            call()
    assert outside.read_bytes() == b"not yours"


def test_local_refuses_keys_through_a_symlink_out_of_the_root(local, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    local.root.mkdir(parents=True)
    (local.root / "products").symlink_to(elsewhere)
    with pytest.raises(InvalidKey):
        local.save("products/ab/x.webp", WEBP, "image/webp")
    assert list(elsewhere.iterdir()) == []


# ---- S3 backend, against moto's S3 server on loopback -----------------------------------------------


def test_s3_round_trip(s3_app):
    bucket = s3_app.config["S3_BUCKET"]
    with s3_app.app_context():
        storage = get_storage()
        assert isinstance(storage, S3Storage)
        key = new_key("products")
        assert not storage.exists(key)
        storage.save(key, WEBP, "image/webp")
        assert storage.exists(key)
        assert storage.url(key) == f"https://cdn.memi.test/media/{key}"
        assert media_url(key) == f"https://cdn.memi.test/media/{key}"

        stored = raw_client(s3_app).get_object(Bucket=bucket, Key=key)
        assert stored["Body"].read() == WEBP
        assert stored["ContentType"] == "image/webp"
        assert stored["CacheControl"] == CACHE_CONTROL == "public, max-age=31536000, immutable"

        storage.delete(key)
        assert not storage.exists(key)
        with pytest.raises(ClientError) as info:
            raw_client(s3_app).head_object(Bucket=bucket, Key=key)
        assert info.value.response["Error"]["Code"] == "404"
        storage.delete(key)  # already gone: not an error


def test_s3_refuses_hostile_keys_without_a_request(s3_app):
    with s3_app.app_context():
        storage = get_storage()
        for key in ("../x.webp", "products//x.webp", "/x.webp"):
            with pytest.raises(InvalidKey):
                storage.save(key, WEBP, "image/webp")
        assert raw_client(s3_app).list_objects_v2(Bucket=s3_app.config["S3_BUCKET"])["KeyCount"] == 0


def test_s3_url_without_public_base_falls_back_to_the_endpoint():
    storage = S3Storage("memi", endpoint_url="http://minio:9000/")
    assert storage.url("products/ab/t.webp") == "http://minio:9000/memi/products/ab/t.webp"
    storage = S3Storage("memi", region="eu-central-1")
    assert storage.url("products/ab/t.webp") == "https://memi.s3.eu-central-1.amazonaws.com/products/ab/t.webp"


def test_deleting_a_product_photo_removes_both_objects_from_s3(s3_app, make_user, make_product, db):
    """Through the API, with STORAGE=s3: the full-size photo and its thumbnail are stored as two
    objects, and removing the photo removes both."""
    from memi.products.models import ProductImage
    from tests.imagedata import image_bytes

    bucket = s3_app.config["S3_BUCKET"]
    seller = make_user()
    product = make_product(seller=seller)
    client = s3_app.test_client()
    login = client.post("/api/v1/auth/login", json={"email": seller.email, "password": seller.plain_password})
    auth = {"Authorization": f"Bearer {login.get_json()['access_token']}"}

    res = client.post(
        f"/api/v1/products/{product.id}/images",
        headers=auth,
        data={"files": [(io.BytesIO(image_bytes()), "a.jpg"), (io.BytesIO(image_bytes("PNG")), "b.png")]},
        content_type="multipart/form-data",
    )
    assert res.status_code == 201, res.get_json()
    first, second = res.get_json()
    assert first["url"].startswith("https://cdn.memi.test/media/products/")
    row = db.session.get(ProductImage, first["id"])
    keys = {row.key, row.thumb_key}
    others = {db.session.get(ProductImage, second["id"]).key, db.session.get(ProductImage, second["id"]).thumb_key}

    def in_bucket():
        listing = raw_client(s3_app).list_objects_v2(Bucket=bucket)
        return {o["Key"] for o in listing.get("Contents", [])}

    assert in_bucket() == keys | others
    assert client.delete(f"/api/v1/products/{product.id}/images/{first['id']}", headers=auth).status_code == 204
    assert in_bucket() == others
    for key in keys:
        with pytest.raises(ClientError) as info:
            raw_client(s3_app).head_object(Bucket=bucket, Key=key)
        assert info.value.response["Error"]["Code"] == "404"


# ---- the /media/ route ---------------------------------------------------------------------------


def media_app(**overrides):
    app = create_app(base_overrides(**overrides))
    if "media" not in app.blueprints:  # until memi.pages registers it
        app.register_blueprint(media_bp)
    return app


@pytest.fixture
def media_client():
    app = media_app()
    with app.app_context():
        storage = get_storage()
    return app.test_client(), storage


def test_media_is_served_with_long_cache_and_nosniff(media_client):
    client, storage = media_client
    key = new_key("products")
    storage.save(key, WEBP, "image/webp")
    # File responses are closed, as a WSGI server would close them.
    with client.get(f"/media/{key}") as res:
        assert res.status_code == 200
        assert res.data == WEBP
        assert res.mimetype == "image/webp"
        assert res.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert res.headers["X-Content-Type-Options"] == "nosniff"
        etag = res.headers["ETag"]
    with client.head(f"/media/{key}") as head:
        assert head.status_code == 200 and head.mimetype == "image/webp"
    with client.get(f"/media/{key}", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_missing_media_is_404(media_client):
    client, _storage = media_client
    assert client.get(f"/media/{new_key('products')}").status_code == 404


def test_media_route_refuses_traversal_and_other_files(media_client):
    client, storage = media_client
    parent = storage.root.parent
    (parent / "secret.webp").write_bytes(b"outside the media root")
    storage.save("notes/page.html", b"<script>alert(1)</script>", "text/html")
    for path in (
        "/media/../secret.webp",
        "/media/%2e%2e/secret.webp",
        "/media/..%2fsecret.webp",
        "/media/notes/../../secret.webp",
        "/media/notes/page.html",
        "/media/notes",
    ):
        res = client.get(path)
        assert res.status_code == 404, path
        assert b"outside the media root" not in res.data and b"<script>alert" not in res.data


def test_media_route_is_404_with_s3():
    app = media_app(STORAGE="s3", S3_BUCKET="memi", S3_PUBLIC_BASE_URL="https://cdn.memi.test")
    local = LocalStorage(app.config["MEDIA_ROOT"])
    key = new_key("products")
    local.save(key, WEBP, "image/webp")
    assert app.test_client().get(f"/media/{key}").status_code == 404


def test_s3_down_is_a_clear_503_not_a_500(app):
    """Nothing listens at the endpoint: saving raises Unavailable (503); deleting is logged, not fatal."""
    from memi.errors import Unavailable
    from memi.uploads.storage import S3Storage

    storage = S3Storage(
        "memi-test",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        region="us-east-1",
        access_key_id="x",
        secret_access_key="y",
    )
    with pytest.raises(Unavailable) as info:
        storage.save("products/ab/x.webp", b"data", "image/webp")
    assert info.value.status == 503
    storage.delete("products/ab/x.webp")
