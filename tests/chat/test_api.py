"""The Chats section of API.md."""

import pytest
import sqlalchemy as sa

from memi.chat.models import Chat, Message


@pytest.fixture
def people(api, make_user, make_product):
    seller, buyer, stranger = make_user(name="Seller"), make_user(name="Buyer"), make_user(name="Stranger")
    product = make_product(seller=seller)
    tokens = {
        name: api.tokens(u)["access_token"]
        for name, u in {"seller": seller, "buyer": buyer, "stranger": stranger}.items()
    }
    return {"seller": seller, "buyer": buyer, "stranger": stranger, "product": product, "t": tokens}


def open_chat(api, people, text="Is it still available?"):
    return api.post("/chats", token=people["t"]["buyer"], json={"product_id": people["product"].id, "message": text})


def test_buyer_opens_chat_then_appends(api, people):
    first = open_chat(api, people)
    assert first.status_code == 201
    chat = first.get_json()
    assert chat["buyer"]["id"] == people["buyer"].id and chat["seller"]["id"] == people["seller"].id
    assert chat["last_message"]["body"] == "Is it still available?"
    again = open_chat(api, people, "Hello?")
    assert again.status_code == 200 and again.get_json()["id"] == chat["id"]
    msgs = api.get(f"/chats/{chat['id']}/messages", token=people["t"]["seller"]).get_json()["items"]
    assert [m["body"] for m in msgs] == ["Hello?", "Is it still available?"]  # newest first


def test_seller_cannot_write_first_and_sold_listing_refuses(api, people, db):
    res = api.post("/chats", token=people["t"]["seller"], json={"product_id": people["product"].id, "message": "Hi"})
    assert res.status_code == 403
    from memi.products.models import Product

    db.session.get(Product, people["product"].id).status = "SOLD"
    db.session.commit()
    assert open_chat(api, people).status_code == 409


def test_body_rules(api, people):
    assert open_chat(api, people, "   ").status_code == 400
    assert open_chat(api, people, "x" * 2001).status_code == 400
    chat_id = open_chat(api, people, "  padded  ").get_json()["id"]
    res = api.post(f"/chats/{chat_id}/messages", token=people["t"]["seller"], json={"body": "<b>hi</b>"})
    assert res.status_code == 201 and res.get_json()["body"] == "<b>hi</b>"
    msgs = api.get(f"/chats/{chat_id}/messages", token=people["t"]["buyer"]).get_json()["items"]
    assert msgs[-1]["body"] == "padded"


def test_bodies_with_control_characters_are_refused_not_stored(api, people, db):
    """Control characters are refused by the chat rule on every path. (A NUL, which PostgreSQL cannot
    store, never even reaches it over HTTP: the door drops NULs from every body; the socket's rule
    refusal is tested in test_socket.py.)"""
    for body in ("ring \u0007", "\u001b[2J"):
        res = open_chat(api, people, body)
        assert res.status_code == 400
        error = res.get_json()["error"]
        assert error["code"] == "validation_error" and "control characters" in " ".join(error["details"]["body"])
    assert db.session.scalar(sa.select(sa.func.count(Chat.id))) == 0
    chat_id = open_chat(api, people, "line one\r\nline two\tend").get_json()["id"]
    res = api.post(f"/chats/{chat_id}/messages", token=people["t"]["seller"], json={"body": "x\u0007"})
    assert res.status_code == 400 and res.get_json()["error"]["code"] == "validation_error"
    res = api.post(f"/chats/{chat_id}/messages", token=people["t"]["seller"], json={"body": "a\u0000b"})
    assert res.status_code == 201 and res.get_json()["body"] == "ab"
    first = api.get(f"/chats/{chat_id}/messages", token=people["t"]["buyer"]).get_json()["items"][-1]
    assert first["body"] == "line one\nline two\tend"  # CRLF from a form is kept as one line break


def test_a_listing_deleted_by_its_seller_is_409_a_moderated_one_404(app, api, people, make_product, make_user, db):
    product = people["product"]
    assert api.delete(f"/products/{product.id}", token=people["t"]["seller"]).status_code == 204
    res = open_chat(api, people)
    assert res.status_code == 409 and res.get_json()["error"]["code"] == "conflict"
    assert "deleted" in res.get_json()["error"]["message"]

    from memi.admin.services import remove_product

    removed = make_product(seller=people["seller"])
    admin = make_user(role="ADMIN")
    with app.test_request_context():
        remove_product(admin, removed.id, "fake")
        db.session.commit()
    res = api.post("/chats", token=people["t"]["buyer"], json={"product_id": removed.id, "message": "Hi"})
    assert res.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Chat.id))) == 0


