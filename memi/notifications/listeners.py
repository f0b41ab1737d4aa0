"""Domain events -> notifications, inside the unit of work (events.within): a notification and its
email commit or roll back with the action that caused them; the socket push goes out after commit.
memi.listeners.register_listeners connects them (`register`)."""

import sqlalchemy as sa
from flask_babel import gettext

from memi import events
from memi.chat.models import Chat, Message
from memi.extensions import db
from memi.favorites.models import Favorite
from memi.formats import format_price, shorten
from memi.notifications.models import Notification
from memi.notifications.services import PREVIEW_CHARS, _email_message, email_wanted, notify
from memi.notifications.texts import describe, outcome_text
from memi.products.models import Product
from memi.reservations.services import holder_of
from memi.statuses import ListingStatus, ReservationStatus
from memi.users.models import User


def _product(product_id):
    return db.session.get(Product, product_id)


def _on_message(session, message_id, chat_id, sender_id, recipient_id, **_):
    message = db.session.get(Message, message_id)
    chat = db.session.get(Chat, chat_id)
    sender = db.session.get(User, sender_id)
    preview = shorten(message.body, PREVIEW_CHARS)
    payload = {
        "chat_id": chat.id,
        "message_id": message.id,
        "sender_name": sender.name,
        "preview": preview,
        "title": chat.product.title,
    }
    notify(recipient_id, "message.new", payload)
    recipient = db.session.get(User, recipient_id)
    if recipient is not None and email_wanted(recipient, "message") and not recipient.is_blocked:
        _email_message(chat, recipient, sender, message)


RESERVATION_TYPES = {
    ReservationStatus.REQUESTED: ("reservation.requested", "seller"),
    ReservationStatus.ACCEPTED: ("reservation.accepted", "buyer"),
    ReservationStatus.REJECTED: ("reservation.rejected", "buyer"),
}


def _generic_email(type_, payload):
    """The email of a notification that says what its in-app text says: a function, so that notify
    calls it in the recipient's language (memi.notifications.services.notify)."""

    def email():
        text, _link = describe(Notification(type=type_, payload=payload))
        return text, "notify_generic", {"text": text}

    return email


def _on_reservation(
    session, reservation_id, product_id, buyer_id, seller_id, old, new, actor_id, reason=None, completed=False, **_
):
    product = _product(product_id)
    buyer = db.session.get(User, buyer_id)
    payload = {
        "reservation_id": reservation_id,
        "product_id": product_id,
        "title": product.title,
        "buyer_name": buyer.name,
    }
    if completed:
        # The seller marked the held listing SOLD: the deal is done (the seller did it, so only the buyer).
        type_ = "reservation.completed"
        notify(buyer_id, type_, payload, email=_generic_email(type_, payload))
    elif new in RESERVATION_TYPES and old != new:
        type_, who = RESERVATION_TYPES[new]
        recipient = seller_id if who == "seller" else buyer_id
        notify(recipient, type_, payload, email=_generic_email(type_, payload))
    elif new == ReservationStatus.CANCELLED:
        if reason:
            payload["reason"] = reason
        recipients = {buyer_id, seller_id} - {actor_id}
        for recipient in sorted(recipients):
            notify(recipient, "reservation.cancelled", payload, email=_generic_email("reservation.cancelled", payload))


FAVORITE_TYPES = {
    (ListingStatus.ACTIVE, ListingStatus.RESERVED): "favorite.reserved",
    (ListingStatus.RESERVED, ListingStatus.SOLD): "favorite.sold",
    (ListingStatus.ACTIVE, ListingStatus.SOLD): "favorite.sold",
    (ListingStatus.RESERVED, ListingStatus.ACTIVE): "favorite.back_on_sale",
    (ListingStatus.ACTIVE, ListingStatus.DELETED): "favorite.deleted",
    (ListingStatus.RESERVED, ListingStatus.DELETED): "favorite.deleted",
}
# The buyer a reservation concerns hears of it through the reservation's own notices instead.
HOLDER_TOLD = {"favorite.reserved", "favorite.sold", "favorite.deleted"}


def _favoriters(product_id, exclude):
    return db.session.scalars(
        sa.select(Favorite.user_id).where(Favorite.product_id == product_id, Favorite.user_id.not_in(exclude))
    ).all()


def _on_status(session, product_id, old, new, actor_id=None, **_):
    type_ = FAVORITE_TYPES.get((old, new))
    if type_ is None:
        return
    product = _product(product_id)
    payload = {"product_id": product_id, "title": product.title}
    exclude = [product.seller_id]
    holder = holder_of(product_id) if type_ in HOLDER_TOLD else None
    if holder is not None:
        exclude.append(holder)
    for user_id in _favoriters(product_id, exclude=exclude):
        notify(user_id, type_, payload, email=_generic_email(type_, payload))


def _on_price_drop(session, product_id, old_price, new_price, **_):
    product = _product(product_id)
    if product.status not in (ListingStatus.ACTIVE, ListingStatus.RESERVED):
        return
    payload = {
        "product_id": product_id,
        "title": product.title,
        "old_price": old_price,
        "new_price": new_price,
    }

    def email():
        text = gettext(
            "“%(title)s” is now %(price)s (was %(old_price)s)",
            title=product.title,
            price=format_price(new_price),
            old_price=format_price(old_price),
        )
        return text, "notify_generic", {"text": text}

    for user_id in _favoriters(product_id, exclude=[product.seller_id]):
        notify(user_id, "favorite.price_dropped", payload, email=email)


def _on_product_removed(session, product_id, admin_id, reason=None, **_):
    """Moderation took the listing off the marketplace: the seller is told why."""
    product = _product(product_id)

    def email():
        if reason:
            text = gettext(
                "Your listing “%(title)s” was removed by moderation: %(reason)s", title=product.title, reason=reason
            )
        else:
            text = gettext("Your listing “%(title)s” was removed by moderation.", title=product.title)
        return gettext("Your listing was removed"), "notify_generic", {"text": text}

    notify(
        product.seller_id,
        "listing.removed",
        {"product_id": product.id, "title": product.title, "reason": reason},
        email=email,
    )


def _on_report_resolved(session, report_id, reporter_id, action, **_):
    """The reporter (none for an automated report) is told the outcome."""
    if reporter_id:
        notify(
            reporter_id,
            "report.resolved",
            {"report_id": report_id, "action": action, "acted": action != "DISMISS"},
            email=lambda: (gettext("Your report was reviewed"), "notify_generic", {"text": outcome_text(action)}),
        )


def register():
    events.within(events.message_sent).connect(_on_message)
    events.within(events.reservation_changed).connect(_on_reservation)
    events.within(events.product_status_changed).connect(_on_status)
    events.within(events.product_price_dropped).connect(_on_price_drop)
    events.within(events.product_removed).connect(_on_product_removed)
    events.within(events.report_resolved).connect(_on_report_resolved)
