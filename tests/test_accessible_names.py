"""Accessible names that carry what the eye sees (the browser-wide check is tests/e2e/test_accessibility.py):
the header's icons are named by text, so the unread count is heard with them; the product page's heart is
named by its visible words."""

import re


def test_header_icons_are_named_with_their_unread_count(client, make_user, make_product, login, api):
    seller = make_user(email="named-seller@example.az")
    buyer = make_user(email="named-buyer@example.az")
    product = make_product(seller=seller)
    token = api.tokens(buyer)["access_token"]
    api.post("/chats", token=token, json={"product_id": product.id, "message": "Hello there"})
    login(seller)
    html = client.get("/").get_data(as_text=True)
    # "Messages 1 unread", "Notifications 1 unread": no aria-label hides the count.
    inbox = re.search(r'<a class="icon-button" href="/chats">(.*?)</a>', html, re.S).group(1)
    assert '<span class="visually-hidden">Messages</span>' in inbox
    assert re.search(
        r'id="inbox-count" class="count-dot">1</span><span class="visually-hidden count-label"> unread<', inbox
    )
    bell = re.search(r'<a class="icon-button" href="/notifications">(.*?)</a>', html, re.S).group(1)
    assert '<span class="visually-hidden">Notifications</span>' in bell
    assert re.search(
        r'id="bell-count" class="count-dot">1</span><span class="visually-hidden count-label"> unread<', bell
    )

    client.post("/notifications/read-all")
    html = client.get("/notifications").get_data(as_text=True)
    assert re.search(
        r'id="bell-count" class="count-dot" hidden>0</span><span class="visually-hidden count-label" hidden>', html
    )


def test_the_product_page_heart_is_named_by_its_words(client, make_user, make_product, login):
    product = make_product()
    page = client.get(f"/products/{product.id}").get_data(as_text=True)
    heart = re.search(r'<a id="fav-\d+-detail"(.*?)</a>', page, re.S).group(0)
    assert "aria-label" not in heart
    assert '<span class="visually-hidden"> (Log in to add to favorites)</span>' in heart

    login(make_user(email="named-fan@example.az"))
    page = client.get(f"/products/{product.id}").get_data(as_text=True)
    heart = re.search(r'<button type="submit" class="fav-button[^>]*>', page).group(0)
    assert "aria-label" not in heart and 'aria-pressed="false"' in heart
