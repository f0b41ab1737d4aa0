"""The back-office dashboard (/admin/)."""

from flask import Blueprint

from memi.admin.analytics import analytics
from memi.web.guards import admin_required
from memi.web.htmx import render

bp = Blueprint("admin_dashboard", __name__, url_prefix="/admin")


def _bars(series, width=300, height=80):
    """SVG geometry for a 30-day bar chart: [(x, y, w, h, day, count)]."""
    peak = max((p["count"] for p in series), default=0) or 1
    step = width / max(len(series), 1)
    bars = []
    for i, point in enumerate(series):
        h = round(point["count"] / peak * (height - 4), 1)
        bars.append((round(i * step, 1), round(height - h, 1), round(step * 0.8, 1), h, point["day"], point["count"]))
    return bars


@bp.get("/")
@admin_required
def index():
    figures = analytics()
    funnel = figures["funnel"]
    listed = funnel["listed"] or 1
    steps = [
        (key, funnel[key], round(funnel[key] / listed * 100, 1))
        for key in ("listed", "with_chat", "with_reservation", "sold")
    ]
    return render(
        "admin/dashboard.html",
        f=figures,
        user_bars=_bars(figures["new_users_per_day"]),
        listing_bars=_bars(figures["new_listings_per_day"]),
        chat_bars=_bars(figures["new_chats_per_day"]),
        message_bars=_bars(figures["new_messages_per_day"]),
        funnel=steps,
    )
