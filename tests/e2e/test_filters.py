"""Finding things on a phone: the filter sheet with "Show N items", chips above the results, the
laptop's sidebar, and the same search without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def racks(make_product, make_user):
    seller = make_user(email="rack@example.az")
    for title, size, brand, city in [
        ("Zara wool coat", "M", "Zara", "Baku"),
        ("Zara linen dress", "M", "Zara", "Ganja"),
        ("Zara silk blouse", "S", "Zara", "Baku"),
        ("Mango denim jacket", "M", "Mango", "Baku"),
        ("Mango summer skirt", "L", "Mango", "Baku"),
    ]:
        make_product(seller=seller, title=title, size=size, brand=brand, city=city)


def is_modal(page):
    return page.evaluate("document.getElementById('filter-sheet').matches(':modal')")


def test_phone_sheet_counts_applies_and_chips_remove(new_page, live_server, racks):
    page = new_page()
    page.goto(live_server + "/search")
    expect(page.locator(".card")).to_have_count(5)
    expect(page.get_by_label("Size")).to_be_hidden()  # the results come first
    opener = page.locator("#open-filters")
    opener.click()
    expect(page.locator("#filter-sheet")).to_be_visible()
    assert is_modal(page)
    apply = page.locator("#sheet-apply")
    expect(apply).to_have_text("Show 5 items")

    page.get_by_label("Size").select_option("M")
    expect(apply).to_have_text("Show 3 items")
    expect(page).to_have_url(live_server + "/search")  # nothing applied yet
    brand = page.get_by_label("Brand")
    brand.fill("za")
    expect(page.locator("#brand-options option")).to_have_count(1)
    expect(page.locator("#brand-options option")).to_have_attribute("value", "Zara")
    expect(page.locator("#brand-options option")).to_have_attribute("label", "2 items")
    brand.fill("Zara")
    brand.blur()
    expect(apply).to_have_text("Show 2 items")
    # The pick lists follow: the sizes now count Zara's listings.
    expect(page.locator("#f-size option[value=S]")).to_have_text("S (1)")
    expect(page.get_by_label("Size")).to_have_value("M")
    screenshot(page, "filters-sheet-phone")

    apply.click()
    expect(page.locator("#filter-sheet")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"size=M.*brand=Zara|brand=Zara.*size=M"))
    expect(page.locator(".card")).to_have_count(2)
    chips = page.locator(".filter-chip:not(.filter-chip--clear)")
    expect(chips).to_have_count(2)
    expect(page.locator("#open-filters")).to_be_focused()
    screenshot(page, "filters-chips-phone")

    page.get_by_role("link", name="Remove filter: Size M").click()
    expect(chips).to_have_count(1)
    expect(page.locator(".card")).to_have_count(3)
    expect(page).not_to_have_url(re.compile(r"size="))
    page.go_back()
    expect(page.locator(".card")).to_have_count(2)
    expect(chips).to_have_count(2)


def test_phone_sheet_closes_on_escape_and_gives_the_focus_back(new_page, live_server, racks):
    page = new_page()
    page.goto(live_server + "/search?q=zara")
    page.locator("#open-filters").click()
    expect(page.locator("#filter-sheet")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#filter-sheet")).to_be_hidden()
    expect(page.locator("#open-filters")).to_be_focused()
    page.locator("#open-filters").press("Enter")
    expect(page.locator("#filter-sheet")).to_be_visible()
    page.get_by_role("button", name="Close").click()
    expect(page.locator("#filter-sheet")).to_be_hidden()
    # One search box on the page: the header's, holding the words searched for.
    expect(page.locator("input[type=search]:visible")).to_have_count(1)
    expect(page.locator("input[type=search]:visible")).to_have_value("zara")


def test_laptop_sidebar_refilters_in_place(new_page, live_server, racks):
    page = new_page(**LAPTOP)
    page.goto(live_server + "/search?q=zara")
    expect(page.get_by_label("Size")).to_be_visible()  # a sidebar, open even with a query
    expect(page.locator("#open-filters")).to_be_hidden()
    expect(page.locator("input[type=search]:visible")).to_have_count(1)
    assert not is_modal(page)
    page.get_by_label("City").select_option("Baku")
    expect(page).to_have_url(re.compile(r"city=Baku"))
    expect(page.locator(".card")).to_have_count(2)
    expect(page.locator(".filter-chip:not(.filter-chip--clear)")).to_have_count(1)
    page.get_by_label("Sort by").select_option("price_asc")
    expect(page).to_have_url(re.compile(r"sort=price_asc"))
    expect(page.get_by_label("City")).to_have_value("Baku")
    screenshot(page, "filters-laptop")


def test_filters_without_javascript(new_page, live_server, racks):
    page = new_page(java_script_enabled=False)
    page.goto(live_server + "/search")
    page.get_by_label("Size").select_option("M")
    page.get_by_label("Brand").fill("Mango")
    page.get_by_role("button", name=re.compile(r"Show \d+ items?")).click()
    expect(page).to_have_url(re.compile(r"size=M"))
    expect(page.locator(".card")).to_have_count(1)
    expect(page.locator(".filter-chip:not(.filter-chip--clear)")).to_have_count(2)
    page.get_by_role("link", name="Remove filter: Mango").click()
    expect(page.locator(".card")).to_have_count(3)
    page.get_by_label("Sort by").select_option("price_desc")
    page.get_by_role("button", name="Sort").click()
    expect(page).to_have_url(re.compile(r"sort=price_desc"))
    expect(page.locator(".filter-chip:not(.filter-chip--clear)")).to_have_count(1)
    screenshot(page, "filters-nojs-phone")


@pytest.mark.parametrize("lang", ["az", "en"])
def test_filter_screenshots(new_page, live_server, racks, lang):
    for size, options in [("phone", PHONE), ("laptop", LAPTOP)]:
        page = new_page(locale=lang, **options)
        page.goto(live_server + "/search?q=zara&size=M&city=Baku")
        screenshot(page, f"filters-{size}-{lang}")
        if size == "phone":
            page.locator("#open-filters").click()
            expect(page.locator("#filter-sheet")).to_be_visible()
            page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")  # the sheet has slid up
            screenshot(page, f"filters-sheet-phone-{lang}")
