"""/api/v1/chats: conversations between a buyer and a seller about a listing."""

from flask import make_response

from memi.api.core import Blueprint, PaginationArgs, current_api_user, jwt_required, page_schema
from memi.chat import schemas, services
from memi.extensions import db
from memi.pagination import paginate

blp = Blueprint("api_chats", __name__, url_prefix="/api/v1/chats", description="Chats")
ChatPage = page_schema(schemas.ChatSchema, "ChatPage")


def _summarized(user, chats):
    return services.summarize(user, chats)


@blp.post("")
@jwt_required
@blp.arguments(schemas.StartChatSchema)
@blp.response(201, schemas.ChatSchema)
@blp.alt_response(200, schema=schemas.ChatSchema, description="The chat already existed; the message was added.")
def start_chat(data):
    """A buyer opens the chat about a listing with a first message (201), or adds to it (200)."""
    user = current_api_user()
    chat, _message, created = services.start_chat(user, data["product_id"], data["message"])
    db.session.commit()
    [chat] = _summarized(user, [chat])
    body = schemas.ChatSchema().dump(chat)
    return make_response(body, 201 if created else 200)


@blp.get("")
@jwt_required
@blp.arguments(PaginationArgs, location="query")
@blp.response(200, ChatPage)
def list_chats(args):
    """My chats as buyer or seller, newest activity first."""
    user = current_api_user()
    items, meta = paginate(db.session, services.inbox_query(user), args["page"], args["limit"])
    return {"items": _summarized(user, items), "meta": meta}


@blp.get("/<int:chat_id>")
@jwt_required
@blp.response(200, schemas.ChatSchema)
def get_chat(chat_id):
    """One chat: its participants and admins only (404 for everyone else)."""
    user = current_api_user()
    return _summarized(user, [services.get_chat(user, chat_id)])[0]


@blp.get("/<int:chat_id>/messages")
@jwt_required
@blp.arguments(schemas.MessagesArgs, location="query")
@blp.response(200, schemas.MessagePageSchema)
def list_messages(args, chat_id):
    """Messages, newest first, as a cursor list: page back with ?before=<meta.next_before>."""
    items, next_before = services.message_page(current_api_user(), chat_id, args.get("before"), args["limit"])
    return {"items": items, "meta": {"limit": args["limit"], "next_before": next_before}}


@blp.post("/<int:chat_id>/messages")
@jwt_required
@blp.arguments(schemas.SendSchema)
@blp.response(201, schemas.MessageSchema)
def send_message(data, chat_id):
    """Send a message (1..2000 characters); rate limited per user."""
    message = services.send_message(current_api_user(), chat_id, data["body"])
    db.session.commit()
    return message


@blp.post("/<int:chat_id>/read")
@jwt_required
@blp.response(204)
def mark_read(chat_id):
    """Everything up to now counts as read."""
    services.mark_read(current_api_user(), chat_id)
    db.session.commit()


@blp.post("/<int:chat_id>/block")
@jwt_required
@blp.response(204)
def block(chat_id):
    """Block the chat on my side: no new messages from either side while either side's block stands."""
    services.block(current_api_user(), chat_id)
    db.session.commit()


@blp.delete("/<int:chat_id>/block")
@jwt_required
@blp.response(204)
def unblock(chat_id):
    """Lift my own block (403 when only the other side's block stands); the other side's block stays."""
    services.unblock(current_api_user(), chat_id)
    db.session.commit()
