"""The seam for automated moderation: one interface the listing and chat services call when content is
created or edited. A moderator answers allow, flag (a SYSTEM report goes to the admins' queue) or block
(the content is refused with a clear message); for chat it may also attach a safety warning that the
recipient sees. The shipped implementation is rule based; an AI moderator or fraud model can replace it
by implementing the same two methods (config MODERATOR = "module:Class").
"""

import functools
import importlib
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from memi.i18n import N_

ALLOW, FLAG, BLOCK = "allow", "flag", "block"


@dataclass
class Decision:
    action: str = ALLOW
    reason: str | None = None
    warning: str | None = None  # shown to the recipient of a chat message


class Moderator:
    def check_listing(self, seller, text) -> Decision:
        return Decision()

    def check_message(self, sender, text) -> Decision:
        return Decision()


CARD = re.compile(r"\b(?:\d[ -]?){15,18}\d\b")
# Azerbaijani numbers (+994 / 0XX ...), any other international number (+7 ..., +1 (555) ...), and long
# runs of digits split by spaces or dashes (9 digits or more: prices, sizes and years are shorter).
PHONE = re.compile(
    r"(?:\+?994|\b0)[\s-]?\(?\d{2}\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}\b"
    r"|\+\s?\d[\d\s().-]{6,}\d"
    r"|(?<![\d.,])\d(?:[\s-]?\d){8,}(?![\d.,]?\d)"
)
TLDS = (
    "com|net|org|info|biz|ru|az|ua|kz|by|tr|uk|us|de|io|me|co|ly|gl|cc|tk|ml|ga|cf|xyz|site|online|shop|"
    "store|top|link|click|app|live|pro|club|space|website|page|su"
)
# Links, and bare domains ("evil.com/pay", "t.me/seller") without the scheme.
#
# Every pattern here runs on a chat message in the request (or the socket's event loop): each must take
# linear time on any input. A bare domain was one backtracking pattern, quadratic in runs like "a.a.a..."
# (a quarter of a second for 2,000 characters); it is now found by bare_domain() below, which walks each
# run of host characters once. tests/moderation/test_rules.py holds adversarial inputs with a time bound.
LINK = re.compile(r"https?://|www\.|\b(?:t|wa|telegram)\.me\b", re.IGNORECASE)
_HOST_RUN = re.compile(r"[\w.-]+")  # a bare domain lies inside one such run; '@' right after: an email's name
_FIRST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)
_LABEL = re.compile(r"[a-z0-9-]+", re.IGNORECASE)
_TLD_LABEL = re.compile(rf"(?:{TLDS})\b", re.IGNORECASE)
OWN_DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?memi\.az\b\S*", re.IGNORECASE)
# The lookbehind starts a match only where a run of name characters starts (not at each of its characters).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.IGNORECASE)


def _may_start_domain(label):
    """Whether a domain name can start in this label: at its start or after one of its '-', the rest of the
    label being a valid first label (letters and digits, at most 63, not ending in '-')."""
    tail = label.rsplit("-", 1)[-1]
    return bool(tail) and _FIRST_LABEL.fullmatch(tail) is not None


def bare_domain(text):
    """A domain name without a scheme: labels of letters, digits and '-' joined by dots, of which one after
    the first is a known TLD (followed by no further word character), and not the name of an email
    address. One pass over the text."""
    for run in _HOST_RUN.finditer(text):
        if text.startswith("@", run.end()):
            continue  # "name.surname.az@gmail.com": the part before '@' is no link
        started = False  # whether a domain started in an earlier label and is still going
        for label in run.group().split("."):
            if started and _TLD_LABEL.match(label):
                return True
            started = (started and _LABEL.fullmatch(label) is not None) or _may_start_domain(label)
    return False


