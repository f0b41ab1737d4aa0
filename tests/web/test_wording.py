"""Words a shopper reads: previews cut at a word with an ellipsis, filters named as the panel names
them, the photo formats we take, reservation refusals as sentences, the corrected query in the tab
title, and a page past the last one."""

import re

import pytest
import sqlalchemy as sa

from memi.formats import shorten
from memi.notifications.models import Notification
from memi.statuses import _REQUEST_IS, ReservationStatus


def test_shorten_cuts_at_a_word_with_an_ellipsis():
    text = "Salam! Is the green parka still for sale, and could you send one more photo of the sleeves?"
    short = shorten(text, 40)
    assert len(short) <= 40
    assert short == "Salam! Is the green parka still for…"
    assert text.startswith(short[:-1])


def test_shorten_leaves_short_text_alone_and_keeps_one_line():
    assert shorten("Hi!", 80) == "Hi!"
    assert shorten("two\nlines  here", 80) == "two lines here"
    assert shorten("", 80) == "" and shorten(None, 80) == ""


def test_shorten_cuts_a_very_long_word_inside_it():
    assert shorten("a" * 100, 10) == "a" * 9 + "…"
    assert shorten("ok " + "b" * 100, 10) == "ok " + "b" * 6 + "…"


def test_a_message_notification_preview_ends_at_a_word(api, make_user, make_product, db):
    seller, buyer = make_user(name="Seller"), make_user(name="Buyer")
    product = make_product(seller=seller, title="Green parka")
    token = api.tokens(buyer)["access_token"]
    body = "Salam! " + "Is the green parka still for sale, and could you send one more photo of it? " * 2
    api.post("/chats", token=token, json={"product_id": product.id, "message": body})
    payload = db.session.scalar(sa.select(Notification.payload).where(Notification.user_id == seller.id))
    preview = payload["preview"]
    assert preview.endswith("…") and len(preview) <= 80
    assert body.startswith(preview[:-1]) and body[len(preview) - 1] == " "


def test_filters_not_understood_are_named_as_the_panel_names_them(client, make_product):
    make_product(title="Anything")
    html = client.get("/search?min_price=cheap&sort=weird").get_data(as_text=True)
    assert "Some filters were not understood and were left out: Minimum price, Sort by." in html
    assert "min_price." not in html


def test_the_sell_page_names_heic_and_the_picker_offers_it(client, make_user, login):
    login(make_user())
    html = client.get("/sell").get_data(as_text=True)
    assert "JPEG, PNG, WebP or HEIC" in html
    assert re.search(r'id="photos"[^>]*accept="[^"]*image/heic', html)


@pytest.mark.parametrize("locale", ["en", "az", "ru"])
def test_reservation_refusals_are_sentences(app, locale):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(locale):
        texts = {status: str(text) for status, text in _REQUEST_IS.items()}
    assert set(texts) == set(ReservationStatus)
    for status, text in texts.items():
        assert text[0].isupper() and text.endswith("."), text
        assert text != f"This request is {status.lower()}.", text  # a status code dropped into a sentence
        assert "request is requested" not in text, text
    if locale != "en":  # each language words them itself
        with app.test_request_context(), force_locale("en"):
            english = {status: str(text) for status, text in _REQUEST_IS.items()}
        assert all(texts[s] != english[s] for s in texts)


def test_reservation_refusal_reads_as_a_sentence(api, make_user, make_product):
    seller, buyer = make_user(), make_user()
    product = make_product(seller=seller)
    token_b, token_s = api.tokens(buyer)["access_token"], api.tokens(seller)["access_token"]
    reservation = api.post(f"/products/{product.id}/reservations", token=token_b, json={}).get_json()
    api.post(f"/reservations/{reservation['id']}/accept", token=token_s)
    res = api.post(f"/reservations/{reservation['id']}/reject", token=token_s)
    assert res.status_code == 409
    assert res.get_json()["error"]["message"] == "The seller has already accepted this request."


def test_the_tab_title_names_the_corrected_query(client, make_product):
    make_product(title="Brown leather boots")
    html = client.get("/search?q=lether").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("leather · ")
    assert "lether" not in title


def test_a_page_past_the_last_says_so_and_links_back(client, make_user, make_product):
    seller = make_user()
    for i in range(30):
        make_product(seller=seller, title=f"Wool coat {i}")
    html = client.get("/search?page=9999").get_data(as_text=True)
    assert "There is no page 9,999 of these results." in html
    assert "Nothing matches these filters yet." not in html
    assert re.search(r'href="/search\?page=2"[^>]*>Go to the last page \(2\)', html)


def test_a_page_past_the_only_page_links_to_the_first(client, make_product):
    make_product(title="Wool coat")
    html = client.get("/search?page=5").get_data(as_text=True)
    assert "There is no page 5 of these results." in html
    assert re.search(r'href="/search"[^>]*>Go to the first page', html)
