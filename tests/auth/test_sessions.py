"""Sign-in sessions (API.md "Auth", SECURITY.md "Accounts and sessions"): logging out ends that device
only; "sign out everywhere" ends all; users list their sessions and end any one; a password change
ends every other session. Web and API alike."""

import json
import re
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
import sqlalchemy as sa
from simple_websocket import ConnectionClosed

from memi.auth.models import RefreshToken, UserSession
from memi.columns import utcnow
from tests.chat.test_socket import connect, frames, people  # noqa: F401  (people is a fixture)

PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1"
LAPTOP_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def browser(app):
    """`browser(user, ua)`: a new test client (one browser) signed in as `user`."""

    def sign_in(user, user_agent=LAPTOP_UA):
        client = app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = user_agent
        res = client.post("/login", data={"email": user.email, "password": user.plain_password})
        assert res.status_code == 302
        assert client.get("/profile").status_code == 200
        return client

    return sign_in


def api_login(api, user, user_agent="memi-android/1.4 okhttp/4.12"):
    res = api.post(
        "/auth/login",
        json={"email": user.email, "password": user.plain_password},
        headers={"User-Agent": user_agent},
    )
    assert res.status_code == 200, res.get_json()
    return res.get_json()


def signed_in(api, tokens):
    return api.get("/users/me", token=tokens["access_token"]).status_code == 200


# ---- logout ends this device only ----------------------------------------------------------------


def test_web_logout_leaves_the_other_browser_and_the_api_client_signed_in(make_user, browser, api):
    user = make_user()
    laptop, phone = browser(user), browser(user, PHONE_UA)
    tokens = api_login(api, user)
    assert laptop.post("/logout").status_code == 302
    assert laptop.get("/profile").status_code == 302  # to the login page
    assert phone.get("/profile").status_code == 200
    assert signed_in(api, tokens)
    assert api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 200


def test_api_logout_ends_that_session_and_its_access_tokens_only(make_user, browser, api):
    user = make_user()
    laptop = browser(user)
    phone, tablet = api_login(api, user), api_login(api, user)
    assert api.post("/auth/logout", json={"refresh_token": phone["refresh_token"]}).status_code == 204
    res = api.get("/users/me", token=phone["access_token"])  # an access token of that session dies at once
    assert res.status_code == 401 and res.get_json()["error"]["code"] == "unauthorized"
    assert api.post("/auth/refresh", json={"refresh_token": phone["refresh_token"]}).status_code == 401
    assert signed_in(api, tablet)
    assert laptop.get("/profile").status_code == 200


# ---- sign out everywhere -------------------------------------------------------------------------


def test_api_logout_all_ends_every_web_and_api_session(make_user, browser, api):
    user = make_user()
    laptop = browser(user)
    phone, tablet = api_login(api, user), api_login(api, user)
    assert api.post("/auth/logout-all", token=phone["access_token"]).status_code == 204
    for tokens in (phone, tablet):
        assert api.get("/users/me", token=tokens["access_token"]).status_code == 401
        assert api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert laptop.get("/profile").status_code == 302
    # Signing in again works.
    assert signed_in(api, api_login(api, user))


def test_the_sign_out_everywhere_button_ends_every_session(make_user, browser, api):
    user = make_user()
    laptop, phone = browser(user), browser(user, PHONE_UA)
    tokens = api_login(api, user)
    page = laptop.get("/settings/sessions").get_data(as_text=True)
    assert "Sign out everywhere" in page and 'action="/logout-all"' in page
    assert laptop.post("/logout-all").status_code == 302
    assert laptop.get("/profile").status_code == 302
    assert phone.get("/profile").status_code == 302
    assert api.get("/users/me", token=tokens["access_token"]).status_code == 401


# ---- listing ---------------------------------------------------------------------------------------


