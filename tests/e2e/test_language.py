"""The language switch on a phone, in Chromium: a first visit in Russian follows the browser, the
header's menu switches to Azerbaijani on the same page, and the choice is remembered."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.e2e


def test_switch_language_from_the_phone_header(new_page, live_server):
    page = new_page(**PHONE, locale="ru-RU")
    page.goto(live_server + "/browse?q=don")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # Nothing sticks out sideways on a 390px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("summary.lang-menu-button").click()
    screenshot(page, "language-menu-phone")
    page.locator(".lang-menu-panel a[hreflang=az]").click()
    expect(page).to_have_url(re.compile(r"/browse\?q=don$"))
    expect(page.locator("html")).to_have_attribute("lang", "az")
    expect(page.locator(".lang-switch--footer [aria-current=true]")).to_have_attribute("hreflang", "az")
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "az")  # remembered over the browser's ru


def test_footer_switch_works_without_javascript(new_page, live_server):
    page = new_page(java_script_enabled=False, **LAPTOP)
    page.goto(live_server + "/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(".lang-switch--footer a[hreflang=ru]").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    box = page.locator(".lang-switch--footer a[hreflang=en]").bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
