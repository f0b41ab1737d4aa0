from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from memi.columns import Timestamps, UTCDateTime, enum_check
from memi.extensions import db
from memi.statuses import Role

ROLES = (Role.USER, Role.ADMIN)
# The languages memi.az speaks (memi.config LANGUAGES); the first is the default.
LOCALES = ("az", "ru", "en")


class User(UserMixin, Timestamps, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        enum_check("role", ROLES),
        enum_check("locale", LOCALES),
        sa.Index("ix_users_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    city: Mapped[str | None] = mapped_column(sa.String(80))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    avatar_key: Mapped[str | None] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(10), nullable=False, default=Role.USER, index=True)
    is_blocked: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False, index=True)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    blocked_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # Bumped whenever every session and access token of the user must end (logout, password
    # change or reset, block). Web sessions and JWTs carry the value they were issued with.
    auth_epoch: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    # Which notification kinds also go out by email: {"message": true, ...}; missing kinds use defaults.
    email_prefs: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The language the person reads memi.az in: pages while signed in, emails and pushed notifications.
    locale: Mapped[str] = mapped_column(sa.String(5), nullable=False, default="az", server_default="az")

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def is_active(self):
        return not self.is_blocked

    # The signed-in device of this request (a memi.auth.models.UserSession id), set when a web session
    # starts or loads, or from an access token's `sid`; not a column.
    session_id = None
    session_needs_touch = False

    def get_id(self):
        # Flask-Login keeps this in the session (and the remember cookie): the session row, so that
        # ending that one row signs out that one browser.
        if self.session_id is None:
            raise AttributeError("No web session has been started for this user.")
        return self.session_id

    # UserMixin compares users by get_id(); the same account is the same user on any device.
    __hash__ = object.__hash__

    def __eq__(self, other):
        if isinstance(other, User):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __repr__(self):
        return f"<User {self.id} {self.email}>"
