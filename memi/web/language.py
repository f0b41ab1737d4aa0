"""The language switch (AZ · RU · EN), the addressable `?lang=` URLs hreflang points at, and what the
templates need to draw both (memi.locale chooses the language of each request).

GET /lang/<code>?next=<path> remembers the choice (the `lang` cookie; a signed-in user's saved
`users.locale` too) and goes back to `next` when it is a local path, else home: a plain link, so it
works without JavaScript. Any page with `?lang=ru` is shown in Russian and sets the cookie too (a
signed-in user's account keeps its language: a link someone shared does not change it)."""

from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from memi.extensions import db
from memi.locale import LANG_COOKIE, LANG_COOKIE_MAX_AGE, LANG_PARAM, is_api_request, languages, supported
from memi.users.services import set_locale
from memi.web.forms import safe_next
from memi.web.seo import canonical_args

bp = Blueprint("language", __name__)

# Each language by its own name (the same whatever language the page is in, so not translated).
NATIVE_NAMES = {"az": "Azərbaycanca", "ru": "Русский", "en": "English"}


def set_lang_cookie(response, code):
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=LANG_COOKIE_MAX_AGE,
        path="/",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.get("/lang/<code>")
def switch(code):
    """Show the site in `code` from now on and go back to the page the switch was pressed on."""
    if not supported(code):
        abort(404)
    if current_user.is_authenticated and current_user.locale != code:
        set_locale(current_user._get_current_object(), code)
        db.session.commit()
    response = redirect(safe_next(request.args.get("next")) or url_for("products.home"), code=303)
    return set_lang_cookie(response, code)


def remember_query_language(response):
    """After a page asked for with `?lang=xx`: the visitor's cookie follows it. Pages vary with the
    reader's language (Accept-Language and the cookie), which caches must know."""
    if request.endpoint == "static":
        return response
    response.vary.add("Accept-Language")
    if is_api_request():
        return response
    response.vary.add("Cookie")
    code = supported(request.args.get(LANG_PARAM))
    if code and request.cookies.get(LANG_COOKIE) != code and LANG_COOKIE not in _cookies_set(response):
        set_lang_cookie(response, code)
    return response


def _cookies_set(response):
    return {header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie")}


def _page_without_lang():
    """(path, query parameters) of this page, less any `lang` parameter."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != LANG_PARAM]
    return request.path, args


def _local_url(path, args):
    return path + ("?" + urlencode(args) if args else "")


def language_links():
    """The switch: [{code, name, href, current}] for AZ, RU and EN, each back to this page."""
    path, args = _page_without_lang()
    here = _local_url(path, args)
    current = str(get_locale())
    return [
        {
            "code": code,
            "name": NATIVE_NAMES.get(code, code),
            "href": url_for("language.switch", code=code, next=here),
            "current": code == current,
        }
        for code in languages()
    ]


def hreflang_alternates():
    """[(hreflang, absolute URL)]: this page in each language (`?lang=xx`), and x-default, the page as
    it is, which follows the reader's browser. A page that has a canonical URL (memi.web.seo) names
    its alternates from the same parameters, so each alternate is a canonical URL too."""
    base = current_app.config["BASE_URL"]
    canonical = canonical_args()
    path, args = _page_without_lang() if canonical is None else (request.path, canonical)
    links = [(code, base + _local_url(path, args + [(LANG_PARAM, code)])) for code in languages()]
    links.append(("x-default", base + _local_url(path, args)))
    return links


def register_language(app):
    app.register_blueprint(bp)
    app.after_request(remember_query_language)
    app.jinja_env.globals.update(language_links=language_links, hreflang_alternates=hreflang_alternates)
