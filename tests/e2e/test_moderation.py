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
    # The report form opens in a dialog on the product page; Escape closes it, the focus goes back.
    link = reporter.get_by_role("link", name="Report this listing")
    link.click()
    dialog = reporter.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="Report this listing")).to_be_visible()
    expect(reporter.locator("dialog :focus")).to_have_count(1)  # the focus moved into the dialog
    reporter.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()
    link.click()
    expect(dialog).to_be_visible()
    dialog.get_by_label("Counterfeit").check()
    dialog.get_by_label("Details (optional)").fill("The logo is wrong; this is a fake.")
    screenshot(reporter, "report-phone")
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog).to_contain_text("Thank you. Our team will look at it soon.")  # confirmed in place
    assert reporter.url == product_url
    dialog.get_by_role("button", name="Close").first.click()
    expect(dialog).to_be_hidden()

    with live_app.test_request_context():
        from memi.auth.services import create_admin
        from memi.extensions import db as _db

        create_admin("boss-mod@memi.az", "admin-password-1", "Boss").locale = "en"  # reads the English UI
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


def test_report_without_javascript_is_a_plain_page(new_page, live_server, tmp_path):
    seller = new_page()
    register(seller, live_server, name="Seller Nigar", email="nigar-mod@example.az")
    list_item(seller, live_server, tmp_path)
    product_url = seller.url

    plain = new_page(java_script_enabled=False)
    register(plain, live_server, name="Plain Pasha", email="pasha-mod@example.az")
    plain.goto(product_url)
    plain.get_by_role("link", name="Report this listing").click()
    expect(plain.get_by_role("heading", name="Report this listing")).to_be_visible()
    assert "/report/product/" in plain.url
    plain.get_by_label("Scam or fraud").check()
    plain.get_by_role("button", name="Send report").click()
    assert plain.url == product_url
    expect(plain.locator("#toasts")).to_contain_text("Thank you")
