"""Photos chosen on the sell form survive a validation error (with and without JavaScript), keep the
order the seller gives them by dragging and with the keyboard, and can be removed and brought back."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from memi.extensions import db as _db
from memi.products.models import Product, ProductImage
from tests.e2e.conftest import LAPTOP, PHONE, screenshot
from tests.e2e.test_accounts import register
from tests.imagedata import image_bytes

pytestmark = pytest.mark.e2e

COLOURS = [(180, 40, 40), (40, 140, 60), (40, 90, 180)]


def photo_files(tmp_path, colours=COLOURS):
    paths = []
    for i, colour in enumerate(colours):
        path = tmp_path / f"photo{i}.jpg"
        path.write_bytes(image_bytes(size=(900, 1200), color=colour))
        paths.append(str(path))
    return paths


def fill_all_but_title(page, java_script=True):
    page.get_by_label("Price (AZN)").fill("60")
    page.get_by_label("Condition").select_option("GOOD")
    page.get_by_label("Category", exact=True).select_option("women-clothing")
    if java_script:  # htmx swaps in the chosen category's subcategories first
        expect(page.locator("#subcategory optgroup")).to_have_count(1)
    page.get_by_label("Subcategory").select_option("women-dresses")


def tokens(page):
    return page.locator("[data-photo-tile] input[name=photo]").evaluate_all("els => els.map(e => e.value)")


def thumbs(page):
    return page.locator("[data-photo-tile] img").evaluate_all("els => els.map(e => new URL(e.src).pathname)")


def saved_thumbs(live_app):
    with live_app.app_context():
        product = _db.session.scalars(sa.select(Product)).one()
        keys = _db.session.scalars(
            sa.select(ProductImage.thumb_key)
            .where(ProductImage.product_id == product.id)
            .order_by(ProductImage.position)
        ).all()
        _db.session.remove()
    return ["/media/" + k for k in keys]


def test_photos_survive_a_missing_title_in_the_order_chosen(new_page, live_server, live_app, tmp_path):
    page = new_page(**LAPTOP)
    register(page, live_server, name="Seller Nigar", email="nigar@example.az")
    page.goto(live_server + "/sell")
    expect(page.get_by_text("No file chosen")).to_have_count(0)
    page.set_input_files("#photos", photo_files(tmp_path))
    expect(page.locator("[data-photo-tile] img")).to_have_count(3)
    expect(page.locator("[data-photo-count]")).to_have_text("3/8")
    red, green, blue = thumbs(page)
    expect(page.locator("[data-photo-tile]").first.locator(".photo-cover-badge")).to_be_visible()

    # The keyboard way: the third photo one place earlier.
    page.get_by_role("button", name="Move photo 3 earlier").focus()
    page.keyboard.press("Enter")
    assert thumbs(page) == [red, blue, green]
    # A drag: the first photo dropped on the right half of the last one.
    tiles = page.locator("[data-photo-tile]")
    box = tiles.nth(2).bounding_box()
    tiles.nth(0).drag_to(tiles.nth(2), target_position={"x": box["width"] - 5, "y": box["height"] / 2})
    assert thumbs(page) == [blue, green, red]
    expect(page.get_by_role("button", name="Move photo 1 earlier")).to_be_hidden()

    # Remove, then undo from the toast.
    page.get_by_role("button", name="Remove photo 2").click()
    assert thumbs(page) == [blue, red]
    page.get_by_role("button", name="Undo").click()
    assert thumbs(page) == [blue, green, red]

    fill_all_but_title(page)
    chosen = tokens(page)
    page.get_by_role("button", name="List it").click()
    expect(page.get_by_text("Give the item a title.")).to_be_visible()
    assert tokens(page) == chosen  # still there, same order
    assert thumbs(page) == [blue, green, red]
    screenshot(page, "sell-error-with-photos-laptop")

    page.get_by_label("Title").fill("Linen summer dress")
    page.get_by_role("button", name="List it").click()
    expect(page.locator("#toasts")).to_contain_text("Your item is listed!")
    expect(page.locator(".gallery-slide")).to_have_count(3)
    assert saved_thumbs(live_app) == [blue, green, red]
    expect(page.locator("main")).to_contain_text("Dresses")

    # The edit form shows the same tiles; screenshots of both sizes and in Azerbaijani.
    page.get_by_role("link", name="Edit").first.click()
    expect(page.locator("[data-photo-tile]")).to_have_count(3)
    screenshot(page, "edit-photos-laptop")
    edit_url = page.url
    phone = new_page(**PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(edit_url)
    expect(phone.locator("[data-photo-tile]")).to_have_count(3)
    screenshot(phone, "edit-photos-phone")
    # Every photo control a finger taps on a phone is at least 44 × 44 px, like every other target.
    boxes = [b.bounding_box() for b in phone.locator(".photo-tile-button").all() if b.is_visible()]
    assert boxes and all(box["width"] >= 44 and box["height"] >= 44 for box in boxes), boxes


def test_photos_survive_a_missing_title_without_javascript(new_page, live_server, live_app, tmp_path):
    page = new_page(java_script_enabled=False, **PHONE)
    register(page, live_server, name="Seller Rauf", email="rauf@example.az")
    page.goto(live_server + "/sell")
    page.set_input_files("#photos", photo_files(tmp_path, COLOURS[:2]))
    fill_all_but_title(page, java_script=False)
    page.get_by_role("button", name="List it").click()
    expect(page.get_by_text("Give the item a title.")).to_be_visible()
    expect(page.locator("[data-photo-tile] img")).to_have_count(2)
    first, second = thumbs(page)
    # Without JavaScript the arrow re-renders the form in the new order.
    page.get_by_role("button", name="Move photo 2 earlier").click()
    assert thumbs(page) == [second, first]
    screenshot(page, "sell-error-with-photos-nojs-phone")
    page.get_by_label("Title").fill("Wool scarf")
    page.get_by_role("button", name="List it").click()
    expect(page.locator(".gallery-slide")).to_have_count(2)
    assert saved_thumbs(live_app) == [second, first]


def test_sell_and_edit_pictures_in_azerbaijani(new_page, live_server, tmp_path):
    """Azerbaijani runs longer than English: the photo field at both sizes, with a photo error."""
    page = new_page(**PHONE)
    register(page, live_server, name="Satıcı Aytən", email="ayten@example.az")
    page.goto(live_server + "/lang/az?next=/sell")
    expect(page.locator("html")).to_have_attribute("lang", "az")
    screenshot(page, "sell-empty-az-phone")
    page.set_input_files("#photos", photo_files(tmp_path))
    expect(page.locator("[data-photo-tile] img")).to_have_count(3)
    screenshot(page, "sell-photos-az-phone")
    laptop = new_page(**LAPTOP)
    laptop.context.add_cookies(page.context.cookies())
    laptop.goto(live_server + "/sell")
    laptop.set_input_files("#photos", photo_files(tmp_path))
    expect(laptop.locator("[data-photo-tile] img")).to_have_count(3)
    bad = tmp_path / "notes.jpg"
    bad.write_bytes(b"not a photo at all")
    laptop.set_input_files("#photos", [str(bad)])
    expect(laptop.locator("[data-photo-error]")).to_be_visible()
    screenshot(laptop, "sell-photos-az-laptop")
