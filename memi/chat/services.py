"""Chats: one per (product, buyer); the buyer writes first; messages are immutable; either side can
block. The same rules serve the pages, the API and the WebSocket."""

import re

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from memi import events
from memi.chat.frames import message_frame
from memi.chat.models import Chat, Message
from memi.columns import utcnow
from memi.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from memi.extensions import db
from memi.moderation import BLOCK, FLAG, get_moderator
from memi.notifications.services import mark_chat_notifications_read
from memi.products.models import Product
from memi.products.services import get_visible_product
from memi.ratelimit import allow
from memi.statuses import ListingStatus
from memi.users.models import User

MAX_BODY = 2000
# C0 control characters other than tab and line feed (NUL cannot even be stored by PostgreSQL), and
# lone UTF-16 surrogates (a JSON "\ud800" that no database can encode).
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")


def clean_body(body):
    """The trimmed message text, line breaks as "\n". Raises Invalid when it is empty, longer than
    MAX_BODY, or holds control characters (other than tab and line feed)."""
    text = body.strip() if isinstance(body, str) else ""
    # Browsers send a textarea's line breaks as CRLF: normalise them rather than refuse them.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        raise Invalid(fields={"body": [_l("Write a message.")]})
    if len(text) > MAX_BODY:
        raise Invalid(fields={"body": [_l("Use at most %(num)d characters.", num=MAX_BODY)]})
    if _FORBIDDEN_CHARS.search(text):
        raise Invalid(
            _l("A message cannot contain control characters."),
            fields={"body": [_l("Remove the control characters (such as NUL) from the message.")]},
        )
    return text


def _check_sender(user):
    if user.is_blocked:
        raise Forbidden(_l("This account is blocked."))
    # One budget per user for the pages, the API and the socket.
    if not allow(current_app.config["CHAT_MESSAGE_RATE"], "chat-message", str(user.id)):
        raise RateLimited(_l("You are sending messages too fast; wait a moment."))


def start_chat(buyer, product_id, body):
    """Open the buyer's chat about a listing with a first message, or add to it when it exists.

    Returns (chat, message, created). Raises NotFound (listing not visible), Forbidden (own listing,
    blocked account or chat), Conflict (SOLD or DELETED listing), Invalid (body).
    """
    _check_sender(buyer)
    text = clean_body(body)
    product = _chat_product(buyer, product_id)
    if product.seller_id == buyer.id:
        raise Forbidden(_l("You cannot start a chat about your own listing."))
    chat = find_chat(product.id, buyer.id)
    created = False
    if chat is None:
        if product.status not in (ListingStatus.ACTIVE, ListingStatus.RESERVED):
            raise Conflict(_l("This listing is no longer for sale."))
        try:
            # Twelve first messages at once open one chat: the unique (product, buyer) constraint decides.
            with db.session.begin_nested():
                chat = Chat(product_id=product.id, buyer_id=buyer.id, seller_id=product.seller_id)
                db.session.add(chat)
            created = True
        except IntegrityError:
            chat = find_chat(product.id, buyer.id)
    message = _append(chat, buyer, text)
    return chat, message, created


def _chat_product(buyer, product_id):
    """The listing a buyer writes about. A listing its seller deleted is a Conflict ("no longer for
    sale") rather than NotFound: the buyer knew it. One removed by moderation or whose seller is
    blocked stays NotFound, as its page is."""
    try:
        return get_visible_product(buyer, product_id)
    except NotFound:
        product = db.session.get(Product, product_id)
        if product is not None and product.status == ListingStatus.DELETED and product.removed_at is None:
            if not product.seller.is_blocked:
                raise Conflict(_l("This listing was deleted by its seller; it is no longer for sale.")) from None
        raise


def find_chat(product_id, buyer_id):
    """The buyer's chat about a listing, or None."""
    return db.session.scalar(sa.select(Chat).where(Chat.product_id == product_id, Chat.buyer_id == buyer_id))


def get_chat(user, chat_id):
    """A chat its participants (and admins) may read; NotFound for everyone else."""
    chat = db.session.get(Chat, chat_id)
    if chat is None or not (user.id in (chat.buyer_id, chat.seller_id) or user.is_admin):
        raise NotFound(_l("This chat does not exist."))
    return chat


def _participant_chat(user, chat_id):
    chat = db.session.get(Chat, chat_id)
    if chat is None or user.id not in (chat.buyer_id, chat.seller_id):
        raise NotFound(_l("This chat does not exist."))
    return chat


def other_party(chat, user_id):
    return chat.seller_id if user_id == chat.buyer_id else chat.buyer_id


def send_message(sender, chat_id, body):
    """Add a message to a chat (participants only). Raises NotFound, Forbidden (blocked chat or
    account, or the other side is blocked), Invalid (body)."""
    _check_sender(sender)
    text = clean_body(body)
    chat = _participant_chat(sender, chat_id)
    return _append(chat, sender, text)