# @handles and the messengers deals move to.
MESSENGER = re.compile(
    r"(?<![\w.@])@[a-z][a-z0-9_]{3,31}\b"
    r"|\b(?:telegram|whats ?app|viber|телеграмм?\w*|ватсап\w*|вотсап\w*|вайбер\w*)\b",
    re.IGNORECASE,
)
_MONEY = (
    r"(?:\d[\d\s.,]*\s*(?:azn|manat|man|₼|usd|\$|eur|rub|руб\w*|манат\w*|азн)"
    r"|(?:the |some )?money|(?:a )?deposit|pul|деньги)"
)
ADVANCE = re.compile(
    r"advance payment|pay (?:in advance|first|upfront|up front)|prepay|deposit first|send (?:the )?money first|"
    # English: "send 50 AZN first", "transfer me the money before I ship"
    rf"\b(?:send|transfer|wire|pay)(?: me| us)? {_MONEY}(?:\W.{{0,30}}?)?\b(?:first|upfront|up front|in advance|before)\b|"
    # Azerbaijani: "əvvəlcə 50 manat göndərin", "qabaqcadan ödəniş", "beh"
    r"(?:əvvəlcə|əvvəlcədən|öncə|öncədən|qabaqcadan|irəlicədən)\b.{0,40}?(?:göndər|ödə|köçür)\w*|"
    r"ilkin ödəniş|\bbeh\b|"
    # Russian: "сначала переведите 50 манат", "предоплата", "аванс"
    r"(?:сначала|вперед|вперёд|заранее)\b.{0,40}?(?:перев[её]д|переведи|отправ|скин|оплат)\w*|"
    r"(?:перев[её]д|переведи|отправ|скин|оплат)\w*.{0,40}?(?:сначала|вперед|вперёд|заранее)|"
    r"предоплат|аванс",
    re.IGNORECASE,
)
# Stored with the message in English and translated when shown (memi.i18n.translate), in the reader's language.
SAFETY_WARNING = N_(
    "Be careful: this message asks for a payment in advance, a card number, or to continue outside memi.az. "
    "Meet in person, check the item, and never pay before you see it."
)


def off_platform(text):
    """A phone number, a link or bare domain (memi.az itself aside), an email address or a messenger."""
    text = OWN_DOMAIN.sub(" ", text or "")
    return any(p.search(text) for p in (PHONE, LINK, EMAIL, MESSENGER)) or bare_domain(text)


# Endings a Latin-script word may take: English plural and possessive, Azerbaijani plural and cases.
LATIN_ENDINGS = r"(?:s|es|['’]s|lar|lər|ları|ləri|[ıiuü]|n[ıiuü]|[dt][ae]|[dt][ae]n|[dt]ən|y[aə])?"


@functools.lru_cache(maxsize=8)
def _banned_patterns(words):
    """One pattern per banned word or phrase that finds its inflections too: "replica" finds "replicas",
    "replica's" and "replicalar"; a Cyrillic "реплика" finds "реплики", "реплику"."""
    patterns = []
    for word in words:
        parts = word.lower().split()
        if not parts:
            continue
        *head, last = parts
        if re.search(r"[а-яё]", last) and len(last) >= 4:
            stem = last[:-1] if last[-1] in "аяоеиыуюь" else last
            tail = re.escape(stem) + r"[а-яё]{0,3}"
        else:
            tail = re.escape(last) + LATIN_ENDINGS
        pattern = r"\s+".join([re.escape(p) for p in head] + [tail])
        patterns.append((word, re.compile(rf"(?<!\w){pattern}(?!\w)")))
    return tuple(patterns)


class RuleBasedModerator(Moderator):
    """Banned words (config MODERATION_BANNED_WORDS) block content; scam patterns in chat warn the
    recipient and flag the chat for the admins."""

    def _banned(self, text):
        words = tuple(current_app.config.get("MODERATION_BANNED_WORDS") or [])
        lowered = (text or "").lower()
        return next((word for word, pattern in _banned_patterns(words) if pattern.search(lowered)), None)

    def check_listing(self, seller, text):
        word = self._banned(text)
        if word:
            return Decision(
                BLOCK, reason=_l("The listing contains a word that is not allowed on memi.az (“%(word)s”).", word=word)
            )
        return Decision()

    def check_message(self, sender, text):
        word = self._banned(text)
        if word:
            return Decision(BLOCK, reason=_l("This message contains a word that is not allowed on memi.az."))
        if ADVANCE.search(text) or CARD.search(text):
            return Decision(FLAG, reason="Possible advance-payment scam", warning=SAFETY_WARNING)
        if off_platform(text):
            return Decision(ALLOW, warning=SAFETY_WARNING)
        return Decision()


def get_moderator():
    app = current_app._get_current_object()
    moderator = app.extensions.get("memi_moderator")
    if moderator is None:
        spec = app.config.get("MODERATOR") or "memi.moderation:RuleBasedModerator"
        module, _, name = spec.partition(":")
        moderator = getattr(importlib.import_module(module), name)()
        app.extensions["memi_moderator"] = moderator
    return moderator
