"""A seller lists an item with two photos; a buyer finds it by a typo, filters, opens it, favorites it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, screenshot
from tests.e2e.test_accounts import register
from tests.imagedata import image_bytes

pytestmark = pytest.mark.e2e


def photo_files(tmp_path):
    paths = []
    for i, color in enumerate([(180, 40, 40), (40, 90, 180)]):
        path = tmp_path / f"photo{i}.jpg"
        path.write_bytes(image_bytes(size=(1200, 1500), color=color))
        paths.append(str(path))
    return paths


def list_item(page, base, tmp_path):
    page.goto(base + "/sell")
    page.set_input_files("#photos", photo_files(tmp_path))
    expect(page.locator("[data-photo-tile] img")).to_have_count(2)  # uploaded as drafts as they are chosen
    page.get_by_label("Title").fill("Brown leather jacket")
    page.get_by_label("Description").fill("Real leather, size M, worn one winter.")
    page.get_by_label("Price (AZN)").fill("120")
    page.get_by_label("Condition").select_option("VERY_GOOD")
    page.get_by_label("Category", exact=True).select_option("women-clothing")
    # htmx narrows the subcategory list to the chosen category.
    expect(page.locator("#subcategory optgroup")).to_have_count(1)
    page.get_by_label("Subcategory").select_option("women-jackets-and-coats")
    page.get_by_label("Size").fill("M")
    page.get_by_label("Brand").fill("Mango")
    page.get_by_label("Colour").fill("Brown")
    screenshot(page, "sell-phone")
    page.get_by_role("button", name="List it").click()
    expect(page.locator("#toasts")).to_contain_text("Your item is listed!")
    expect(page.locator(".gallery-slide")).to_have_count(2)
    screenshot(page, "product-owner-phone")


def test_list_find_by_typo_filter_open_favorite(new_page, live_server, tmp_path):
    seller = new_page()
    register(seller, live_server, name="Seller Sevda", email="sevda@example.az")
    list_item(seller, live_server, tmp_path)

    buyer = new_page()
    register(buyer, live_server, name="Buyer Bahruz", email="bahruz@example.az")
    buyer.goto(live_server + "/search")
    buyer.locator("#q-mobile").fill("lether")
    buyer.locator("#q-mobile").press("Enter")
    expect(buyer.locator("#results")).to_contain_text("showing “leather”")
    expect(buyer).to_have_url(re.compile(r"/search\?q=lether$"))
    expect(buyer.locator(".card")).to_have_count(1)
    expect(buyer.get_by_label("Very good")).to_be_hidden()  # on a phone the results come first
    buyer.locator("#open-filters").click()
    buyer.get_by_label("Very good").check()
    buyer.locator("#sheet-apply").click()
    expect(buyer).to_have_url(re.compile(r"condition=VERY_GOOD"))
    expect(buyer.locator(".card")).to_have_count(1)
    buyer.locator("#open-filters").click()
    buyer.get_by_label("New with tags").check()
    buyer.get_by_role("checkbox", name="Very good").uncheck()  # its chip is labelled "Remove filter: Very good"
    buyer.locator("#sheet-apply").click()
    expect(buyer.locator("#results")).to_contain_text("No results")
    buyer.go_back()
    expect(buyer.locator(".card")).to_have_count(1)
    screenshot(buyer, "search-phone")

    buyer.locator(".card-link").first.click()
    expect(buyer.get_by_role("heading", name="Brown leather jacket")).to_be_visible()
    heart = buyer.locator(".fav--detail button")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    screenshot(buyer, "product-phone")
    buyer.goto(live_server + "/favorites")
    expect(buyer.locator(".card")).to_have_count(1)
    screenshot(buyer, "favorites-phone")


def test_search_without_javascript(new_page, live_server, tmp_path):
    seller = new_page()
    register(seller, live_server, name="Seller Sevda", email="sevda2@example.az")
    list_item(seller, live_server, tmp_path)
    page = new_page(java_script_enabled=False)
    page.goto(live_server + "/")
    page.locator("#q-mobile").fill("lether")
    page.locator("#q-mobile").press("Enter")
    expect(page.locator("#results")).to_contain_text("Brown leather jacket")
    page.get_by_role("link", name="Filters").click()  # the form follows the results
    page.get_by_label("Very good").check()
    page.get_by_role("button", name=re.compile(r"Show \d+ items?")).click()
    expect(page).to_have_url(re.compile(r"condition=VERY_GOOD"))
    expect(page.locator(".card")).to_have_count(1)


def test_catalogue_screenshots_laptop(new_page, live_server, tmp_path):
    seller = new_page(**LAPTOP)
    register(seller, live_server, name="Seller Sevda", email="sevda3@example.az")
    list_item(seller, live_server, tmp_path)
    for path, name in [("/", "home-listings"), ("/search?q=leather", "search"), ("/my/listings", "my-listings")]:
        seller.goto(live_server + path)
        screenshot(seller, f"{name}-laptop")
    seller.locator(".card-link").first.click() if seller.locator(".card-link").count() else None
    seller.goto(live_server + "/search?q=leather")
    seller.locator(".card-link").first.click()
    screenshot(seller, "product-laptop")