def _append(chat, sender, text):
    if chat.blocked:
        raise Forbidden(_l("This chat is blocked."))
    other = db.session.get(User, other_party(chat, sender.id))
    if other is None or other.is_blocked:
        raise Forbidden(_l("This user is blocked; the chat takes no new messages."))

    decision = get_moderator().check_message(sender, text)
    if decision.action == BLOCK:
        raise Invalid(decision.reason, fields={"body": [decision.reason]})
    message = Message(chat_id=chat.id, sender_id=sender.id, body=text, warning=decision.warning)
    db.session.add(message)
    db.session.flush()
    if decision.action == FLAG:
        events.emit(
            db.session,
            events.content_flagged,
            target_type="chat",
            target_id=chat.id,
            reason="FRAUD",
            details=f"{decision.reason}: message {message.id}",
            message_id=message.id,
        )
    chat.last_message_at = message.created_at
    if sender.id == chat.buyer_id:
        chat.buyer_last_read_id = message.id
    else:
        chat.seller_last_read_id = message.id
    db.session.flush()
    events.emit(
        db.session,
        events.message_sent,
        message_id=message.id,
        chat_id=chat.id,
        sender_id=sender.id,
        recipient_id=other.id,
        frame=message_frame(message),
    )
    return message


def message_page(user, chat_id, before=None, limit=50):
    """One page of a chat's messages, newest first, older than message id `before` when given.
    Returns (messages, next_before): the cursor for the page after this one, None on the last page."""
    chat = get_chat(user, chat_id)
    query = sa.select(Message).where(Message.chat_id == chat.id)
    if before:
        query = query.where(Message.id < before)
    items = db.session.scalars(query.order_by(Message.id.desc()).limit(limit + 1)).all()
    if len(items) > limit:
        items = items[:limit]
        return items, items[-1].id
    return items, None


def messages(user, chat_id, before=None, limit=50):
    """Messages of a chat, newest first, older than message id `before` when given."""
    return message_page(user, chat_id, before, limit)[0]


def mark_read(user, chat_id):
    """Everything in the chat up to now counts as read by `user`, and so do the new-message
    notifications about it (the bell does not ask them to read what they have read)."""

    chat = _participant_chat(user, chat_id)
    last = db.session.scalar(sa.select(sa.func.max(Message.id)).where(Message.chat_id == chat.id)) or 0
    if user.id == chat.buyer_id:
        chat.buyer_last_read_id = max(chat.buyer_last_read_id, last)
    else:
        chat.seller_last_read_id = max(chat.seller_last_read_id, last)
    mark_chat_notifications_read(user, chat.id)
    db.session.flush()
    return chat


def _block_field(chat, user):
    return "buyer_blocked_at" if user.id == chat.buyer_id else "seller_blocked_at"


def block(user, chat_id):
    """Block the chat on `user`'s side: no new messages from either side while either side's block
    stands. Blocking twice is a no-op."""
    chat = _participant_chat(user, chat_id)
    field = _block_field(chat, user)
    if getattr(chat, field) is None:
        setattr(chat, field, utcnow())
        db.session.flush()
    return chat


def unblock(user, chat_id):
    """Lift `user`'s own block. The other side's block, if any, stands: nobody can lift it but them.
    Raises Forbidden when `user` has no block of their own to lift and the other side's block stands;
    a no-op when the chat is not blocked at all."""
    chat = _participant_chat(user, chat_id)
    field = _block_field(chat, user)
    if getattr(chat, field) is None:
        if chat.blocked:
            raise Forbidden(_l("Only the person who blocked this chat can unblock it."))
        return chat
    setattr(chat, field, None)
    db.session.flush()
    return chat


def unread_counts(user, chat_ids):
    """{chat_id: messages from the other side the user has not read}."""
    if not chat_ids:
        return {}
    rows = db.session.execute(
        sa.select(Message.chat_id, sa.func.count(Message.id))
        .join(Chat, Chat.id == Message.chat_id)
        .where(
            Message.chat_id.in_(chat_ids),
            Message.sender_id != user.id,
            Message.id > sa.case((Chat.buyer_id == user.id, Chat.buyer_last_read_id), else_=Chat.seller_last_read_id),
        )
        .group_by(Message.chat_id)
    ).all()
    return dict(rows)


def total_unread(user):
    chat_ids = db.session.scalars(
        sa.select(Chat.id).where(sa.or_(Chat.buyer_id == user.id, Chat.seller_id == user.id))
    ).all()
    return sum(unread_counts(user, chat_ids).values())


def inbox_query(user):
    """The user's chats as buyer or seller, newest activity first."""
    return (
        sa.select(Chat)
        .where(sa.or_(Chat.buyer_id == user.id, Chat.seller_id == user.id))
        .order_by(Chat.last_message_at.desc(), Chat.id.desc())
    )


def summarize(user, chats):
    """Attach last_message, unread_count and the other person to each chat (for the inbox and the API)."""
    chats = list(chats)
    if not chats:
        return chats
    ids = [c.id for c in chats]
    unread = unread_counts(user, ids)
    latest = sa.select(sa.func.max(Message.id)).where(Message.chat_id.in_(ids)).group_by(Message.chat_id)
    last = {m.chat_id: m for m in db.session.scalars(sa.select(Message).where(Message.id.in_(latest)))}
    for chat in chats:
        chat.last_message = last.get(chat.id)
        chat.unread_count = unread.get(chat.id, 0)
        chat.blocked_by_me = chat.blocked_by(user.id)
        chat.blocked_by_other = chat.blocked_by(other_party(chat, user.id)) if chat.blocked else False
        chat.other = chat.seller if user.id == chat.buyer_id else chat.buyer
        # An admin block of either person ends the conversation too (send_message refuses it).
        chat.other_user_blocked = chat.other.is_blocked
        chat.closed = chat.blocked or chat.other_user_blocked or user.is_blocked
    return chats
