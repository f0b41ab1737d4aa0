"""Wires the HTML side, above every feature: blueprints, error pages, security headers, template helpers."""

from flask import has_request_context, request, url_for
from flask_babel import get_locale, gettext, ngettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from memi.admin.dashboard import bp as admin_dashboard_bp
from memi.admin.views import bp as admin_bp
from memi.auth.views import bp as auth_bp
from memi.chat.services import total_unread
from memi.chat.views import bp as chat_bp
from memi.i18n import translate
from memi.labels import label
from memi.limits import MAX_IMAGES
from memi.notifications.services import unread_count
from memi.notifications.views import bp as notifications_bp
from memi.products.forms import condition_label
from memi.products.views import bp as products_bp
from memi.reports.views import bp as reports_bp
from memi.reservations.views import bp as reservations_bp
from memi.statuses import TEMPLATE_GLOBALS
from memi.uploads.urls import media_url
from memi.uploads.views import bp as media_bp
from memi.users.views import bp as users_bp
from memi.web.errors import register_error_handlers
from memi.web.formatting import FILTERS
from memi.web.health import bp as health_bp
from memi.web.language import register_language
from memi.web.security import set_security_headers
from memi.web.seo import register_seo


def js_messages():
    """The text static/js/*.js shows, in the request's language: base.html renders it as JSON in a data
    attribute (#i18n[data-messages]: no inline script for the CSP, and htmx keeps it on boosted pages,
    where it drops <script> elements) and the scripts read it through memi.t(key)."""
    return {
        "photos_max": ngettext("Choose at most %(num)d photo.", "Choose at most %(num)d photos.", MAX_IMAGES),
        # The photo tiles of the listing forms; "%(n)d" is filled in by static/js/photos.js.
        "photo_n": gettext("Photo %(n)d"),
        "photo_earlier": gettext("Move photo %(n)d earlier"),
        "photo_later": gettext("Move photo %(n)d later"),
        "photo_remove": gettext("Remove photo %(n)d"),
        "photo_moved": gettext("Photo moved to place %(n)d."),
        "photo_uploading": gettext("Uploading…"),
        "photo_failed": gettext("This photo could not be uploaded; please try again."),
        "photo_removed": gettext("Photo removed."),
        "undo": gettext("Undo"),
    }


class _EndpointSet:
    """`'x.y' in url_map_endpoints`: whether a page exists (for navigation that grows with features)."""

    def __init__(self, app):
        self.app = app

    def __contains__(self, endpoint):
        return endpoint in self.app.view_functions


def register_web(app):

    for bp in (
        products_bp,
        health_bp,
        auth_bp,
        users_bp,
        media_bp,
        admin_bp,
        admin_dashboard_bp,
        chat_bp,
        reservations_bp,
        notifications_bp,
        reports_bp,
    ):
        app.register_blueprint(bp)

    register_language(app)
    register_seo(app)
    register_error_handlers(app)
    app.after_request(set_security_headers)
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.filters["drop_none"] = lambda attrs: {k: v for k, v in attrs.items() if v is not None}
    app.jinja_env.filters["condition"] = condition_label
    app.jinja_env.filters["translate"] = translate
    app.jinja_env.filters["label"] = label
    app.jinja_env.globals.update(
        _=gettext, ngettext=ngettext, csrf_token=generate_csrf, media_url=media_url, get_locale=get_locale
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    def url_with(**changes):
        """The current page's URL with some query parameters changed (pagination, filters)."""
        args = request.args.to_dict(flat=False)
        for key, value in changes.items():
            args[key] = [value]
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["js_messages"] = js_messages
    app.jinja_env.globals["url_map_endpoints"] = _EndpointSet(app)
    app.jinja_env.globals.update(TEMPLATE_GLOBALS)

    @app.context_processor
    def _header_context():
        if not has_request_context():  # partials rendered for a socket frame
            return {}
        counts = {}
        if current_user.is_authenticated and request.endpoint and not request.path.startswith("/api/"):
            counts = {"unread_notifications": unread_count(current_user), "unread_messages": total_unread(current_user)}
        return {"current_user": current_user, **counts}
