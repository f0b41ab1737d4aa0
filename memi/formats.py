"""One helper each for prices, dates and numbers, so every page formats them the same way."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from flask_babel import format_date, format_datetime, format_decimal, format_time, format_timedelta
from flask_babel import gettext as _


def format_price(value):
    """45 ₼, or 45.50 ₼ when there are cents."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        number = format_decimal(value, format="#,##0")
    else:
        number = format_decimal(value, format="#,##0.00")
    return _("%(amount)s ₼", amount=number)


def format_day(value):
    return format_date(value, format="medium") if value else ""


def format_moment(value):
    return format_datetime(value, format="medium") if value else ""


def format_member_since(value):
    return format_date(value, format="MMMM yyyy") if value else ""


def format_clock(value):
    """Hour and minute in the site's time zone, from a datetime or an ISO string."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return format_time(value, format="HH:mm")


def format_until(value, now=None):
    """When something ends, for a reader: weekday and clock ("Tue 18:00") in the site's time zone and
    the reader's language; with the date as well ("Dec 9, 2026, 18:00") when it is a week or more away,
    where a weekday alone would be ambiguous."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # stored as naive UTC on SQLite
    now = now or datetime.now(UTC)
    if value - now >= timedelta(days=6):
        return format_day(value) + ", " + format_clock(value)
    return format_datetime(value, format="EEE HH:mm")


def format_number(value):
    return format_decimal(value or 0, format="#,##0")


def format_duration(seconds):
    """A length of time in words ("2 seconds", "1 hour"), in the reader's language."""
    return format_timedelta(timedelta(seconds=seconds), threshold=1) if seconds else ""


FILTERS = {
    "duration": format_duration,
    "price": format_price,
    "day": format_day,
    "moment": format_moment,
    "member_since": format_member_since,
    "number": format_number,
    "clock": format_clock,
    "until": format_until,
}
