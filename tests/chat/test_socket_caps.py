"""Caps on open WebSockets (per user, per address, per worker) and invalid text in socket frames."""

import json
import threading
import time

import pytest
from simple_websocket import ConnectionClosed
from werkzeug.serving import make_server

from memi import create_app
from memi.chat import realtime
from tests.chat.test_socket import connect, frames, people  # noqa: F401  (people is a fixture)
from tests.conftest import base_overrides, free_port


@pytest.fixture(scope="module")
def caps_app():
    return create_app(base_overrides())


@pytest.fixture(scope="module")
def caps_server(caps_app):
    """A server of its own, so that sockets other tests leave closing do not count here (same database, so
    the `people` registered through the shared live server can connect)."""
    port = free_port()
    server = make_server("127.0.0.1", port, caps_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture
def slots(caps_app):
    return realtime.socket_slots(caps_app)


def wait_until(predicate, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def refused(ws):
    """The error frame a refused socket gets, once the server has closed it."""
    frame = frames(ws, "error")
    with pytest.raises(ConnectionClosed):
        for _ in range(50):
            ws.receive(timeout=0.1)
    return frame["error"], ws.close_reason, ws.close_message


@pytest.fixture
def socket_config(caps_app):
    saved = {k: caps_app.config[k] for k in ("WS_MAX_PER_USER", "WS_MAX_PER_IP", "WS_MAX_PER_WORKER")}
    yield caps_app.config
    caps_app.config.update(saved)


def close_all(sockets):
    for ws in sockets:
        try:
            ws.close()
        except Exception:
            pass


@pytest.mark.no_rollback
def test_the_sixth_socket_of_one_user_is_refused_and_a_freed_slot_lets_one_in(caps_server, people, slots):  # noqa: F811
    users, _chat = people
    buyer_id = users["buyer"]["user"]["id"]
    token = users["buyer"]["access_token"]
    open_ = [connect(caps_server, token) for _ in range(5)]
    try:
        assert wait_until(lambda: slots.of_user(buyer_id) == 5)
        error, code, message = refused(connect(caps_server, token))
        assert error["code"] == "too_many_sockets"
        assert code == 4008 and "Too many open connections" in message
        # Another user is not affected.
        seller = connect(caps_server, users["seller"]["access_token"])
        open_.append(seller)
        seller.send("not json")
        assert frames(seller, "error")["error"]["code"] == "validation_error"
        # Closing one of the five lets a new one in.
        open_.pop(0).close()
        assert wait_until(lambda: slots.of_user(buyer_id) == 4)
        again = connect(caps_server, token)
        open_.append(again)
        again.send("not json")
        assert frames(again, "error")["error"]["code"] == "validation_error"
    finally:
        close_all(open_)
    assert wait_until(lambda: slots.of_user(buyer_id) == 0)


@pytest.mark.no_rollback
def test_sockets_per_address_and_per_worker_are_capped(caps_server, people, slots, socket_config):  # noqa: F811
    users, _chat = people
    socket_config.update(WS_MAX_PER_IP=1)
    first = connect(caps_server, users["buyer"]["access_token"])
    try:
        assert wait_until(lambda: slots.total == 1)
        error, code, _message = refused(connect(caps_server, users["seller"]["access_token"]))
        assert error["code"] == "too_many_sockets" and code == 4008
        socket_config.update(WS_MAX_PER_IP=20, WS_MAX_PER_WORKER=1)
        error, code, message = refused(connect(caps_server, users["seller"]["access_token"]))
        assert error["code"] == "unavailable" and code == 1013 and "try again" in message
    finally:
        first.close()
    assert wait_until(lambda: slots.total == 0)


@pytest.mark.no_rollback
def test_a_socket_that_fails_gives_its_slot_back(caps_server, people, slots, monkeypatch):  # noqa: F811
    users, chat = people
    buyer_id = users["buyer"]["user"]["id"]

    def boom(*_args):
        raise RuntimeError("a bug in a frame handler")

    monkeypatch.setattr(realtime, "_handle_frame", boom)
    ws = connect(caps_server, users["buyer"]["access_token"])
    try:
        assert wait_until(lambda: slots.of_user(buyer_id) == 1)
        ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": "hi"}))
        assert wait_until(lambda: slots.of_user(buyer_id) == 0)
        with pytest.raises(ConnectionClosed):
            for _ in range(50):
                ws.receive(timeout=0.1)
        assert ws.close_reason == 1011
    finally:
        close_all([ws])


@pytest.mark.no_rollback
def test_a_lone_surrogate_in_a_frame_is_an_error_frame_and_the_socket_stays_open(caps_server, people, slots):  # noqa: F811
    users, chat = people
    ws = connect(caps_server, users["buyer"]["access_token"])
    try:
        ws.send('{"type": "message", "chat_id": ' + str(chat["id"]) + ', "body": "abc\\ud800"}')
        error = frames(ws, "error")["error"]
        assert error["code"] == "validation_error" and "not valid Unicode" in error["message"]
        ws.send(json.dumps({"type": "message", "chat_id": chat["id"], "body": "still here"}))
        assert frames(ws, "message")["message"]["body"] == "still here"
    finally:
        ws.close()


def test_the_default_cap_keeps_a_reserve_below_the_workers_connections(monkeypatch):
    from memi.config import load_config

    monkeypatch.setenv("DATABASE_URL", "postgresql://x@localhost/memi")
    monkeypatch.delenv("GUNICORN_WORKER_CLASS", raising=False)
    monkeypatch.delenv("WS_MAX_PER_WORKER", raising=False)
    monkeypatch.setenv("GUNICORN_WORKER_CONNECTIONS", "2000")
    assert load_config()["WS_MAX_PER_WORKER"] == 1800
    monkeypatch.setenv("GUNICORN_WORKER_CLASS", "gthread")
    monkeypatch.setenv("GUNICORN_THREADS", "100")
    assert load_config()["WS_MAX_PER_WORKER"] == 80
