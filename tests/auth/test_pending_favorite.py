"""A logged-out shopper taps a heart: the login (or sign-up) page says why, and once the form is posted
the favorite is saved and the shopper is back on the page they were on."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa

from memi.favorites.models import Favorite


def heart_href(client, path, product_id):
    page = client.get(path).get_data(as_text=True)
    match = re.search(rf'<a id="fav-{product_id}-\w+"[^>]*href="([^"]+)"', page)
    assert match, "no logged-out heart on the page"
    return html.unescape(match.group(1))


def favorites_of(db, user):
    return set(db.session.scalars(sa.select(Favorite.product_id).where(Favorite.user_id == user.id)))


def test_heart_leads_to_a_login_page_that_says_why(client, make_product):
    product = make_product(title="Green silk scarf")
    href = heart_href(client, f"/products/{product.id}", product.id)
    parts = urlsplit(href)
    assert parts.path == "/login"
    assert parse_qs(parts.query) == {"next": [f"/products/{product.id}"], "favorite": [str(product.id)]}

    page = client.get(href).get_data(as_text=True)
    assert "Log in to save “Green silk scarf” to your favorites." in page
    assert f'<input id="favorite" name="favorite" type="hidden" value="{product.id}">' in page
    # The way to sign up instead keeps the favorite and the way back.
    assert f"/register?next=/products/{product.id}&amp;favorite={product.id}" in page


def test_heart_on_a_list_comes_back_to_that_list(client, make_product):
    product = make_product()
    href = heart_href(client, "/search?q=denim&page=1", product.id)
    assert parse_qs(urlsplit(href).query)["next"] == ["/search?q=denim&page=1"]


def test_login_saves_the_favorite_once_and_goes_back(client, db, make_user, make_product):
    user = make_user()
    product = make_product()
    form = {"email": user.email, "password": user.plain_password, "next": f"/products/{product.id}"}
    res = client.post("/login", data={**form, "favorite": str(product.id)})
    assert res.status_code == 302
    assert res.headers["Location"] == f"/products/{product.id}"
    assert favorites_of(db, user) == {product.id}
    page = client.get(res.headers["Location"]).get_data(as_text=True)
    assert "Saved to your favorites." in page
    assert 'aria-pressed="true"' in page
    # Logging in again with the same pending favorite does not count it twice.
    client.post("/logout")
    client.post("/login", data={**form, "favorite": str(product.id)})
    db.session.expire_all()
    assert db.session.get(type(product), product.id).favorite_count == 1


def test_sign_up_saves_the_favorite(client, db, make_product):
    product = make_product()
    res = client.post(
        "/register",
        data={
            "name": "Nigar",
            "email": "nigar.fav@example.az",
            "password": "long-enough",
            "next": f"/products/{product.id}",
            "favorite": str(product.id),
        },
    )
    assert res.headers["Location"] == f"/products/{product.id}"
    from memi.users.models import User

    user = db.session.scalar(sa.select(User).where(User.email == "nigar.fav@example.az"))
    assert favorites_of(db, user) == {product.id}


def test_a_bad_or_hidden_pending_favorite_is_ignored(client, db, make_user, make_product):
    user = make_user()
    gone = make_product(status="DELETED")
    for raw in ("abc", "-1", "999999999", str(gone.id), "1" * 40):
        client.post("/logout")
        res = client.post("/login", data={"email": user.email, "password": user.plain_password, "favorite": raw})
        assert res.status_code == 302
    assert favorites_of(db, user) == set()
    assert "Log in to save" not in client.get(f"/login?favorite={gone.id}").get_data(as_text=True)


def test_a_get_never_saves_a_favorite(client, db, make_user, make_product, login):
    user = make_user()
    product = make_product()
    login(user)
    res = client.get(f"/login?next=/&favorite={product.id}")
    assert res.status_code == 302
    assert favorites_of(db, user) == set()
