"""Languages: which one a request is answered in, the switch, hreflang, users.locale, and that emails
and notifications reach a person in their own saved language whatever the request's language."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from flask import template_rendered
from flask_babel import get_locale

from memi.extensions import babel
from memi.locale import select_locale
from memi.mail.models import OutgoingEmail
from memi.notifications.models import Notification
from memi.users.models import User
from tests.conftest import deliver_one_over_smtp

LANG = re.compile(r'<html lang="([a-z]+)"')


def html_lang(res):
    return LANG.search(res.get_data(as_text=True)).group(1)


@pytest.fixture
def browser(app):
    """A client like a real browser's first visit: no Accept-Language unless a test sends one."""
    client = app.test_client()
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)
    return client


# ---- which language ----------------------------------------------------------------------------


def test_default_is_azerbaijani_without_header_or_cookie(browser):
    res = browser.get("/")
    assert res.status_code == 200
    assert html_lang(res) == "az"


@pytest.mark.parametrize(
    "header,expected",
    [("ru", "ru"), ("ru-RU,ru;q=0.9,en;q=0.5", "ru"), ("en-US,en;q=0.9", "en"), ("az-Latn-AZ", "az"), ("de", "az")],
)
def test_accept_language_picks_the_best_of_az_ru_en(browser, header, expected):
    assert html_lang(browser.get("/", headers={"Accept-Language": header})) == expected


def test_cookie_beats_the_header(browser):
    browser.set_cookie("lang", "ru")
    assert html_lang(browser.get("/", headers={"Accept-Language": "en"})) == "ru"


def test_an_unknown_cookie_value_is_ignored(browser):
    browser.set_cookie("lang", "fr")
    assert html_lang(browser.get("/", headers={"Accept-Language": "ru"})) == "ru"


def test_a_signed_in_users_saved_language_beats_the_cookie(browser, make_user):
    user = make_user(locale="ru")
    browser.post("/login", data={"email": user.email, "password": user.plain_password})
    browser.set_cookie("lang", "en")
    assert html_lang(browser.get("/", headers={"Accept-Language": "en"})) == "ru"


def test_lang_parameter_shows_the_page_in_that_language_and_sets_the_cookie(browser):
    res = browser.get("/?lang=ru", headers={"Accept-Language": "en"})
    assert html_lang(res) == "ru"
    assert "lang=ru" in res.headers["Set-Cookie"]
    assert html_lang(browser.get("/", headers={"Accept-Language": "en"})) == "ru"  # remembered
    assert html_lang(browser.get("/?lang=xx")) == "ru"  # nonsense is ignored


def test_the_api_follows_accept_language_only(app):
    """API.md: Accept-Language chooses the API's language (default az); no cookie or account does."""
    with app.test_request_context("/api/v1/products", headers={"Accept-Language": "ru", "Cookie": "lang=en"}):
        assert select_locale() == "ru"
    with app.test_request_context("/api/v1/products?lang=en", headers={"Cookie": "lang=en"}):
        assert select_locale() == "az"
    with app.test_request_context("/browse", headers={"Cookie": "lang=en"}):
        assert select_locale() == "en"
    with app.app_context():
        assert select_locale() == "az"  # outside a request: the default


def test_pages_vary_with_the_language(browser):
    res = browser.get("/")
    assert "Accept-Language" in res.headers["Vary"] and "Cookie" in res.headers["Vary"]


# ---- the switch -------------------------------------------------------------------------------


def test_the_switch_sets_the_cookie_and_goes_back_to_the_same_page(browser):
    res = browser.get("/lang/ru?next=/browse%3Fq%3Dcanta%26page%3D2")
    assert res.status_code == 303
    assert res.headers["Location"] == "/browse?q=canta&page=2"
    cookie = res.headers["Set-Cookie"]
    assert cookie.startswith("lang=ru;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert html_lang(browser.get("/", headers={"Accept-Language": "en"})) == "ru"


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "", "%2F%2Fevil"]
)
def test_the_switch_redirects_only_to_local_paths(browser, target):
    res = browser.get("/lang/en", query_string={"next": target})
    assert res.status_code == 303
    assert res.headers["Location"] == "/"