def test_outsiders_get_404_and_messages_have_no_edit_or_delete(api, people):
    chat_id = open_chat(api, people).get_json()["id"]
    stranger = people["t"]["stranger"]
    assert api.get(f"/chats/{chat_id}", token=stranger).status_code == 404
    assert api.get(f"/chats/{chat_id}/messages", token=stranger).status_code == 404
    assert api.post(f"/chats/{chat_id}/messages", token=stranger, json={"body": "hi"}).status_code == 404
    assert api.post(f"/chats/{chat_id}/block", token=stranger).status_code == 404
    assert api.get(f"/chats/{chat_id}").status_code == 401
    msg_id = api.get(f"/chats/{chat_id}/messages", token=people["t"]["buyer"]).get_json()["items"][0]["id"]
    for method in (api.patch, api.delete, api.put):
        assert method(
            f"/chats/{chat_id}/messages/{msg_id}", token=people["t"]["buyer"], json={"body": "x"}
        ).status_code in (404, 405)


def test_admin_can_read_a_chat(api, people, make_user):
    chat_id = open_chat(api, people).get_json()["id"]
    admin = api.tokens(make_user(role="ADMIN"))["access_token"]
    assert api.get(f"/chats/{chat_id}", token=admin).status_code == 200
    assert api.get(f"/chats/{chat_id}/messages", token=admin).status_code == 200


def test_unread_counts_and_read_marker(api, people):
    chat_id = open_chat(api, people).get_json()["id"]
    api.post(f"/chats/{chat_id}/messages", token=people["t"]["buyer"], json={"body": "second"})
    inbox = api.get("/chats", token=people["t"]["seller"]).get_json()
    assert inbox["items"][0]["unread_count"] == 2 and inbox["meta"]["total"] == 1
    assert api.get("/chats", token=people["t"]["buyer"]).get_json()["items"][0]["unread_count"] == 0
    assert api.post(f"/chats/{chat_id}/read", token=people["t"]["seller"]).status_code == 204
    assert api.get("/chats", token=people["t"]["seller"]).get_json()["items"][0]["unread_count"] == 0


def test_block_and_unblock(api, people):
    chat_id = open_chat(api, people).get_json()["id"]
    assert api.post(f"/chats/{chat_id}/block", token=people["t"]["seller"]).status_code == 204
    for who in ("buyer", "seller"):
        assert api.post(f"/chats/{chat_id}/messages", token=people["t"][who], json={"body": "hi"}).status_code == 403
    assert open_chat(api, people).status_code == 403
    assert api.delete(f"/chats/{chat_id}/block", token=people["t"]["buyer"]).status_code == 403
    assert api.delete(f"/chats/{chat_id}/block", token=people["t"]["seller"]).status_code == 204
    assert api.post(f"/chats/{chat_id}/messages", token=people["t"]["buyer"], json={"body": "hi"}).status_code == 201


def test_each_side_blocks_on_its_own_and_lifts_only_its_own(api, people):
    chat_id = open_chat(api, people).get_json()["id"]
    buyer, seller = people["t"]["buyer"], people["t"]["seller"]

    def state(token):
        body = api.get(f"/chats/{chat_id}", token=token).get_json()
        return body["blocked"], body["blocked_by_me"], body["blocked_by_other"]

    def send(token):
        return api.post(f"/chats/{chat_id}/messages", token=token, json={"body": "hi"}).status_code

    assert api.post(f"/chats/{chat_id}/block", token=buyer).status_code == 204
    assert api.post(f"/chats/{chat_id}/block", token=seller).status_code == 204  # the seller's own block
    assert state(buyer) == (True, True, True) and state(seller) == (True, True, True)
    assert api.delete(f"/chats/{chat_id}/block", token=buyer).status_code == 204
    # The seller's block stands: nobody writes, and the buyer cannot lift it.
    assert state(buyer) == (True, False, True) and state(seller) == (True, True, False)
    assert send(buyer) == 403 and send(seller) == 403
    assert open_chat(api, people).status_code == 403
    assert api.delete(f"/chats/{chat_id}/block", token=buyer).status_code == 403
    assert api.delete(f"/chats/{chat_id}/block", token=seller).status_code == 204
    assert state(buyer) == (False, False, False)
    assert send(buyer) == 201 and send(seller) == 201
    assert api.delete(f"/chats/{chat_id}/block", token=buyer).status_code == 204  # nothing to lift: no-op


