"""Liveness and readiness probes, outside /api/v1 and without authentication."""

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from memi.extensions import db
from memi.redis_client import REDIS_ERRORS, connect

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


def redis_status():
    """ "ok", "down" (no answer within REDIS_TIMEOUT_SECONDS) or "off" (no REDIS_URL: not used)."""
    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        return "off"
    client = app.extensions.get("memi_health_redis")
    if client is None:
        client = app.extensions["memi_health_redis"] = connect(url, app.config["REDIS_TIMEOUT_SECONDS"])
    try:
        client.ping()
    except REDIS_ERRORS:
        return "down"
    return "ok"


@bp.get("/readyz")
def readyz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="unavailable", error={"code": "unavailable", "message": "Database unreachable."}), 503
    # No REDIS_URL: nothing to report. Redis down: the app still serves (rate limits per process, chat
    # delivered per instance), so 200 "degraded".
    redis = redis_status()
    if redis == "off":
        return jsonify(status="ok")
    return jsonify(status="degraded" if redis == "down" else "ok", redis=redis)
