"""/api/v1/notifications."""

from memi.api.core import Blueprint, current_api_user, jwt_required, page_schema
from memi.extensions import db
from memi.notifications import schemas, services
from memi.pagination import paginate

blp = Blueprint("api_notifications", __name__, url_prefix="/api/v1/notifications", description="Notifications")
NotificationPage = page_schema(schemas.NotificationSchema, "NotificationPage")


@blp.get("")
@jwt_required
@blp.arguments(schemas.ListArgs, location="query")
@blp.response(200, NotificationPage)
def list_notifications(args):
    """My notifications, newest first (?unread=true for unread ones only)."""
    query = services.list_query(current_api_user(), unread=args["unread"])
    items, meta = paginate(db.session, query, args["page"], args["limit"])
    return {"items": items, "meta": meta}


@blp.post("/<int:notification_id>/read")
@jwt_required
@blp.response(204)
def mark_read(notification_id):
    """Mark one notification read."""
    services.mark_read(current_api_user(), notification_id)
    db.session.commit()


@blp.post("/read-all")
@jwt_required
@blp.response(204)
def mark_all_read():
    """Mark every notification read."""
    services.mark_all_read(current_api_user())
    db.session.commit()
