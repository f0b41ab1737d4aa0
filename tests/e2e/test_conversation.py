"""The buyer messages the seller, who sees it arrive live and replies; a reservation is requested and
accepted; the listing shows Reserved; the bell count rises live."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, screenshot
from tests.e2e.test_accounts import register
from tests.e2e.test_catalogue import list_item

pytestmark = pytest.mark.e2e


def test_live_chat_and_reservation(new_page, live_server, tmp_path):
    seller = new_page()
    register(seller, live_server, name="Seller Sevda", email="sevda-chat@example.az")
    list_item(seller, live_server, tmp_path)
    product_url = seller.url

    buyer = new_page()
    register(buyer, live_server, name="Buyer Bahruz", email="bahruz-chat@example.az")
    buyer.goto(product_url)
    buyer.get_by_role("link", name="Message seller").click()
    buyer.get_by_label("Message", exact=True).fill("Salam! Is the jacket still available?")
    buyer.get_by_role("button", name="Send").click()
    expect(buyer.locator("#messages")).to_contain_text("Is the jacket still available?")

    # The seller, in another browser context, opens the chat from the inbox (the bell rose meanwhile).
    seller.goto(live_server + "/chats")
    expect(seller.locator("#bell-count")).to_have_text("1")
    seller.locator(".inbox-row").first.click()
    expect(seller.locator("#messages")).to_contain_text("Is the jacket still available?")

    # Live both ways: no reloads from here on.
    expect(seller.locator("#bell-count")).to_have_text("0")  # opening the chat read its notification
    with seller.expect_response(lambda r: r.url.endswith("/read") and r.request.method == "POST") as marked:
        buyer.locator("#body").fill("Could you hold it until Saturday?")
        buyer.locator("#body").press("Enter")
        expect(seller.locator("#messages")).to_contain_text("Could you hold it until Saturday?")
    assert marked.value.status == 204  # read as it arrived: the bell and the inbox count stay down
    expect(seller.locator("#bell-count")).to_have_text("0")
    inbox = seller.request.get(live_server + "/chats").text()
    assert re.search(r'id="inbox-count" class="count-dot" hidden>0<', inbox)
    assert re.search(r'id="bell-count" class="count-dot" hidden>0<', inbox)
    # The sender's copy comes back in the htmx answer and over the socket: drawn once.
    expect(buyer.locator("#messages li", has_text="Could you hold it until Saturday?")).to_have_count(1)
    seller.locator("#body").fill("Yes, request a reservation and I will accept.")
    seller.get_by_role("button", name="Send").click()
    expect(buyer.locator("#messages")).to_contain_text("request a reservation")
    expect(seller.locator("#messages li", has_text="request a reservation")).to_have_count(1)
    screenshot(buyer, "chat-phone")

    # The bell rises live when the buyer asks for a reservation.
    seller.goto(live_server + "/my/listings")
    bell_before = int(seller.locator("#bell-count").inner_text() or 0)
    buyer.goto(product_url)
    buyer.get_by_role("button", name="Request reservation").click()
    expect(buyer.locator("#toasts")).to_contain_text("Request sent")
    expect(seller.locator("#bell-count")).to_have_text(str(bell_before + 1))

    seller.goto(live_server + "/reservations?role=seller")
    screenshot(seller, "reservations-phone")
    seller.get_by_role("button", name="Accept").click()
    expect(seller.locator(".my-listing").first).to_contain_text("Accepted: item reserved")
    buyer.goto(product_url)
    expect(buyer.locator(".badge--reserved")).to_be_visible()
    # The hold shows when it ends (weekday and time, Baku time): issue 12's "held for you until Tue 18:00".
    expect(buyer.locator(".product-actions")).to_contain_text(
        re.compile(r"The seller is holding this for you until \w+ \d\d:\d\d\.")
    )
    buyer.goto(live_server + "/notifications")
    expect(buyer.locator(".notifications")).to_contain_text("The seller is holding")
    screenshot(buyer, "notifications-phone")


def test_chat_screenshots_laptop(new_page, live_server, tmp_path):
    seller = new_page(**LAPTOP)
    register(seller, live_server, name="Seller Sevda", email="sevda-chat2@example.az")
    list_item(seller, live_server, tmp_path)
    buyer = new_page(**LAPTOP)
    register(buyer, live_server, name="Buyer Bahruz", email="bahruz-chat2@example.az")
    buyer.goto(seller.url)
    buyer.get_by_role("link", name="Message seller").click()
    buyer.get_by_role("button", name="Send").click()
    expect(buyer).to_have_url(re.compile(r"/chats/\d+$"))
    screenshot(buyer, "chat-laptop")
    seller.goto(live_server + "/chats")
    screenshot(seller, "inbox-laptop")
