"""Translation helpers shared by every layer.

- `N_("...")` (and `Nn_(singular, plural)`) marks a message for extraction without translating it: for text stored or passed on in
  English and translated when it is shown (`translate`), in the reader's language.
- `translate(text)`: the reader's translation of a marked message; text that is not in the catalogue
  (a user's own words, a message we do not know) comes back unchanged.
"""

from flask_babel import gettext


def N_(message):  # noqa: N802 (gettext's own name for the marker)
    return message


def Nn_(singular, plural):  # noqa: N802
    """Marks a singular/plural pair for extraction (ngettext's shape) without translating it."""
    return singular, plural


def translate(text):
    if not text:
        return text
    if not isinstance(text, str):  # a lazy string renders itself in the reader's language
        return str(text)
    return gettext(text)
