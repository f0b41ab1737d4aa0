"""Checks at the door (memi.web.door): small body caps everywhere but the photo uploads, checked before
the body is read; invalid text is a 400 on every surface; private answers are not stored by caches."""

import io
import json
import os
import time

import pytest
from PIL import Image

from memi import create_app
from tests.conftest import base_overrides

SURROGATE_JSON = '"abc\\ud800"'  # the JSON escape of a lone UTF-16 surrogate


def multipart(field, name, data):
    """A multipart body built in memory (the test client would spool a large one to an unclosed temp file)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart(
        {field: FileStorage(io.BytesIO(data), filename=name, name=field, content_type="image/png")}
    )
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def noisy_png(side=1100):
    """A photo of a few MB (noise does not compress)."""
    buf = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buf, "PNG")
    return buf.getvalue()


# ---- body caps ---------------------------------------------------------------------------------------


def test_a_large_json_body_to_refresh_is_413_at_once(client):
    body = b'{"refresh_token": "' + b"x" * (1024 * 1024) + b'"}'
    started = time.monotonic()
    res = client.post("/api/v1/auth/refresh", data=body, content_type="application/json")
    assert res.status_code == 413
    assert res.get_json()["error"]["code"] == "payload_too_large"
    assert "64 KB" in res.get_json()["error"]["message"]
    assert time.monotonic() - started < 5


def _post_chunked(base_url, path, body):
    import http.client
    from urllib.parse import urlsplit

    url = urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.putrequest("POST", path)
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    try:
        for i in range(0, len(body), 16384):
            chunk = body[i : i + 16384]
            conn.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        conn.send(b"0\r\n\r\n")
    except OSError:
        pass  # the server may answer and close before it has read everything
    res = conn.getresponse()
    return res.status, json.loads(res.read())


@pytest.mark.no_rollback
def test_a_chunked_body_without_content_length_is_413_past_the_cap(live_server):
    """No Content-Length to check: Werkzeug stops reading at the cap, and the rest is refused, not parsed."""
    padded = b'{"refresh_token": "abc"}' + b" " * (1024 * 1024)  # valid JSON if it were cut at the cap
    status, body = _post_chunked(live_server, "/api/v1/auth/refresh", padded)
    assert status == 413 and body["error"]["code"] == "payload_too_large"
    status, body = _post_chunked(live_server, "/api/v1/auth/refresh", b'{"refresh_token": "abc"}')
    assert status == 401


def test_a_small_json_body_is_still_read(client):
    res = client.post("/api/v1/auth/refresh", json={"refresh_token": "not-a-token"})
    assert res.status_code == 401


def test_a_large_form_to_a_page_is_a_friendly_413_even_before_csrf():
    app = create_app(base_overrides(WTF_CSRF_ENABLED=True))
    res = app.test_client().post("/login", data={"email": "a@b.az", "password": "x" * (200 * 1024)})
    assert res.status_code == 413
    assert b"too large" in res.data and b"<html" in res.data


def test_an_upload_route_takes_a_large_body_only_as_multipart(client, make_user, login):
    login(make_user())
    res = client.post("/profile/avatar", data={"avatar": "x" * (200 * 1024)})
    assert res.status_code == 413


def test_the_cap_is_configurable():
    app = create_app(base_overrides(MAX_BODY_BYTES=1024))
    res = app.test_client().post("/api/v1/auth/refresh", json={"refresh_token": "x" * 2000})
    assert res.status_code == 413


def test_every_upload_route_exists(app):
    from memi.web.door import UPLOAD_ENDPOINTS

    assert UPLOAD_ENDPOINTS <= set(app.view_functions)


def test_a_photo_of_a_few_mb_still_uploads_through_the_api(api, make_user, make_product):
    user = make_user()
    product = make_product(seller=user)
    token = api.tokens(user)["access_token"]
    photo = noisy_png()
    assert len(photo) > 2 * 1024 * 1024
    res = api.post(
        f"/products/{product.id}/images",
        token=token,
        **multipart("files", "big.png", photo),
    )
    assert res.status_code == 201, res.get_json()


def test_a_photo_of_a_few_mb_still_uploads_through_a_page(client, make_user, login):
    user = make_user()
    login(user)
    res = client.post("/profile/avatar", **multipart("avatar", "me.png", noisy_png()))
    assert res.status_code == 302
    assert b"Your photo is updated." in client.get(res.headers["Location"]).data


# ---- invalid text ------------------------------------------------------------------------------------


def _operations(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method.upper(), path, op


def _url(path):
    import re

    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture
def admin_token(api, make_user):
    return api.tokens(make_user(role="ADMIN"))["access_token"]


def test_a_lone_surrogate_in_a_json_body_is_400_on_every_api_route(app, client, admin_token):
    checked = 0
    for method, path, op in _operations(app):
        content = (op.get("requestBody") or {}).get("content", {})
        if "application/json" not in content:
            continue
        props = content["application/json"].get("schema", {})
        if "$ref" in props:
            name = props["$ref"].rsplit("/", 1)[-1]
            props = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"][name]
        fields = list(props.get("properties", {})) or ["x"]
        body = "{" + ", ".join(f'"{f}": {SURROGATE_JSON}' for f in fields) + "}"
        res = client.open(
            _url(path),
            method=method,
            data=body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {admin_token}"},
        )
        assert res.status_code == 400, (method, path, res.status_code, res.get_data(as_text=True)[:300])
        assert res.get_json()["error"]["code"] == "validation_error", (method, path)
        checked += 1
    assert checked >= 20


def test_invalid_text_in_a_query_string_is_400_on_every_api_route(app, client, admin_token):
    for method, path, _op in _operations(app):
        res = client.open(
            _url(path) + "?q=%ED%A0%80", method=method, headers={"Authorization": f"Bearer {admin_token}"}
        )
        assert res.status_code == 400, (method, path, res.status_code)
        assert res.get_json()["error"]["code"] == "validation_error"


def test_raw_non_utf8_bytes_in_a_query_string_are_400_not_500(client):
    for path in ("/", "/api/v1/products"):
        res = client.get(path, environ_overrides={"QUERY_STRING": "q=\xed\xa0\x80"})
        assert res.status_code == 400
    assert res.get_json()["error"]["code"] == "validation_error"


def test_a_surrogate_in_a_page_form_is_a_friendly_400(client, make_user, login):
    login(make_user())
    res = client.post(
        "/profile", data=b"name=Aysel%ED%A0%80&city=Baku", content_type="application/x-www-form-urlencoded"
    )
    assert res.status_code == 400
    assert b"not valid Unicode" in res.data and b"<html" in res.data


def test_a_surrogate_in_an_htmx_form_is_a_toast(client, make_user, login):
    login(make_user())
    res = client.get("/?q=%ED%A0%80", headers={"HX-Request": "true"})
    assert res.status_code == 204 and "HX-Trigger" in res.headers


# ---- Cache-Control -----------------------------------------------------------------------------------


def test_pages_for_a_logged_in_user_are_no_store(client, make_user, login):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(make_user())
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/profile").headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching_for_a_logged_in_user(client, make_user, login):
    login(make_user())
    res = client.get("/static/css/memi.css")
    res.close()
    assert res.status_code == 200
    assert "no-store" not in res.headers.get("Cache-Control", "")


def test_api_answers_with_tokens_or_to_a_token_are_no_store(api, make_user):
    user = make_user()
    res = api.post("/auth/login", json={"email": user.email, "password": user.plain_password})
    assert res.headers["Cache-Control"] == "no-store"
    tokens = res.get_json()
    assert api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).headers["Cache-Control"] == (
        "no-store"
    )
    assert api.get("/users/me", token=tokens["access_token"]).headers["Cache-Control"] == "no-store"
    anonymous = api.get("/categories")
    assert anonymous.status_code == 200 and "no-store" not in anonymous.headers.get("Cache-Control", "")


def test_invalid_text_json_error_shape(client):
    res = client.post(
        "/api/v1/auth/refresh", data='{"refresh_token": ' + SURROGATE_JSON + "}", content_type="application/json"
    )
    body = res.get_json()
    assert res.status_code == 400 and json.dumps(body)
    assert "not valid Unicode" in body["error"]["details"]["json"][0]
