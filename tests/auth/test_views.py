"""Account pages in the browser's shoes (no JavaScript needed)."""

import re

import pytest
import sqlalchemy as sa

from memi.mail.models import OutgoingEmail
from tests.conftest import base_overrides


def test_register_page_creates_account_and_logs_in(client, db):
    res = client.post(
        "/register",
        data={"name": "Nigar", "email": "nigar@example.az", "password": "long-enough", "city": "Ganja"},
    )
    assert res.status_code == 302
    page = client.get("/profile")
    assert page.status_code == 200
    assert b"nigar@example.az" in page.data


def test_register_errors_keep_what_was_typed(client):
    res = client.post("/register", data={"name": "Nigar", "email": "not-an-email", "password": "short"})
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert 'value="Nigar"' in html
    assert 'value="not-an-email"' in html
    assert "Enter a valid email address." in html
    assert "Use 8 to 128 characters." in html


def test_register_taken_email_shows_field_error(client, make_user):
    user = make_user()
    res = client.post("/register", data={"name": "N", "email": user.email, "password": "long-enough"})
    assert res.status_code == 400
    assert "This email is taken." in res.get_data(as_text=True)


def test_login_and_logout(client, make_user, login):
    user = make_user()
    res = login(user)
    assert res.status_code == 302
    assert client.get("/profile").status_code == 200
    res = client.post("/logout")
    assert res.status_code == 302
    assert client.get("/profile").status_code == 302  # back to the login page


def test_login_wrong_password_friendly_message(client, make_user, login):
    user = make_user()
    res = login(user, password="wrong-password")
    assert res.status_code == 400
    assert "Email or password is incorrect." in res.get_data(as_text=True)


def test_login_redirects_back_to_next_but_never_offsite(client, make_user):
    user = make_user()
    res = client.post("/login", data={"email": user.email, "password": user.plain_password, "next": "/profile"})
    assert res.headers["Location"].endswith("/profile")
    client.post("/logout")
    res = client.post("/login", data={"email": user.email, "password": user.plain_password, "next": "//evil.example/x"})
    assert "evil" not in res.headers["Location"]


def test_anonymous_is_sent_to_login_with_next(client):
    res = client.get("/profile")
    assert res.status_code == 302
    assert "/login?next=/profile" in res.headers["Location"].replace("%2F", "/")


def test_logout_ends_this_browser_session_only(app, make_user, login):
    # API.md / SECURITY.md (issue 12): logout ends that device's session; "sign out everywhere" ends all.
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    for c in (laptop, phone):
        c.post("/login", data={"email": user.email, "password": user.plain_password})
        assert c.get("/profile").status_code == 200
    laptop.post("/logout")
    assert laptop.get("/profile").status_code == 302
    assert phone.get("/profile").status_code == 200


def test_blocked_user_session_ends_at_next_request(client, make_user, login, db):
    from memi.users.models import User

    user = make_user()
    login(user)
    assert client.get("/profile").status_code == 200
    db.session.get(User, user.id).is_blocked = True
    db.session.commit()
    assert client.get("/profile").status_code == 302


def test_new_session_id_at_login(client, make_user):
    user = make_user()
    client.get("/login")
    with client.session_transaction() as s:
        s["planted"] = "by-attacker"
    client.post("/login", data={"email": user.email, "password": user.plain_password})
    with client.session_transaction() as s:
        assert "planted" not in s


def test_forgot_and_reset_password_through_the_pages(client, make_user, db):
    user = make_user()
    res = client.post("/forgot-password", data={"email": user.email})
    assert res.status_code == 200
    assert "Check your email" in res.get_data(as_text=True)
    body = db.session.scalars(sa.select(OutgoingEmail)).one().body_text
    path = re.search(r"http://memi\.test(/reset-password/\S+)", body).group(1)
    assert client.get(path).status_code == 200
    res = client.post(path, data={"password": "a-new-password"})
    assert res.status_code == 302
    assert client.post("/login", data={"email": user.email, "password": "a-new-password"}).status_code == 302
    # The link worked once.
    assert client.get(path).status_code == 400


def test_forgot_password_same_page_for_unknown_email(client):
    res = client.post("/forgot-password", data={"email": "nobody@example.az"})
    assert res.status_code == 200
    assert "Check your email" in res.get_data(as_text=True)


