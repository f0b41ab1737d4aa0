"""Reports react to other features' events, inside the unit of work (events.within). Connected by
memi.listeners.register_listeners (`register`)."""

from memi import events
from memi.reports.services import system_report


def _on_content_flagged(session, target_type, target_id, reason, details, message_id=None, **_):
    """The automated moderation flagged a listing or a chat message: a system report opens."""
    system_report(target_type, target_id, reason, details, message_id=message_id)


def register():
    events.within(events.content_flagged).connect(_on_content_flagged)
