"""Liveness and readiness probes, outside /api/v1 and without authentication."""

import sqlalchemy as sa
from flask import Blueprint, jsonify

from memi.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="unavailable", error={"code": "unavailable", "message": "Database unreachable."}), 503
    return jsonify(status="ok")
