"""The WebSocket /api/v1/ws: authentication at the upgrade, frames, errors, delivery, closing."""

import json
import time

import pytest
from simple_websocket import Client, ConnectionClosed

UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def test_upgrade_without_auth_is_refused_with_401(client):
    res = client.get("/api/v1/ws", headers=UPGRADE)
    assert res.status_code == 401 and res.get_json()["error"]["code"] == "unauthorized"


def test_upgrade_with_bad_token_is_refused(client):
    assert client.get("/api/v1/ws?token=garbage", headers=UPGRADE).status_code == 401


def test_upgrade_with_session_cookie_from_foreign_origin_is_refused(client, make_user, login):
    login(make_user())
    res = client.get("/api/v1/ws", headers=UPGRADE | {"Origin": "https://evil.example"})
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "forbidden"


def test_blocked_users_token_is_refused(client, api, make_user, db):
    from memi.users.models import User

    user = make_user()
    token = api.tokens(user)["access_token"]
    db.session.get(User, user.id).is_blocked = True
    db.session.commit()
    assert client.get(f"/api/v1/ws?token={token}", headers=UPGRADE).status_code == 403


# ---- live: real sockets against a server in a thread -------------------------------------------


def _post(base, path, body, token=None):
    import urllib.request

    req = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=5) as res:
        return json.loads(res.read() or b"null")


@pytest.fixture
def people(live_server):
    out = {}
    for name in ("seller", "buyer"):
        res = _post(
            live_server,
            "/api/v1/auth/register",
            {"email": f"{name}-ws@example.az", "password": "socket-pass-1", "name": name.title()},
        )
        out[name] = res
    product = _post(
        live_server,
        "/api/v1/products",
        {"title": "Socket scarf", "price": "12", "condition": "GOOD", "category": "accessories"},
        out["seller"]["access_token"],
    )
    chat = _post(
        live_server, "/api/v1/chats", {"product_id": product["id"], "message": "Hi!"}, out["buyer"]["access_token"]
    )
    return out, chat


def connect(base, token, language="en"):
    """A socket as an API client opens it; its error texts follow Accept-Language (the suite reads English)."""
    url = base.replace("http://", "ws://") + f"/api/v1/ws?token={token}"
    return Client.connect(url, headers={"Accept-Language": language})


