"""The back office reads as words: no raw code (FRAUD, OPEN, ACTIVE, USER, user.block, report.dismiss)
and no bare "#586" on any admin page; people and listings are named and linked to their admin pages; the
tabs are on every page, the current one marked; the dashboard's charts show their days and figures."""

import re
from html import unescape

import pytest

from memi.labels import LABELS
from memi.products.models import STATUSES
from memi.reports.models import REASONS, RESOLUTION_ACTIONS, SOURCES
from memi.reservations.models import STATES
from memi.statuses import ReportStatus, Role
from tests.admin.seed import ACTION_KINDS, seed_back_office

# Every code the back office's data holds: statuses, states, roles, reasons, outcomes, audit actions.
CODES = [
    *STATUSES,
    *STATES,
    *map(str, ReportStatus),
    *map(str, Role),
    *REASONS,
    *RESOLUTION_ACTIONS,
    *SOURCES,
    "REMOVED",
    *ACTION_KINDS,
]
# What an id may never stand after alone: a kind's name ("Listing #586") or a label's colon.
KINDS = ("Listing", "User", "Chat", "Report", "Category", "Subcategory", "Target", "product", "user")


def _visible_text(html):
    """What a reader sees: the page's text without tags, attributes, <title> elements inside charts,
    the <head> or scripts (option values and hrefs carry codes, as they should)."""
    body = html.split("<body", 1)[1].split(">", 1)[1]
    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", unescape(body))


@pytest.fixture
def seeded(app, client, db):
    data = seed_back_office(app)
    client.post("/login", data={"email": data["admin_email"], "password": "admin-password-1"})
    return data


def _pages(data):
    return [
        "/admin/",
        "/admin/users",
        f"/admin/users/{data['seller_id']}",
        "/admin/listings",
        f"/admin/listings/{data['coat_id']}",
        "/admin/reports",
        "/admin/reports?status=",
        *[f"/admin/reports/{rid}" for rid in data["report_ids"][:4]],
        "/admin/actions",
        "/admin/categories",
        "/admin/jobs",
    ]


def test_no_raw_codes_or_bare_ids(client, seeded):
    for path in _pages(seeded):
        res = client.get(path)
        assert res.status_code == 200, path
        text = _visible_text(res.get_data(as_text=True))
        for code in CODES:
            assert not re.search(rf"(?<![\w.#-]){re.escape(code)}(?![\w.-])", text), (path, code)
        # An id is only ever secondary: "#586" right after the name it belongs to, never alone.
        for match in re.finditer(r"#\d+", text):
            before = text[max(0, match.start() - 3) : match.start()]
            assert before.strip() and not before.strip().endswith((":", "·", "|")), (
                path,
                text[match.start() - 40 : match.end()],
            )


def test_every_kind_of_action_and_reason_reads_as_words(client, seeded):
    log = _visible_text(client.get("/admin/actions").get_data(as_text=True))
    for kind in ACTION_KINDS:
        assert str(LABELS[kind]) in log, kind
    queue = _visible_text(client.get("/admin/reports?status=").get_data(as_text=True))
    for reason in ("Spam", "Scam or fraud", "Prohibited item", "Offensive content", "Counterfeit", "Something else"):
        assert reason in queue
    assert "automated moderation" in queue and "Chat about Leather biker jacket" in queue
    # The log names the admin and the target, linked to their admin pages.
    html = client.get("/admin/actions").get_data(as_text=True)
    assert f'<a href="/admin/users/{seeded["admin_id"]}">Boss Bahruz</a>' in html
    assert f'<a href="/admin/users/{seeded["seller_id"]}">Seller Sabina</a>' in html
    assert f'<a href="/admin/listings/{seeded["coat_id"]}">Wool winter coat</a>' in html
    assert ">Vintage finds and more</a>" in html  # a deleted subcategory says so
    assert "Subcategory: Deleted" in log and "Category: Deleted" in log


def test_reports_name_the_listing_and_the_reporter(client, seeded):
    html = client.get("/admin/reports").get_data(as_text=True)
    assert f'<a href="/admin/listings/{seeded["coat_id"]}">Wool winter coat</a>' in html
    assert re.search(r'<a href="/admin/users/\d+">Reporter Rena\d</a>', html)
    assert f'<a href="/admin/users/{seeded["seller_id"]}">Seller Sabina</a>' in html
    # The seller's page: reports about them and the chat they reported, each named once.
    person = _visible_text(client.get(f"/admin/users/{seeded['seller_id']}").get_data(as_text=True))
    assert "Chat about Leather biker jacket" in person and "Chat: Chat about" not in person
    assert "Listing: Wool winter coat" in person and "User: Seller Sabina" in person
    closed = client.get(f"/admin/reports/{seeded['report_ids'][0]}").get_data(as_text=True)
    assert "Resolved: Dismissed, no action" in _visible_text(closed)


@pytest.mark.parametrize(
    "path, current",
    [
        ("/admin/", "Dashboard"),
        ("/admin/categories", "Categories"),
        ("/admin/users", "Users"),
        ("/admin/listings", "Listings"),
        ("/admin/reports", "Reports"),
        ("/admin/actions", "Action log"),
        ("/admin/jobs", "Jobs"),
    ],
)
def test_every_page_has_the_tabs_with_the_current_one_marked(client, seeded, path, current):
    html = client.get(path).get_data(as_text=True)
    nav = re.search(r'<nav class="tabs admin-nav".*?</nav>', html, re.S).group(0)
    assert re.findall(r'aria-current="page"[^>]*>([^<]+)</a>', nav) == [current]
    assert len(re.findall(r"<a ", nav)) == 7


def test_a_detail_page_marks_its_list(client, seeded):
    html = client.get(f"/admin/users/{seeded['seller_id']}").get_data(as_text=True)
    assert re.search(r'aria-current="true">Users</a>', html)


def test_dashboard_charts_show_days_and_figures(client, seeded):
    from datetime import UTC, datetime, timedelta

    from babel.dates import format_date

    html = client.get("/admin/").get_data(as_text=True)
    text = _visible_text(html)
    today = datetime.now(UTC).date()
    first, last = today - timedelta(days=29), today
    middle = today - timedelta(days=14)
    for day in (first, middle, last):
        assert format_date(day, "d MMM", locale="en") in text
    # Seeded today: 8 new people (the busiest day), 3 listings, 1 chat.
    assert "Total: 10" in text and f"Busiest day: {format_date(today, 'd MMM', locale='en')}, 10" in text
    assert "Total: 3" in text and "Figures per day" in text
    assert len(re.findall(r'<div class="chart-y" aria-hidden="true"><span>', html)) == 4
    assert ' style="' not in html.split("<main", 1)[1]  # the CSP forbids style attributes
