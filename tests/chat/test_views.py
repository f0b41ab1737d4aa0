"""Chat and reservation pages, with and without htmx, and their outsiders."""

import re

import sqlalchemy as sa

from memi.chat.models import Chat, Message


def test_message_seller_flow_without_javascript(client, make_user, make_product, login, db):
    seller = make_user(name="Seller")
    product = make_product(seller=seller)
    buyer = make_user(name="Buyer")
    login(buyer)
    html = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "Message seller" in html and "Request reservation" in html
    res = client.post(f"/products/{product.id}/message", data={"body": "Hello! Still available?"})
    assert res.status_code == 302
    chat = db.session.scalars(sa.select(Chat)).one()
    page = client.get(res.headers["Location"]).get_data(as_text=True)
    assert "Hello! Still available?" in page and "msg--mine" in page
    res = client.post(f"/chats/{chat.id}/messages", data={"body": "<script>alert(1)</script>"})
    assert res.status_code == 302
    page = client.get(f"/chats/{chat.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    # Going to "Message seller" again lands in the same chat.
    assert client.get(f"/products/{product.id}/message").headers["Location"].endswith(f"/chats/{chat.id}")


def test_seller_sees_inbox_with_unread_badge(client, make_user, make_product, login, api):
    seller = make_user(name="Seller")
    product = make_product(seller=seller, title="Silk blouse")
    buyer = make_user(name="Buyer")
    api.post("/chats", token=api.tokens(buyer)["access_token"], json={"product_id": product.id, "message": "Hi"})
    login(seller)
    inbox = client.get("/chats").get_data(as_text=True)
    assert "Silk blouse" in inbox and "Buyer" in inbox and 'class="count-badge"' in inbox
    assert re.search(r'id="inbox-count" class="count-dot">1<', inbox)


def test_message_seller_not_offered_to_the_seller_and_anonymous_goes_to_login(client, make_user, make_product, login):
    seller = make_user()
    product = make_product(seller=seller)
    res = client.get(f"/products/{product.id}/message")
    assert res.status_code == 302 and f"next=/products/{product.id}/message" in res.headers["Location"].replace(
        "%2F", "/"
    )
    login(seller)
    assert "Message seller" not in client.get(f"/products/{product.id}").get_data(as_text=True)


def test_outsider_cannot_read_or_write_a_chat(client, make_user, make_product, login, api):
    product = make_product()
    buyer = make_user()
    chat = api.post(
        "/chats", token=api.tokens(buyer)["access_token"], json={"product_id": product.id, "message": "Private"}
    ).get_json()
    login(make_user())
    assert client.get(f"/chats/{chat['id']}").status_code == 404
    assert client.post(f"/chats/{chat['id']}/messages", data={"body": "intrude"}).status_code == 404
    assert client.post(f"/chats/{chat['id']}/block").status_code == 404


def test_htmx_send_returns_a_fresh_composer_and_the_message(client, make_user, make_product, login, db, api):
    product = make_product()
    buyer = make_user()
    chat = api.post(
        "/chats", token=api.tokens(buyer)["access_token"], json={"product_id": product.id, "message": "First"}
    ).get_json()
    login(buyer)
    res = client.post(f"/chats/{chat['id']}/messages", data={"body": "Second <i>"}, headers={"HX-Request": "true"})
    html = res.get_data(as_text=True)
    assert res.status_code == 200 and 'id="composer"' in html and "<html" not in html
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 2
    # The sent message comes back too, drawn by the message partial and appended to the list out of
    # band, so it shows even while the socket is down (live.js skips the socket's copy by its id).
    message = db.session.scalars(sa.select(Message).order_by(Message.id.desc())).first()
    oob = re.search(r'<ol hx-swap-oob="beforeend:#messages">(.*?)</ol>', html, re.S)
    assert oob and f'id="msg-{message.id}"' in oob.group(1) and "msg--mine" in oob.group(1)
    assert "Second &lt;i&gt;" in oob.group(1)
    assert "Second" not in html.split("<ol")[0]  # the fresh composer is empty
    # Without htmx the same post redirects back to the page, which shows it.
    res = client.post(f"/chats/{chat['id']}/messages", data={"body": "Third"})
    assert res.status_code == 302
    assert "Third" in client.get(res.headers["Location"]).get_data(as_text=True)


def test_a_message_read_live_clears_the_inbox_count_and_the_bell(client, make_user, make_product, login, api):
    """The open chat page posts to its read endpoint when a message arrives over the socket."""
    seller = make_user(name="Seller")
    product = make_product(seller=seller)
    buyer_token = api.tokens(make_user(name="Buyer"))["access_token"]
    chat = api.post("/chats", token=buyer_token, json={"product_id": product.id, "message": "First"}).get_json()
    login(seller)
    page = client.get(f"/chats/{chat['id']}").get_data(as_text=True)
    assert f'data-read-url="/chats/{chat["id"]}/read"' in page
    assert re.search(r'id="bell-count" class="count-dot" hidden>0<', page)  # opening the chat read it
    api.post(f"/chats/{chat['id']}/messages", token=buyer_token, json={"body": "Arrives live"})
    # The other reservation notification stays: only this chat's message notifications are read.
    api.post(f"/products/{product.id}/reservations", token=buyer_token, json={})
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'id="inbox-count" class="count-dot">1<', home)
    assert re.search(r'id="bell-count" class="count-dot">2<', home)
    assert client.post(f"/chats/{chat['id']}/read").status_code == 204
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'id="inbox-count" class="count-dot" hidden>0<', home)
    assert re.search(r'id="bell-count" class="count-dot">1<', home)
    client.post("/logout")
    login(make_user())
    assert client.post(f"/chats/{chat['id']}/read").status_code == 404


