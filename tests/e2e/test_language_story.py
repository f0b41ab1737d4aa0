"""The main story (home, search, product, sell, chat, reserve, notifications, admin) walked on a phone in
Azerbaijani and in Russian: every page is screenshotted (test-artifacts/lang-*.png), no English text of
the interface shows (the English msgids of the catalogue are the detector), and nothing is wider than
the phone's screen (Azerbaijani and Russian words run longer than English ones)."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from memi.extensions import db as _db
from tests.e2e.conftest import PHONE, screenshot

pytestmark = pytest.mark.e2e

TRANSLATIONS = Path(__file__).resolve().parents[2] / "memi" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")

# What the people of this story write, in their own language (user content is never "English UI").
STORY = {
    "az": {
        "title": "Qara dəri gödəkçə",
        "description": "Təbii dəri, bir qış geyinilib. Ölçü M.",
        "query": "gödəkçə",
        "message": "Salam! Gödəkçə hələ satışdadır?",
        "seller": "Səbinə Quliyeva",
        "buyer": "Rəşad Məmmədov",
        "admin": "Elvin Həsənov",
    },
    "ru": {
        "title": "Чёрная кожаная куртка",
        "description": "Натуральная кожа, носила одну зиму. Размер M.",
        "query": "куртки",
        "message": "Здравствуйте! Куртка ещё продаётся?",
        "seller": "Наталья Ковалёва",
        "buyer": "Андрей Смирнов",
        "admin": "Ольга Иванова",
    },
}


def english_detector(lang):
    """(whole texts, sentence patterns) of the interface's English that the `lang` catalogue translates
    differently: a text node equal to one of them, or holding one of its sentences, is untranslated UI."""
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalogue = read_po(f)
    exact, patterns = set(), []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue  # the same in both languages: a brand, a symbol, a size
            words = re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", english))
            if not words:
                continue
            parts = [re.escape(" ".join(p.split())) for p in PLACEHOLDER.split(english)]
            pattern = r"\S.*?".join(parts) if len(parts) > 1 else parts[0]
            if len(parts) == 1:
                exact.add(" ".join(english.split()))
            if len(words) >= 2:  # a phrase: found inside a longer text as well
                patterns.append(re.compile(r"(?<![A-Za-z])" + pattern + r"(?![A-Za-z])"))
    return exact, patterns


# Text marked as another language (the switch names each language in itself: "English") is not the page's.
READ_TEXTS = """() => {
  const page = document.documentElement.lang;
  const foreign = el => { const l = el && el.closest('[lang]'); return l && l.lang !== page; };
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const tag = n.parentElement && n.parentElement.tagName;
    if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'TEMPLATE' || foreign(n.parentElement)) continue;
    const t = n.textContent.replace(/\\s+/g, ' ').trim();
    if (t) out.push(t);
  }
  for (const el of document.querySelectorAll('[placeholder],[aria-label],[title],[alt],input[type=submit][value]')) {
    if (foreign(el)) continue;
    for (const a of ['placeholder', 'aria-label', 'title', 'alt']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push(v.replace(/\\s+/g, ' ').trim());
    }
    if (el.matches('input[type=submit]')) out.push(el.value);
  }
  return out;
}"""


def check_page(page, lang, name, detector):
    """Screenshot the page; fail on English interface text or on anything wider than the phone."""
    page.wait_for_load_state("networkidle")
    screenshot(page, f"lang-{lang}-{name}")
    exact, patterns = detector
    english = set()
    for text in page.evaluate(READ_TEXTS):
        if text in exact:
            english.add(text)
            continue
        for pattern in patterns:
            if pattern.search(text):
                english.add(text)
                break
    assert not english, f"{name} ({lang}) shows English: {sorted(english)}"
    assert page.evaluate("document.documentElement.lang") == lang
    too_wide = page.evaluate(
        """() => {
          const w = document.documentElement.clientWidth;
          return [...document.querySelectorAll('body *')]
            .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > w + 1; })
            .filter(el => getComputedStyle(el).position !== 'fixed' && !el.closest('[hidden],.visually-hidden,.skip-link'))
            .filter(el => { /* rows that scroll sideways on purpose (category pills) hold wide children */
              for (let p = el.parentElement; p; p = p.parentElement) {
                if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return false;
              }
              return true;
            })
            .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''))
            .slice(0, 5);
        }"""
    )
    assert not too_wide, f"{name} ({lang}) is wider than the phone: {too_wide}"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name


def seed(live_app, lang):
    from memi.auth.services import create_admin, register_user
    from memi.products.services import create_product

    story = STORY[lang]
    with live_app.test_request_context():
        # One account per transaction: password hashing never runs inside a written one.
        seller = register_user(
            f"seller-{lang}@example.az", "correct-horse-1", story["seller"], city="Bakı", locale=lang
        )
        _db.session.commit()
        register_user(f"buyer-{lang}@example.az", "correct-horse-1", story["buyer"], city="Bakı", locale=lang)
        _db.session.commit()
        create_admin(f"admin-{lang}@memi.az", "admin-password-1", story["admin"]).locale = lang
        _db.session.commit()
        product = create_product(
            seller,
            {
                "title": story["title"],
                "description": story["description"],
                "price": "120.00",
                "condition": "VERY_GOOD",
                "category": "women-clothing",
                "subcategory": "women-jackets-and-coats",
                "size": "M",
                "brand": "Mango",
                "color": "Qara" if lang == "az" else "Чёрный",
            },
        )
        _db.session.commit()
        ids = product.id
        _db.session.remove()
    return ids


def log_in(page, base, email, password):
    page.goto(base + "/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("#password").press("Enter")
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_main_story_speaks_the_language(lang, new_page, live_server, live_app, tmp_path):
    detector = english_detector(lang)
    story = STORY[lang]
    product_id = seed(live_app, lang)
    product_url = f"{live_server}/products/{product_id}"
    # The browser asks for the language (a first visit follows Accept-Language).
    browser_locale = {"az": "az-AZ", "ru": "ru-RU"}[lang]

    visitor = new_page(locale=browser_locale, **PHONE)
    visitor.goto(live_server + "/")
    check_page(visitor, lang, "home", detector)
    visitor.goto(f"{live_server}/search?q={story['query']}")
    expect(visitor.locator("main")).to_contain_text(story["title"])
    check_page(visitor, lang, "search", detector)
    visitor.goto(live_server + "/login")
    check_page(visitor, lang, "login", detector)
    visitor.locator("#email").fill("nobody@example.az")
    visitor.locator("#password").fill("wrong-password-1")
    visitor.locator("#password").press("Enter")
    expect(visitor.locator(".alert--error")).to_be_visible()
    check_page(visitor, lang, "login-error", detector)
    visitor.goto(live_server + "/register")
    check_page(visitor, lang, "register", detector)

    buyer = new_page(locale=browser_locale, **PHONE)
    log_in(buyer, live_server, f"buyer-{lang}@example.az", "correct-horse-1")
    buyer.goto(product_url)
    check_page(buyer, lang, "product", detector)
    # The price's ₼ is drawn from the site's own glyph, whatever fonts the device has (not an empty box).
    assert buyer.evaluate("[...document.fonts].some(f => f.family.includes('Memi Manat') && f.status === 'loaded')"), (
        "the manat sign's font was not used"
    )
    buyer.goto(f"{product_url}/message")
    check_page(buyer, lang, "chat-start", detector)
    buyer.locator("main textarea").fill(story["message"])
    buyer.locator("main form button[type=submit]").last.click()
    expect(buyer.locator("#messages")).to_contain_text(story["message"])
    check_page(buyer, lang, "chat", detector)
    buyer.goto(product_url)
    buyer.locator(f"form[action$='/products/{product_id}/reserve'] button").click()
    expect(buyer.locator("#toasts .toast")).to_be_visible()
    check_page(buyer, lang, "product-requested", detector)
    buyer.goto(live_server + "/sell")
    check_page(buyer, lang, "sell", detector)
    buyer.locator("main form button[type=submit]").last.click()
    expect(buyer.locator(".field-error").first).to_be_visible()
    check_page(buyer, lang, "sell-errors", detector)

    seller = new_page(locale=browser_locale, **PHONE)
    log_in(seller, live_server, f"seller-{lang}@example.az", "correct-horse-1")
    seller.goto(live_server + "/chats")
    check_page(seller, lang, "inbox", detector)
    seller.goto(live_server + "/notifications")
    check_page(seller, lang, "notifications", detector)
    seller.goto(live_server + "/reservations?role=seller")
    check_page(seller, lang, "reservations", detector)
    seller.goto(live_server + "/my/listings")
    check_page(seller, lang, "my-listings", detector)

    admin = new_page(locale=browser_locale, **PHONE)
    log_in(admin, live_server, f"admin-{lang}@memi.az", "admin-password-1")
    for path, name in (
        ("/admin/", "admin-dashboard"),
        ("/admin/users", "admin-users"),
        ("/admin/listings", "admin-listings"),
        (f"/admin/listings/{product_id}", "admin-listing"),
        ("/admin/reports", "admin-reports"),
        ("/admin/categories", "admin-categories"),
        ("/admin/actions", "admin-actions"),
        ("/admin/jobs", "admin-jobs"),
    ):
        admin.goto(live_server + path)
        check_page(admin, lang, name, detector)


def test_detector_catches_english():
    """The detector is not blind: the English interface itself is caught."""
    exact, patterns = english_detector("ru")
    assert "Request reservation" in exact
    assert any(p.search("Skip to content") for p in patterns)
    assert not any(p.search(STORY["ru"]["message"]) for p in patterns)
