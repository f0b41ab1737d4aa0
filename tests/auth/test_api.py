"""The Auth endpoints of API.md, as a third-party client sees them."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import jwt as pyjwt
import pytest
import sqlalchemy as sa

from memi.auth.models import PasswordResetToken, RefreshToken
from memi.auth.services import REFRESH_RACE_WINDOW
from memi.columns import utcnow
from memi.mail.models import OutgoingEmail
from memi.users.models import User
from tests.conftest import wipe


def test_register_returns_user_and_tokens(api):
    res = api.post("/auth/register", json={"email": "Leyla@Example.az ", "password": "long-enough", "name": "Leyla"})
    assert res.status_code == 201
    body = res.get_json()
    assert body["user"]["email"] == "leyla@example.az"
    assert body["user"]["role"] == "USER"
    assert body["access_token"] and body["refresh_token"]
    me = api.get("/users/me", token=body["access_token"])
    assert me.status_code == 200 and me.get_json()["name"] == "Leyla"


def test_register_ignores_role_and_other_unlisted_fields(api):
    res = api.post(
        "/auth/register",
        json={"email": "x@example.az", "password": "long-enough", "name": "X", "role": "ADMIN", "id": 999},
    )
    assert res.status_code == 201
    assert res.get_json()["user"]["role"] == "USER"
    assert res.get_json()["user"]["id"] != 999


def test_register_taken_email_is_409(api, make_user):
    make_user(email="taken@example.az")
    res = api.post("/auth/register", json={"email": "TAKEN@example.az", "password": "long-enough", "name": "T"})
    assert res.status_code == 409
    assert res.get_json()["error"]["code"] == "conflict"


def test_register_validation_errors_name_the_fields(api):
    res = api.post("/auth/register", json={"email": "bad", "password": "short", "name": ""})
    assert res.status_code == 400
    err = res.get_json()["error"]
    assert err["code"] == "validation_error"
    assert set(err["details"]) >= {"email", "password", "name"}


def test_register_missing_body_is_400_not_500(api):
    res = api.post("/auth/register", data="not json", headers={"Content-Type": "application/json"})
    assert res.status_code == 400
    assert res.get_json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    "email",
    ["a@", "a b@@c", "@example.az", "a@b", "a..b@example.az", "a@example..az", "a@memi.test", "a" * 250 + "@x.az"],
)
def test_register_refuses_invalid_emails(api, email):
    res = api.post("/auth/register", json={"email": email, "password": "long-enough", "name": "A"})
    assert res.status_code == 400
    err = res.get_json()["error"]
    assert err["code"] == "validation_error"
    assert "email" in err["details"]


def test_register_email_is_normalised_as_on_the_page(app, api, client, db):
    res = api.post("/auth/register", json={"email": " Leyla@EXAMPLE.az", "password": "long-enough", "name": "L"})
    assert res.status_code == 201 and res.get_json()["user"]["email"] == "leyla@example.az"
    page = client.post("/register", data={"name": "N", "email": "Nigar@Example.AZ", "password": "long-enough"})
    assert page.status_code == 302
    assert db.session.scalar(sa.select(User.email).where(User.name == "N")) == "nigar@example.az"
    # Either spelling of a taken address is taken, on both paths.
    taken = app.test_client().post(
        "/register", data={"name": "X", "email": "LEYLA@example.az", "password": "long-enough"}
    )
    assert "This email is taken." in taken.get_data(as_text=True)
    assert (
        api.post(
            "/auth/register", json={"email": "nigar@EXAMPLE.AZ", "password": "long-enough", "name": "X"}
        ).status_code
        == 409
    )


@pytest.mark.parametrize("field", ["name", "city", "phone"])
@pytest.mark.parametrize("bad", ["Bob\r\nBcc: evil@x.az", "Bob\nSmith", "Bob\tSmith", "Bob\u2028x", "Bob\u202ex"])
def test_register_refuses_control_characters_in_one_line_fields(api, field, bad):
    data = {"email": "cc@example.az", "password": "long-enough", "name": "Bob", "phone": "+994 50 123 45 67"}
    data[field] = bad if field != "phone" else "+994 50\r\n123 45 67"
    res = api.post("/auth/register", json=data)
    assert res.status_code == 400
    err = res.get_json()["error"]
    assert err["code"] == "validation_error" and field in err["details"]


def test_password_longer_than_bcrypt_limit_counts_in_full(api):
    long_a = "a" * 100
    long_b = "a" * 99 + "b"  # same first 72 bytes
    res = api.post("/auth/register", json={"email": "l@example.az", "password": long_a, "name": "L"})
    assert res.status_code == 201
    assert api.post("/auth/login", json={"email": "l@example.az", "password": long_b}).status_code == 401
    assert api.post("/auth/login", json={"email": "l@example.az", "password": long_a}).status_code == 200


def test_password_too_long_is_a_field_error(api):
    res = api.post("/auth/register", json={"email": "l@example.az", "password": "x" * 500, "name": "L"})
    assert res.status_code == 400
    assert "password" in res.get_json()["error"]["details"]


def test_login_bad_credentials_same_answer_for_unknown_email(api, make_user):
    user = make_user()
    wrong_password = api.post("/auth/login", json={"email": user.email, "password": "wrong-password"})
    unknown = api.post("/auth/login", json={"email": "nobody@example.az", "password": "wrong-password"})
    assert wrong_password.status_code == unknown.status_code == 401
    assert wrong_password.get_json() == unknown.get_json()


def test_login_blocked_user_is_403(api, make_user):
    user = make_user(blocked=True)
    res = api.post("/auth/login", json={"email": user.email, "password": user.plain_password})
    assert res.status_code == 403
    assert res.get_json()["error"]["code"] == "forbidden"


def test_me_without_token_is_401_in_contract_format(api):
    res = api.get("/users/me")
    assert res.status_code == 401
    assert res.get_json()["error"]["code"] == "unauthorized"


def test_garbage_and_alg_none_tokens_are_refused(api, make_user):
    user = make_user()
    assert api.get("/users/me", token="garbage").status_code == 401
    forged = pyjwt.encode({"sub": str(user.id), "type": "access", "epoch": 0}, key="", algorithm="none")
    assert api.get("/users/me", token=forged).status_code == 401
    wrong_key = pyjwt.encode({"sub": str(user.id), "type": "access", "epoch": 0}, key="x" * 40, algorithm="HS256")
    assert api.get("/users/me", token=wrong_key).status_code == 401


def test_refresh_token_is_not_an_access_token(api, make_user):
    tokens = api.tokens(make_user())
    assert api.get("/users/me", token=tokens["refresh_token"]).status_code == 401


def test_expired_access_token_is_refused(app, api, make_user):
    user = make_user()
    with app.test_request_context():
        from flask_jwt_extended import create_access_token

        token = create_access_token(
            identity=str(user.id), additional_claims={"epoch": 0}, expires_delta=timedelta(seconds=-1)
        )
    res = api.get("/users/me", token=token)
    assert res.status_code == 401


def test_refresh_rotates_and_reuse_revokes_the_family(api, make_user, db):
    tokens = api.tokens(make_user())
    first = api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert first.status_code == 200
    rotated = first.get_json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    assert api.get("/users/me", token=rotated["access_token"]).status_code == 200

    # Someone replays the old token later (past the race window): refused, and the whole family (the
    # new token too) dies.
    _age_used_tokens(db)
    replay = api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert replay.status_code == 401
    assert api.post("/auth/refresh", json={"refresh_token": rotated["refresh_token"]}).status_code == 401


def _age_used_tokens(db, by=REFRESH_RACE_WINDOW + timedelta(seconds=1)):
    db.session.execute(sa.update(RefreshToken).where(RefreshToken.used_at.is_not(None)).values(used_at=utcnow() - by))
    db.session.commit()


def test_reuse_within_the_race_window_is_refused_but_keeps_the_winner(api, make_user):
    # A client that fired two refreshes at once: the second is refused, the first one's tokens work.
    tokens = api.tokens(make_user())
    winner = api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).get_json()
    loser = api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert loser.status_code == 401
    assert loser.get_json()["error"]["code"] == "unauthorized"
    assert api.get("/users/me", token=winner["access_token"]).status_code == 200
    assert api.post("/auth/refresh", json={"refresh_token": winner["refresh_token"]}).status_code == 200


@pytest.mark.no_rollback
def test_parallel_refreshes_of_one_token_leave_one_winner_who_keeps_working(app):
    from memi.auth.services import issue_tokens, register_user
    from memi.extensions import db as _db

    try:
        with app.test_request_context():
            user = register_user("refresh-race@example.az", "correct-horse-1", "Racer")
            _access, raw = issue_tokens(user)
            _db.session.commit()
            _db.session.remove()
        barrier = threading.Barrier(4)

        def refresh(_):
            client = app.test_client()
            barrier.wait()
            res = client.post("/api/v1/auth/refresh", json={"refresh_token": raw})
            return res.status_code, res.get_json()

        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(refresh, range(4)))
        assert sorted(code for code, _ in results) == [200, 401, 401, 401]
        winner = next(body for code, body in results if code == 200)
        client = app.test_client()
        me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {winner['access_token']}"})
        assert me.status_code == 200
        assert client.post("/api/v1/auth/refresh", json={"refresh_token": winner["refresh_token"]}).status_code == 200
    finally:
        wipe(app)


def test_refresh_tokens_are_stored_only_as_hashes(api, make_user, db):
    tokens = api.tokens(make_user())
    stored = db.session.scalars(sa.select(RefreshToken.token_hash)).all()
    assert tokens["refresh_token"] not in stored
    assert all(len(h) == 64 for h in stored)


def test_unknown_refresh_token_is_401(api):
    res = api.post("/auth/refresh", json={"refresh_token": "nope"})
    assert res.status_code == 401
    assert res.get_json()["error"]["code"] == "unauthorized"


def test_expired_refresh_token_is_401(api, make_user, db):
    tokens = api.tokens(make_user())
    db.session.execute(sa.update(RefreshToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_logout_revokes_the_family(api, make_user):
    tokens = api.tokens(make_user())
    assert api.post("/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code == 204
    assert api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_logout_ends_that_session_only(api, client, make_user):
    # API.md (issue 12): logout ends the session of the token presented; other devices stay signed in.
    user = make_user()
    phone, laptop = api.tokens(user), api.tokens(user)
    client.post("/login", data={"email": user.email, "password": user.plain_password})
    assert client.get("/profile").status_code == 200
    res = api.post("/auth/logout", json={"refresh_token": phone["refresh_token"]})
    assert res.status_code == 204 and res.data == b""
    me = api.get("/users/me", token=phone["access_token"])
    assert me.status_code == 401 and me.get_json()["error"]["code"] == "unauthorized"
    assert api.post("/auth/refresh", json={"refresh_token": phone["refresh_token"]}).status_code == 401
    assert api.get("/users/me", token=laptop["access_token"]).status_code == 200
    assert api.post("/auth/refresh", json={"refresh_token": laptop["refresh_token"]}).status_code == 200
    assert client.get("/profile").status_code == 200  # the web session goes on
    # Logging in again works, and logging out is idempotent.
    assert api.get("/users/me", token=api.tokens(user)["access_token"]).status_code == 200
    assert api.post("/auth/logout", json={"refresh_token": phone["refresh_token"]}).status_code == 204
    assert api.post("/auth/logout", json={"refresh_token": "unknown"}).status_code == 204


def test_logout_with_a_used_refresh_token_ends_no_other_session(api, make_user, db):
    user = make_user()
    old = api.tokens(user)
    rotated = api.post("/auth/refresh", json={"refresh_token": old["refresh_token"]}).get_json()
    other = api.tokens(user)
    assert api.post("/auth/logout", json={"refresh_token": old["refresh_token"]}).status_code == 204
    # That token proves no current session: only its own family dies.
    assert api.post("/auth/refresh", json={"refresh_token": rotated["refresh_token"]}).status_code == 401
    assert api.get("/users/me", token=other["access_token"]).status_code == 200
    assert api.post("/auth/refresh", json={"refresh_token": other["refresh_token"]}).status_code == 200


def test_blocked_user_cannot_refresh_or_use_an_older_access_token(api, make_user, db):
    user = make_user()
    tokens = api.tokens(user)
    assert api.get("/users/me", token=tokens["access_token"]).status_code == 200
    with db.session.no_autoflush:
        from memi.users.models import User

        db.session.get(User, user.id).is_blocked = True
        db.session.commit()
    assert api.get("/users/me", token=tokens["access_token"]).status_code == 403
    assert api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code in (401, 403)


def test_forgot_password_is_202_for_known_and_unknown_email(api, make_user, db):
    user = make_user()
    known = api.post("/auth/password/forgot", json={"email": user.email})
    unknown = api.post("/auth/password/forgot", json={"email": "nobody@example.az"})
    assert known.status_code == unknown.status_code == 202
    outbox = db.session.scalars(sa.select(OutgoingEmail)).all()
    assert [m.to_email for m in outbox] == [user.email]


def _reset_link_token(db):
    email = db.session.scalars(sa.select(OutgoingEmail).order_by(OutgoingEmail.id.desc())).first()
    line = next(line for line in email.body_text.splitlines() if "/reset-password/" in line)
    return line.strip().rsplit("/", 1)[1]


def test_reset_password_with_emailed_token(api, make_user, db):
    user = make_user()
    tokens = api.tokens(user)
    api.post("/auth/password/forgot", json={"email": user.email})
    token = _reset_link_token(db)
    res = api.post("/auth/password/reset", json={"token": token, "password": "brand-new-pass"})
    assert res.status_code == 204
    # Old refresh tokens and access tokens are dead, the new password works, the old does not.
    assert api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert api.get("/users/me", token=tokens["access_token"]).status_code == 401
    assert api.post("/auth/login", json={"email": user.email, "password": "brand-new-pass"}).status_code == 200
    assert api.post("/auth/login", json={"email": user.email, "password": user.plain_password}).status_code == 401
    # Single use.
    again = api.post("/auth/password/reset", json={"token": token, "password": "another-pass-1"})
    assert again.status_code == 400


def test_reset_password_expired_or_bad_token_is_400(api, make_user, db):
    user = make_user()
    api.post("/auth/password/forgot", json={"email": user.email})
    token = _reset_link_token(db)
    db.session.execute(sa.update(PasswordResetToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert api.post("/auth/password/reset", json={"token": token, "password": "brand-new-pass"}).status_code == 400
    assert api.post("/auth/password/reset", json={"token": "bogus", "password": "brand-new-pass"}).status_code == 400


def test_reset_token_valid_for_one_hour(api, make_user, db):
    user = make_user()
    api.post("/auth/password/forgot", json={"email": user.email})
    row = db.session.scalars(sa.select(PasswordResetToken)).one()
    lifetime = row.expires_at - row.created_at
    assert timedelta(minutes=59) < lifetime <= timedelta(hours=1, seconds=1)


def test_unknown_api_route_is_json_404(client):
    res = client.get("/api/v1/does-not-exist")
    assert res.status_code == 404
    assert res.get_json() == {"error": {"code": "not_found", "message": "Not found."}}


def test_wrong_method_is_json_405(client):
    res = client.delete("/api/v1/auth/login")
    assert res.status_code == 405
    assert res.get_json()["error"]["code"] == "method_not_allowed"


def test_unexpected_error_is_json_500_without_internals(app, client, monkeypatch):
    from memi.users import services

    def boom(*a, **k):
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr(services, "get_public_user", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    res = client.get("/api/v1/users/1")
    assert res.status_code == 500
    assert res.get_json() == {"error": {"code": "internal_error", "message": "Something went wrong on our side."}}
    assert b"SELECT" not in res.data
