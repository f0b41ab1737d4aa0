"""Everything a finger taps is at least 44 × 44 px, and a heart tapped while logged out is saved through
the login detour, the shopper landing back where they were."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.e2e

# The tap targets of a page smaller than 44 × 44 px. Links inside a sentence are text, not targets
# (WCAG 2.5.5's inline exception); hidden and zero-size elements are not on screen.
SMALL_TARGETS = """() => {
  const found = [];
  const selector = 'a[href], button, summary, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), label.check';
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, .skip-link, [hidden]')) continue;
    const sentence = el.closest('p, li.category-tile .category-subs, td, .msg-body');
    if (el.tagName === 'A' && sentence && sentence.textContent.trim().length > el.textContent.trim().length) continue;
    if (box.width < 43.5 || box.height < 43.5) {
      found.push(`${el.tagName.toLowerCase()}.${el.className || ''} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return found;
}"""


@pytest.fixture
def shop(make_user, make_product):
    seller = make_user(name="Sevda", email="sevda.taps@example.az")
    buyer = make_user(name="Bahruz", email="bahruz.taps@example.az")
    products = [make_product(seller=seller, title=f"Linen shirt {i}", price=str(15 + i)) for i in range(30)]
    return {"seller": seller, "buyer": buyer, "products": products}


def assert_no_small_targets(page, where):
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"{where}: " + "; ".join(small)


def log_in(page, base, user):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(user.plain_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#toasts")).to_contain_text("You are logged in.")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_every_tap_target_is_at_least_44px(new_page, live_server, shop, size):
    page = new_page(**(PHONE if size == "phone" else LAPTOP))
    product = shop["products"][0]
    pages = ["/", "/search", "/search?q=linen&page=2", f"/products/{product.id}", "/login", "/register"]
    for path in pages:
        page.goto(live_server + path)
        assert_no_small_targets(page, path)

    log_in(page, live_server, shop["buyer"])
    for path in ["/", f"/products/{product.id}", "/favorites", "/notifications", "/reservations"]:
        page.goto(live_server + path)
        assert_no_small_targets(page, path)
    page.locator(".avatar-button").click()
    assert_no_small_targets(page, "account menu")
    if size == "phone":
        page.keyboard.press("Escape")
        page.locator(".lang-menu-button").click()
        assert_no_small_targets(page, "language menu")


def heart_on_the_photo(page):
    """The first card's heart: a 44 px box sitting in the photo's top right corner."""
    heart = page.locator(".card .fav-button").first
    photo = page.locator(".card .card-photo").first
    box, frame = heart.bounding_box(), photo.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert frame["x"] + frame["width"] - 50 <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    assert frame["y"] <= box["y"] <= frame["y"] + 10


def test_the_heart_is_a_44px_box_on_the_photo(new_page, live_server, shop):
    page = new_page()
    page.goto(live_server + "/")
    heart_on_the_photo(page)  # logged out: a link to the login page
    log_in(page, live_server, shop["buyer"])
    page.goto(live_server + "/")
    heart_on_the_photo(page)  # logged in: a button


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_a_favorite_is_saved_through_the_login_detour(new_page, live_server, shop, size):
    page = new_page(**(PHONE if size == "phone" else LAPTOP))
    product = shop["products"][3]
    page.goto(live_server + f"/products/{product.id}")
    page.get_by_role("link", name="Log in to add to favorites").click()

    expect(page).to_have_url(re.compile(r"/login\?"))
    expect(page.locator(".auth-reason")).to_have_text(f"Log in to save “{product.title}” to your favorites.")
    screenshot(page, f"login-for-favorite-{size}")
    page.get_by_label("Email").fill(shop["buyer"].email)
    page.get_by_label("Password").fill(shop["buyer"].plain_password)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(live_server + f"/products/{product.id}")
    expect(page.locator("#toasts")).to_contain_text("Saved to your favorites.")
    # The product page's heart is named by its visible words; aria-pressed tells that it is on.
    expect(page.get_by_role("button", name=re.compile(r"^Favorited"))).to_have_attribute("aria-pressed", "true")
    screenshot(page, f"favorite-saved-{size}")


def test_a_favorite_from_a_card_is_saved_through_sign_up(new_page, live_server, shop):
    page = new_page()
    page.goto(live_server + "/search?q=linen")
    card = page.locator(".card").nth(5)
    title = card.locator(".card-title").inner_text()
    card.get_by_role("link", name="Log in to add to favorites").click()
    page.get_by_role("link", name="Create an account").click()
    expect(page.locator(".auth-reason")).to_have_text(f"Sign up to save “{title}” to your favorites.")
    page.get_by_label("Your name").fill("Nigar")
    page.get_by_label("Email").fill("nigar.taps@example.az")
    page.get_by_label("Password").fill("long-enough-pass")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(live_server + "/search?q=linen")
    expect(page.locator("#toasts")).to_contain_text("Saved to your favorites.")
    page.goto(live_server + "/favorites")
    expect(page.locator(".card-title")).to_have_text([title])
