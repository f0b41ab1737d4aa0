"""Wires /api/v1: the OpenAPI document, the JSON error format, every feature's API blueprint."""

from memi.extensions import api, csrf


def register_api(app):
    from memi.api import auth, categories, products, users

    api.init_app(
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
            }
        },
    )
    from memi.api.core import UTCDateTime

    api.register_field(UTCDateTime, "string", "date-time")
    for module in (auth, users, categories, products):
        api.register_blueprint(module.blp)
        csrf.exempt(module.blp)  # bearer tokens, not cookies: nothing for CSRF to ride on

    from flask import render_template

    @app.get("/api/v1/docs")
    def api_docs():
        """Swagger UI over the generated document, from vendored assets (no CDN, no inline script)."""
        return render_template("api/docs.html")
