"""Figures for the back office. Each is one SQL aggregate (per-day series are one GROUP BY), so the
dashboard stays fast as the catalogue grows."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from memi.chat.models import Chat, Message
from memi.extensions import db
from memi.products.models import STATUSES, Product
from memi.reports.models import Report
from memi.reservations.models import STATES, Reservation
from memi.statuses import ListingStatus, ReportStatus
from memi.users.models import User


def _day(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.date_trunc("day", sa.func.timezone("UTC", column))
    return sa.func.strftime("%Y-%m-%d", column)


def _iso(day):
    return day if isinstance(day, str) else day.date().isoformat()


def _per_day(model, days, today):
    start = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), tzinfo=UTC)
    day = _day(model.created_at)
    rows = {
        _iso(d): n
        for d, n in db.session.execute(
            sa.select(day, sa.func.count()).where(model.created_at >= start).group_by(day)
        ).all()
    }
    series = []
    for offset in range(days):
        d = (today - timedelta(days=days - 1 - offset)).isoformat()
        series.append({"day": d, "count": int(rows.get(d, 0))})
    return series


def _by(column, values):
    counts = dict(db.session.execute(sa.select(column, sa.func.count()).group_by(column)).all())
    return {v: int(counts.get(v, 0)) for v in values}


def _median_hours_to_resolve():
    closed = sa.and_(
        Report.status.in_((ReportStatus.RESOLVED, ReportStatus.DISMISSED)), Report.resolved_at.is_not(None)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        seconds = sa.extract("epoch", Report.resolved_at - Report.created_at)
        value = db.session.scalar(sa.select(sa.func.percentile_cont(0.5).within_group(seconds)).where(closed))
        return round(float(value) / 3600, 2) if value is not None else None
    seconds = (sa.func.julianday(Report.resolved_at) - sa.func.julianday(Report.created_at)) * 86400
    count = db.session.scalar(sa.select(sa.func.count()).where(closed))
    if not count:
        return None
    middle = db.session.scalars(
        sa.select(seconds).where(closed).order_by(seconds).limit(2 - count % 2).offset((count - 1) // 2)
    ).all()
    return round(sum(middle) / len(middle) / 3600, 2)


def analytics(days=30, today=None):
    """Users, listings, chats, reservations and reports, with 30-day series (new users, listings, chats
    and messages per day; the 30-day chat and message totals are the sums of their series, so the same
    single GROUP BY) and the sales funnel.

    The funnel counts listings ever put on sale (every listing, DELETED ones included: they were listed),
    those that got at least one chat, at least one reservation request, and those sold."""
    today = today or datetime.now(UTC).date()
    by_status = _by(Product.status, STATUSES)
    # Distinct listings in the (much smaller) chat and reservation tables, not an EXISTS per listing.
    with_chat = db.session.scalar(sa.select(sa.func.count(sa.distinct(Chat.product_id))))
    with_reservation = db.session.scalar(sa.select(sa.func.count(sa.distinct(Reservation.product_id))))
    chats_per_day = _per_day(Chat, days, today)
    messages_per_day = _per_day(Message, days, today)
    return {
        "users": db.session.scalar(sa.select(sa.func.count(User.id))),
        "new_users_per_day": _per_day(User, days, today),
        "listings_by_status": by_status,
        "new_listings_per_day": _per_day(Product, days, today),
        "chats": db.session.scalar(sa.select(sa.func.count(Chat.id))),
        "new_chats_per_day": chats_per_day,
        "new_chats_30d": sum(p["count"] for p in chats_per_day),
        "messages": db.session.scalar(sa.select(sa.func.count(Message.id))),
        "new_messages_per_day": messages_per_day,
        "new_messages_30d": sum(p["count"] for p in messages_per_day),
        "reservations_by_state": _by(Reservation.status, STATES),
        "open_reports": db.session.scalar(
            sa.select(sa.func.count(Report.id)).where(Report.status == ReportStatus.OPEN)
        ),
        "median_hours_to_resolve": _median_hours_to_resolve(),
        "funnel": {
            "listed": sum(by_status.values()),
            "with_chat": with_chat,
            "with_reservation": with_reservation,
            "sold": by_status[ListingStatus.SOLD],
        },
    }
