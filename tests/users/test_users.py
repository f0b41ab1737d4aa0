"""Profiles: the own profile (page and API) and public seller profiles."""


def test_edit_profile_page(client, make_user, login):
    user = make_user(name="Old name")
    login(user)
    res = client.post("/profile", data={"name": "Günay", "city": "Sumqayıt", "phone": "+994 50 123 45 67"})
    assert res.status_code == 302
    html = client.get("/profile").get_data(as_text=True)
    assert 'value="Günay"' in html and 'value="Sumqayıt"' in html


def test_edit_profile_bad_phone_keeps_input(client, make_user, login):
    login(make_user())
    res = client.post("/profile", data={"name": "Ok", "city": "Baku", "phone": "call me maybe"})
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert "Enter a phone number like" in html
    assert 'value="call me maybe"' in html


def test_edit_profile_requires_login(client):
    assert client.post("/profile", data={"name": "X"}).status_code == 302


def test_public_profile_page_hides_email_and_phone(client, make_user):
    user = make_user(name="Seller Sam", email="sam@example.az")
    html = client.get(f"/users/{user.id}").get_data(as_text=True)
    assert "Seller Sam" in html
    assert "sam@example.az" not in html


def test_public_profile_of_blocked_or_unknown_user_is_404(client, make_user):
    blocked = make_user(blocked=True)
    assert client.get(f"/users/{blocked.id}").status_code == 404
    assert client.get("/users/999999").status_code == 404


def test_user_text_is_escaped(client, make_user):
    user = make_user(name="<script>alert(1)</script>")
    html = client.get(f"/users/{user.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_api_me_and_patch(api, make_user):
    user = make_user(name="A")
    token = api.tokens(user)["access_token"]
    res = api.patch(
        "/users/me", token=token, json={"name": "Aynur", "city": "Quba", "email": "evil@x.az", "role": "ADMIN"}
    )
    assert res.status_code == 200
    body = res.get_json()
    assert body["name"] == "Aynur" and body["city"] == "Quba"
    assert body["email"] == user.email and body["role"] == "USER"
    assert set(body) == {"id", "email", "name", "avatar_url", "city", "phone", "role", "created_at"}
    assert body["created_at"].endswith("Z")


def test_api_patch_validation(api, make_user):
    token = api.tokens(make_user())["access_token"]
    res = api.patch("/users/me", token=token, json={"name": ""})
    assert res.status_code == 400
    assert "name" in res.get_json()["error"]["details"]
    res = api.patch("/users/me", token=token, json={"phone": "not a phone"})
    assert res.status_code == 400
    assert "phone" in res.get_json()["error"]["details"]


def test_api_patch_requires_token(api):
    assert api.patch("/users/me", json={"name": "X"}).status_code == 401


def test_api_public_profile(api, make_user):
    user = make_user(name="Pub", email="pub@example.az")
    res = api.get(f"/users/{user.id}")
    assert res.status_code == 200
    body = res.get_json()
    assert set(body) == {"id", "name", "avatar_url", "city", "created_at", "active_listings"}
    assert body["active_listings"] == 0


def test_api_public_profile_blocked_is_404(api, make_user):
    user = make_user(blocked=True)
    res = api.get(f"/users/{user.id}")
    assert res.status_code == 404
    assert res.get_json()["error"]["code"] == "not_found"


def test_avatar_upload_api_and_page(api, client, make_user, login):
    from tests.imagedata import image_bytes, upload

    user = make_user()
    token = api.tokens(user)["access_token"]
    res = api.put(
        "/users/me/avatar", token=token, data={"file": upload(image_bytes())}, content_type="multipart/form-data"
    )
    assert res.status_code == 200
    url = res.get_json()["avatar_url"]
    assert url.startswith("/media/avatars/") and url.endswith(".webp")
    served = client.get(url)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/webp"
    served.close()
    assert api.get(f"/users/{user.id}").get_json()["avatar_url"] == url
    bad = api.put(
        "/users/me/avatar",
        token=token,
        data={"file": upload(b"%PDF-1.4 nope", "a.png")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 415 and bad.get_json()["error"]["code"] == "unsupported_media_type"
    assert (
        api.put(
            "/users/me/avatar", data={"file": upload(image_bytes())}, content_type="multipart/form-data"
        ).status_code
        == 401
    )

    login(user)
    res = client.post(
        "/profile/avatar",
        data={"avatar": upload(image_bytes(color=(0, 200, 0)))},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Your photo is updated." in res.get_data(as_text=True)
    assert "/media/avatars/" in res.get_data(as_text=True)
