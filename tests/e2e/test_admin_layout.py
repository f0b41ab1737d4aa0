"""Every back-office page, on a phone and a laptop, in English and Azerbaijani: no table cell overflows or
splits a word across lines (on a phone each row is a card), no table and no page scrolls sideways, the
tabs stay on one row (scrolling sideways themselves on a phone). Screenshots in test-artifacts/admin-*.png."""

import pytest
from playwright.sync_api import expect

from tests.admin.seed import seed_back_office
from tests.e2e.conftest import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.e2e

# Every text word inside the page's tables and lists that the browser laid out on more than one line,
# every cell whose content is wider than the cell, and whether the page scrolls sideways. Code (job
# errors, ids of things) may wrap anywhere and is left out.
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const cells = document.querySelectorAll('main td, main th, main .admin-list li, main .chart-summary, main .chart-x');
  for (const cell of cells) {
    if (!cell.getClientRects().length) continue;
    if (cell.scrollWidth > cell.clientWidth + 1) problems.push('overflows: ' + cell.textContent.trim().slice(0, 80));
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('code, .visually-hidden')) continue;
      for (const m of node.data.matchAll(/[^\\s\\-\u2010\u2013]+/g)) {  // a line may break after a hyphen
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) problems.push('word split: ' + m[0]);
      }
    }
  }
  for (const table of document.querySelectorAll('main table')) {
    if (table.scrollWidth > table.clientWidth + 1) problems.push('a table scrolls sideways');
  }
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth) problems.push('the page scrolls sideways');
  const nav = document.querySelector('.admin-nav');
  const tab = nav && nav.querySelector('.tab');
  if (!nav) problems.push('no admin tabs');
  else if (nav.clientHeight > tab.offsetHeight * 1.5) problems.push('the tabs wrap onto more than one row');
  return problems;
}
"""


def _login(page, server, email):
    page.goto(server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("admin-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#toasts")).to_contain_text("You are logged in")


def test_every_admin_page_fits_a_phone_and_a_laptop(new_page, live_server, live_app):
    data = seed_back_office(live_app, tag="layout")
    pages = {
        "dashboard": "/admin/",
        "reports": "/admin/reports?status=",
        "report": f"/admin/reports/{data['report_ids'][1]}",
        "users": "/admin/users",
        "user": f"/admin/users/{data['seller_id']}",
        "listings": "/admin/listings",
        "listing": f"/admin/listings/{data['coat_id']}",
        "actions": "/admin/actions",
        "categories": "/admin/categories",
        "jobs": "/admin/jobs",
    }
    failures = {}
    for size_name, size in (("phone", PHONE), ("laptop", LAPTOP)):
        page = new_page(**size)
        _login(page, live_server, data["admin_email"])
        for lang in ("en", "az"):
            for name, path in pages.items():
                page.goto(live_server + path + ("&" if "?" in path else "?") + f"lang={lang}")
                expect(page.locator(".admin-nav [aria-current]")).to_have_count(1)
                problems = page.evaluate(LAYOUT_PROBLEMS)
                screenshot(page, f"admin-{name}-{size_name}-{lang}")
                if problems:
                    failures[f"{name} {size_name} {lang}"] = problems
    assert not failures, failures


def test_phone_rows_are_cards_with_their_column_names(new_page, live_server, live_app):
    data = seed_back_office(live_app, tag="cards")
    page = new_page(**PHONE)
    _login(page, live_server, data["admin_email"])
    page.goto(live_server + "/admin/reports?status=")
    cell = page.locator(".admin-table--cards tbody tr").first.locator("td").nth(2)
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Reporter"'
    assert page.locator(".admin-table--cards thead").bounding_box()["height"] <= 1
    # A card is one cell a line: the cells stack.
    boxes = [page.locator(".admin-table--cards tbody tr").first.locator("td").nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
