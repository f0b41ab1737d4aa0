"""/api/v1/admin: moderation for role ADMIN (everyone else 403)."""

import functools

from memi.admin import schemas, services
from memi.admin.analytics import analytics as figures
from memi.api.core import Blueprint, NoQueryArgs, current_api_user, jwt_required, page_schema
from memi.audit import require_admin
from memi.extensions import db
from memi.pagination import paginate
from memi.products import schemas as product_schemas
from memi.reports import schemas as report_schemas
from memi.reports import services as reports

blp = Blueprint("api_admin", __name__, url_prefix="/api/v1/admin", description="Admin")
UserPage = page_schema(schemas.AdminUserSchema, "AdminUserPage")
ReportPage = page_schema(report_schemas.ReportSchema, "ReportPage")
ActionPage = page_schema(schemas.ActionSchema, "ActionPage")


def admin_only(fn):
    """Placed above @blp.arguments, so that a non-admin gets 403 before the body or query is validated
    (not a 400 that tells them what the endpoint expects). Every mutation checks again in its service."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        require_admin(current_api_user())
        return fn(*args, **kwargs)

    return wrapper


@blp.get("/users")
@jwt_required
@admin_only
@blp.arguments(schemas.UserListArgs, location="query")
@blp.response(200, UserPage)
def list_users(args):
    """Users by email or name (?q=), optionally only blocked or unblocked ones."""
    items, meta = paginate(
        db.session, services.users_query(args.get("q"), args.get("blocked")), args["page"], args["limit"]
    )
    return {"items": items, "meta": meta}


@blp.post("/users/<int:user_id>/block")
@jwt_required
@admin_only
@blp.arguments(schemas.ReasonSchema)
@blp.response(200, schemas.AdminUserSchema)
def block_user(data, user_id):
    """Block a user: sessions, tokens and sockets end; listings leave the marketplace."""
    user = services.block_user(current_api_user(), user_id, data.get("reason"))
    db.session.commit()
    return user


@blp.post("/users/<int:user_id>/unblock")
@jwt_required
@admin_only
@blp.arguments(schemas.ReasonSchema)
@blp.response(200, schemas.AdminUserSchema)
def unblock_user(data, user_id):
    """Unblock a user; their listings on sale come back."""
    user = services.unblock_user(current_api_user(), user_id, data.get("reason"))
    db.session.commit()
    return user


@blp.post("/users/<int:user_id>/role")
@jwt_required
@admin_only
@blp.arguments(schemas.RoleSchema)
@blp.response(200, schemas.AdminUserSchema)
def set_role(data, user_id):
    """Make a user an admin (ADMIN) or a normal user again (USER). Admins may demote themselves,
    but the last active admin cannot be demoted (409)."""
    user = services.set_role(current_api_user(), user_id, data["role"], data.get("reason"))
    db.session.commit()
    return user


@blp.delete("/products/<int:product_id>")
@jwt_required
@admin_only
@blp.arguments(schemas.ReasonSchema)
@blp.response(204)
def remove_product(data, product_id):
    """Remove a listing from the marketplace (soft); the seller is notified."""
    services.remove_product(current_api_user(), product_id, data.get("reason"))
    db.session.commit()


@blp.post("/products/<int:product_id>/restore")
@jwt_required
@admin_only
@blp.arguments(schemas.ReasonSchema)
@blp.response(200, product_schemas.ProductSchema)
def restore_product(data, product_id):
    """Put a listing that moderation removed back on the marketplace; 409 if it was not removed."""
    product = services.restore_product(current_api_user(), product_id, data.get("reason"))
    db.session.commit()
    return product


@blp.get("/reports")
@jwt_required
@admin_only
@blp.arguments(report_schemas.ReportListArgs, location="query")
@blp.response(200, ReportPage)
def list_reports(args):
    """The report queue, oldest first."""
    query = reports.reports_query(args.get("status"), args.get("target_type"), args.get("reason"))
    items, meta = paginate(db.session, query, args["page"], args["limit"])
    return {"items": items, "meta": meta}


@blp.post("/reports/<int:report_id>/resolve")
@jwt_required
@admin_only
@blp.arguments(report_schemas.ResolveSchema)
@blp.response(200, report_schemas.ReportSchema)
def resolve_report(data, report_id):
    """DISMISS, REMOVE_PRODUCT or BLOCK_USER, with a note; the reporter is notified."""
    report = reports.resolve_report(current_api_user(), report_id, data["action"], data.get("note"))
    db.session.commit()
    return report


@blp.get("/analytics")
@jwt_required
@admin_only
@blp.arguments(NoQueryArgs, location="query")
@blp.response(200, schemas.AnalyticsSchema)
def analytics(_query):
    """Counts: users, new users per day (30 d), listings by status, new listings per day, chats and
    new chats per day, messages and messages per day, reservations by state, open reports, median
    time to resolve, the sales funnel."""

    return figures()


@blp.get("/actions")
@jwt_required
@admin_only
@blp.arguments(schemas.ActionListArgs, location="query")
@blp.response(200, ActionPage)
def list_actions(args):
    """The admin action log, newest first."""
    query = services.actions_query(
        args.get("admin_id"), args.get("action"), args.get("target_type"), args.get("target_id")
    )
    items, meta = paginate(db.session, query, args["page"], args["limit"])
    return {"items": items, "meta": meta}