def test_block_buttons_follow_each_sides_own_block(client, make_user, make_product, login, api):
    seller = make_user(name="Seller")
    product = make_product(seller=seller)
    buyer = make_user(name="Buyer")
    chat = api.post(
        "/chats", token=api.tokens(buyer)["access_token"], json={"product_id": product.id, "message": "Hi"}
    ).get_json()
    login(buyer)
    client.post(f"/chats/{chat['id']}/block", data={"action": "block"})
    page = client.get(f"/chats/{chat['id']}").get_data(as_text=True)
    assert "You blocked this chat" in page and "Unblock chat" in page and 'id="composer"' not in page
    client.post("/logout")
    login(seller)
    page = client.get(f"/chats/{chat['id']}").get_data(as_text=True)
    assert "This chat is blocked" in page and "Unblock chat" not in page and "Block chat" in page
    client.post(f"/chats/{chat['id']}/block", data={"action": "block"})
    page = client.get(f"/chats/{chat['id']}").get_data(as_text=True)
    assert "You blocked this chat" in page and "Buyer has blocked it too" in page


def test_reservation_pages_request_accept_in_place(client, make_user, make_product, login, db):
    from memi.products.models import Product

    seller = make_user(name="Seller")
    product = make_product(seller=seller)
    buyer = make_user(name="Buyer")
    login(buyer)
    res = client.post(f"/products/{product.id}/reserve", follow_redirects=True)
    assert "Request sent" in res.get_data(as_text=True)
    assert "You asked the seller to hold this." in res.get_data(as_text=True)
    client.post("/logout")
    login(seller)
    page = client.get("/reservations?role=seller").get_data(as_text=True)
    rid = re.search(r'id="reservation-(\d+)"', page).group(1)
    res = client.post(f"/reservations/{rid}/accept", headers={"HX-Request": "true"})
    assert res.status_code == 200 and "Accepted: item reserved" in res.get_data(as_text=True)
    assert "<html" not in res.get_data(as_text=True)
    assert db.session.get(Product, product.id).status == "RESERVED"
    assert "badge--reserved" in client.get(f"/products/{product.id}").get_data(as_text=True)


def test_other_user_cannot_accept(client, make_user, make_product, login, api):
    product = make_product()
    rid = api.post(
        f"/products/{product.id}/reservations", token=api.tokens(make_user())["access_token"], json={}
    ).get_json()["id"]
    login(make_user())
    # Not found, like the API's 404 (API.md: a reservation they are not part of), and nothing changes.
    res = client.post(f"/reservations/{rid}/accept", follow_redirects=True)
    assert res.status_code == 404 and "Only the seller can accept." not in res.get_data(as_text=True)
    assert api.get(f"/products/{product.id}").get_json()["status"] == "ACTIVE"
