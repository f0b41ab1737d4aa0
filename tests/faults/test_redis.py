"""Redis stopped, then started again on the same port: logins, chat and reports while it is down, and after."""

import pytest

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
    buyer_token = setup.token(buyer)
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
    setup.close()
    return {"readiness_down": readiness_down, "down": down, "readiness_up": readiness_up, "after": after}


@pytest.mark.xfail(strict=False, reason="needs the Redis fix: in-process fallbacks when Redis is down")
def test_logins_chat_and_reports_work_while_redis_is_down(redis_outage):
    for name, outcome in redis_outage["down"].items():
        assert outcome.status == EXPECTED[name], f"{name} with Redis down: {outcome}"
        assert outcome.elapsed < PROMPT, f"{name} took {outcome.elapsed:.1f}s with Redis down"


@pytest.mark.xfail(strict=False, reason="needs the Redis fix: /readyz reports degraded when Redis is down")
def test_readiness_says_degraded_while_redis_is_down(redis_outage):
    outcome = redis_outage["readiness_down"]
    assert outcome.status in (200, 503) and outcome.elapsed < PROMPT, outcome
    assert outcome.body["status"] == "degraded", outcome


def test_everything_works_again_once_redis_is_back(redis_outage):
    assert redis_outage["readiness_up"].body["status"] == "ok"
    for name, outcome in redis_outage["after"].items():
        assert outcome.status == EXPECTED[name], f"{name} after Redis came back: {outcome}"
