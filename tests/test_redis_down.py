"""Redis killed or frozen: login (page and API), chat messages (API and page) and reports answer
normally within seconds, /readyz says "degraded", realtime frames still reach the sockets of the same
instance; and once Redis is back, the app uses it again. Each test runs its own throwaway redis-server
(never the shared one)."""

import logging
import shutil
import signal
import subprocess
import threading
import time

import pytest
import redis

from memi.redis_client import client_options
from tests.conftest import free_port

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")

DEADLINE = 5.0  # seconds: a normal answer "within a couple of seconds", with room for a loaded box


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
        deadline = time.time() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.RedisError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)

    def keys(self, pattern="*"):
        client = redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
        return [k.decode() for k in client.keys(pattern)]


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def redis_app(rate_limited_app, redis_server):
    app = rate_limited_app(
        REDIS_URL=redis_server.url,
        RATELIMIT_STORAGE_URI=redis_server.url,
        RATELIMIT_STORAGE_OPTIONS=client_options(0.5),
        REDIS_TIMEOUT_SECONDS=0.5,
        REDIS_RETRY_SECONDS=0.5,
    )
    yield app
    broker = app.extensions.get("memi_broker")
    if broker is not None:
        broker.close()


def timed(fn):
    """fn()'s result, failing when it takes longer than DEADLINE (without hanging the test run)."""
    result = {}

    def run():
        try:
            result["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(DEADLINE)
    assert not thread.is_alive(), f"no answer within {DEADLINE} s"
    if "error" in result:
        raise result["error"]
    return result["value"], time.monotonic() - started


@pytest.fixture
def world(redis_app, make_user, make_product):
    seller, buyer = make_user(name="Seller"), make_user(name="Buyer")
    product = make_product(seller=seller)
    return seller, buyer, product


def _api_login(client, user):
    res = client.post("/api/v1/auth/login", json={"email": user.email, "password": user.plain_password})
    return res


def exercise_every_feature(app, world):
    """Login (page, API), chat (API, page), report; each must answer normally and promptly."""
    _seller, buyer, product = world
    api = app.test_client()
    page = app.test_client()

    res, _ = timed(lambda: _api_login(api, buyer))
    assert res.status_code == 200, res.get_data(as_text=True)
    token = res.get_json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}

    res, _ = timed(lambda: page.post("/login", data={"email": buyer.email, "password": buyer.plain_password}))
    assert res.status_code == 302, res.get_data(as_text=True)

    res, _ = timed(lambda: api.post("/api/v1/chats", headers=auth, json={"product_id": product.id, "message": "Hi"}))
    assert res.status_code in (200, 201), res.get_data(as_text=True)
    chat_id = res.get_json()["id"]

    res, _ = timed(lambda: page.post(f"/chats/{chat_id}/messages", data={"body": "Still available?"}))
    assert res.status_code == 302, res.get_data(as_text=True)
    messages = api.get(f"/api/v1/chats/{chat_id}/messages", headers=auth).get_json()
    assert "Still available?" in str(messages)

    res, _ = timed(
        lambda: api.post(
            "/api/v1/reports", headers=auth, json={"target_type": "product", "target_id": product.id, "reason": "SPAM"}
        )
    )
    assert res.status_code == 201, res.get_data(as_text=True)


def test_with_redis_killed_every_feature_answers_and_readyz_says_degraded(redis_app, redis_server, world, caplog):
    # Redis is in use while it is up.
    assert _api_login(redis_app.test_client(), world[1]).status_code == 200
    assert any("auth-ip" in k for k in redis_server.keys())

    redis_server.kill()
    with caplog.at_level(logging.WARNING, logger="memi.redis"):
        exercise_every_feature(redis_app, world)
        res, _ = timed(lambda: redis_app.test_client().get("/readyz"))
    assert res.status_code == 200
    assert res.get_json() == {"status": "degraded", "checks": {"database": "ok", "redis": "down"}}
    # The outage is logged once, not per request.
    outage = [r for r in caplog.records if r.name == "memi.redis" and "rate limits" in r.getMessage()]
    assert len(outage) == 1, [r.getMessage() for r in caplog.records]


