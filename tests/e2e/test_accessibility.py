"""axe-core finds no accessibility violation, of any impact, on any page a person can reach, in the
states they can reach it in (empty, with data, with errors, dialogs and menus open), on a phone and on a
laptop.

axe-core is vendored from its npm package (tests/e2e/vendor/axe-core) and injected by Playwright: it is
never served to users. The data is seeded once through the services; each size gets its own browser
contexts (anonymous, buyer, seller, admin, a newcomer for the empty states) that log in once.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ENGLISH, LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PASSWORD = "correct-horse-1"
# Every WCAG 2.0-2.2 A/AA rule (2.2's target size included, which axe leaves out by default) and axe's best
# practices (heading order, unique landmarks, one h1, ...).
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    resultTypes: ['violations'],
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(1).join(' ').slice(0, 220)),
  }));
}"""


def seed(live_app):
    """A seller with an active, a reserved and a sold listing; a buyer who favorited, messaged, reserved
    and reported; an admin; a newcomer with nothing. Returns the ids the pages need."""
    from memi.auth.models import PasswordResetToken
    from memi.auth.services import create_admin, register_user
    from memi.auth.tokens import new_token
    from memi.chat.services import start_chat
    from memi.columns import utcnow
    from memi.extensions import db
    from memi.favorites.services import add_favorite
    from memi.products.models import Product
    from memi.products.services import create_product
    from memi.reports.services import create_report
    from memi.reservations.services import accept, request_reservation

    def product(seller, title, **extra):
        data = {
            "title": title,
            "description": "Worn twice, no stains.",
            "price": "45.00",
            "condition": "VERY_GOOD",
            "category": "women-clothing",
            "subcategory": "women-jackets-and-coats",
            "size": "M",
            "color": "Blue",
            "brand": "Levi's",
        }
        data.update(extra)
        return create_product(seller, data)

    with live_app.test_request_context():
        users = {}
        for key, name in [("seller", "Seller Sevda"), ("buyer", "Buyer Bahruz"), ("newcomer", "New Nuray")]:
            users[key] = register_user(f"{key}-a11y@example.az", PASSWORD, name, city="Baku", locale="en")
            db.session.commit()
        users["admin"] = create_admin("admin-a11y@memi.az", PASSWORD, "Boss")
        users["admin"].locale = "en"
        db.session.commit()
        seller, buyer = users["seller"], users["buyer"]
        active = product(seller, "Blue denim jacket")
        reserved = product(seller, "Red wool coat", price="80.50")
        sold = product(seller, "Black leather boots", price="60")
        db.session.commit()
        add_favorite(buyer, active.id)
        chat, _message, _created = start_chat(buyer, active.id, "Hello, is it still available?")
        db.session.commit()
        reservation = request_reservation(buyer, reserved.id, "I can pick it up tomorrow.")
        db.session.commit()
        accept(seller, reservation.id)
        db.session.commit()
        db.session.get(Product, sold.id).status = "SOLD"
        report = create_report(buyer, "product", active.id, "COUNTERFEIT", "The logo looks wrong.")
        db.session.commit()
        raw, digest = new_token()
        db.session.add(
            PasswordResetToken(
                user_id=users["newcomer"].id,
                token_hash=digest,
                expires_at=utcnow() + live_app.config["PASSWORD_RESET_TTL"],
            )
        )
        db.session.commit()
        ids = {
            "active": active.id,
            "reserved": reserved.id,
            "sold": sold.id,
            "chat": chat.id,
            "report": report.id,
            "seller": seller.id,
            "buyer": buyer.id,
            "reset": raw,
        }
        db.session.remove()
    return ids


def log_in(page, base, who):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(f"{who}-a11y@memi.az" if who == "admin" else f"{who}-a11y@example.az")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#toasts")).to_contain_text("You are logged in")


class Audit:
    def __init__(self):
        self.found = []
        self.pages = 0

    def check(self, page, name, size):
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=AXE)
        self.pages += 1
        for v in page.evaluate(RUN_AXE):
            self.found.append(
                f"[{size}] {name}: {v['impact']} {v['id']} ({v['help']})\n      " + "\n      ".join(v["nodes"])
            )

    def visit(self, page, url, name, size):
        page.goto(url)
        self.check(page, name, size)


def submit_empty(page, button):
    """Submit a form with nothing in it, past the browser's own required-field checks."""
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
    page.get_by_role("button", name=button).click()


