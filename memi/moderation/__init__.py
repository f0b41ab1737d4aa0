"""The seam for automated moderation: one interface the listing and chat services call when content is
created or edited. A moderator answers allow, flag (a SYSTEM report goes to the admins' queue) or block
(the content is refused with a clear message); for chat it may also attach a safety warning that the
recipient sees. The shipped implementation is rule based; an AI moderator or fraud model can replace it
by implementing the same two methods (config MODERATOR = "module:Class").
"""

import importlib
import re
from dataclasses import dataclass

from flask import current_app

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
PHONE = re.compile(r"(?:\+?994|\b0)[\s-]?\(?\d{2}\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}\b")
LINK = re.compile(r"(?:https?://|www\.|\b(?:t\.me|wa\.me|instagram\.com|bit\.ly)/)", re.IGNORECASE)
ADVANCE = re.compile(
    r"(advance payment|pay (?:in advance|first|upfront)|prepay|deposit first|send (?:the )?money first|"
    r"öncədən ödə|əvvəlcədən ödə|beh |предоплат|аванс|переведите деньги)",
    re.IGNORECASE,
)
SAFETY_WARNING = (
    "Be careful: this message asks for a payment in advance, a card number, or to continue outside memi.az. "
    "Meet in person, check the item, and never pay before you see it."
)


class RuleBasedModerator(Moderator):
    """Banned words (config MODERATION_BANNED_WORDS) block content; scam patterns in chat warn the
    recipient and flag the chat for the admins."""

    def _banned(self, text):
        words = current_app.config.get("MODERATION_BANNED_WORDS") or []
        lowered = (text or "").lower()
        return next((w for w in words if w and re.search(rf"\b{re.escape(w.lower())}\b", lowered)), None)

    def check_listing(self, seller, text):
        word = self._banned(text)
        if word:
            return Decision(BLOCK, reason=f"The listing contains a word that is not allowed on memi.az (“{word}”).")
        return Decision()

    def check_message(self, sender, text):
        word = self._banned(text)
        if word:
            return Decision(BLOCK, reason="This message contains a word that is not allowed on memi.az.")
        if ADVANCE.search(text) or CARD.search(text):
            return Decision(FLAG, reason="Possible advance-payment scam", warning=SAFETY_WARNING)
        if PHONE.search(text) or LINK.search(text):
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
