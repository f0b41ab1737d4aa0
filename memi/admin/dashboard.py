"""The back-office dashboard (/admin/)."""

from flask import Blueprint

from memi.admin.analytics import analytics
from memi.web.guards import admin_required
from memi.web.htmx import render

bp = Blueprint("admin_dashboard", __name__, url_prefix="/admin")

WIDTH, HEIGHT = 300, 80


def _chart(series, width=WIDTH, height=HEIGHT):
    """A 30-day bar chart: the SVG geometry of each bar [(x, y, w, h, day, count)] on a scale from 0 to
    the peak, and what the page writes beside it (the total, the peak and its day, the days under the x
    axis: first, middle and last)."""
    peak = max((p["count"] for p in series), default=0)
    scale = peak or 1
    step = width / max(len(series), 1)
    bars = []
    for i, point in enumerate(series):
        h = round(point["count"] / scale * height, 1)
        bars.append((round(i * step, 1), round(height - h, 1), round(step * 0.8, 1), h, point["day"], point["count"]))
    peak_day = next((p["day"] for p in series if peak and p["count"] == peak), None)
    ticks = [series[0]["day"], series[len(series) // 2]["day"], series[-1]["day"]] if series else []
    return {
        "bars": bars,
        "series": series,
        "peak": peak,
        "peak_day": peak_day,
        "total": sum(p["count"] for p in series),
        "ticks": ticks,
        "width": width,
        "height": height,
    }


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
        charts=[
            ("users", _chart(figures["new_users_per_day"])),
            ("listings", _chart(figures["new_listings_per_day"])),
            ("chats", _chart(figures["new_chats_per_day"])),
            ("messages", _chart(figures["new_messages_per_day"])),
        ],
        funnel=steps,
    )
