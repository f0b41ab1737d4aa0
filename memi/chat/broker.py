"""Realtime fan-out behind one small interface: `publish(user_id, frame)` reaches every open socket of
that user, in this process (in-process broker, the default) or in any process sharing REDIS_URL
(Redis pub/sub). Sockets register with `connect(user_id, sink)`; a sink is any callable taking a frame.
"""

import json
import logging
import threading
from collections import defaultdict

from flask import current_app

from memi.redis_client import REDIS_ERRORS, Breaker, connect

log = logging.getLogger("memi.broker")
CHANNEL_PREFIX = "memi:user:"


class LocalRegistry:
    """The open sockets of this process, by user id."""

    def __init__(self):
        self._sinks = defaultdict(set)
        self._lock = threading.Lock()

    def add(self, user_id, sink):
        with self._lock:
            self._sinks[user_id].add(sink)

    def remove(self, user_id, sink):
        with self._lock:
            self._sinks[user_id].discard(sink)
            if not self._sinks[user_id]:
                del self._sinks[user_id]

    def deliver(self, user_id, frame):
        with self._lock:
            sinks = list(self._sinks.get(user_id, ()))
        for sink in sinks:
            try:
                sink(frame)
            except Exception:  # a broken socket must not stop delivery to the others
                log.exception("delivery to a socket of user %s failed", user_id)

    def count(self):
        with self._lock:
            return sum(len(s) for s in self._sinks.values())


class InProcessBroker:
    def __init__(self):
        self.local = LocalRegistry()

    def connect(self, user_id, sink):
        self.local.add(user_id, sink)

    def disconnect(self, user_id, sink):
        self.local.remove(user_id, sink)

    def publish(self, user_id, frame):
        self.local.deliver(user_id, frame)

    def close(self):
        pass


class RedisBroker(InProcessBroker):
    """Publishes to Redis; one listener thread per process hands frames to the local sockets.

    Redis down or frozen: a publish that fails (within `timeout` seconds) is delivered to the sockets of
    this process instead, and Redis is skipped for `retry_seconds` (the breaker) so that a frozen Redis
    does not cost every message the timeout; sockets on other instances miss the frame (the message is
    stored, and shows on their next load). A publish that no subscriber received (our own listener is
    reconnecting) is delivered locally too. The listener reconnects with backoff, and resubscribes.
    """

    def __init__(self, url, timeout=0.5, retry_seconds=10):
        super().__init__()
        self.redis = connect(url, timeout)
        self.breaker = Breaker("chat delivers to this instance's sockets only and", retry_seconds)
        self._url = url
        self._timeout = timeout
        self._stop = threading.Event()
        self.subscribed = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="memi-broker", daemon=True)
        self._thread.start()

    def publish(self, user_id, frame):
        if self.breaker.available():
            try:
                receivers = self.redis.publish(f"{CHANNEL_PREFIX}{user_id}", json.dumps(frame))
            except REDIS_ERRORS as exc:
                self.breaker.failed(exc)
            else:
                self.breaker.succeeded()
                if receivers:
                    return
        self.local.deliver(user_id, frame)

    def _subscribe(self):
        # Reads block up to a second between messages (get_message's own timeout), not the short one.
        client = connect(self._url, self._timeout)
        client.connection_pool.connection_kwargs["socket_timeout"] = None
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        pubsub.psubscribe(CHANNEL_PREFIX + "*")
        return pubsub

    def _listen(self):
        pubsub = None
        delay = 0.5
        while not self._stop.is_set():
            try:
                if pubsub is None:
                    pubsub = self._subscribe()
                    self.subscribed.set()
                    if delay > 0.5:
                        log.info("redis pub/sub reconnected")
                    delay = 0.5
                message = pubsub.get_message(timeout=1.0)
            except Exception as exc:
                self.subscribed.clear()
                if delay == 0.5:
                    log.warning("redis pub/sub failed (%s: %s); reconnecting", type(exc).__name__, exc)
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:
                        pass
                    pubsub = None
                self._stop.wait(delay)
                delay = min(delay * 2, 10.0)
                continue
            if not message or message.get("type") != "pmessage":
                continue
            channel = message["channel"].decode() if isinstance(message["channel"], bytes) else message["channel"]
            try:
                user_id = int(channel[len(CHANNEL_PREFIX) :])
                frame = json.loads(message["data"])
            except (ValueError, TypeError):
                continue
            self.local.deliver(user_id, frame)
        if pubsub is not None:
            try:
                pubsub.close()
            except Exception:
                pass

    def close(self):
        self._stop.set()


_create_lock = threading.Lock()


def get_broker(app=None):
    """The app's broker (created once, on first use): Redis when REDIS_URL is set, else in-process."""

    app = app or current_app._get_current_object()
    broker = app.extensions.get("memi_broker")
    if broker is None:
        with _create_lock:  # many sockets connect at once right after start-up
            broker = app.extensions.get("memi_broker")
            if broker is None:
                url = app.config.get("REDIS_URL")
                if url:
                    broker = RedisBroker(url, app.config["REDIS_TIMEOUT_SECONDS"], app.config["REDIS_RETRY_SECONDS"])
                else:
                    broker = InProcessBroker()
                app.extensions["memi_broker"] = broker
    return broker
