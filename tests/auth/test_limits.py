"""Per-account rate limits: a bucket per endpoint, and login counts only failures, per (account, IP)."""

import pytest


@pytest.fixture
def limited_app(rate_limited_app):
    return rate_limited_app(
        RATELIMIT_AUTH_PER_IP="100 per minute",
        RATELIMIT_AUTH_PER_ACCOUNT="3 per minute",
        RATELIMIT_LOGIN_PER_ACCOUNT_IP="3 per minute",
        RATELIMIT_LOGIN_PER_ACCOUNT="100 per minute",
        TRUSTED_PROXIES=1,
    )


def _post(c, path, ip, **kw):
    return c.post(path, environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"X-Forwarded-For": ip}, **kw)


def _register(c, email, ip):
    return _post(c, "/api/v1/auth/register", ip, json={"email": email, "password": "long-enough", "name": "X"})


def _login(c, email, password, ip):
    return _post(c, "/api/v1/auth/login", ip, json={"email": email, "password": password})


def test_register_is_limited_per_account_with_retry_after(limited_app):
    c = limited_app.test_client()
    codes = [_register(c, "new@example.az", f"10.4.0.{i}").status_code for i in range(4)]
    assert codes == [201, 409, 409, 429]
    res = _register(c, "NEW@example.az", "10.4.0.99")
    assert res.status_code == 429
    assert res.get_json()["error"]["code"] == "rate_limited"
    assert res.headers["Retry-After"].isdigit() and int(res.headers["Retry-After"]) > 0
    # Another address is not affected.
    assert _register(c, "other@example.az", "10.4.0.98").status_code == 201


def test_registering_someones_email_does_not_lock_them_out(limited_app, make_user):
    victim = make_user()
    c = limited_app.test_client()
    codes = [_register(c, victim.email, f"10.5.0.{i}").status_code for i in range(5)]
    assert codes[-1] == 429
    assert _login(c, victim.email, victim.plain_password, "10.5.1.1").status_code == 200
    forgot = _post(c, "/api/v1/auth/password/forgot", "10.5.1.2", json={"email": victim.email})
    assert forgot.status_code == 202
    page = _post(c, "/login", "10.5.1.3", data={"email": victim.email, "password": victim.plain_password})
    assert page.status_code == 302


def test_asking_for_reset_links_does_not_lock_the_owner_out_of_login(limited_app, make_user):
    victim = make_user()
    c = limited_app.test_client()
    for i in range(5):
        _post(c, "/api/v1/auth/password/forgot", f"10.6.0.{i}", json={"email": victim.email})
    assert _login(c, victim.email, victim.plain_password, "10.6.1.1").status_code == 200


def test_successful_logins_do_not_use_up_the_account_limit(limited_app, make_user):
    user = make_user()
    c = limited_app.test_client()
    codes = [_login(c, user.email, user.plain_password, f"10.7.0.{i}").status_code for i in range(6)]
    assert codes == [200] * 6


def test_repeated_failed_logins_are_still_limited_even_with_the_right_password_after(limited_app, make_user):
    user = make_user()
    c = limited_app.test_client()
    codes = [_login(c, user.email, "wrong-password", "10.8.0.1").status_code for _ in range(3)]
    assert codes == [401, 401, 401]
    res = _login(c, user.email, user.plain_password, "10.8.0.1")
    assert res.status_code == 429 and int(res.headers["Retry-After"]) > 0
    # The page and the API share the login bucket.
    page = _post(c, "/login", "10.8.0.1", data={"email": user.email, "password": "wrong-password"})
    assert page.status_code == 429
    # The owner elsewhere is not locked out.
    assert _login(c, user.email, user.plain_password, "10.8.0.2").status_code == 200
