"""axe-core finds no accessibility violation, of any impact, on any page a person can reach, in the
states they can reach it in (empty, with data, with errors, dialogs and menus open), on a phone and on a
laptop.

axe-core is vendored from its npm package (tests/e2e/vendor/axe-core) and injected by Playwright: it is
never served to users. The data is seeded once through the services; each role (a visitor, a buyer, a
seller, an admin, a newcomer for the empty states) gets one browser context per size that logs in once, and
both sizes walk the same steps side by side.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ENGLISH, LAPTOP, PHONE, screenshot
from tests.support.listing import LISTING

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PASSWORD = "correct-horse-1"
# Every WCAG 2.0-2.1 A/AA rule and axe's best practices (heading order, unique landmarks, one h1, ...), and
# on the phone WCAG 2.2's target size too (axe leaves it out by default; a slow rule). Started without
# waiting, so that the phone's and the laptop's pages are checked at the same time (two renderer processes),
# then collected.
START_AXE = """tags => {
  window.__axe = axe.run(document, {
    resultTypes: ['violations'],
    runOnly: {type: 'tag', values: tags},
  }).then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' +
      n.failureSummary.split('\\n').slice(1).join(' ').slice(0, 220)),
  })));
}"""
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
TAGS_PHONE = TAGS + ["wcag22aa"]


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
        data = {**LISTING, "title": title}
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


def submit_empty(page, button):
    """Submit a form with nothing in it, past the browser's own required-field checks."""
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
    page.get_by_role("button", name=button).click()


def visit(path):
    return lambda page, base: page.goto(base + path)


def steps(ids):
    """Per role, the pages and states to check: (name, action); an action that returns False skips the check
    (a control that this screen size does not show)."""

    def login_errors(page, base):
        page.goto(base + "/login")
        page.get_by_label("Email").fill("nobody@example.az")
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert")).to_be_visible()

    def register_errors(page, base):
        page.goto(base + "/register")
        submit_empty(page, "Sign up")
        expect(page.locator(".field-error:visible, [role=alert]:visible").first).to_be_visible()

    def forgot_errors(page, base):
        page.goto(base + "/forgot-password")
        submit_empty(page, "Send reset link")
        expect(page.locator(".field-error:visible, [role=alert]:visible").first).to_be_visible()

    def reset_errors(page, base):
        page.goto(f"{base}/reset-password/{ids['reset']}")
        page.get_by_label("New password").fill("short")
        page.get_by_role("button", name="Save new password").click()
        expect(page.locator(".field-error:visible, [role=alert]:visible").first).to_be_visible()

    def language_menu(page, base):
        page.goto(base + "/")
        menu = page.locator("summary.lang-menu-button")
        if not menu.is_visible():  # the laptop shows the three links instead
            return False
        menu.click()
        expect(page.locator(".lang-menu-panel")).to_be_visible()

    def report_dialog(page, base):
        page.goto(f"{base}/products/{ids['active']}")
        page.get_by_role("link", name="Report this listing").click()
        expect(page.get_by_role("dialog")).to_be_visible()

    def avatar_menu(page, base):
        # Opened over a page without a listing grid: an open menu covers the hearts under it, which axe
        # would count as targets too small to tap (while the menu is open they are not meant to be).
        page.goto(base + "/settings/sessions")
        page.locator("summary.avatar-button").click()
        expect(page.get_by_role("menuitem", name="Favorites")).to_be_visible()

    def profile_errors(page, base):
        page.goto(base + "/profile")
        page.get_by_label("Phone").fill("not a phone")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".field-error:visible, [role=alert]:visible").first).to_be_visible()

    def sell_errors(page, base):
        page.goto(base + "/sell")
        submit_empty(page, "List it")
        expect(page.locator(".field-error:visible, [role=alert]:visible").first).to_be_visible()

    def edit_errors(page, base):
        page.goto(f"{base}/products/{ids['active']}/edit")
        page.get_by_label("Title").fill("")
        submit_empty(page, "Save")
        expect(page.locator(".field-error:visible, [role=alert]:visible").first).to_be_visible()

    active, reserved, sold = (f"/products/{ids[k]}" for k in ("active", "reserved", "sold"))
    return {
        None: [
            ("home", visit("/")),
            ("search results", visit("/search?q=jacket")),
            ("search no results", visit("/search?q=zzzqqq")),
            ("category browse", visit("/search?category=women-clothing")),
            ("product (visitor)", visit(active)),
            ("public profile", visit(f"/users/{ids['seller']}")),
            ("error page", visit("/products/999999")),
            ("login", visit("/login")),
            ("register", visit("/register")),
            ("forgot password", visit("/forgot-password")),
            ("reset link invalid", visit("/reset-password/not-a-token")),
            ("reset password", visit(f"/reset-password/{ids['reset']}")),
            ("login with errors", login_errors),
            ("register with errors", register_errors),
            ("forgot password with errors", forgot_errors),
            ("reset password with errors", reset_errors),
            ("language menu open", language_menu),
        ],
        "buyer": [
            ("home (signed in)", visit("/")),
            ("product (buyer)", visit(active)),
            ("product reserved (buyer)", visit(reserved)),
            ("product sold (buyer)", visit(sold)),
            ("favorites", visit("/favorites")),
            ("chat inbox", visit("/chats")),
            ("chat", visit(f"/chats/{ids['chat']}")),
            ("notifications", visit("/notifications")),
            ("email settings", visit("/settings/notifications")),
            ("reservations (buyer)", visit("/reservations")),
            ("sessions", visit("/settings/sessions")),
            ("change password", visit("/settings/password")),
            ("edit profile", visit("/profile")),
            ("own public profile", visit(f"/users/{ids['buyer']}")),
            ("report dialog open", report_dialog),
            ("avatar menu open", avatar_menu),
            ("edit profile with errors", profile_errors),
        ],
        "seller": [
            ("product (owner)", visit(active)),
            ("product reserved (owner)", visit(reserved)),
            ("product sold (owner)", visit(sold)),
            ("sell form", visit("/sell")),
            ("edit listing", visit(f"{active}/edit")),
            ("my listings", visit("/my/listings")),
            ("reservations (seller)", visit("/reservations")),
            ("notifications (seller)", visit("/notifications")),
            ("chat inbox (seller)", visit("/chats")),
            ("sell form with errors", sell_errors),
            ("edit listing with errors", edit_errors),
        ],
        "newcomer": [
            ("favorites (empty)", visit("/favorites")),
            ("chat inbox (empty)", visit("/chats")),
            ("notifications (empty)", visit("/notifications")),
            ("reservations (empty)", visit("/reservations")),
            ("my listings (empty)", visit("/my/listings")),
        ],
        "admin": [
            ("admin dashboard", visit("/admin/")),
            ("admin users", visit("/admin/users")),
            ("admin users (empty)", visit("/admin/users?q=zzzqqq")),
            ("admin user", visit(f"/admin/users/{ids['seller']}")),
            ("admin listings", visit("/admin/listings")),
            ("admin listing", visit(f"/admin/listings/{ids['active']}")),
            ("admin reports", visit("/admin/reports")),
            ("admin reports (empty)", visit("/admin/reports?status=RESOLVED")),
            ("admin report", visit(f"/admin/reports/{ids['report']}")),
            ("admin categories", visit("/admin/categories")),
            ("admin actions", visit("/admin/actions")),
            ("admin jobs", visit("/admin/jobs")),
        ],
    }