def test_an_unknown_language_is_not_found(browser):
    assert browser.get("/lang/fr?next=/").status_code == 404


def test_the_switch_saves_a_signed_in_users_language(client, make_user, login, db):
    user = make_user(locale="en")
    login(user)
    res = client.get("/lang/ru?next=/notifications")
    assert res.status_code == 303 and res.headers["Location"] == "/notifications"
    assert db.session.scalar(sa.select(User.locale).where(User.id == user.id)) == "ru"
    assert html_lang(client.get("/")) == "ru"  # the client still sends Accept-Language: en


def test_switch_links_in_header_and_footer_mark_the_current_language(browser):
    body = browser.get("/browse?q=don", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert body.count('class="lang-switch ') == 2  # header (wide screens) and footer
    assert 'class="menu lang-menu"' in body  # the header's switch on a phone
    links = re.findall(
        r'<a class="lang-switch-link" href="([^"]+)" hreflang="(\w+)"[^>]*?( aria-current="true")?>', body
    )
    assert len(links) == 6
    current = {code for _href, code, cur in links if cur}
    assert current == {"ru"}
    hrefs = {href.replace("&amp;", "&") for href, _code, _cur in links}
    assert hrefs == {f"/lang/{c}?next=/browse?q%3Ddon" for c in ("az", "ru", "en")}
    assert 'hx-boost="false"' in body  # a full page load, so <html lang> changes too


def test_every_page_carries_hreflang_alternates(browser, make_product):
    product = make_product()
    # A page with a canonical URL (memi.web.seo) names its alternates like its canonical: without a
    # link's extra parameters (ref=x); a page without one keeps them (search results).
    for path in ["/", f"/products/{product.id}?lang=ru&ref=x", "/login", "/no-such-page", "/search?q=x&ref=x"]:
        body = browser.get(path).get_data(as_text=True)
        alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', body))
        assert set(alternates) == {"az", "ru", "en", "x-default"}, path
        base = "http://memi.test" + path.split("?")[0]
        extra = {"/search": "q=x&amp;ref=x&amp;"}.get(path.split("?")[0], "")
        for code in ("az", "ru", "en"):
            assert alternates[code] == f"{base}?{extra}lang={code}"
        assert alternates["x-default"] == base + ("?" + extra[: -len("&amp;")] if extra else "")
    for code in ("az", "ru", "en"):  # each alternate really is that language
        assert html_lang(browser.get(f"/login?lang={code}")) == code


# ---- users.locale -----------------------------------------------------------------------------


def test_api_me_answers_and_updates_locale(api, make_user, db):
    user = make_user(locale="en")
    token = api.tokens(user)["access_token"]
    assert api.get("/users/me", token=token).get_json()["locale"] == "en"
    res = api.patch("/users/me", token=token, json={"locale": "ru"})
    assert res.status_code == 200 and res.get_json()["locale"] == "ru"
    assert api.get("/users/me", token=token).get_json()["locale"] == "ru"
    bad = api.patch("/users/me", token=token, json={"locale": "fr"})
    assert bad.status_code == 400
    error = bad.get_json()["error"]
    assert error["code"] == "validation_error" and "locale" in error["details"]
    assert api.get("/users/me", token=token).get_json()["locale"] == "ru"


def test_the_database_refuses_other_languages(app, make_user, db):
    user = make_user()
    with pytest.raises(sa.exc.IntegrityError):
        with db.session.begin_nested():
            db.session.execute(sa.update(User).where(User.id == user.id).values(locale="fr"))


def test_registration_keeps_the_language_the_person_was_using(browser, api, db):
    browser.post(
        "/register",
        data={"name": "Nigar", "email": "nigar@example.az", "password": "long-enough"},
        headers={"Accept-Language": "ru"},
    )
    browser.set_cookie("lang", "en")
    browser.post("/logout")
    res = api.post(
        "/auth/register",
        json={"email": "leyla@example.az", "password": "long-enough", "name": "Leyla"},
        headers={"Accept-Language": "az"},
    )
    assert res.status_code == 201 and res.get_json()["user"]["locale"] == "az"
    locales = dict(db.session.execute(sa.select(User.email, User.locale)).all())
    assert locales["nigar@example.az"] == "ru"


def test_profile_page_changes_the_language(client, make_user, login, db):
    user = make_user(locale="en")
    login(user)
    page = client.get("/profile").get_data(as_text=True)
    assert 'name="locale"' in page and '<option selected value="en">English</option>' in page
    res = client.post("/profile", data={"name": user.name, "city": "Baku", "locale": "az"})
    assert res.status_code == 302
    assert db.session.scalar(sa.select(User.locale).where(User.id == user.id)) == "az"
    assert "lang=az" in res.headers["Set-Cookie"]
    bad = client.post("/profile", data={"name": user.name, "locale": "xx"})
    assert bad.status_code == 400
    assert db.session.scalar(sa.select(User.locale).where(User.id == user.id)) == "az"


# ---- emails and notifications in the reader's language -------------------------------------------


def shipped_ru(msgid):
    """The shipped Russian catalogue's translation of `msgid` (what a Russian reader really gets)."""
    with open(Path(__file__).resolve().parents[2] / "memi/translations/ru/LC_MESSAGES/messages.po", "rb") as f:
        message = read_po(f).get(msgid)
    assert message is not None and message.string, f"{msgid!r} is not translated to Russian"
    return message.string


@pytest.fixture
def fresh_catalogues(app):
    """The real catalogues, freshly loaded: Flask-Babel caches translations per locale for every app,
    and another test may have loaded a catalogue of its own."""
    with app.app_context():
        babel.domain_instance.cache.clear()
    yield
    with app.app_context():
        babel.domain_instance.cache.clear()


@pytest.fixture
def rendered_locales(app):
    """{template name: the language it was rendered in}, for every template rendered meanwhile."""
    seen = {}

    def record(_sender, template, context, **_):
        seen[template.name] = str(get_locale())

    template_rendered.connect(record, app)
    yield seen
    template_rendered.disconnect(record, app)


def test_reset_email_is_in_the_recipients_language_not_the_requests(
    app, api, make_user, smtp_server, fresh_catalogues, rendered_locales, db
):
    """A Russian-speaking user asks for a reset from an Azerbaijani browser: the email (subject from the
    ru catalogue; body rendered under the ru locale) is Russian, through the real SMTP server."""
    user = make_user(locale="ru")
    res = api.post("/auth/password/forgot", json={"email": user.email}, headers={"Accept-Language": "az"})
    assert res.status_code == 202
    assert rendered_locales["email/password_reset.txt"] == "ru"
    assert rendered_locales["email/password_reset.html"] == "ru"
    rcpt, message = deliver_one_over_smtp(app, smtp_server)
    assert rcpt == [user.email]
    assert message["Subject"] == shipped_ru("Reset your memi.az password")
    assert '<html lang="ru">' in message.get_body(("html",)).get_content()
    # And an English-speaking user asking from a Russian browser gets English.
    other = make_user(locale="en")
    api.post("/auth/password/forgot", json={"email": other.email}, headers={"Accept-Language": "ru"})
    row = db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.user_id == other.id)).one()
    assert row.subject == "Reset your memi.az password"