def test_api_lists_web_and_api_sessions_with_the_current_one_marked(make_user, browser, api):
    user = make_user()
    browser(user)
    phone, tablet = api_login(api, user), api_login(api, user, "memi-ios/2.0")
    res = api.get("/auth/sessions", token=phone["access_token"])
    assert res.status_code == 200
    listed = res.get_json()
    assert len(listed) == 3
    assert {s["kind"] for s in listed} == {"web", "api"}
    assert {s["device"] for s in listed} == {"Firefox on Windows", "memi-android", "memi-ios"}
    assert [s["current"] for s in listed].count(True) == 1
    mine = next(s for s in listed if s["current"])
    assert mine["user_agent"].startswith("memi-android")
    for item in listed:
        assert set(item) >= {"id", "created_at", "last_used_at", "user_agent", "current"}
        assert len(item["id"]) >= 20  # random, not a counter
    # From the other client, the other one is current.
    other = api.get("/auth/sessions", token=tablet["access_token"]).get_json()
    assert next(s for s in other if s["current"])["id"] != mine["id"]
    # Ended sessions are not listed.
    api.post("/auth/logout", json={"refresh_token": tablet["refresh_token"]})
    assert len(api.get("/auth/sessions", token=phone["access_token"]).get_json()) == 2


def test_the_account_page_lists_where_you_are_signed_in(make_user, browser, api):
    user = make_user()
    laptop, _phone = browser(user), browser(user, PHONE_UA)
    api_login(api, user)
    page = laptop.get("/settings/sessions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Where you&#39;re signed in" in html or "Where you're signed in" in html
    assert "Firefox on Windows" in html and "Safari on iPhone" in html and "memi-android" in html
    assert html.count("This device") == 1
    assert len(re.findall(r'action="/settings/sessions/[^"]+/end"', html)) == 3
    # Linked from the profile page.
    assert "/settings/sessions" in laptop.get("/profile").get_data(as_text=True)


# ---- ending one session -----------------------------------------------------------------------------


def _session_ids(db, user):
    rows = db.session.scalars(
        sa.select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.created_at)
    ).all()
    return [(row.id, row.kind) for row in rows]


def test_deleting_another_devices_session_signs_it_out(make_user, browser, api, db):
    user = make_user()
    laptop = browser(user)
    phone, tablet = api_login(api, user), api_login(api, user)
    listed = api.get("/auth/sessions", token=phone["access_token"]).get_json()
    web_id = next(s["id"] for s in listed if s["kind"] == "web")
    tablet_id = next(s["id"] for s in listed if s["kind"] == "api" and not s["current"])
    assert api.delete(f"/auth/sessions/{tablet_id}", token=phone["access_token"]).status_code == 204
    assert api.get("/users/me", token=tablet["access_token"]).status_code == 401
    assert api.post("/auth/refresh", json={"refresh_token": tablet["refresh_token"]}).status_code == 401
    assert api.delete(f"/auth/sessions/{web_id}", token=phone["access_token"]).status_code == 204
    assert laptop.get("/profile").status_code == 302  # its next request is anonymous
    assert signed_in(api, phone)
    assert [s["current"] for s in api.get("/auth/sessions", token=phone["access_token"]).get_json()] == [True]


def test_signing_out_another_browser_from_the_account_page(make_user, browser, api, db):
    user = make_user()
    laptop, phone = browser(user), browser(user, PHONE_UA)
    tokens = api_login(api, user)
    html = laptop.get("/settings/sessions").get_data(as_text=True)
    phone_id = re.search(r'Safari on iPhone.*?action="/settings/sessions/([^"]+)/end"', html, re.S).group(1)
    res = laptop.post(f"/settings/sessions/{phone_id}/end")
    assert res.status_code == 302 and res.headers["Location"].endswith("/settings/sessions")
    html = laptop.get("/settings/sessions").get_data(as_text=True)
    assert "That device is signed out." in html and "Safari on iPhone" not in html
    assert phone.get("/profile").status_code == 302
    assert laptop.get("/profile").status_code == 200
    assert signed_in(api, tokens)


