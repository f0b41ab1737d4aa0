"""Rate limits that are not tied to one route (chat messages over pages, API and socket alike), on the
same storage as flask-limiter: memory by default, Redis when REDIS_URL is set.

Redis down or frozen is never an error here: a call that fails (within REDIS_TIMEOUT_SECONDS) falls
back to counters in this process, and Redis is left alone for REDIS_RETRY_SECONDS before it is tried
again (memi.redis_client.Breaker logs the outage once, and the recovery). In-process counters are per
process, so while Redis is down each app instance allows the limit on its own.
"""

import math
import threading
import time

from flask import current_app, g
from limits import parse, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from memi.redis_client import REDIS_ERRORS, Breaker

_create_lock = threading.Lock()


class Limits:
    """Fixed-window counters on the shared storage, with in-process counters when it fails."""

    def __init__(self, uri, options=None, retry_seconds=10):
        self.memory = FixedWindowRateLimiter(MemoryStorage())
        self.shared = None
        if not uri.startswith("memory://"):
            self.shared = FixedWindowRateLimiter(storage_from_string(uri, **(options or {})))
        self.breaker = Breaker("rate limits", retry_seconds)

    def _run(self, action):
        if self.shared is not None and self.breaker.available():
            try:
                result = action(self.shared)
            except REDIS_ERRORS as exc:
                self.breaker.failed(exc)
            else:
                self.breaker.succeeded()
                return result
        return action(self.memory)

    def hit(self, item, *identifiers):
        return self._run(lambda limiter: limiter.hit(item, *identifiers))

    def refund(self, item, *identifiers):
        """Give back one hit (an attempt that turned out not to count)."""
        key = item.key_for(*identifiers)
        return self._run(lambda limiter: limiter.storage.incr(key, item.get_expiry(), amount=-1))

    def window_stats(self, item, *identifiers):
        return self._run(lambda limiter: limiter.get_window_stats(item, *identifiers))


def _limits():
    app = current_app._get_current_object()
    limits = app.extensions.get("memi_rate_limiter")
    if limits is None:
        with _create_lock:
            limits = app.extensions.get("memi_rate_limiter")
            if limits is None:
                limits = Limits(
                    app.config["RATELIMIT_STORAGE_URI"],
                    app.config.get("RATELIMIT_STORAGE_OPTIONS"),
                    app.config.get("REDIS_RETRY_SECONDS", 10),
                )
                app.extensions["memi_rate_limiter"] = limits
    return limits


def enabled():
    return current_app.config.get("RATELIMIT_ENABLED", True)


def allow(limit, *identifiers):
    """True when one more hit on `identifiers` stays within `limit` ("30 per minute"). When it does
    not, the seconds until the window resets are kept for this request (RateLimited's Retry-After)."""
    if not enabled():
        return True
    if _limits().hit(parse(limit), *identifiers):
        return True
    g.memi_retry_after = retry_after(limit, *identifiers)
    return False


def take(limits, *identifiers):
    """Count one attempt against every limit in `limits` ("5 per minute;20 per hour"), shortest window
    first, before the attempt is made (so that parallel attempts cannot all pass a check that is only
    counted afterwards). Returns the list of (item, identifiers) taken, to hand to `give_back` if the
    attempt should not count after all. When a limit is exceeded nothing stays counted, the seconds
    until it resets are kept for this request (RateLimited's Retry-After), and None is returned."""
    if not enabled():
        return []
    store = _limits()
    taken = []
    for item in sorted(parse_many(limits), key=lambda item: item.get_expiry()):
        if not store.hit(item, *identifiers):
            g.memi_retry_after = _seconds_left(store, item, identifiers)
            give_back(taken + [(item, identifiers)])
            return None
        taken.append((item, identifiers))
    return taken


def give_back(taken):
    store = _limits()
    for item, identifiers in taken or ():
        store.refund(item, *identifiers)


def _seconds_left(store, item, identifiers):
    reset_at, _remaining = store.window_stats(item, *identifiers)
    return max(1, math.ceil(reset_at - time.time()))


def retry_after(limit, *identifiers):
    """Whole seconds until `limit`'s current window for `identifiers` resets (at least 1)."""
    return _seconds_left(_limits(), parse(limit), identifiers)
