"""Compressed responses and fingerprinted static files (memi.web.static_files)."""

import gzip
import re

import brotli
import pytest

from memi import create_app
from tests.conftest import base_overrides


def fetch(client, url, **headers):
    """GET `url` and close the response (a file's response holds the file open until closed)."""
    with client.get(url, headers=headers) as res:
        res.get_data()
        return res


def static_urls(body):
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', body)


@pytest.mark.parametrize(("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_pages_are_compressed_when_the_browser_accepts_it(client, encoding, decode):
    plain = client.get("/")
    res = client.get("/", headers={"Accept-Encoding": f"{encoding}"})
    assert res.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in res.headers["Vary"]
    assert int(res.headers["Content-Length"]) < len(plain.data) / 3
    page = decode(res.data)  # the same page (its CSRF token is signed anew on each request)
    assert page.startswith(b"<!doctype html>") and page.rstrip().endswith(b"</html>")
    assert abs(len(page) - len(plain.data)) < 100


def test_brotli_is_preferred_and_uncompressed_without_accept_encoding(client):
    assert client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"}).headers["Content-Encoding"] == "br"
    assert "Content-Encoding" not in client.get("/").headers


def test_htmx_fragment_is_compressed_and_still_a_fragment(client, make_product):
    for _ in range(6):
        make_product()
    headers = {"HX-Request": "true", "Accept-Encoding": "gzip"}
    res = client.get("/search?q=jacket", headers=headers)
    assert res.headers["Content-Encoding"] == "gzip"
    body = gzip.decompress(res.data).decode()
    assert "<html" not in body and "Blue denim jacket" in body


def test_static_urls_carry_a_version_and_get_year_long_caching(client):
    urls = static_urls(client.get("/").get_data(as_text=True))
    assert any("css/memi.css?v=" in u for u in urls) and any("js/app.js?v=" in u for u in urls)
    assert all(re.search(r"\?v=[0-9a-f]{12}$", u) for u in urls), urls
    css = next(u for u in urls if "memi.css" in u)
    res = fetch(client, css, **{"Accept-Encoding": "br"})
    assert res.status_code == 200
    assert res.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert res.headers["Content-Encoding"] == "br"
    assert b"font-face" in brotli.decompress(res.data)


def test_unversioned_or_stale_static_urls_get_short_caching(client):
    for url in ("/static/css/memi.css", "/static/css/memi.css?v=000000000000", "/static/fonts/manat-400.woff2"):
        res = fetch(client, url)
        assert res.status_code == 200
        assert res.headers["Cache-Control"] == "public, max-age=86400", url


def test_fonts_and_images_are_not_compressed_again(client):
    res = fetch(client, "/static/fonts/manat-400.woff2", **{"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in res.headers


def test_uploaded_photos_are_not_compressed(app, db, client, make_product, make_user):
    from memi.products.services import add_images
    from tests.imagedata import image_bytes

    seller = make_user()
    product = make_product(seller=seller)
    with app.test_request_context():
        [image] = add_images(seller, product.id, [image_bytes()])
        db.session.commit()
    res = fetch(client, f"/media/{image.key}", **{"Accept-Encoding": "gzip, br"})
    assert res.status_code == 200 and res.mimetype.startswith("image/")
    assert "Content-Encoding" not in res.headers


def test_streamed_responses_are_not_compressed():
    app = create_app(base_overrides())

    @app.get("/_test/stream")
    def _stream():
        return app.response_class((f"line {i}\n" * 100 for i in range(10)), mimetype="text/plain")

    res = fetch(app.test_client(), "/_test/stream", **{"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in res.headers
    assert res.data.startswith(b"line 0")


def test_websocket_handshake_is_not_compressed(client):
    headers = {"Accept-Encoding": "gzip, br", "Upgrade": "websocket", "Connection": "Upgrade"}
    res = client.get("/", headers=headers)
    assert "Content-Encoding" not in res.headers