def frames(ws, want, timeout=3.0):
    """Receive frames until one of type `want` arrives; returns it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        data = ws.receive(timeout=max(0.05, deadline - time.time()))
        if data is None:
            break
        frame = json.loads(data)
        if frame["type"] == want:
            return frame
    raise AssertionError(f"no {want} frame within {timeout}s")


@pytest.mark.no_rollback
def test_message_frame_reaches_both_participants_and_notification_the_recipient(live_server, people):
    users, chat = people
    buyer = connect(live_server, users["buyer"]["access_token"])
    seller = connect(live_server, users["seller"]["access_token"])
    try:
        buyer.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": "Still for sale?"}))
        for ws in (buyer, seller):
            frame = frames(ws, "message")
            assert frame["message"]["body"] == "Still for sale?" and frame["message"]["chat_id"] == chat["id"]
            assert frame["message"]["sender_id"] == users["buyer"]["user"]["id"]
        note = frames(seller, "notification")
        assert note["notification"]["type"] == "message.new" and note["unread_count"] >= 1
        # The pushed notification is the API's representation (API.md: the same as GET /notifications).
        assert set(note["notification"]) == {"id", "type", "payload", "text", "url", "read_at", "created_at"}
        assert note["notification"]["url"] == f"/chats/{chat['id']}"
        # A message posted through the API reaches the socket too.
        _post(live_server, f"/api/v1/chats/{chat['id']}/messages", {"body": "Yes!"}, users["seller"]["access_token"])
        assert frames(buyer, "message")["message"]["body"] == "Yes!"
    finally:
        buyer.close()
        seller.close()


@pytest.mark.no_rollback
def test_bad_frames_get_error_frames_and_the_socket_stays_open(live_server, people):
    users, chat = people
    ws = connect(live_server, users["buyer"]["access_token"])
    try:
        for bad, code in [
            ("not json", "validation_error"),
            (json.dumps({"type": "dance"}), "validation_error"),
            (json.dumps({"type": "message", "chat_id": "x", "body": "hi"}), "validation_error"),
            (json.dumps({"type": "message", "chat_id": chat["id"], "body": "   "}), "validation_error"),
            (json.dumps({"type": "message", "chat_id": 999999, "body": "hi"}), "not_found"),
        ]:
            ws.send(bad)
            assert frames(ws, "error")["error"]["code"] == code
        ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": "still here"}))
        assert frames(ws, "message")["message"]["body"] == "still here"
    finally:
        ws.close()


@pytest.mark.no_rollback
def test_socket_messages_are_rate_limited(live_app, live_server, people):
    users, chat = people
    ws = connect(live_server, users["buyer"]["access_token"])
    live_app.config.update(RATELIMIT_ENABLED=True, CHAT_MESSAGE_RATE="2 per minute")
    try:
        for i in range(3):
            ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": f"m{i}"}))
        assert frames(ws, "error")["error"]["code"] == "rate_limited"
    finally:
        live_app.config.update(RATELIMIT_ENABLED=False, CHAT_MESSAGE_RATE="30 per minute")
        ws.close()


@pytest.mark.no_rollback
def test_oversized_frame_closes_the_socket(live_server, people):
    users, chat = people
    ws = connect(live_server, users["buyer"]["access_token"])
    ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": "x" * 40000}))
    with pytest.raises(ConnectionClosed):
        for _ in range(20):
            ws.receive(timeout=0.2)
            ws.send("ping?")
    assert ws.close_reason == 1009


@pytest.mark.no_rollback
def test_longest_message_fits_a_frame_even_ascii_escaped(live_server, people):
    """2000 emoji are a valid message; as ASCII-escaped JSON (json.dumps' default) they take 24 KB."""
    users, chat = people
    ws = connect(live_server, users["buyer"]["access_token"])
    body = "\U0001f600" * 2000
    try:
        frame = json.dumps({"type": "message", "chat_id": chat["id"], "body": body}, ensure_ascii=True)
        assert len(frame) > 24000
        ws.send(frame)
        assert frames(ws, "message")["message"]["body"] == body
    finally:
        ws.close()


@pytest.mark.no_rollback
def test_control_characters_in_a_body_get_a_validation_error_frame(live_server, people):
    users, chat = people
    ws = connect(live_server, users["buyer"]["access_token"])
    try:
        for body in ("a\u0000b", "bell\u0007", "esc\u001b[31m"):
            ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": body}))
            error = frames(ws, "error")["error"]
            assert error["code"] == "validation_error" and "control characters" in error["message"]
        ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": "tab\tand\nnewline"}))
        assert frames(ws, "message")["message"]["body"] == "tab\tand\nnewline"
    finally:
        ws.close()


@pytest.mark.parametrize("language", ["az", "ru"])
def test_a_socket_answers_in_the_language_it_was_opened_in(live_server, people, language):
    """An app that opened the socket in Russian (or Azerbaijani) gets its error texts in that language;
    the code stays the same."""
    from babel.messages.pofile import read_po

    with open(f"memi/translations/{language}/LC_MESSAGES/messages.po", "rb") as f:
        expected = read_po(f).get("A message cannot contain control characters.").string
    users, chat = people
    ws = connect(live_server, users["buyer"]["access_token"], language=language)
    try:
        ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": "bell\u0007"}))
        error = frames(ws, "error")["error"]
        assert error["code"] == "validation_error" and error["message"] == expected
    finally:
        ws.close()


@pytest.mark.no_rollback
def test_a_token_socket_closes_when_its_token_expires(live_app, live_server, people):
    from datetime import timedelta

    from flask_jwt_extended import create_access_token, decode_token

    users, chat = people
    with live_app.app_context():
        epoch = decode_token(users["buyer"]["access_token"])["epoch"]
        token = create_access_token(
            identity=str(users["buyer"]["user"]["id"]),
            additional_claims={"epoch": epoch},
            expires_delta=timedelta(seconds=2),
        )
    ws = connect(live_server, token)
    ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": "while it lasts"}))
    assert frames(ws, "message")["message"]["body"] == "while it lasts"
    error = frames(ws, "error", timeout=5)["error"]
    assert error["code"] == "unauthorized" and "expired" in error["message"]
    with pytest.raises(ConnectionClosed):
        for _ in range(30):
            ws.receive(timeout=0.1)
            ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": "too late"}))
    assert ws.close_reason == 1008


@pytest.mark.no_rollback
def test_same_origin_socket_with_the_session_cookie_receives_frames(live_server, people):
    """The browser's socket: the session cookie and our own Origin; frames carry the rendered partial."""
    import re

    import requests

    users, chat = people
    browser = requests.Session()
    page = browser.get(f"{live_server}/login").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    res = browser.post(
        f"{live_server}/login",
        data={"email": "seller-ws@example.az", "password": "socket-pass-1", "csrf_token": csrf.group(1)},
        allow_redirects=False,
    )
    assert res.status_code == 302
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)

    class BrowserLikeClient(Client):
        def handshake(self):
            self.host = f"{self.host}:{self.port}"  # a browser's Host names the port, as Origin does
            super().handshake()

    ws = BrowserLikeClient.connect(
        live_server.replace("http://", "ws://") + "/api/v1/ws", headers={"Cookie": cookie, "Origin": live_server}
    )
    try:
        sent = _post(
            live_server, f"/api/v1/chats/{chat['id']}/messages", {"body": "<b>Hi</b>"}, users["buyer"]["access_token"]
        )
        frame = frames(ws, "message")
        assert frame["message"]["id"] == sent["id"]
        assert f'id="msg-{sent["id"]}"' in frame["html"] and "&lt;b&gt;Hi&lt;/b&gt;" in frame["html"]
        assert "msg--mine" not in frame["html"]
        assert frames(ws, "notification")["notification"]["type"] == "message.new"
        # Frames go both ways: the seller answers over the same socket.
        ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": "Hello"}))
        mine = frames(ws, "message")
        assert mine["message"]["body"] == "Hello" and "msg--mine" in mine["html"]
    finally:
        ws.close()


