"""Where a boosted navigation leaves the reader: new pages open at their top, Back puts the page back
where it was, a swap of the search results alone keeps the position."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def listings(make_user, make_product):
    seller = make_user(name="Sevda", email="sevda.nav@example.az")
    return [make_product(seller=seller, title=f"Wool coat number {i}", price=str(20 + i)) for i in range(30)]


def scroll_y(page):
    return page.evaluate("window.scrollY")


def wait_until(page, expression, timeout=5.0):
    """Poll `expression` in the page (the site's CSP forbids the eval behind page.wait_for_function)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, (
            f"still false after {timeout}s: {expression} (scrollY {page.evaluate('window.scrollY')})"
        )
        page.wait_for_timeout(50)


def settled(page):
    # htmx marks the swapped body while it settles; wait until it has finished.
    wait_until(page, "!document.querySelector('.htmx-settling, .htmx-swapping, .htmx-request')")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_a_card_opens_at_the_top_and_back_restores_the_position(new_page, live_server, listings, size):
    page = new_page(**(PHONE if size == "phone" else LAPTOP))
    page.goto(live_server + "/")
    card = page.locator(".card").nth(13)
    card.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 200)")
    wait_until(page, "window.scrollY > 400")
    before = scroll_y(page)

    card.locator(".card-link").click()
    expect(page).to_have_url(re.compile(r"/products/\d+$"))
    expect(page.locator("h1")).to_contain_text("Wool coat number")
    settled(page)
    assert scroll_y(page) == 0
    screenshot(page, f"nav-product-top-{size}")

    page.go_back()
    expect(page).to_have_url(live_server + "/")
    expect(page.locator(".card")).to_have_count(24)
    wait_until(page, f"Math.abs(window.scrollY - {before}) <= 2")


def test_next_opens_page_two_at_the_top_and_back_returns_to_the_bottom(new_page, live_server, listings):
    page = new_page()
    page.goto(live_server + "/search")
    expect(page.locator(".card")).to_have_count(24)
    nxt = page.get_by_role("link", name="Next")
    nxt.scroll_into_view_if_needed()
    before = scroll_y(page)
    assert before > 1000

    nxt.click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator(".card")).to_have_count(6)
    settled(page)
    assert scroll_y(page) == 0

    page.go_back()
    expect(page.locator(".card")).to_have_count(24)
    wait_until(page, f"Math.abs(window.scrollY - {before}) <= 2")


def test_a_filter_change_keeps_the_position(new_page, live_server, listings):
    page = new_page(**LAPTOP)
    page.goto(live_server + "/search")
    page.evaluate("window.scrollBy(0, 300)")
    wait_until(page, "window.scrollY >= 300")
    before = scroll_y(page)
    page.get_by_label("Very good").check()
    expect(page).to_have_url(re.compile(r"condition=VERY_GOOD"))
    settled(page)
    assert scroll_y(page) == before


def test_requesting_a_reservation_shows_the_listing_from_its_top(new_page, live_server, listings):
    from tests.e2e.test_accounts import register

    page = new_page()
    register(page, live_server, name="Buyer Bahruz", email="bahruz.nav@example.az")
    page.goto(live_server + f"/products/{listings[0].id}")
    button = page.get_by_role("button", name="Request reservation")
    button.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 400)")
    assert scroll_y(page) > 0
    button.click()
    expect(page.locator("#toasts")).to_contain_text("request", ignore_case=True)
    settled(page)
    assert scroll_y(page) == 0


@pytest.mark.parametrize("java_script", [True, False])
def test_a_sent_chat_message_shows_between_the_header_and_the_composer(
    new_page, live_server, api, make_user, make_product, java_script
):
    from tests.e2e.test_tap_targets import log_in

    seller, buyer = make_user(name="Sevda"), make_user(name="Bahruz", email=f"bahruz.chat{java_script}@example.az")
    product = make_product(seller=seller, title="Green parka")
    token = api.tokens(buyer)["access_token"]
    chat = api.post("/chats", token=token, json={"product_id": product.id, "message": "Salam!"}).get_json()
    for i in range(15):
        api.post(f"/chats/{chat['id']}/messages", token=token, json={"body": f"Message number {i}"})

    page = new_page(java_script_enabled=java_script)
    log_in(page, live_server, buyer)
    page.goto(live_server + f"/chats/{chat['id']}")
    page.get_by_role("textbox", name="Message").fill("Is it still available?")
    page.get_by_role("button", name="Send").click()
    last = page.locator("#messages li").last
    expect(last).to_contain_text("Is it still available?")
    if java_script:
        settled(page)
    page.wait_for_timeout(100)
    box = last.bounding_box()
    header = page.locator(".site-header").bounding_box()
    composer = page.locator("#composer").bounding_box()
    assert box["y"] >= header["y"] + header["height"]
    assert box["y"] + box["height"] <= composer["y"] + 1
    screenshot(page, f"chat-sent-{'js' if java_script else 'nojs'}")
