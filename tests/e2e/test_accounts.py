"""A person signs up, edits their profile, logs out and back in, in Chromium."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from memi.extensions import db as _db
from memi.mail.models import OutgoingEmail
from tests.e2e.conftest import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.e2e


def register(page, base, name="Leyla Aliyeva", email="leyla@example.az", password="my-secret-pass"):
    page.goto(base + "/register")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("City").fill("Baku")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#toasts")).to_contain_text("Welcome to memi.az")


def test_register_edit_profile_logout_login(new_page, live_server):
    page = new_page()
    page.goto(live_server + "/")
    screenshot(page, "home-phone")
    register(page, live_server)

    page.get_by_role("button", name="Your account").click() if page.get_by_role(
        "button", name="Your account"
    ).count() else page.locator("summary.avatar-button").click()
    page.get_by_role("menuitem", name="Edit profile").click()
    expect(page).to_have_url(re.compile(r"/profile$"))
    screenshot(page, "profile-edit-phone")
    page.get_by_label("Name").fill("Leyla A.")
    page.get_by_label("Phone").fill("not a phone")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-error")).to_contain_text("Enter a phone number")
    expect(page.get_by_label("Name")).to_have_value("Leyla A.")  # nothing typed is lost
    page.get_by_label("Phone").fill("+994 50 123 45 67")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#toasts")).to_contain_text("Your profile is saved")
    expect(page.get_by_label("Name")).to_have_value("Leyla A.")

    page.locator("summary.avatar-button").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.goto(live_server + "/profile")
    expect(page).to_have_url(re.compile(r"/login"))
    screenshot(page, "login-phone")

    page.get_by_label("Email").fill("leyla@example.az")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".alert--error")).to_contain_text("Email or password is incorrect")
    page.get_by_label("Password").fill("my-secret-pass")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/profile$"))  # back where they were going
    expect(page.get_by_label("Name")).to_have_value("Leyla A.")


def test_pages_work_with_javascript_off(new_page, live_server):
    page = new_page(java_script_enabled=False)
    register(page, live_server, email="nojs@example.az")
    page.goto(live_server + "/profile")
    page.get_by_label("City").fill("Lənkəran")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("City")).to_have_value("Lənkəran")
    # The account menu is a <details>: it opens without JavaScript.
    page.locator("summary.avatar-button").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_forgot_password_email_link(new_page, live_server, live_app):
    page = new_page()
    register(page, live_server, email="forgetful@example.az")
    page.locator("summary.avatar-button").click()
    page.get_by_role("menuitem", name="Log out").click()
    # Wait for the logout to land: /login still signed in redirects to the home page.
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    page.goto(live_server + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    # The login page has an Email field too: wait for the new page before typing.
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.get_by_label("Email").fill("forgetful@example.az")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    with live_app.app_context():
        body = _db.session.scalars(sa.select(OutgoingEmail.body_text)).one()
        _db.session.remove()
    link = re.search(r"/reset-password/\S+", body).group(0)
    page.goto(live_server + link)
    page.get_by_label("New password").fill("fresh-password-1")
    page.get_by_role("button", name="Save new password").click()
    page.get_by_label("Email").fill("forgetful@example.az")
    page.get_by_label("Password").fill("fresh-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#toasts")).to_contain_text("You are logged in")


@pytest.mark.parametrize("size,label", [(PHONE, "phone"), (LAPTOP, "laptop")])
def test_screenshots_of_account_pages(new_page, live_server, size, label):
    page = new_page(**size)
    for path, name in [
        ("/", "home"),
        ("/register", "register"),
        ("/login", "login"),
        ("/forgot-password", "forgot"),
        ("/nope", "404"),
    ]:
        page.goto(live_server + path)
        expect(page.locator("header.site-header")).to_be_visible()
        screenshot(page, f"{name}-{label}")
