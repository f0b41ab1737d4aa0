"""What a notification says, rendered when it is read (in the reader's language), from its type and
payload of ids and values."""

from flask_babel import gettext as _

from memi.formats import format_price
from memi.notifications.links import notification_url


def outcome_text(action):
    """What a reporter is told (in-app and by email): whether the team acted on the report."""
    if action in (None, "DISMISS"):
        return _("Your report was reviewed: no action was needed this time. Thank you.")
    return _("Your report was reviewed and our team acted on it. Thank you.")


def cancelled_text(reason, title):
    """Why a reservation ended, when no one on either side chose it, or that it was cancelled."""
    if reason == "expired":
        return _("The hold on “%(title)s” ran out, so the reservation ended", title=title)
    if reason == "relisted":
        return _("The seller put “%(title)s” back on sale, so the reservation ended", title=title)
    if reason == "deleted":
        return _("The seller deleted “%(title)s”, so the reservation ended", title=title)
    return _("The reservation of “%(title)s” was cancelled", title=title)


def describe(notification):
    """A one-line text and a link for the bell and the notifications page."""
    p = notification.payload or {}
    title = p.get("title", "")
    texts = {
        "message.new": _("%(name)s: “%(preview)s”", name=p.get("sender_name", ""), preview=p.get("preview", "")),
        "reservation.requested": _("%(name)s asked you to hold “%(title)s”", name=p.get("buyer_name", ""), title=title),
        "reservation.accepted": _("The seller is holding “%(title)s” for you", title=title),
        "reservation.rejected": _("The seller can't hold “%(title)s” for you", title=title),
        "reservation.cancelled": cancelled_text(p.get("reason"), title),
        "reservation.completed": _("Deal done: the seller marked “%(title)s” sold to you", title=title),
        "favorite.reserved": _("“%(title)s” from your favorites is reserved", title=title),
        "favorite.sold": _("“%(title)s” from your favorites is sold", title=title),
        "favorite.deleted": _("“%(title)s” from your favorites was deleted by its seller", title=title),
        "favorite.back_on_sale": _("“%(title)s” from your favorites is back on sale", title=title),
        "favorite.price_dropped": _(
            "“%(title)s” is now %(price)s", title=title, price=format_price(p.get("new_price"))
        ),
        "listing.removed": _("Your listing “%(title)s” was removed by moderation", title=title),
        "report.resolved": outcome_text(p.get("action")),
    }
    return texts.get(notification.type, notification.type), notification_url(notification)