def test_change_password_logs_out_other_devices_but_not_this_one(app, make_user):
    user = make_user()
    here, other = app.test_client(), app.test_client()
    for c in (here, other):
        c.post("/login", data={"email": user.email, "password": user.plain_password})
    res = here.post(
        "/settings/password", data={"current_password": user.plain_password, "new_password": "changed-pass-1"}
    )
    assert res.status_code == 302
    assert here.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302


def test_change_password_wrong_current_is_field_error(client, make_user, login):
    user = make_user()
    login(user)
    res = client.post("/settings/password", data={"current_password": "nope-nope", "new_password": "changed-pass-1"})
    assert res.status_code == 400
    assert "This is not your current password." in res.get_data(as_text=True)


@pytest.fixture
def csrf_app(app):
    from memi import create_app

    return create_app(base_overrides(WTF_CSRF_ENABLED=True))


def test_forms_refuse_posts_without_csrf_token(csrf_app, make_user):
    user = make_user()
    c = csrf_app.test_client()
    res = c.post("/login", data={"email": user.email, "password": user.plain_password})
    assert res.status_code == 400
    assert "form was stale" in res.get_data(as_text=True)
    with c.session_transaction():
        pass
    page = c.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    res = c.post("/login", data={"email": user.email, "password": user.plain_password, "csrf_token": token})
    assert res.status_code == 302
    # htmx sends the token from <body hx-headers> as X-CSRFToken.
    assert 'hx-headers=\'{"X-CSRFToken": "' in c.get("/").get_data(as_text=True)


def test_logout_is_post_only(client, make_user, login):
    login(make_user())
    assert client.get("/logout").status_code == 405


OFFSITE_NEXTS = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "//evil.example/x",
    "///evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.mark.parametrize("target", OFFSITE_NEXTS)
def test_signed_in_login_page_never_redirects_offsite(client, make_user, login, target):
    login(make_user())
    res = client.get("/login", query_string={"next": target})
    assert res.status_code == 302
    assert res.headers["Location"] == "/"


def test_signed_in_login_page_with_encoded_tab_or_newline_in_the_url(client, make_user, login):
    # The audit's requests, exactly as a browser sends them.
    login(make_user())
    for raw in (
        "/login?next=/%09/evil.com",
        "/login?next=/%0A/x",
        "/login?next=/%0D%0A/x",
        "/login?next=%5C%5Cevil.com",
    ):
        res = client.get(raw)
        assert res.status_code == 302 and res.headers["Location"] == "/", raw


@pytest.mark.parametrize("target", OFFSITE_NEXTS)
def test_login_form_never_redirects_offsite(client, make_user, target):
    user = make_user()
    res = client.post("/login", data={"email": user.email, "password": user.plain_password, "next": target})
    assert res.status_code == 302
    assert res.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFFSITE_NEXTS)
def test_register_form_never_redirects_offsite(client, target):
    data = {"name": "N", "email": "offsite@example.az", "password": "long-enough", "next": target}
    res = client.post("/register", data=data)
    assert res.status_code == 302
    assert res.headers["Location"] == "/"


def test_same_site_next_is_still_followed(client, make_user, login):
    user = make_user()
    res = client.post(
        "/login", data={"email": user.email, "password": user.plain_password, "next": "/products?q=blue&page=2"}
    )
    assert res.headers["Location"] == "/products?q=blue&page=2"
    assert client.get("/login?next=/profile").headers["Location"] == "/profile"


@pytest.mark.parametrize("field", ["name", "city", "phone"])
def test_register_page_refuses_line_breaks_with_a_message_by_the_field(client, db, field):
    from memi.users.models import User

    data = {"name": "Bob", "email": "bob@example.az", "password": "long-enough", "city": "Baku"}
    data[field] = "Bob\r\nBcc: evil@x.az" if field != "phone" else "+994 50\n123 45 67"
    res = client.post("/register", data=data)
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert "Use one line of text, without control characters." in html
    assert db.session.scalar(sa.select(User.id).where(User.email == "bob@example.az")) is None


@pytest.mark.parametrize("email", ["a@", "a b@@c", "a@b", "a..b@example.az", "a@memi.test"])
def test_register_page_refuses_the_emails_the_api_refuses(client, email):
    res = client.post("/register", data={"name": "N", "email": email, "password": "long-enough"})
    assert res.status_code == 400
    assert "Enter a valid email address." in res.get_data(as_text=True)