def test_with_redis_frozen_every_feature_answers_promptly(redis_app, redis_server, world):
    redis_server.freeze()
    started = time.monotonic()
    exercise_every_feature(redis_app, world)
    # The breaker: not every request pays the timeout (6 requests at 0.5 s and more each otherwise).
    assert time.monotonic() - started < 3 * DEADLINE
    res, _ = timed(lambda: redis_app.test_client().get("/readyz"))
    assert res.status_code == 200 and res.get_json()["status"] == "degraded"


def test_after_redis_comes_back_the_app_uses_it_again(redis_app, redis_server, world):
    _seller, buyer, product = world
    redis_server.kill()
    exercise_every_feature(redis_app, world)

    redis_server.start()  # same port, empty
    assert redis_app.test_client().get("/readyz").get_json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
    }
    api = redis_app.test_client()
    token = _api_login(api, buyer).get_json()["access_token"]
    deadline = time.time() + 60
    keys = []
    while time.time() < deadline:
        # Chat messages count in Redis again (after REDIS_RETRY_SECONDS) and so do flask-limiter's
        # per-IP login counts (it re-checks its storage with a growing backoff).
        api.post(
            "/api/v1/chats",
            headers={"Authorization": f"Bearer {token}"},
            json={"product_id": product.id, "message": "Back"},
        )
        _api_login(api, buyer)
        keys = redis_server.keys()
        if any("chat-message" in k for k in keys) and any("auth-ip" in k for k in keys):
            break
        time.sleep(0.5)
    assert any("chat-message" in k for k in keys), keys
    assert any("auth-ip" in k for k in keys), keys


def _wait(condition, timeout=DEADLINE, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} not met within {timeout} s"
        time.sleep(0.02)


def _subscribers(server):
    """How many clients are subscribed to a pattern (the brokers' listeners)."""
    try:
        client = redis.Redis.from_url(server.url, socket_timeout=1, socket_connect_timeout=1)
        return sum(1 for c in client.client_list() if int(c.get("psub", 0)) > 0)
    except redis.RedisError:
        return 0


def test_chat_frames_reach_sockets_of_the_same_instance_while_redis_is_down(redis_server):
    from memi.chat.broker import RedisBroker

    one, two = RedisBroker(redis_server.url, 0.5, 0.5), RedisBroker(redis_server.url, 0.5, 0.5)
    got_one, got_two = [], []
    one.connect(7, got_one.append)
    two.connect(7, got_two.append)
    try:
        _wait(lambda: _subscribers(redis_server) >= 2, what="both instances subscribed")
        one.publish(7, {"n": 1})
        _wait(lambda: got_one == [{"n": 1}] and got_two == [{"n": 1}], what="fan-out through Redis")

        redis_server.kill()
        started = time.monotonic()
        one.publish(7, {"n": 2})
        assert time.monotonic() - started < DEADLINE
        # Delivered to this instance's sockets, once; the other instance cannot be reached without Redis.
        assert got_one == [{"n": 1}, {"n": 2}]

        redis_server.start()
        _wait(lambda: _subscribers(redis_server) >= 2, timeout=30, what="listeners resubscribed")
        _wait(lambda: one.breaker.available(), what="breaker closed")
        one.publish(7, {"n": 3})
        # Each instance's listener delivers on its own thread: wait for both, then check nothing came twice.
        _wait(lambda: got_two[-1:] == [{"n": 3}] and got_one[-1:] == [{"n": 3}], what="fan-out through Redis again")
        assert got_one == [{"n": 1}, {"n": 2}, {"n": 3}]
    finally:
        one.close()
        two.close()


def test_chat_frames_are_delivered_locally_while_redis_is_frozen(redis_server):
    from memi.chat.broker import RedisBroker

    broker = RedisBroker(redis_server.url, 0.5, 30)
    got = []
    broker.connect(7, got.append)
    try:
        _wait(lambda: _subscribers(redis_server) >= 1, what="subscribed")
        redis_server.freeze()
        started = time.monotonic()
        for n in range(5):
            broker.publish(7, {"n": n})
        # One timeout, then the breaker skips Redis: not five.
        assert time.monotonic() - started < 2.0
        assert got == [{"n": n} for n in range(5)]
    finally:
        broker.close()
