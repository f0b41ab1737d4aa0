"""The frames the WebSocket carries, built from the schemas the API serialises with (no I/O here, so
the chat service and the socket both use them)."""

from memi.chat.schemas import MessageSchema

_message_schema = MessageSchema()


def message_frame(message):
    """A message as the API writes it: {id, chat_id, sender_id, body, created_at, warning}."""
    return _message_schema.dump(message)


def error_frame(code, message):
    return {"type": "error", "error": {"code": code, "message": str(message)}}