def _wants_favorite_emails(app, db, user):
    from memi.notifications.services import set_email_prefs

    with app.test_request_context():
        set_email_prefs(db.session.get(User, user.id), {"favorite"})
        db.session.commit()


def _price_drop(app, db, user, price="1200.50"):
    from memi.notifications.listeners import _generic_email
    from memi.notifications.services import notify

    payload = {"product_id": 1, "title": "Don", "new_price": price}
    with app.test_request_context(headers={"Accept-Language": "az"}):  # whoever caused it reads az
        notify(user.id, "favorite.price_dropped", payload, email=_generic_email("favorite.price_dropped", payload))
        db.session.commit()


def test_pushed_frame_and_email_follow_the_recipient_not_the_sender(app, make_user, monkeypatch, fresh_catalogues, db):
    """The frame pushed to the recipient's sockets and the email are rendered in the recipient's saved
    language (prices as that language writes them), not in the language of the request that caused them."""
    from memi.notifications import services

    frames = []
    emit = services.events.emit

    def capture(session, signal, **data):
        if signal is services.events.notification_created:
            frames.append(data["frame"])
        return emit(session, signal, **data)

    monkeypatch.setattr(services.events, "emit", capture)
    fan = make_user(locale="ru")
    _wants_favorite_emails(app, db, fan)
    _price_drop(app, db, fan)
    now_costs = shipped_ru("“%(title)s” is now %(price)s")
    # Russian words, grouping and decimal comma
    assert frames[-1]["text"] == now_costs % {"title": "Don", "price": "1\xa0200,50 ₼"}
    email = db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.user_id == fan.id)).one()
    # one header line: the no-break space is a space
    assert email.subject == now_costs % {"title": "Don", "price": "1 200,50 ₼"}
    assert "1\xa0200,50 ₼" in email.body_text
    english = make_user(locale="en")
    _wants_favorite_emails(app, db, english)
    _price_drop(app, db, english)
    assert frames[-1]["text"] == "“Don” is now 1,200.50 ₼"
    email = db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.user_id == english.id)).one()
    assert email.subject == "“Don” is now 1,200.50 ₼"


