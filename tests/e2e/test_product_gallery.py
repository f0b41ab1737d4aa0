"""The product page's gallery on a laptop and a phone: photo and thumbnails within the first screen,
and a "1/3" counter that follows the photo in view; the preview card a shared link shows."""

import pytest
from playwright.sync_api import expect

from memi.auth.services import register_user
from memi.extensions import db
from memi.products.services import add_images, create_product, store_photos
from tests.e2e.conftest import LAPTOP, PHONE, screenshot
from tests.imagedata import image_bytes

pytestmark = pytest.mark.e2e


def listing_with_three_photos(live_app, title="Wool coat, camel colour, long"):
    colours = [(190, 140, 90), (60, 60, 60), (220, 210, 190)]
    with live_app.test_request_context():
        seller = register_user("gallery-seller@example.az", "correct-horse-1", "Leyla", city="Baku", locale="en")
        db.session.commit()
        # Photos are processed before anything is written (memi.cpu), as the sell form does.
        photos = store_photos([image_bytes(size=(1200, 1500), color=c) for c in colours], seller)
        product = create_product(
            seller,
            {
                "title": title,
                "description": "Warm and soft, worn two winters. Dry-cleaned.",
                "price": "85.00",
                "condition": "GOOD",
                "category": "women-clothing",
                "subcategory": "women-jackets-and-coats",
                "size": "S",
                "brand": "Massimo Dutti",
                "color": "Camel",
                "material": "Wool",
            },
        )
        add_images(seller, product.id, photos)
        db.session.commit()
        product_id = product.id
        db.session.remove()
    return product_id


def test_gallery_fits_a_laptop_screen_with_a_counter(new_page, live_server, live_app):
    product_id = listing_with_three_photos(live_app)
    page = new_page(**LAPTOP)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server}/products/{product_id}")
    # The JSON-LD block is data, not a script: the CSP (script-src 'self') lets it be, with no report.
    data = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    counter = page.locator(".gallery-counter")
    expect(counter).to_have_text("1/3")
    thumbs = page.locator(".gallery-thumbs a")
    expect(thumbs).to_have_count(3)
    last = thumbs.last.bounding_box()
    assert last["y"] + last["height"] <= 900, last  # within the first screen, without scrolling
    photo = page.locator(".gallery-slide").first.bounding_box()
    facts = page.locator(".product-info").bounding_box()
    assert facts["x"] >= photo["x"] + photo["width"]  # beside the facts
    assert counter.bounding_box()["y"] + counter.bounding_box()["height"] <= photo["y"] + photo["height"]
    screenshot(page, "product-gallery-laptop")

    thumbs.nth(2).click()
    expect(counter).to_have_text("3/3")
    expect(thumbs.nth(2)).to_have_attribute("aria-current", "true")
    assert page.evaluate("window.scrollY") == 0  # the thumbnail slid the gallery, not the page
    screenshot(page, "product-gallery-laptop-photo3")
    assert not [text for text in console if "Content Security Policy" in text], console


def test_counter_follows_a_swipe_on_a_phone(new_page, live_server, live_app):
    product_id = listing_with_three_photos(live_app)
    page = new_page()
    page.goto(f"{live_server}/products/{product_id}")
    expect(page.locator(".gallery-counter")).to_have_text("1/3")
    page.locator("[data-gallery]").evaluate("t => t.scrollTo({left: t.clientWidth, behavior: 'instant'})")
    expect(page.locator(".gallery-counter")).to_have_text("2/3")
    screenshot(page, "product-gallery-phone")


def test_counter_without_javascript(new_page, live_server, live_app):
    product_id = listing_with_three_photos(live_app)
    page = new_page(java_script_enabled=False)
    page.goto(f"{live_server}/products/{product_id}")
    expect(page.locator(".gallery-counter")).to_have_text("1/3")


def test_azerbaijani_product_page_laptop_and_phone(new_page, live_server, live_app):
    product_id = listing_with_three_photos(live_app)
    for options, name in ((LAPTOP, "laptop"), (PHONE, "phone")):
        page = new_page(**options, locale="az-AZ")
        page.goto(f"{live_server}/products/{product_id}?lang=az")
        expect(page.locator(".gallery-counter")).to_have_text("1/3")
        screenshot(page, f"product-gallery-{name}-az")
