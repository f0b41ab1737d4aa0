"""The template filters of prices, dates, times and numbers (the helpers live in memi.formats, where
emails and notification texts use them too)."""

from memi.formats import (  # noqa: F401  (the helpers, for views and tests)
    FILTERS,
    format_clock,
    format_day,
    format_duration,
    format_iso,
    format_member_since,
    format_moment,
    format_number,
    format_price,
    format_relative,
    format_until,
)
