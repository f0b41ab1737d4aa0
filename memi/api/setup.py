"""Wires /api/v1: the OpenAPI document, the JSON error format, every feature's API blueprint."""

from flask import render_template

from memi.api import admin, auth, categories, chats, notifications, products, reports, reservations, users
from memi.chat.realtime import ws_endpoint
from memi.extensions import api, csrf
from memi.schema_fields import UTCDateTime


def register_api(app):
    api.init_app(
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
            }
        },
    )

    api.register_field(UTCDateTime, "string", "date-time")
    for module in (auth, users, categories, products, chats, reservations, notifications, reports, admin):
        api.register_blueprint(module.blp)
        csrf.exempt(module.blp)  # bearer tokens, not cookies: nothing for CSRF to ride on

    app.add_url_rule("/api/v1/ws", "api_ws", ws_endpoint, websocket=True)

    @app.get("/api/v1/docs")
    def api_docs():
        """Swagger UI over the generated document, from vendored assets (no CDN, no inline script)."""
        return render_template("api/docs.html")
