"""Wires /api/v1: the OpenAPI document, the JSON error format, every feature's API blueprint."""

from memi.extensions import api, csrf


def register_api(app):
    from memi.api import auth, users

    api.init_app(
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
            }
        },
    )
    for module in (auth, users):
        api.register_blueprint(module.blp)
        csrf.exempt(module.blp)  # bearer tokens, not cookies: nothing for CSRF to ride on
