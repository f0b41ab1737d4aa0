"""A user reports a listing; the admin resolves it with REMOVE_PRODUCT; the listing is gone for
everyone and the seller is notified."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_accounts import register
from tests.e2e.test_catalogue import list_item

pytestmark = pytest.mark.e2e


def test_report_then_admin_removes_the_listing(new_page, live_server, live_app, tmp_path):
    seller = new_page()
    register(seller, live_server, name="Seller Sevda", email="sevda-mod@example.az")
    list_item(seller, live_server, tmp_path)
    product_url = seller.url

    reporter = new_page()
    register(reporter, live_server, name="Careful Kamran", email="kamran-mod@example.az")
    reporter.goto(product_url)
    reporter.get_by_role("link", name="Report this listing").click()
    reporter.get_by_label("Counterfeit").check()
    reporter.get_by_label("Details (optional)").fill("The logo is wrong; this is a fake.")
    screenshot(reporter, "report-phone")
    reporter.get_by_role("button", name="Send report").click()
    expect(reporter.locator("#toasts")).to_contain_text("Thank you")

    with live_app.test_request_context():
        from memi.auth.services import create_admin
        from memi.extensions import db as _db

        create_admin("boss-mod@memi.az", "admin-password-1", "Boss")
        _db.session.commit()
        _db.session.remove()
    admin = new_page()
    admin.goto(live_server + "/login")
    admin.get_by_label("Email").fill("boss-mod@memi.az")
    admin.get_by_label("Password").fill("admin-password-1")
    admin.get_by_role("button", name="Log in").click()
    expect(admin.locator("#toasts")).to_contain_text("You are logged in")
    admin.goto(live_server + "/admin/reports")
    admin.locator("a[href^='/admin/reports/']").first.click()
    expect(admin.locator(".notice")).to_contain_text("The logo is wrong")
    admin.get_by_label("Remove the listing").check()
    admin.get_by_label("Note").fill("Counterfeit")
    screenshot(admin, "admin-report-phone")
    admin.get_by_role("button", name="Resolve").click()
    expect(admin.locator("#toasts")).to_contain_text("Report resolved")
    admin.goto(live_server + "/admin/")
    expect(admin.locator(".stat-grid")).to_contain_text("Open reports")
    screenshot(admin, "admin-dashboard-phone")

    reporter.goto(product_url)
    expect(reporter.get_by_role("heading", name=re.compile("couldn"))).to_be_visible()
    reporter.goto(live_server + "/search?q=leather")
    expect(reporter.locator(".card")).to_have_count(0)
    seller.goto(live_server + "/notifications")
    expect(seller.locator(".notifications")).to_contain_text("was removed by moderation")
