"""/api/v1/users: profiles."""

from memi.api.core import Blueprint, current_api_user, jwt_required
from memi.extensions import db
from memi.notifications import schemas as notification_schemas
from memi.notifications import services as notifications
from memi.uploads.requests import read_uploads
from memi.users import schemas, services

blp = Blueprint("api_users", __name__, url_prefix="/api/v1/users", description="Profiles")


@blp.get("/me")
@jwt_required
@blp.arguments(schemas.NoQueryArgs, location="query")
@blp.response(200, schemas.PrivateUserSchema)
def me(_query):
    """The own profile."""
    return current_api_user()


@blp.patch("/me")
@jwt_required
@blp.arguments(schemas.NoQueryArgs, location="query")
@blp.arguments(schemas.ProfileUpdateSchema)
@blp.response(200, schemas.PrivateUserSchema)
def update_me(_query, data):
    """Update name, city, phone and locale (az, ru or en); other fields are ignored."""
    user = services.update_profile(current_api_user(), data)
    db.session.commit()
    return user


@blp.get("/me/settings")
@jwt_required
@blp.arguments(schemas.NoQueryArgs, location="query")
@blp.response(200, notification_schemas.SettingsSchema)
def my_settings(_query):
    """Which notifications also come by email, per kind (in-app ones always do)."""
    return {"email": notifications.email_settings(current_api_user())}


@blp.patch("/me/settings")
@jwt_required
@blp.arguments(schemas.NoQueryArgs, location="query")
@blp.arguments(notification_schemas.SettingsUpdateSchema)
@blp.response(200, notification_schemas.SettingsSchema)
def update_my_settings(_query, data):
    """Switch email per kind on or off; kinds left out keep their setting. Answers every setting."""
    settings = notifications.update_email_settings(current_api_user(), data.get("email") or {})
    db.session.commit()
    return {"email": settings}


@blp.put("/me/avatar")
@jwt_required
@blp.doc(
    requestBody={
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
            }
        }
    }
)
@blp.response(200, schemas.PrivateUserSchema)
def set_avatar():
    """Upload a profile photo (multipart field `file`); JPEG, PNG, WebP or HEIC."""

    files = read_uploads("file")
    user = services.set_avatar(current_api_user(), files[0] if files else None)
    db.session.commit()
    return user


@blp.get("/<int:user_id>")
@blp.arguments(schemas.NoQueryArgs, location="query")
@blp.response(200, schemas.PublicUserSchema)
def public_profile(_query, user_id):
    """A seller's public profile; 404 for blocked users. Never email or phone."""
    return services.get_public_user(user_id)
