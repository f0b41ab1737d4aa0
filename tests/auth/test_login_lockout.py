"""Login limits count every attempt before the password is checked, per (email, client IP) tightly and
per email loosely: a stranger cannot lock the owner out, and a parallel burst cannot pass the limit."""

import threading
import time

import pytest

from memi.auth import services
from memi.errors import Unauthorized


@pytest.fixture
def limited_app(rate_limited_app):
    # The shipped login limits; a roomy per-IP limit so that only the per-account ones are at work.
    return rate_limited_app(RATELIMIT_AUTH_PER_IP="200 per minute", TRUSTED_PROXIES=1)


def _login(c, email, password, ip, page=False):
    kw = {"data": {"email": email, "password": password}} if page else {"json": {"email": email, "password": password}}
    return c.post(
        "/login" if page else "/api/v1/auth/login",
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
        headers={"X-Forwarded-For": ip},
        **kw,
    )


def test_a_strangers_failures_do_not_lock_the_owner_out(limited_app, make_user):
    owner = make_user()
    c = limited_app.test_client()
    for _ in range(10):
        _login(c, owner.email, "guessing-1234", "10.20.0.1")
    # The owner logs in from their own address, on the API and on the page ...
    assert _login(c, owner.email, owner.plain_password, "10.20.0.2").status_code == 200
    assert _login(c, owner.email, owner.plain_password, "10.20.0.3", page=True).status_code == 302
    # ... while the stranger is refused, with a clear answer.
    refused = _login(c, owner.email, "guessing-1234", "10.20.0.1")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["error"]["message"].startswith("Too many failed login attempts")


def test_the_page_says_why_a_login_is_refused(limited_app, make_user):
    user = make_user()
    c = limited_app.test_client()
    for _ in range(5):
        _login(c, user.email, "guessing-1234", "10.21.0.1", page=True)
    res = _login(c, user.email, user.plain_password, "10.21.0.1", page=True)
    assert res.status_code == 429 and int(res.headers["Retry-After"]) > 0
    assert "Too many failed login attempts" in res.get_data(as_text=True)


def test_many_addresses_together_still_hit_the_loose_per_account_limit(rate_limited_app, make_user):
    app = rate_limited_app(RATELIMIT_LOGIN_PER_ACCOUNT="4 per hour", TRUSTED_PROXIES=1)
    user = make_user()
    c = app.test_client()
    codes = [_login(c, user.email, "guessing-1234", f"10.22.0.{i}").status_code for i in range(6)]
    assert codes == [401] * 4 + [429] * 2


def test_successful_logins_are_given_back(limited_app, make_user):
    user = make_user()
    c = limited_app.test_client()
    assert [_login(c, user.email, user.plain_password, "10.23.0.1").status_code for _ in range(8)] == [200] * 8
    # Still a full allowance of failures after them.
    codes = [_login(c, user.email, "guessing-1234", "10.23.0.1").status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]


def test_a_parallel_burst_cannot_pass_the_limit_before_its_failures_count(limited_app, make_user, monkeypatch):
    """20 wrong passwords at once for one (account, IP): at most 5 are checked, the rest are 429."""
    user = make_user()
    checked, answers = [], []
    release = threading.Event()
    lock = threading.Lock()

    def slow_wrong_password(email, password):
        with lock:
            checked.append(email)
        release.wait(10)  # every check is in flight together until the burst has been answered or let in
        raise Unauthorized(services.BAD_CREDENTIALS)

    monkeypatch.setattr(services, "authenticate", slow_wrong_password)

    def attempt():
        res = _login(limited_app.test_client(), user.email, "guessing-1234", "10.24.0.1")
        with lock:
            answers.append(res.status_code)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with lock:
            if len(checked) + len(answers) >= 20:
                break
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(checked) <= 5
    assert sorted(answers) == [401] * len(checked) + [429] * (20 - len(checked))


def test_guessing_the_current_password_on_the_settings_page_is_limited_too(limited_app, make_user):
    """A stolen session (a shared computer) must not be a way around the login limits."""
    user = make_user()
    c = limited_app.test_client()
    assert _login(c, user.email, user.plain_password, "10.22.0.1", page=True).status_code == 302
    for _ in range(5):
        res = c.post(
            "/settings/password",
            data={"current_password": "guessing-1234", "new_password": "changed-pass-1"},
            headers={"X-Forwarded-For": "10.22.0.1"},
        )
        assert res.status_code == 400
    res = c.post(
        "/settings/password",
        data={"current_password": user.plain_password, "new_password": "changed-pass-1"},
        headers={"X-Forwarded-For": "10.22.0.1"},
    )
    assert res.status_code == 429 and int(res.headers["Retry-After"]) > 0
    assert "Too many failed login attempts" in res.get_data(as_text=True)
    # The owner's own login from their other address still works.
    assert _login(limited_app.test_client(), user.email, user.plain_password, "10.22.0.2").status_code == 200
