"""Notifications: in-app rows, email through the outbox per the user's settings, and a live push.

The listeners below hear domain events inside the unit of work (events.within), so a notification
and its email commit or roll back with the action that caused them; the socket push goes out after
commit.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from memi import events
from memi.chat.models import Message
from memi.columns import utcnow
from memi.errors import Invalid, NotFound
from memi.extensions import db
from memi.formats import shorten
from memi.locale import for_user, user_locale
from memi.mail.models import OutgoingEmail
from memi.mail.services import clean_subject, queue_email, render_email
from memi.notifications.links import notification_url, path_for
from memi.notifications.models import Notification
from memi.notifications.schemas import NotificationSchema
from memi.notifications.texts import describe
from memi.users.models import User

# Kinds a user can switch email on or off for, with their defaults.
EMAIL_KINDS = {
    "message": True,
    "reservation": True,
    "favorite": False,
    "moderation": True,
    "report": True,
    "saved_search": True,
}
TYPE_KIND = {
    "message.new": "message",
    "reservation.requested": "reservation",
    "reservation.accepted": "reservation",
    "reservation.rejected": "reservation",
    "reservation.cancelled": "reservation",
    "reservation.completed": "reservation",
    "favorite.reserved": "favorite",
    "favorite.sold": "favorite",
    "favorite.back_on_sale": "favorite",
    "favorite.deleted": "favorite",
    "favorite.price_dropped": "favorite",
    "listing.removed": "moderation",
    "report.resolved": "report",
}
MESSAGE_EMAIL_EVERY = timedelta(minutes=10)
PREVIEW_CHARS = 80  # a new message's preview in a notification and its email
_schema = NotificationSchema()


def email_wanted(user, kind):
    prefs = user.email_prefs or {}
    return bool(prefs.get(kind, EMAIL_KINDS.get(kind, False)))


def email_settings(user):
    """Every kind of email with whether it goes out to `user`: {"message": True, ...}."""
    return {kind: email_wanted(user, kind) for kind in EMAIL_KINDS}


def update_email_settings(user, changes):
    """Switch the kinds in `changes` ({kind: bool}) on or off; the others keep their setting. The one
    way email settings change, for the settings page and PATCH /users/me/settings alike."""
    unknown = sorted(set(changes) - set(EMAIL_KINDS))
    if unknown:
        raise Invalid(fields={kind: [_l("Unknown kind of email.")] for kind in unknown})
    prefs = email_settings(user)
    prefs.update({kind: bool(on) for kind, on in changes.items()})
    user.email_prefs = prefs
    db.session.flush()
    return email_settings(user)


def set_email_prefs(user, wanted, kinds=None):
    """Switch email on for the kinds in `wanted` and off for the other `kinds` (default: all)."""
    update_email_settings(user, {kind: kind in wanted for kind in (kinds or EMAIL_KINDS)})
    return user


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="memi-unsubscribe")


def unsubscribe_token(user_id, kind):
    return _serializer().dumps([user_id, kind])


def read_unsubscribe_token(token):
    """(user, kind) named by a signed unsubscribe link, changing nothing; NotFound for a bad link."""
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise NotFound(_l("This unsubscribe link is not valid."))
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or kind not in EMAIL_KINDS:
        raise NotFound(_l("This unsubscribe link is not valid."))
    return user, kind


def unsubscribe(token):
    """One-click unsubscribe from a signed link. Returns (user, kind); NotFound for a bad link."""
    user, kind = read_unsubscribe_token(token)
    prefs = dict(user.email_prefs or {})
    prefs[kind] = False
    user.email_prefs = prefs
    db.session.flush()
    return user, kind


def notify(user_id, type_, payload, email=None):
    """Create an in-app notification; queue an email when `email` is a (subject, template, context)
    triple, or a function answering one, and the user wants this kind by email (its context gets
    `link`, where the notification leads). A function is called in the recipient's saved language, so
    the texts it makes with gettext read in that language. The live push goes out after commit."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    notification = Notification(user_id=user.id, type=type_, payload=payload)
    db.session.add(notification)
    db.session.flush()
    kind = TYPE_KIND.get(type_, "other")
    # Everything the recipient reads from here (the email, its subject, the pushed frame) is in their
    # saved language, not in the language of the request that caused it.
    with for_user(user):
        if email and email_wanted(user, kind) and not user.is_blocked:
            subject, template, context = email() if callable(email) else email
            context = dict(context, link=notification_url(notification))
            product_id = (payload or {}).get("product_id")
            coalesce_key = f"{type_}:product:{product_id}" if product_id is not None else None
            _queue_notification_email(user, type_, kind, subject, template, context, coalesce_key=coalesce_key)
        text, url = describe(notification)
        # The API's representation (the contract's socket frame), plus what the bell shows beside it.
        frame = {
            "notification": _schema.dump(notification),
            "text": text,
            "url": url,
            "unread_count": unread_count(user),
        }
    events.emit(db.session, events.notification_created, notification_id=notification.id, user_id=user.id, frame=frame)
    return notification


