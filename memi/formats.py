"""One helper each for prices, dates, times and numbers, so every page, email and notification formats
them the same way: Flask-Babel's formatters in the reader's language (whatever flask_babel.get_locale()
answers, or the language forced for an email) and the site's time zone (Asia/Baku), with one clock
style everywhere: 24-hour HH:mm, no seconds. The templates know them as filters (memi.web.formatting)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from babel import dates as babel_dates
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_time,
    format_timedelta,
    get_locale,
)
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


def format_short_day(value):
    """Day and month, for a chart's axis and its daily figures ("30 Nov", "30 noy", "30 нояб.")."""
    if not value:
        return ""
    if isinstance(value, str) and len(value) == 10:
        value = date.fromisoformat(value)
    return format_date(value if isinstance(value, date) and not isinstance(value, datetime) else _aware(value), "d MMM")


def format_day(value):
    """The date as the reader's language writes it ("30 Nov 2026", "30 noy 2026")."""
    return format_date(_aware(value), format="medium") if value else ""


def _aware(value):
    """A datetime from a datetime or an ISO string, in UTC when it came naive (SQLite stores naive UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def format_moment(value):
    """Day and clock ("30 Nov 2026, 22:04" in the reader's language): the date as the locale writes
    it, then the one clock style of the site (never seconds, never AM/PM)."""
    if not value:
        return ""
    value = _aware(value)
    return format_day(value) + ", " + format_clock(value)


def format_relative(value, now=None):
    """How long ago, for lists that show recency: "just now", "5 min. ago" / "5 dəq əvvəl" /
    "5 мин. назад", up to a week; the day and clock after that (a weekday count says little then)."""
    if not value:
        return ""
    value = _aware(value)
    now = now or datetime.now(UTC)
    delta = value - now
    if -delta < timedelta(seconds=45):
        return _("just now")
    if -delta >= timedelta(days=7):
        return format_moment(value)
    # Flask-Babel's own format_timedelta knows no short format: Babel's, in the reader's language.
    return babel_dates.format_timedelta(delta, add_direction=True, format="short", threshold=1, locale=get_locale())


def format_member_since(value):
    """Month and year ("November 2026") as it reads inside "member since …": Russian needs the month in
    the genitive there ("на memi.az с ноября 2026"), which is the format form of the month name."""
    return format_date(_aware(value), format="MMMM yyyy") if value else ""


def format_clock(value):
    """Hour and minute (24-hour "22:04") in the site's time zone, from a datetime or an ISO string."""
    if not value:
        return ""
    return format_time(_aware(value), format="HH:mm")


def format_until(value, now=None):
    """When something ends, for a reader: weekday and clock ("Tue 18:00") in the site's time zone and
    the reader's language; with the date as well ("Dec 9, 2026, 18:00") when it is a week or more away,
    where a weekday alone would be ambiguous."""
    if not value:
        return ""
    value = _aware(value)
    now = now or datetime.now(UTC)
    if value - now >= timedelta(days=6):
        return format_day(value) + ", " + format_clock(value)
    return format_datetime(value, format="EEE HH:mm")


def format_iso(value):
    """A machine-readable instant for <time datetime>: ISO 8601 in UTC with its offset."""
    if not value:
        return ""
    return _aware(value).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def format_number(value):
    return format_decimal(value or 0, format="#,##0")


def format_share(percent):
    """A share given in percent (12.5 -> "12.5%", Russian "12,5 %"), one decimal at most."""
    return format_percent((percent or 0) / 100, format="#,##0.#%")


def format_duration(seconds):
    """A length of time in words ("2 seconds", "1 hour"), in the reader's language."""
    return format_timedelta(timedelta(seconds=seconds), threshold=1) if seconds else ""


def shorten(text, limit):
    """A preview of `text` in at most `limit` characters, on one line: cut at the last word boundary
    that fits, ending in "…" (a single word longer than half the room is cut inside it)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]  # room for the ellipsis
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return (cut.rstrip(" ,.;:!?-–—") or cut) + "…"


FILTERS = {
    "duration": format_duration,
    "price": format_price,
    "day": format_day,
    "short_day": format_short_day,
    "moment": format_moment,
    "member_since": format_member_since,
    "number": format_number,
    "share": format_share,
    "clock": format_clock,
    "until": format_until,
    "ago": format_relative,
    "shorten": shorten,
    "iso": format_iso,
}
