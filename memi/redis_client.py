"""Redis that fails fast. Redis is optional (rate-limit counters shared by the app instances, realtime
fan-out between them): when it is down or frozen the app keeps serving without it, so every Redis
connection gets short timeouts and no retries, and a circuit breaker skips Redis for a while after a
failure instead of making every request wait for the timeout again.
"""

import logging
import threading
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger("memi.redis")

# What a Redis that is down, frozen or refusing looks like to a client.
REDIS_ERRORS = (redis.exceptions.RedisError, OSError)


def client_options(timeout):
    """Keyword arguments for redis.Redis (and limits' Redis storage): connect and read within
    `timeout` seconds, and no retries (redis-py retries ten times with backoff by default)."""
    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(NoBackoff(), 0),
    }


def connect(url, timeout):
    return redis.Redis.from_url(url, **client_options(timeout))


class Breaker:
    """After a Redis failure, `available()` is False for `cooldown` seconds; then one more try is let
    through. The first failure of an outage is logged as a WARNING, the recovery as INFO."""

    def __init__(self, what, cooldown):
        self.what = what
        self.cooldown = cooldown
        self.down = False
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def available(self):
        return time.monotonic() >= self._retry_at

    def failed(self, exc):
        with self._lock:
            self._retry_at = time.monotonic() + self.cooldown
            first = not self.down
            self.down = True
        if first:
            log.warning(
                "Redis unreachable (%s: %s); %s continue without it, retrying every %ss",
                type(exc).__name__,
                exc,
                self.what,
                self.cooldown,
            )

    def succeeded(self):
        if self.down:
            with self._lock:
                was, self.down = self.down, False
            if was:
                log.info("Redis reachable again; %s use it again", self.what)
