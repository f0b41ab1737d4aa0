"""The messages our libraries write for people, marked for extraction into our catalogue (N_ / Nn_) and
translated where they reach a person:

- WTForms and Flask-WTF validation messages: forms (memi.web.forms.Form) hand WTForms a translations
  object backed by our catalogue, so the library's own gettext calls find these (WTForms ships
  Russian but no Azerbaijani; one catalogue keeps the terms consistent with ours).
- marshmallow and webargs messages in the API's `error.details`: the API error formatter passes each
  detail through `translate_library_message`, which knows the exact messages and the formatted ones
  ("Must be greater than or equal to 1.") by their pattern. A message it does not know passes unchanged.

When a library upgrade adds or rewords a message, add it here (tests/test_i18n_library_messages.py
checks the current libraries' messages against these lists)."""

import re

from flask_babel import get_translations

from memi.i18n import N_, Nn_

# ---- WTForms / Flask-WTF (their gettext runs before they fill in the %(...)s values) -------------

WTFORMS_MESSAGES = [
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Field must be equal to %(other_name)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."),
    N_("Date must be between %(min)s and %(max)s."),
    N_("Invalid IP address."),
    N_("Invalid Mac address."),
    N_("Invalid URL."),
    N_("Invalid UUID."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("This field cannot be edited."),
    N_("This field is disabled and cannot have a value."),
    N_("Invalid Choice: could not coerce."),
    N_("Not a valid choice."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid week value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    N_("File does not have an approved extension."),
]
WTFORMS_PLURAL_MESSAGES = [
    Nn_("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."),
    Nn_("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."),
    Nn_("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long."),
    Nn_("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field."),
]
# Flask-WTF's CSRF check raises these without gettext: translated where form errors are shown.
FLASK_WTF_MESSAGES = [
    N_("The CSRF token is missing."),
    N_("The CSRF session token is missing."),
    N_("The CSRF token has expired."),
    N_("The CSRF token is invalid."),
    N_("The CSRF tokens do not match."),
]


class CatalogueTranslations:
    """What WTForms calls for its messages (gettext/ngettext without formatting), from our catalogue."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


catalogue_translations = CatalogueTranslations()


# ---- marshmallow / webargs (formatted before they reach us) ------------------------------------

MARSHMALLOW_MESSAGES = [
    # fields
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Invalid input type."),
    N_("Invalid input."),
    N_("Invalid type."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid datetime."),
    N_("Not a valid naive datetime."),
    N_("Not a valid aware datetime."),
    N_("Not a valid date."),
    N_("Not a valid time."),
    N_("Not a valid period of time."),
    N_("Not a valid list."),
    N_("Not a valid tuple."),
    N_("Not a valid mapping type."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid UUID."),
    N_("Not a valid IP address."),
    N_("Not a valid IPv4 address."),
    N_("Not a valid IPv6 address."),
    N_("Not a valid IP interface."),
    N_("Not a valid IPv4 interface."),
    N_("Not a valid IPv6 interface."),
    N_("Must be one of: %(choices)s."),
    N_("String does not match expected pattern."),
    N_("Unknown field."),
    # validators, with their values in %(...)s
    N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than or equal to %(min)s and less than %(max)s."),
    N_("Must be greater than %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than %(min)s and less than %(max)s."),
    N_("Must be greater than or equal to %(min)s."),
    N_("Must be greater than %(min)s."),
    N_("Must be less than or equal to %(max)s."),
    N_("Must be less than %(max)s."),
    N_("Length must be between %(min)s and %(max)s."),
    N_("Length must be %(equal)s."),
    N_("Shorter than minimum length %(min)s."),
    N_("Longer than maximum length %(max)s."),
    N_("Must be equal to %(other)s."),
    N_("One or more of the choices you made was not in: %(choices)s."),
    N_("One or more of the choices you made was in: %(values)s."),
    # webargs
    N_("Invalid JSON body."),
]

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _pattern(message):
    """A regex that matches `message` with each %(name)s filled in, capturing the values by name."""

    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(message):
        parts.append(re.escape(message[last : match.start()]))
        parts.append(f"(?P<{match.group(1)}>.+?)")
        last = match.end()
    parts.append(re.escape(message[last:]))
    return re.compile("".join(parts) + r"\Z", re.S)


_EXACT = {m for m in MARSHMALLOW_MESSAGES + FLASK_WTF_MESSAGES if not _PLACEHOLDER.search(m)}
_FORMATTED = [(m, _pattern(m)) for m in MARSHMALLOW_MESSAGES if _PLACEHOLDER.search(m)]


def translate_library_message(message):
    """The reader's translation of a library message (exact or formatted); anything else unchanged.
    Lazy strings (our own messages) render themselves."""

    if not isinstance(message, str):
        return str(message)
    translations = get_translations()
    if message in _EXACT:
        return translations.ugettext(message)
    for template, pattern in _FORMATTED:
        match = pattern.match(message)
        if match:
            return translations.ugettext(template) % match.groupdict()
    return message


def translate_details(value):
    """Field error details (nested dicts and lists of messages) with every message translated."""

    if isinstance(value, dict):
        return {key: translate_details(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [translate_details(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return translate_library_message(value)