@pytest.mark.no_rollback
def test_ending_the_users_sessions_closes_their_sockets(live_app, live_server, people):
    from memi.auth.services import end_all_sessions
    from memi.extensions import db as _db
    from memi.users.models import User

    users, _chat = people
    ws = connect(live_server, users["buyer"]["access_token"])
    time.sleep(0.2)
    with live_app.test_request_context():
        end_all_sessions(_db.session.get(User, users["buyer"]["user"]["id"]))
        _db.session.commit()
        _db.session.remove()
    with pytest.raises(ConnectionClosed):
        for _ in range(30):
            ws.receive(timeout=0.1)
    assert ws.close_reason == 1008


def test_one_broker_per_app_even_when_many_sockets_connect_at_once(monkeypatch):
    """Sockets registered with a second broker would miss messages: creation is settled under a lock.
    (Creating the Redis broker takes a moment to connect; the sleep stands for that.)"""
    from concurrent.futures import ThreadPoolExecutor

    from memi import create_app
    from memi.chat import broker as broker_module
    from memi.chat.broker import get_broker
    from tests.conftest import base_overrides

    slow_init = broker_module.InProcessBroker.__init__

    def connecting(self):
        time.sleep(0.05)
        slow_init(self)

    monkeypatch.setattr(broker_module.InProcessBroker, "__init__", connecting)
    fresh = create_app(base_overrides())
    with ThreadPoolExecutor(max_workers=16) as pool:
        brokers = set(map(id, pool.map(lambda _: get_broker(fresh), range(64))))
    assert len(brokers) == 1