def test_paging_back_with_before(api, people):
    """A cursor list (API.md Conventions): {items, meta: {limit, next_before}}, next_before null at the end."""
    chat_id = open_chat(api, people, "m0").get_json()["id"]
    for i in range(1, 5):
        api.post(f"/chats/{chat_id}/messages", token=people["t"]["buyer"], json={"body": f"m{i}"})

    def page(query):
        res = api.get(f"/chats/{chat_id}/messages{query}", token=people["t"]["buyer"])
        assert res.status_code == 200, res.get_json()
        return res.get_json()

    page1 = page("?limit=2")
    assert [m["body"] for m in page1["items"]] == ["m4", "m3"]
    assert page1["meta"] == {"limit": 2, "next_before": page1["items"][-1]["id"]}
    page2 = page(f"?limit=2&before={page1['meta']['next_before']}")
    assert [m["body"] for m in page2["items"]] == ["m2", "m1"]
    page3 = page(f"?limit=2&before={page2['meta']['next_before']}")
    assert [m["body"] for m in page3["items"]] == ["m0"] and page3["meta"]["next_before"] is None
    exact = page("?limit=5")  # exactly the last page: no cursor to a page with nothing on it
    assert len(exact["items"]) == 5 and exact["meta"] == {"limit": 5, "next_before": None}
    assert page("")["meta"] == {"limit": 50, "next_before": None}
    assert api.get(f"/chats/{chat_id}/messages?after=1", token=people["t"]["buyer"]).status_code == 400


def test_chat_page_pages_back_to_earlier_messages(client, login, api, people, db):
    chat_id = open_chat(api, people, "first words").get_json()["id"]
    from memi.chat.models import Message as Msg

    chat = db.session.get(Chat, chat_id)
    for i in range(100):
        db.session.add(Msg(chat_id=chat.id, sender_id=people["buyer"].id, body=f"later {i}"))
    db.session.commit()
    login(people["seller"])
    html = client.get(f"/chats/{chat_id}").get_data(as_text=True)
    assert "later 99" in html and "first words" not in html and "Earlier messages" in html
    oldest_shown = db.session.scalar(
        sa.select(sa.func.min(Msg.id)).where(Msg.chat_id == chat_id, Msg.body == "later 0")
    )
    html = client.get(f"/chats/{chat_id}?before={oldest_shown}").get_data(as_text=True)
    assert "first words" in html and "later 0" not in html and "Earlier messages" not in html


def test_blocked_user_cannot_message_and_chat_refuses_new_messages(api, people, db):
    from memi.users.models import User

    chat_id = open_chat(api, people).get_json()["id"]
    db.session.get(User, people["buyer"].id).is_blocked = True
    db.session.commit()
    res = api.post(f"/chats/{chat_id}/messages", token=people["t"]["seller"], json={"body": "hello?"})
    assert res.status_code == 403


def test_messages_are_rate_limited(app, api, people):
    chat_id = open_chat(api, people).get_json()["id"]
    app.config.update(RATELIMIT_ENABLED=True, CHAT_MESSAGE_RATE="3 per minute")
    try:
        codes = [
            api.post(f"/chats/{chat_id}/messages", token=people["t"]["buyer"], json={"body": "spam"}).status_code
            for _ in range(4)
        ]
    finally:
        app.config.update(RATELIMIT_ENABLED=False, CHAT_MESSAGE_RATE="30 per minute")
    assert codes == [201, 201, 201, 429]


@pytest.mark.no_rollback
def test_twelve_first_messages_at_once_open_one_chat(app, committed_sale):
    _seller, [buyer], product = committed_sale(buyers=1)
    from concurrent.futures import ThreadPoolExecutor

    from memi.chat.services import start_chat
    from memi.extensions import db as _db
    from memi.users.models import User

    def first_message(i):
        with app.test_request_context():
            try:
                user = _db.session.get(User, buyer)
                start_chat(user, product, f"hello {i}")
                _db.session.commit()
                return "ok"
            except Exception as exc:  # noqa: BLE001 - the test reports what happened
                _db.session.rollback()
                return type(exc).__name__
            finally:
                _db.session.remove()

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(first_message, range(12)))
    with app.app_context():
        chats = _db.session.scalar(sa.select(sa.func.count(Chat.id)).where(Chat.product_id == product))
        messages = _db.session.scalar(sa.select(sa.func.count(Message.id)))
        _db.session.remove()
    assert chats == 1
    assert results.count("ok") == messages == 12