def walk(browser, base, ids, size, options, audit):
    contexts = []

    def context(who=None):
        ctx = browser.new_context(locale=ENGLISH, bypass_csp=True, **options)  # lets axe in; the site keeps its CSP
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        if who:
            log_in(page, base, who)
        return page

    product = f"{base}/products/{ids['active']}"
    try:
        anon = context()
        for path, name in [
            ("/", "home"),
            ("/search?q=jacket", "search results"),
            ("/search?q=zzzqqq", "search no results"),
            ("/search?category=women-clothing", "category browse"),
            (f"/products/{ids['active']}", "product (visitor)"),
            (f"/users/{ids['seller']}", "public profile"),
            ("/products/999999", "error page"),
            ("/login", "login"),
            ("/register", "register"),
            ("/forgot-password", "forgot password"),
            ("/reset-password/not-a-token", "reset link invalid"),
        ]:
            audit.visit(anon, base + path, name, size)
        anon.goto(base + "/login")
        anon.get_by_label("Email").fill("nobody@example.az")
        anon.get_by_label("Password").fill("wrong-password")
        anon.get_by_role("button", name="Log in").click()
        expect(anon.get_by_role("alert")).to_be_visible()
        audit.check(anon, "login with errors", size)
        anon.goto(base + "/register")
        submit_empty(anon, "Sign up")
        expect(anon.locator(".field-error, [role=alert]").first).to_be_visible()
        audit.check(anon, "register with errors", size)
        anon.goto(base + "/forgot-password")
        submit_empty(anon, "Send reset link")
        audit.check(anon, "forgot password with errors", size)
        anon.goto(f"{base}/reset-password/{ids['reset']}")
        audit.check(anon, "reset password", size)
        anon.get_by_label("New password").fill("short")
        anon.get_by_role("button", name="Save new password").click()
        expect(anon.locator(".field-error, [role=alert]").first).to_be_visible()
        audit.check(anon, "reset password with errors", size)
        anon.goto(base + "/")
        menu = anon.locator(".lang-menu summary, details.lang-menu > summary").first
        if menu.is_visible():
            menu.click()
            audit.check(anon, "language menu open", size)

        buyer = context("buyer")
        for path, name in [
            ("/", "home (signed in)"),
            (f"/products/{ids['active']}", "product (buyer)"),
            (f"/products/{ids['reserved']}", "product reserved (buyer)"),
            (f"/products/{ids['sold']}", "product sold (buyer)"),
            ("/favorites", "favorites"),
            ("/chats", "chat inbox"),
            (f"/chats/{ids['chat']}", "chat"),
            ("/notifications", "notifications"),
            ("/settings/notifications", "email settings"),
            ("/reservations", "reservations (buyer)"),
            ("/settings/sessions", "sessions"),
            ("/settings/password", "change password"),
            ("/profile", "edit profile"),
            (f"/users/{ids['buyer']}", "own public profile"),
        ]:
            audit.visit(buyer, base + path, name, size)
        buyer.goto(product)
        buyer.get_by_role("link", name="Report this listing").click()
        expect(buyer.get_by_role("dialog")).to_be_visible()
        audit.check(buyer, "report dialog open", size)
        buyer.keyboard.press("Escape")
        # Opened over a page without a listing grid: an open menu covers the hearts under it, which axe
        # would count as targets too small to tap (while the menu is open they are not meant to be).
        buyer.goto(base + "/settings/sessions")
        buyer.locator("summary.avatar-button").click()
        expect(buyer.get_by_role("menuitem", name="Favorites")).to_be_visible()
        audit.check(buyer, "avatar menu open", size)
        buyer.goto(base + "/profile")
        buyer.get_by_label("Phone").fill("not a phone")
        buyer.get_by_role("button", name="Save").click()
        expect(buyer.locator(".field-error, [role=alert]").first).to_be_visible()
        audit.check(buyer, "edit profile with errors", size)

        seller = context("seller")
        for path, name in [
            (f"/products/{ids['active']}", "product (owner)"),
            (f"/products/{ids['reserved']}", "product reserved (owner)"),
            (f"/products/{ids['sold']}", "product sold (owner)"),
            ("/sell", "sell form"),
            (f"/products/{ids['active']}/edit", "edit listing"),
            ("/my/listings", "my listings"),
            ("/reservations", "reservations (seller)"),
            ("/notifications", "notifications (seller)"),
            ("/chats", "chat inbox (seller)"),
        ]:
            audit.visit(seller, base + path, name, size)
        seller.goto(base + "/sell")
        submit_empty(seller, "List it")
        expect(seller.locator(".field-error, [role=alert]").first).to_be_visible()
        audit.check(seller, "sell form with errors", size)
        seller.goto(f"{base}/products/{ids['active']}/edit")
        seller.get_by_label("Title").fill("")
        submit_empty(seller, "Save")
        expect(seller.locator(".field-error, [role=alert]").first).to_be_visible()
        audit.check(seller, "edit listing with errors", size)

        newcomer = context("newcomer")
        for path, name in [
            ("/favorites", "favorites (empty)"),
            ("/chats", "chat inbox (empty)"),
            ("/notifications", "notifications (empty)"),
            ("/reservations", "reservations (empty)"),
            ("/my/listings", "my listings (empty)"),
        ]:
            audit.visit(newcomer, base + path, name, size)

        admin = context("admin")
        for path, name in [
            ("/admin/", "admin dashboard"),
            ("/admin/users", "admin users"),
            ("/admin/users?q=zzzqqq", "admin users (empty)"),
            (f"/admin/users/{ids['seller']}", "admin user"),
            ("/admin/listings", "admin listings"),
            (f"/admin/listings/{ids['active']}", "admin listing"),
            ("/admin/reports", "admin reports"),
            ("/admin/reports?status=RESOLVED", "admin reports (empty)"),
            (f"/admin/reports/{ids['report']}", "admin report"),
            ("/admin/categories", "admin categories"),
            ("/admin/actions", "admin actions"),
            ("/admin/jobs", "admin jobs"),
        ]:
            audit.visit(admin, base + path, name, size)
        if size == "phone":
            for p, n in [(anon, "anon"), (buyer, "buyer")]:
                screenshot(p, f"a11y-last-{n}-{size}")
    finally:
        for ctx in contexts:
            ctx.close()


def test_axe_finds_no_violation_on_any_page(browser, live_server, live_app):
    ids = seed(live_app)
    audit = Audit()
    for size, options in [("phone", PHONE), ("laptop", LAPTOP)]:
        walk(browser, live_server, ids, size, options, audit)
    assert audit.pages >= 100
    assert not audit.found, f"{len(audit.found)} violations on {audit.pages} pages:\n" + "\n".join(audit.found)
