"""Redis stopped, then started again on the same port: logins, chat and reports while it is down, and after."""

import itertools
import json
import time

import pytest
from simple_websocket import Client

from tests.faults.conftest import Http
from tests.faults.stack import wait_until

PROMPT = 10  # seconds: an answer, not a wait
RECOVERY = 10


def _actions(base_url, buyer, buyer_token, chat_id, report_target, tag):
    """What users do that touches Redis (rate limits, realtime fan-out): each outcome by name."""
    api, web = Http(base_url), Http(base_url)
    try:
        return {
            "API login": api.api(
                "POST", "/auth/login", json={"email": buyer.email, "password": buyer.password}, timeout=PROMPT * 1.5
            ),
            "web login": web.web_login(buyer, timeout=PROMPT * 1.5),
            "chat message": api.api(
                "POST", f"/chats/{chat_id}/messages", token=buyer_token, json={"body": f"Is it still there? {tag}"}
            ),
            "report": api.api(
                "POST",
                "/reports",
                token=buyer_token,
                json={**report_target, "reason": "SPAM", "details": f"fault test {tag}"},
                timeout=PROMPT * 1.5,
            ),
        }
    finally:
        api.close()
        web.close()


EXPECTED = {"API login": 200, "web login": 302, "chat message": 201, "report": 201}


@pytest.fixture(scope="module")
def redis_outage(stack, people):
    stack.restore()
    seller, buyer = people.users("redis", 2)
    product_id = people.listing(seller)
    setup = Http(stack.app.url)
    buyer_token, seller_token = setup.token(buyer), setup.token(seller)
    chat = setup.api("POST", "/chats", token=buyer_token, json={"product_id": product_id, "message": "Hello!"})
    assert chat.status == 201, chat
    chat_id = chat.body["id"]

    stack.redis.stop()
    try:
        readiness_down = setup.get("/readyz", timeout=PROMPT * 1.5)
        down = _actions(
            stack.app.url, buyer, buyer_token, chat_id, {"target_type": "product", "target_id": product_id}, "down"
        )
    finally:
        stack.redis.start()

    readiness_up = wait_until(
        lambda: (o := setup.get("/readyz", timeout=5)).status == 200 and o.body.get("status") == "ok" and o,
        RECOVERY,
        "/readyz did not say ok again after Redis came back",
    )

    after = _actions(stack.app.url, buyer, buyer_token, chat_id, {"target_type": "user", "target_id": seller.id}, "up")

    # Realtime resumes: the seller's open sockets (on either worker; every delivery goes through Redis
    # pub/sub, whose listeners reconnect on their own) get the buyer's messages again. A message sent in
    # the second or two before a listener has reconnected reaches only the chat's page, not the socket,
    # so the buyer sends one a second until every socket has had one.
    ws_url = stack.app.url.replace("http://", "ws://") + f"/api/v1/ws?token={seller_token}"
    sockets = [Client.connect(ws_url) for _ in range(SOCKETS)]
    delivered = [False] * SOCKETS
    started = time.monotonic()
    try:
        for n in itertools.count():
            sent = setup.api("POST", f"/chats/{chat_id}/messages", token=buyer_token, json={"body": f"back {n}"})
            assert sent.status == 201, sent
            for i, ws in enumerate(sockets):
                delivered[i] = delivered[i] or _receive(ws, "back ", 1)
            if all(delivered) or time.monotonic() - started > RECOVERY:
                break
    finally:
        for ws in sockets:
            ws.close()
    realtime_after = time.monotonic() - started
    setup.close()
    return {
        "readiness_down": readiness_down,
        "down": down,
        "readiness_up": readiness_up,
        "after": after,
        "delivered": delivered,
        "realtime_after": realtime_after,
    }


SOCKETS = 3


def _receive(ws, prefix, timeout):
    """Whether a chat message starting with `prefix` arrives on the socket within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        data = ws.receive(timeout=left)
        if data is None:
            continue
        frame = json.loads(data)
        if frame.get("type") == "message" and frame["message"]["body"].startswith(prefix):
            return True
    return False


def test_logins_chat_and_reports_work_while_redis_is_down(redis_outage):
    for name, outcome in redis_outage["down"].items():
        assert outcome.status == EXPECTED[name], f"{name} with Redis down: {outcome}"
        assert outcome.elapsed < PROMPT, f"{name} took {outcome.elapsed:.1f}s with Redis down"


def test_readiness_says_degraded_while_redis_is_down(redis_outage):
    outcome = redis_outage["readiness_down"]
    assert outcome.status in (200, 503) and outcome.elapsed < PROMPT, outcome
    assert outcome.body["status"] == "degraded", outcome


def test_everything_works_again_once_redis_is_back(redis_outage):
    assert redis_outage["readiness_up"].body["status"] == "ok"
    for name, outcome in redis_outage["after"].items():
        assert outcome.status == EXPECTED[name], f"{name} after Redis came back: {outcome}"
    print(f"realtime back {redis_outage['realtime_after']:.1f}s after Redis")
    assert all(redis_outage["delivered"]), (
        f"open chat sockets got no new message within {RECOVERY}s after Redis came back: {redis_outage['delivered']}"
    )


def test_a_frozen_redis_slows_nothing_down(stack, people):
    """Redis SIGSTOPped (a host that stopped answering, its connections left open): logins, chat and reports
    answer promptly, none with a 500; after SIGCONT, /readyz says ok again."""
    seller, buyer = people.users("redis-frozen", 2)
    product_id = people.listing(seller)
    setup = Http(stack.app.url)
    buyer_token = setup.token(buyer)
    chat = setup.api("POST", "/chats", token=buyer_token, json={"product_id": product_id, "message": "Hello!"})
    assert chat.status == 201, chat
    stack.redis.freeze()
    try:
        outcomes = _actions(
            stack.app.url, buyer, buyer_token, chat.body["id"], {"target_type": "product", "target_id": product_id}, "x"
        )
        readiness = setup.get("/readyz", timeout=PROMPT * 1.5)
    finally:
        stack.redis.thaw()
    for name, outcome in outcomes.items():
        assert outcome.status == EXPECTED[name], f"{name} with Redis frozen: {outcome}"
        assert outcome.elapsed < PROMPT, f"{name} took {outcome.elapsed:.1f}s with Redis frozen"
    assert readiness.status == 200 and readiness.body["status"] == "degraded", readiness
    wait_until(
        lambda: setup.get("/readyz", timeout=5).body.get("status") == "ok", RECOVERY, "/readyz not ok after the thaw"
    )
    setup.close()
