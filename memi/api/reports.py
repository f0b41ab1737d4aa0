"""/api/v1/reports."""

from memi.api.core import Blueprint, current_api_user, jwt_required
from memi.extensions import db
from memi.reports import schemas, services

blp = Blueprint("api_reports", __name__, url_prefix="/api/v1/reports", description="Reports")


@blp.post("")
@jwt_required
@blp.arguments(schemas.ReportInputSchema)
@blp.response(201, schemas.ReportSchema)
def create_report(data):
    """Report a listing, a user or a chat (chats only by their participants); one open report per target."""
    report = services.create_report(
        current_api_user(), data["target_type"], data["target_id"], data["reason"], data.get("details")
    )
    db.session.commit()
    return report