def test_another_users_session_id_is_404_and_stays_signed_in(make_user, browser, api):
    owner, stranger = make_user(), make_user()
    victim_browser = browser(owner)
    victim = api_login(api, owner)
    theirs = [s["id"] for s in api.get("/auth/sessions", token=victim["access_token"]).get_json()]
    attacker = api_login(api, stranger)
    attacker_browser = browser(stranger)
    for session_id in theirs + ["no-such-session", "x" * 36]:
        res = api.delete(f"/auth/sessions/{session_id}", token=attacker["access_token"])
        assert res.status_code == 404 and res.get_json()["error"]["code"] == "not_found"
        assert attacker_browser.post(f"/settings/sessions/{session_id}/end").status_code == 404
    assert api.delete(f"/auth/sessions/{'y' * 37}", token=attacker["access_token"]).status_code == 404
    assert signed_in(api, victim)
    assert victim_browser.get("/profile").status_code == 200
    # A stranger's list shows only their own sessions.
    listed = api.get("/auth/sessions", token=attacker["access_token"]).get_json()
    assert not {s["id"] for s in listed} & set(theirs)


def test_outsiders_are_refused(client, api, make_user):
    user = make_user()
    tokens = api_login(api, user)
    session_id = api.get("/auth/sessions", token=tokens["access_token"]).get_json()[0]["id"]
    for method, path, body in (
        ("get", "/auth/sessions", None),
        ("delete", f"/auth/sessions/{session_id}", None),
        ("post", "/auth/logout-all", None),
        ("post", "/auth/password/change", {"current_password": user.plain_password, "new_password": "x-new-pass-1"}),
    ):
        for token in (None, "not-a-jwt", tokens["refresh_token"]):
            res = getattr(api, method)(path, token=token, json=body)
            assert res.status_code == 401, (method, path, token)
            assert res.get_json()["error"]["code"] == "unauthorized"
    assert signed_in(api, tokens)
    # Pages: anonymous visitors are sent to the login page; nothing ends.
    assert client.get("/settings/sessions").status_code == 302
    assert client.post(f"/settings/sessions/{session_id}/end").status_code == 302
    assert client.post("/logout-all").status_code == 302
    assert signed_in(api, tokens)


def test_a_blocked_user_cannot_list_or_end_sessions(make_user, api, db):
    from memi.users.models import User

    user = make_user()
    tokens = api_login(api, user)
    db.session.get(User, user.id).is_blocked = True
    db.session.commit()
    assert api.get("/auth/sessions", token=tokens["access_token"]).status_code in (401, 403)


# ---- password change ----------------------------------------------------------------------------------


def test_api_password_change_ends_every_other_session_but_this_one(make_user, browser, api):
    user = make_user()
    laptop = browser(user)
    phone, tablet = api_login(api, user), api_login(api, user)
    res = api.post(
        "/auth/password/change",
        token=phone["access_token"],
        json={"current_password": user.plain_password, "new_password": "a-brand-new-pass"},
    )
    assert res.status_code == 204
    assert signed_in(api, phone)  # this access token goes on working
    refreshed = api.post("/auth/refresh", json={"refresh_token": phone["refresh_token"]})
    assert refreshed.status_code == 200
    assert api.get("/users/me", token=tablet["access_token"]).status_code == 401
    assert api.post("/auth/refresh", json={"refresh_token": tablet["refresh_token"]}).status_code == 401
    assert laptop.get("/profile").status_code == 302
    listed = api.get("/auth/sessions", token=refreshed.get_json()["access_token"]).get_json()
    assert [s["current"] for s in listed] == [True]
    # The new password is the one that works now.
    user.plain_password = "a-brand-new-pass"
    assert signed_in(api, api_login(api, user))


def test_api_password_change_refuses_a_wrong_current_password(make_user, api):
    user = make_user()
    phone, tablet = api_login(api, user), api_login(api, user)
    res = api.post(
        "/auth/password/change",
        token=phone["access_token"],
        json={"current_password": "not-my-password", "new_password": "a-brand-new-pass"},
    )
    assert res.status_code == 400 and "current_password" in res.get_json()["error"]["details"]
    res = api.post(
        "/auth/password/change",
        token=phone["access_token"],
        json={"current_password": user.plain_password, "new_password": "short"},
    )
    assert res.status_code == 400 and "new_password" in res.get_json()["error"]["details"]
    assert api.post("/auth/password/change", token=phone["access_token"], json={}).status_code == 400
    assert signed_in(api, tablet)


