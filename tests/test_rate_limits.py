"""Rate limits on the account endpoints: per IP and per account, 429 with Retry-After."""

import pytest


@pytest.fixture
def limited_app(rate_limited_app):
    return rate_limited_app(
        RATELIMIT_AUTH_PER_IP="6 per minute",
        RATELIMIT_AUTH_PER_ACCOUNT="3 per minute",
        RATELIMIT_LOGIN_PER_ACCOUNT="3 per minute",
        TRUSTED_PROXIES=1,
    )


def _login(c, email, ip="10.0.0.1", **kw):
    return c.post(
        "/api/v1/auth/login",
        json={"email": email, "password": "wrong-password"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
        headers={"X-Forwarded-For": ip},
        **kw,
    )


def test_login_limited_per_account_with_retry_after(limited_app, make_user):
    user = make_user()
    c = limited_app.test_client()
    codes = [_login(c, user.email, ip=f"10.0.0.{i}").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    res = _login(c, user.email, ip="10.0.0.99")
    assert res.status_code == 429
    assert res.get_json()["error"]["code"] == "rate_limited"
    assert int(res.headers["Retry-After"]) > 0


def test_login_limited_per_ip_across_accounts(limited_app):
    c = limited_app.test_client()
    codes = [_login(c, f"someone{i}@example.az").status_code for i in range(7)]
    assert codes[:6] == [401] * 6
    assert codes[6] == 429
    # Another client address is not affected.
    assert _login(c, "fresh@example.az", ip="10.9.9.9").status_code == 401


def test_client_cannot_dodge_the_ip_limit_by_forging_forwarded_for(rate_limited_app, make_user):
    direct = rate_limited_app(RATELIMIT_AUTH_PER_IP="3 per minute")
    c = direct.test_client()
    codes = [
        c.post(
            "/api/v1/auth/login",
            json={"email": f"a{i}@example.az", "password": "wrong-password"},
            headers={"X-Forwarded-For": f"10.1.1.{i}"},
        ).status_code
        for i in range(4)
    ]
    assert codes == [401, 401, 401, 429]


def test_web_login_page_limited_with_friendly_page(limited_app):
    c = limited_app.test_client()
    res = None
    for i in range(4):
        res = c.post(
            "/login",
            data={"email": "victim@example.az", "password": "wrong-password"},
            headers={"X-Forwarded-For": f"10.2.2.{i}"},
        )
    assert res.status_code == 429
    assert "Too many failed login attempts" in res.get_data(as_text=True)
    assert "Retry-After" in res.headers


def test_forgot_password_is_limited(limited_app):
    c = limited_app.test_client()
    codes = [
        c.post(
            "/api/v1/auth/password/forgot", json={"email": "x@example.az"}, headers={"X-Forwarded-For": f"10.3.3.{i}"}
        ).status_code
        for i in range(4)
    ]
    assert codes == [202, 202, 202, 429]
