"""Profiles: the own profile (page and API) and public seller profiles."""

import pytest


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
    assert set(body) == {"id", "email", "name", "avatar_url", "city", "phone", "role", "locale", "created_at"}
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


@pytest.mark.parametrize("field", ["name", "city", "phone"])
def test_edit_profile_page_refuses_line_breaks_with_a_message_by_the_field(client, make_user, login, field):
    user = make_user(name="Old name")
    login(user)
    data = {"name": "Bob", "city": "Baku", "phone": "+994 50 123 45 67"}
    data[field] = "Bob\r\nBcc: evil@x.az" if field != "phone" else "+994 50\r\n123 45 67"
    res = client.post("/profile", data=data)
    assert res.status_code == 400
    assert "Use one line of text, without control characters." in res.get_data(as_text=True)
    assert 'value="Old name"' in client.get("/profile").get_data(as_text=True)


@pytest.mark.parametrize("field", ["name", "city", "phone"])
@pytest.mark.parametrize("bad", ["Bob\r\nBcc: evil@x.az", "Bob\tSmith", "Bob\x1b[31m", "Bob\u2029x"])
def test_api_patch_refuses_control_characters(api, make_user, field, bad):
    token = api.tokens(make_user(name="Old name"))["access_token"]
    res = api.patch("/users/me", token=token, json={field: bad})
    assert res.status_code == 400
    err = res.get_json()["error"]
    assert err["code"] == "validation_error" and field in err["details"]
    assert api.get("/users/me", token=token).get_json()["name"] == "Old name"


def test_names_may_use_joiners_and_any_script(api, make_user):
    token = api.tokens(make_user())["access_token"]
    for name in ("Gülşən Əliyeva", "Мария", "Zaid \u200cعلی", "👩\u200d👩\u200d👧"):
        res = api.patch("/users/me", token=token, json={"name": name})
        assert res.status_code == 200 and res.get_json()["name"] == name


def test_api_me_refuses_unknown_query_parameters(api, make_user):
    token = api.tokens(make_user(name="A"))["access_token"]
    res = api.get("/users/me?foo=1", token=token)
    assert res.status_code == 400
    err = res.get_json()["error"]
    assert err["code"] == "validation_error" and "foo" in err["details"]
    res = api.patch("/users/me?role=ADMIN", token=token, json={"name": "B"})
    assert res.status_code == 400 and "role" in res.get_json()["error"]["details"]
    assert api.get("/users/me", token=token).get_json()["name"] == "A"
    # Without them, as before.
    assert api.get("/users/me", token=token).status_code == 200
    assert api.patch("/users/me", token=token, json={"name": "B"}).status_code == 200


def test_api_products_of_a_blocked_seller_is_404_as_the_profile(api, make_user, make_product, db):
    from memi.users.models import User

    seller = make_user()
    make_product(seller=seller)
    assert api.get(f"/users/{seller.id}/products").get_json()["meta"]["total"] == 1
    db.session.get(User, seller.id).is_blocked = True
    db.session.commit()
    for path in (f"/users/{seller.id}", f"/users/{seller.id}/products"):
        res = api.get(path)
        assert res.status_code == 404
        assert res.get_json()["error"]["code"] == "not_found"
    assert api.get("/users/999999/products").status_code == 404
