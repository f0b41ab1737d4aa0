"""Two real app processes sharing Redis: a socket on one receives, within a second, a message
posted through the other."""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from simple_websocket import Client

from tests.conftest import database_url, free_port, wipe

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_up():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def start_server(port, media):
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        REDIS_URL=REDIS_URL,
        SECRET_KEY="test-secret-key-that-is-long-enough-000",
        JWT_SECRET_KEY="test-jwt-secret-key-that-is-long-enough",
        PASSWORD_PEPPER="test-pepper",
        MEDIA_ROOT=media,
        RATELIMIT_ENABLED="false",
        GUNICORN_ACCESS_LOG="0",
        WEB_CONCURRENCY="1",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_up(port):
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"server on {port} did not start")


def post(port, path, body, token=None):
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=5) as res:
        return json.loads(res.read() or b"null")


@pytest.mark.no_rollback
@pytest.mark.skipif(not redis_up() and not os.environ.get("CI"), reason="Redis is not running")
def test_socket_on_one_process_receives_message_posted_through_the_other(app, tmp_path):
    port_a, port_b = free_port(), free_port()
    servers = [start_server(port_a, str(tmp_path)), start_server(port_b, str(tmp_path))]
    try:
        wait_up(port_a)
        wait_up(port_b)
        seller = post(
            port_a, "/api/v1/auth/register", {"email": "fan-s@example.az", "password": "fanout-pass", "name": "S"}
        )
        buyer = post(
            port_a, "/api/v1/auth/register", {"email": "fan-b@example.az", "password": "fanout-pass", "name": "B"}
        )
        product = post(
            port_a,
            "/api/v1/products",
            {"title": "Fan-out coat", "price": "50", "condition": "GOOD", "category": "men-clothing"},
            seller["access_token"],
        )
        chat = post(port_b, "/api/v1/chats", {"product_id": product["id"], "message": "Hi"}, buyer["access_token"])
        ws = Client.connect(f"ws://127.0.0.1:{port_a}/api/v1/ws?token={seller['access_token']}")
        try:
            time.sleep(0.3)  # the socket is registered before the message is sent
            sent = time.time()
            post(
                port_b,
                f"/api/v1/chats/{chat['id']}/messages",
                {"body": "Through the other process"},
                buyer["access_token"],
            )
            frame = None
            while time.time() - sent < 1.0:
                data = ws.receive(timeout=1.0 - (time.time() - sent))
                # The opening "Hi" may still be on its way through Redis when the socket connects (a
                # loaded machine): that frame is right too, so wait for the one this test sent.
                if data and json.loads(data)["type"] == "message":
                    if json.loads(data)["message"]["body"] == "Through the other process":
                        frame = json.loads(data)
                        break
            assert frame is not None, "the message posted through the other process did not arrive within a second"
        finally:
            ws.close()
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        wipe(app)
