"""Form helpers shared by every HTML feature."""

import unicodedata
from urllib.parse import urljoin, urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from memi.errors import Invalid
from memi.library_messages import catalogue_translations
from memi.users.services import has_control_characters


class Form(FlaskForm):
    """The base of every HTML form. WTForms' own messages ("This field is required.") come from our
    catalogue, in the request's language (memi.library_messages), rather than from WTForms' catalogues."""

    class Meta:
        def get_translations(self, form):
            return catalogue_translations


def apply_errors(form, exc: Invalid):
    """Show a service's field errors next to the form's fields (others go to form.form_errors)."""
    for field_name, messages in (exc.fields or {}).items():
        field = getattr(form, field_name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
        else:
            form.form_errors.extend(messages)
    if not exc.fields:
        form.form_errors.append(exc.message)
    return form


class SingleLine:
    """A WTForms validator for one-line text fields (names, cities, phones): no line break, tab or other
    control character (the rule of memi.users.services.has_control_characters)."""

    def __init__(self, message=None):
        self.message = message or _l("Use one line of text, without control characters.")

    def __call__(self, form, field):

        if isinstance(field.data, str) and has_control_characters(field.data.strip()):
            raise ValidationError(self.message)


def safe_next(target):
    """`target` when it is a same-site path ("/products/7?page=2"), else None (no open redirect).

    Refused: anything not starting with a single "/", any whitespace or control character (browsers
    drop tabs and line breaks from URLs, so "/<tab>/evil.com" would become "//evil.com", and a line break
    cannot go into a Location header), backslashes (read as "/" by browsers), and anything that a URL
    parser would give a scheme or a host.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ch == "\\" or ch.isspace() or unicodedata.category(ch)[0] in "CZ" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    if urlsplit(urljoin("http://same.invalid/", target)).netloc != "same.invalid":
        return None
    return target
