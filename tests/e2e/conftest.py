"""Browser tests: Playwright (PyPI) driving Debian's Chromium against a live server in a thread."""

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from memi.extensions import db as _db

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}" if not os.environ.get("CI") else None)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1440, "height": 900}}
# The browser asks for English (Accept-Language: en-US) unless a test says otherwise: the site's default
# is Azerbaijani, and these tests read English text.
ENGLISH = "en-US"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale=ENGLISH, **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(java_script_enabled=True, **kwargs):
        options = dict(kwargs or PHONE)
        options.setdefault("locale", ENGLISH)
        context = browser.new_context(java_script_enabled=java_script_enabled, **options)
        contexts.append(context)
        p = context.new_page()
        p.set_default_timeout(10_000)
        return p

    yield make
    for c in contexts:
        c.close()


def screenshot(page, name):
    """Keep a picture of the page for a human to look at (test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def count(table_model, live_app, **where):
    with live_app.app_context():
        q = sa.select(sa.func.count()).select_from(table_model)
        for key, value in where.items():
            q = q.where(getattr(table_model, key) == value)
        n = _db.session.scalar(q)
        _db.session.remove()
        return n