def test_axe_finds_no_violation_on_any_page(browser, live_server, live_app):
    ids = seed(live_app)
    found, checked = [], 0
    for who, role_steps in steps(ids).items():
        pages = {}
        for size, options in [("phone", PHONE), ("laptop", LAPTOP)]:
            # bypass_csp lets axe in (an injected script); the site itself keeps its CSP.
            context = browser.new_context(locale=ENGLISH, bypass_csp=True, **options)
            page = context.new_page()
            page.set_default_timeout(10_000)
            if who:
                log_in(page, live_server, who)
            pages[size] = page
        try:
            for name, action in role_steps:
                started = []
                for size, page in pages.items():
                    if action(page, live_server) is False:
                        continue
                    page.wait_for_load_state("load")
                    if not page.evaluate("typeof window.axe !== 'undefined'"):
                        page.add_script_tag(content=AXE)
                    page.evaluate(START_AXE, TAGS_PHONE if size == "phone" else TAGS)
                    started.append((size, page))
                for size, page in started:
                    checked += 1
                    for v in page.evaluate("() => window.__axe"):
                        found.append(
                            f"[{size}] {name}: {v['impact']} {v['id']} ({v['help']})\n      "
                            + "\n      ".join(v["nodes"])
                        )
                    if who == "buyer" and name.endswith("open"):
                        screenshot(page, f"a11y-{name.replace(' ', '-')}-{size}")
        finally:
            for page in pages.values():
                page.context.close()
    assert checked >= 120
    assert not found, f"{len(found)} violations on {checked} pages:\n" + "\n".join(found)
