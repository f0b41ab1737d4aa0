"""Which language a person reads memi.az in (Flask-Babel's locale selector) and how to render for
someone else (an email, a pushed notification) in their own saved language.

Pages: `?lang=` (an addressable URL per language, what hreflang points at), then a signed-in user's
saved `users.locale`, then the `lang` cookie of a visitor, then the best match of Accept-Language,
then az. The JSON API (/api/): Accept-Language only, default az (API.md, Conventions: Language).
Outside a request (the worker, the CLI): the default, unless the code renders inside
`for_user(user)` (flask_babel.force_locale with the user's saved language)."""

from flask import current_app, has_request_context, request
from flask_babel import force_locale, get_locale
from flask_login import current_user

LANG_COOKIE = "lang"
LANG_PARAM = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def languages():
    return current_app.config["LANGUAGES"]


def default_locale():
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def supported(code):
    """`code` when it is one of the site's languages ("ru"), else None."""
    return code if isinstance(code, str) and code in languages() else None


def is_api_request():
    return request.path.startswith("/api/")


def header_locale():
    """The best of the site's languages for Accept-Language ("ru-RU,ru;q=0.9" -> "ru"), or None."""
    return request.accept_languages.best_match(languages())


def _saved_user_locale():
    try:
        user = current_user._get_current_object()
    except Exception:  # noqa: BLE001 - no user can be loaded (say the database is down while an
        return None  # error page renders): the page still gets a language, from the cookie or header
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return supported(getattr(user, "locale", None))


def select_locale():
    """Flask-Babel's locale selector (see the module docstring for the order)."""
    if not has_request_context():  # a job or a CLI command: the default (emails use for_user)
        return default_locale()
    if is_api_request():
        return header_locale() or default_locale()
    return (
        supported(request.args.get(LANG_PARAM))
        or _saved_user_locale()
        or supported(request.cookies.get(LANG_COOKIE))
        or header_locale()
        or default_locale()
    )


def saved_or_default(code):
    """A saved language code as the language to write in: the code when it is one of the site's, else
    the default."""
    return supported(code) or default_locale()


def user_locale(user):
    """The language to write to `user` in outside their own request: their saved one, else the default."""
    return saved_or_default(getattr(user, "locale", None))


def for_user(user):
    """`with for_user(user):` renders gettext, dates and numbers in the user's saved language."""
    return force_locale(user_locale(user))


def current_language():
    """The language of what is being rendered now ("az"), as a plain code."""
    locale = get_locale()
    return (supported(str(locale)) if locale is not None else None) or default_locale()
