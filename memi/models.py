"""Imports every feature's models so that Alembic and create_app see the whole schema."""

from memi.admin.models import AdminActionLog
from memi.auth.models import PasswordResetToken, RefreshToken, UserSession
from memi.categories.models import Category, Subcategory
from memi.chat.models import Chat, Message
from memi.favorites.models import Favorite
from memi.jobs.models import JobFailure, JobStatus
from memi.mail.models import OutgoingEmail
from memi.notifications.models import Notification
from memi.products.models import Product, ProductImage, ProductView, SearchLog
from memi.reports.models import Report
from memi.reservations.models import Reservation
from memi.users.models import User

__all__ = [
    "AdminActionLog",
    "Category",
    "Chat",
    "Favorite",
    "JobFailure",
    "JobStatus",
    "Message",
    "Notification",
    "OutgoingEmail",
    "PasswordResetToken",
    "Product",
    "ProductImage",
    "ProductView",
    "RefreshToken",
    "Report",
    "Reservation",
    "SearchLog",
    "Subcategory",
    "User",
    "UserSession",
]