def test_web_password_change_keeps_this_browser_and_ends_the_api_clients(make_user, browser, api):
    user = make_user()
    laptop, phone = browser(user), browser(user, PHONE_UA)
    tokens = api_login(api, user)
    res = laptop.post(
        "/settings/password", data={"current_password": user.plain_password, "new_password": "changed-pass-1"}
    )
    assert res.status_code == 302
    assert laptop.get("/profile").status_code == 200
    assert phone.get("/profile").status_code == 302
    assert api.get("/users/me", token=tokens["access_token"]).status_code == 401
    html = laptop.get("/settings/sessions").get_data(as_text=True)
    assert html.count("This device") == 1 and len(re.findall(r'/settings/sessions/[^"]+/end"', html)) == 1


# ---- last use ------------------------------------------------------------------------------------------


def test_last_used_is_recorded_at_most_once_a_minute(make_user, browser, api, db):
    user = make_user()
    laptop = browser(user)
    tokens = api_login(api, user)
    long_ago = utcnow() - timedelta(hours=3)
    db.session.execute(sa.update(UserSession).values(last_seen_at=long_ago))
    db.session.commit()
    assert laptop.get("/profile").status_code == 200
    assert signed_in(api, tokens)
    rows = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)).all()
    db.session.expire_all()
    seen = {row.kind: row.last_seen_at for row in rows}
    assert all(when > utcnow() - timedelta(minutes=5) for when in seen.values()), seen
    # Within the minute, requests do not write again.
    assert laptop.get("/profile").status_code == 200
    db.session.expire_all()
    again = {row.kind: row.last_seen_at for row in db.session.scalars(sa.select(UserSession)).all()}
    assert again == seen


def test_a_legacy_refresh_family_without_a_session_row_cannot_be_refreshed(make_user, api, db):
    """A refresh token whose session row is gone (or never existed) proves no session."""
    user = make_user()
    tokens = api_login(api, user)
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
    db.session.commit()
    assert api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert api.get("/users/me", token=tokens["access_token"]).status_code == 401
    assert all(t.revoked_at is not None for t in db.session.scalars(sa.select(RefreshToken)).all())


# ---- sockets -----------------------------------------------------------------------------------------


def _call(base, method, path, token, body=None):
    req = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None


@pytest.mark.no_rollback
def test_ending_one_session_closes_its_socket_and_not_the_others(live_server, people):  # noqa: F811
    users, chat = people
    buyer = users["buyer"]
    status, other = _call(
        live_server,
        "POST",
        "/api/v1/auth/login",
        buyer["access_token"],
        {"email": "buyer-ws@example.az", "password": "socket-pass-1"},
    )
    assert status == 200
    doomed, keeper = connect(live_server, buyer["access_token"]), connect(live_server, other["access_token"])
    try:
        time.sleep(0.2)
        status, listed = _call(live_server, "GET", "/api/v1/auth/sessions", other["access_token"])
        doomed_id = next(s["id"] for s in listed if not s["current"])
        assert _call(live_server, "DELETE", f"/api/v1/auth/sessions/{doomed_id}", other["access_token"])[0] == 204
        with pytest.raises(ConnectionClosed):
            for _ in range(50):  # closed within 5 s (pushed at once; the periodic check is the fallback)
                doomed.receive(timeout=0.1)
        assert doomed.close_reason == 1008
        # The other device's socket still delivers.
        status, _ = _call(
            live_server,
            "POST",
            f"/api/v1/chats/{chat['id']}/messages",
            users["seller"]["access_token"],
            {"body": "Still here?"},
        )
        assert status == 201
        assert frames(keeper, "message")["message"]["body"] == "Still here?"
    finally:
        for ws in (doomed, keeper):
            if ws.connected:
                ws.close()