def test_old_notifications_read_in_the_readers_new_language(app, api, client, login, make_user, fresh_catalogues, db):
    """Notifications are rendered when read: after switching to Russian, the same rows read in Russian
    on the page, in the bell's list and in the API (which follows Accept-Language)."""
    user = make_user(locale="en")
    db.session.add(
        Notification(
            user_id=user.id,
            type="reservation.accepted",
            payload={"product_id": 1, "title": "Don"},
            created_at=datetime.now(UTC) - timedelta(minutes=5),
        )
    )
    db.session.commit()
    login(user)
    page = client.get("/notifications").get_data(as_text=True)
    assert "The seller is holding “Don” for you" in page
    assert "5 min. ago" in page
    client.get("/lang/ru?next=/notifications")
    page = client.get("/notifications").get_data(as_text=True)
    holding = shipped_ru("The seller is holding “%(title)s” for you") % {"title": "Don"}
    assert holding in page
    assert "5 мин. назад" in page
    token = api.tokens(user)["access_token"]
    [item] = api.get("/notifications", token=token, headers={"Accept-Language": "ru"}).get_json()["items"]
    assert item["text"] == holding and item["url"] == "/products/1"
    [item] = api.get("/notifications", token=token, headers={"Accept-Language": "en"}).get_json()["items"]
    assert item["text"] == "The seller is holding “Don” for you"


# ---- formatting in the reader's language ---------------------------------------------------------


@pytest.mark.parametrize(
    "lang,moment,ago,price",
    [
        ("en", "Nov 30, 2026, 22:04", "5 min. ago", "1,200.50 ₼"),
        ("az", "30 noy 2026, 22:04", "5 dəq əvvəl", "1.200,50 ₼"),
        ("ru", "30 нояб. 2026\u202fг., 22:04", "5 мин. назад", "1\xa0200,50 ₼"),
    ],
)
def test_formatters_follow_the_readers_language_with_one_24_hour_clock(app, lang, moment, ago, price):
    from memi.formats import format_moment, format_price, format_relative

    at = datetime(2026, 11, 30, 18, 4, 39, tzinfo=UTC)  # 22:04:39 in Baku
    with app.test_request_context(headers={"Accept-Language": lang}):
        assert format_moment(at) == moment  # no seconds, no AM/PM, Baku time
        assert format_moment(at.replace(tzinfo=None)) == moment  # naive UTC (SQLite)
        assert format_relative(at, now=at + timedelta(minutes=5, seconds=10)) == ago
        assert format_relative(at, now=at + timedelta(seconds=10)) == format_relative(at, now=at)
        assert format_relative(at, now=at + timedelta(days=8)) == moment  # a week on: the date itself
        assert format_price("1200.50") == price


