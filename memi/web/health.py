"""Liveness and readiness probes, outside /api/v1 and without authentication.

/readyz runs every check in CHECKS at once, each bounded by READYZ_TIMEOUT_SECONDS, and answers within
that time whatever the dependencies do: {"status": "ok" | "degraded" | "unavailable", "checks":
{"database": "ok" | "down", "redis": "ok" | "down"}}. A required dependency down (the database) is a 503
"unavailable"; an optional one down (Redis: rate limits count per process, chat is delivered per
instance) a 200 "degraded". A dependency that is not configured (no REDIS_URL) is left out.
"""

import threading
import time

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify
from sqlalchemy.pool import NullPool

from memi.extensions import db
from memi.redis_client import REDIS_ERRORS, connect
from memi.resilience import RETRY_AFTER, guard_green_connections

bp = Blueprint("health", __name__)

OK, DOWN, OFF = "ok", "down", "off"

_probe_lock = threading.Lock()


def _probe_engine(app):
    """An engine of its own for the probe, without a pool: each probe opens a new connection, so it
    proves that the database takes connections and never waits behind requests for a pooled one."""
    engine = app.extensions.get("memi_probe_engine")
    if engine is None:
        with _probe_lock:
            engine = app.extensions.get("memi_probe_engine")
            if engine is None:
                options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
                engine = sa.create_engine(
                    db.engine.url, poolclass=NullPool, connect_args=options.get("connect_args", {})
                )
                guard_green_connections(engine, app.config["DB_CONNECT_TIMEOUT"])
                app.extensions["memi_probe_engine"] = engine
    return engine


def database_status():
    with _probe_engine(current_app).connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return OK


def redis_status():
    """ "ok", "down" (no answer within REDIS_TIMEOUT_SECONDS) or "off" (no REDIS_URL: not used)."""
    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        return OFF
    client = app.extensions.get("memi_health_redis")
    if client is None:
        client = app.extensions["memi_health_redis"] = connect(url, app.config["REDIS_TIMEOUT_SECONDS"])
    try:
        client.ping()
    except REDIS_ERRORS:
        return DOWN
    return OK


# name -> (check returning OK, DOWN or OFF, whether the site is unavailable without it). A check that
# raises or runs out of time is DOWN.
CHECKS = {"database": (database_status, True), "redis": (redis_status, False)}


class _Probe:
    """One check in a thread of its own (a greenlet under gevent), so a dependency that never answers
    cannot hold the probe past its timeout. While a check is still stuck from an earlier probe, it is
    reported down at once instead of piling up more stuck threads."""

    running = set()
    lock = threading.Lock()

    def __init__(self, app, name, check):
        self.app, self.name, self.check = app, name, check
        self.result = DOWN
        self.thread = None

    def start(self):
        with self.lock:
            key = (id(self.app), self.name)
            if key in self.running:
                return self
            self.running.add(key)
        self.thread = threading.Thread(target=self._run, args=(key,), daemon=True, name=f"readyz-{self.name}")
        self.thread.start()
        return self

    def _run(self, key):
        try:
            with self.app.app_context():
                self.result = self.check()
        except Exception as exc:  # noqa: BLE001 - any failure means the dependency is down
            self.app.logger.warning("readiness check %s failed: %s", self.name, f"{type(exc).__name__}: {exc}"[:300])
            self.result = DOWN
        finally:
            with self.lock:
                self.running.discard(key)

    def wait(self, deadline):
        if self.thread is None:
            return DOWN
        self.thread.join(max(0.0, deadline - time.monotonic()))
        return DOWN if self.thread.is_alive() else self.result


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    app = current_app._get_current_object()
    deadline = time.monotonic() + app.config.get("READYZ_TIMEOUT_SECONDS", 2)
    probes = [(_Probe(app, name, check).start(), required) for name, (check, required) in CHECKS.items()]
    checks, missing, degraded = {}, [], False
    for probe, required in probes:
        result = probe.wait(deadline)
        if result == OFF:
            continue
        checks[probe.name] = result
        if result == DOWN:
            if required:
                missing.append(probe.name)
            else:
                degraded = True
    if missing:
        message = "Unavailable: " + ", ".join(missing) + "."
        body = {"status": "unavailable", "checks": checks, "error": {"code": "unavailable", "message": message}}
        return jsonify(body), 503, {"Retry-After": str(RETRY_AFTER)}
    return jsonify(status="degraded" if degraded else "ok", checks=checks)