def _queue_notification_email(user, type_, kind, subject, template, context, coalesce_key=None):
    """Queue a notification email with its link back to the settings and its signed one-click
    unsubscribe link (in the text, and as the List-Unsubscribe header).

    With a `coalesce_key` (one kind, one listing, one person) a burst becomes one email: an email with
    the same key that is still waiting is rewritten with the latest news instead of a second being
    queued, and one that went out less than MAIL_COALESCE_SECONDS ago makes the new one wait until that
    window ends (where the next ones of the burst join it). So twenty request/cancel cycles in a second
    send the seller one "asked you to hold" and one "cancelled", not forty emails.
    """

    base = current_app.config["BASE_URL"]
    unsubscribe_url = base + path_for("notifications.unsubscribe", token=unsubscribe_token(user.id, kind))
    context = dict(
        context, user=user, unsubscribe_url=unsubscribe_url, settings_url=base + path_for("notifications.settings")
    )
    due = None
    if coalesce_key is not None:
        waiting, due = _coalesce(user.id, coalesce_key)
        if waiting is not None:
            with for_user(user):
                text, html = render_email(template, context)
                waiting.subject = clean_subject(subject)
            waiting.body_text, waiting.body_html = text, html
            db.session.flush()
            return waiting
    row = queue_email(
        to=user.email,
        kind=type_,
        template=template,
        subject=subject,
        user_id=user.id,
        context=context,
        unsubscribe_url=unsubscribe_url,
        coalesce_key=coalesce_key,
        locale=user_locale(user),
    )
    if due is not None:
        row.next_attempt_at = due
    return row