def test_guessing_the_current_password_is_limited_like_logins(rate_limited_app, make_user):
    app = rate_limited_app(RATELIMIT_AUTH_PER_IP="200 per minute", TRUSTED_PROXIES=1)
    user = make_user()
    c = app.test_client()
    where = {"environ_base": {"REMOTE_ADDR": "127.0.0.1"}, "headers": {"X-Forwarded-For": "10.40.0.1"}}
    tokens = c.post("/api/v1/auth/login", json={"email": user.email, "password": user.plain_password}, **where)
    auth = {"Authorization": f"Bearer {tokens.get_json()['access_token']}", "X-Forwarded-For": "10.40.0.1"}

    def change(current):
        return c.post(
            "/api/v1/auth/password/change",
            json={"current_password": current, "new_password": "a-brand-new-pass"},
            environ_base=where["environ_base"],
            headers=auth,
        )

    codes = [change("guessing-1234").status_code for _ in range(8)]
    assert codes[0] == 400 and codes[-1] == 429
    refused = change(user.plain_password)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_a_socket_of_a_revoked_session_fails_the_periodic_check(app, make_user, api, db):
    """Should the push be missed (another worker, a broker hiccup), the periodic re-check closes it."""
    from memi.chat.realtime import _still_allowed

    user = make_user()
    phone, tablet = api_login(api, user), api_login(api, user)
    rows = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)).all()
    with app.app_context():
        assert all(_still_allowed(user.id, 0, row.id) for row in rows)
    db.session.execute(sa.update(UserSession).where(UserSession.id == rows[0].id).values(revoked_at=utcnow()))
    db.session.commit()
    with app.app_context():
        assert not _still_allowed(user.id, 0, rows[0].id)
        assert _still_allowed(user.id, 0, rows[1].id)
    assert signed_in(api, phone) != signed_in(api, tablet)


def test_the_upgrade_keeps_api_clients_signed_in(tmp_path):
    """0009_user_sessions: each refresh-token family that can still be refreshed becomes an API session
    (its id is the family id); used-up and revoked families do not."""
    import sqlite3

    from tests.test_migrations import STAMP, old_database

    path, flask = old_database(tmp_path)

    assert flask("db", "upgrade", "0007").returncode == 0
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO users (email, password_hash, name, role, is_blocked, auth_epoch, email_prefs, created_at, "
        "updated_at) VALUES ('a@example.az', 'x', 'N', 'USER', 0, 0, '{}', ?, ?)",
        (STAMP, STAMP),
    )
    later = "2099-01-01 00:00:00.000000"
    for n, (family, used, revoked) in enumerate(
        (("live-family", STAMP, None), ("live-family", None, None), ("used-up", STAMP, None), ("revoked", None, STAMP))
    ):
        db.execute(
            "INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at, used_at, revoked_at) "
            "VALUES (1, ?, ?, ?, ?, ?, ?)",
            (family, f"hash-{n}", STAMP, later, used, revoked),
        )
    db.commit()
    db.close()
    upgraded = flask("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    db = sqlite3.connect(path)
    rows = db.execute("SELECT id, user_id, kind, expires_at, revoked_at FROM user_sessions").fetchall()
    assert rows == [("live-family", 1, "api", later, None)]
    db.close()
    downgraded = flask("db", "downgrade", "0007")
    assert downgraded.returncode == 0, downgraded.stderr[-2000:]


# ---- found in review ------------------------------------------------------------------------------


def test_a_stolen_refresh_token_coming_back_ends_its_whole_session(make_user, api, db):
    """Reuse of a rotated refresh token means someone holds a copy: the session ends, including the access
    tokens issued from it (not only the refresh tokens), and it leaves the list of sessions."""
    user = make_user()
    tokens = api_login(api, user)
    other = api_login(api, user, user_agent="other-device/1.0")
    rotated = api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200
    new_access = rotated.get_json()["access_token"]
    assert signed_in(api, {"access_token": new_access})
    # Later than a parallel refresh could be (those are refused without ending anything).
    db.session.execute(
        sa.update(RefreshToken).where(RefreshToken.used_at.is_not(None)).values(used_at=utcnow() - timedelta(minutes=5))
    )
    db.session.commit()
    reused = api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert reused.status_code == 401
    assert not signed_in(api, {"access_token": new_access})
    assert signed_in(api, other)  # the owner's other device is untouched
    listed = api.get("/auth/sessions", token=other["access_token"]).get_json()
    assert len(listed) == 1 and listed[0]["current"]


def test_web_logout_deletes_the_remember_me_cookie(app, make_user, browser):
    user = make_user()
    laptop = browser(user)
    name = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    assert laptop.get_cookie(name) is not None
    res = laptop.post("/logout")
    assert res.status_code == 302
    assert laptop.get_cookie(name) is None