def test_message_emails_and_their_digest_are_in_the_recipients_language(
    api, make_user, make_product, rendered_locales, fresh_catalogues, db
):
    """A buyer writing in English to a seller who reads Russian: the seller's new-message email and the
    digest that batches the next ones are rendered in Russian (plural subject included)."""
    seller = make_user(name="Seller", locale="ru")
    buyer = make_user(name="Buyer", locale="en")
    product = make_product(seller=seller, title="Parka")
    token = api.tokens(buyer)["access_token"]
    english = {"Accept-Language": "en"}
    chat = api.post("/chats", token=token, json={"product_id": product.id, "message": "Hi!"}, headers=english)
    assert rendered_locales.pop("email/notify_message.txt") == "ru"
    for body in ("Still there?", "Hello?"):
        api.post(f"/chats/{chat.get_json()['id']}/messages", token=token, json={"body": body}, headers=english)
    assert rendered_locales["email/notify_message_digest.txt"] == "ru"
    subjects = db.session.scalars(
        sa.select(OutgoingEmail.subject).where(OutgoingEmail.user_id == seller.id).order_by(OutgoingEmail.id)
    ).all()
    one = shipped_ru("New message about “%(title)s”")
    two = shipped_ru("%(num)d new message about “%(title)s”")[1]  # Russian's form for 2 to 4
    assert subjects == [one % {"title": "Parka"}, two % {"num": 2, "title": "Parka"}]


def test_the_expiry_job_writes_to_each_side_in_their_own_language(
    app, api, make_user, make_product, rendered_locales, db
):
    """The worker's path (no request at all): a lapsed hold is announced to a Russian-reading buyer and
    an English-reading seller, each email rendered in its reader's language."""
    from memi.reservations import services as reservations
    from memi.reservations.models import Reservation

    seller = make_user(name="Seller", locale="en")
    buyer = make_user(name="Buyer", locale="ru")
    product = make_product(seller=seller, title="Parka")
    tokens = {u.id: api.tokens(u)["access_token"] for u in (seller, buyer)}
    rid = api.post(f"/products/{product.id}/reservations", token=tokens[buyer.id], json={}).get_json()["id"]
    assert api.post(f"/reservations/{rid}/accept", token=tokens[seller.id]).status_code == 200
    expires_at = db.session.get(Reservation, rid).expires_at
    locales_by_email = []

    def record(_sender, template, context, **_):
        if template.name == "email/notify_generic.txt":
            locales_by_email.append((context["user"].email, str(get_locale())))

    template_rendered.connect(record, app)
    try:
        with app.app_context():
            assert reservations.expire_due_reservations(expires_at + timedelta(seconds=1)) == 1
            db.session.commit()  # as the job does
    finally:
        template_rendered.disconnect(record, app)
    assert sorted(locales_by_email) == sorted([(seller.email, "en"), (buyer.email, "ru")])


def test_member_since_reads_as_a_russian_sentence(client, make_user, make_product, fresh_catalogues):
    """«на memi.az с ноября 2026», not «с ноябрь 2026»: after «с» the month takes the genitive, which
    in Russian ends in -я or -а (the nominative never does)."""
    product = make_product(seller=make_user())
    page = client.get(f"/products/{product.id}", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert re.search(r"на memi\.az с [а-я]+[яа] \d{4}", page), re.findall(r"на memi\.az с [^<·]*", page)
