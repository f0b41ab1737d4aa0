"""Realtime fan-out behind one small interface: `publish(user_id, frame)` reaches every open socket of
that user, in this process (in-process broker, the default) or in any process sharing REDIS_URL
(Redis pub/sub). Sockets register with `connect(user_id, sink)`; a sink is any callable taking a frame.
"""

import json
import logging
import threading
from collections import defaultdict

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
    """Publishes to Redis; one listener thread per process hands frames to the local sockets."""

    def __init__(self, url):
        super().__init__()
        import redis

        self.redis = redis.Redis.from_url(url)
        self._pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self._pubsub.psubscribe(CHANNEL_PREFIX + "*")
        self._thread = threading.Thread(target=self._listen, name="memi-broker", daemon=True)
        self._stop = threading.Event()
        self._thread.start()

    def publish(self, user_id, frame):
        self.redis.publish(f"{CHANNEL_PREFIX}{user_id}", json.dumps(frame))

    def _listen(self):
        while not self._stop.is_set():
            try:
                message = self._pubsub.get_message(timeout=1.0)
            except Exception:
                log.exception("redis pub/sub failed; reconnecting")
                self._stop.wait(1.0)
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

    def close(self):
        self._stop.set()


_create_lock = threading.Lock()


def get_broker(app=None):
    """The app's broker (created once, on first use): Redis when REDIS_URL is set, else in-process."""
    from flask import current_app

    app = app or current_app._get_current_object()
    broker = app.extensions.get("memi_broker")
    if broker is None:
        with _create_lock:  # many sockets connect at once right after start-up
            broker = app.extensions.get("memi_broker")
            if broker is None:
                url = app.config.get("REDIS_URL")
                broker = RedisBroker(url) if url else InProcessBroker()
                app.extensions["memi_broker"] = broker
    return broker