def _coalesce(user_id, coalesce_key):
    """(an email with this key that can still be rewritten, or None; when a new one may go out, or None
    for now). The latest email with the key is locked (PostgreSQL) so the worker cannot claim it while
    it is rewritten; one the worker already tried is never rewritten (a copy may be out already)."""
    query = (
        sa.select(OutgoingEmail)
        .where(OutgoingEmail.user_id == user_id, OutgoingEmail.coalesce_key == coalesce_key)
        .order_by(OutgoingEmail.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update()
    last = db.session.scalar(query)
    if last is None:
        return None, None
    if last.status == "PENDING" and last.attempts == 0:
        return last, None
    window = timedelta(seconds=current_app.config.get("MAIL_COALESCE_SECONDS", 600))
    due = (last.sent_at or last.sending_started_at or last.created_at) + window
    return None, (due if due > utcnow() else None)


def list_query(user, unread=False):
    query = sa.select(Notification).where(Notification.user_id == user.id)
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def unread_count(user):
    return db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def mark_read(user, notification_id):
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound(_l("This notification does not exist."))
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(user):
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def mark_chat_notifications_read(user, chat_id):
    """The user's new-message notifications about one chat count as read (they read the chat)."""
    db.session.execute(
        sa.update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.type == "message.new",
            Notification.read_at.is_(None),
            Notification.payload["chat_id"].as_integer() == chat_id,
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )


MESSAGE_DIGEST_SHOWN = 5


def _email_message(chat, recipient, sender, message):
    """New-message emails, batched per chat and recipient: at most one email every
    MESSAGE_EMAIL_EVERY. The first message of a quiet chat is emailed at once and opens a window;
    messages inside the window go into one digest email due when the window ends, which is rewritten
    as more arrive (so nothing is lost and nothing is sent twice). A digest whose time has come is
    left to the worker and the next message opens the next window.
    """
    side = "buyer" if recipient.id == chat.buyer_id else "seller"
    # Two messages at once must not both open a window. The message's own update of the chat row
    # (last_message_at) already holds that row's lock until commit, so a fresh read now sees what a
    # concurrent message committed. (A second FOR UPDATE of the row here deadlocks with the waiters.)
    fields = [f"{side}_emailed_at", f"{side}_digest_email_id", f"{side}_digest_from_id"]
    db.session.refresh(chat, attribute_names=fields)
    now = utcnow()
    window_start = getattr(chat, f"{side}_emailed_at")
    digest_id = getattr(chat, f"{side}_digest_email_id")
    pending = None
    if digest_id is not None:
        query = sa.select(OutgoingEmail).where(OutgoingEmail.id == digest_id)
        if db.engine.dialect.name == "postgresql":
            query = query.with_for_update()
        pending = db.session.scalar(query)
        # The worker only takes rows that are due: one not yet due can still be rewritten.
        if pending is not None and not (pending.status == "PENDING" and pending.next_attempt_at > now):
            pending = None
    if pending is not None:
        from_id, due = getattr(chat, f"{side}_digest_from_id"), pending.next_attempt_at
        db.session.delete(pending)
        db.session.flush()
    elif window_start is None or now - window_start >= MESSAGE_EMAIL_EVERY:
        row = _queue_notification_email(
            recipient,
            "message.new",
            "message",
            _l("New message about “%(title)s”", title=chat.product.title),
            "notify_message",
            {
                "sender": sender,
                "chat": chat,
                "preview": shorten(message.body, PREVIEW_CHARS),
                "link": path_for("chat.show", chat_id=chat.id),
            },
        )
        setattr(chat, f"{side}_emailed_at", now)
        setattr(chat, f"{side}_digest_email_id", None)
        setattr(chat, f"{side}_digest_from_id", None)
        return row
    else:
        from_id, due = message.id, window_start + MESSAGE_EMAIL_EVERY
        setattr(chat, f"{side}_emailed_at", due)  # the digest takes the next window

    batch = db.session.scalars(
        sa.select(Message)
        .where(Message.chat_id == chat.id, Message.id >= from_id, Message.sender_id != recipient.id)
        .order_by(Message.id)
    ).all()
    count = len(batch)
    subject = (
        _l("New message about “%(title)s”", title=chat.product.title)
        if count == 1
        else lazy_ngettext(
            "%(num)d new message about “%(title)s”",
            "%(num)d new messages about “%(title)s”",
            count,
            title=chat.product.title,
        )
    )
    row = _queue_notification_email(
        recipient,
        "message.digest",
        "message",
        subject,
        "notify_message_digest",
        {
            "sender": sender,
            "chat": chat,
            "count": count,
            "shown": [shorten(m.body, 160) for m in batch[-MESSAGE_DIGEST_SHOWN:]],
            "link": path_for("chat.show", chat_id=chat.id),
        },
    )
    row.next_attempt_at = due
    db.session.flush()
    setattr(chat, f"{side}_digest_email_id", row.id)
    setattr(chat, f"{side}_digest_from_id", from_id)
    return row
