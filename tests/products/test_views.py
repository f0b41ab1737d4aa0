"""Listing pages: home, browse, product page, sell, edit, my listings, favorites — and their outsiders."""

import re

import pytest
import sqlalchemy as sa

from memi.products.models import Product, ProductImage, ProductView
from tests.imagedata import image_bytes, upload


def list_with_two_photos(client, db):
    client.post(
        "/sell",
        data=sell_form(photos=[upload(image_bytes()), upload(image_bytes(color=(0, 0, 255)))]),
        content_type="multipart/form-data",
    )
    return db.session.scalars(sa.select(Product)).one()


def sell_form(**overrides):
    data = {
        "title": "Zara wool coat",
        "description": "Warm, camel colour.",
        "price": "85.50",
        "condition": "VERY_GOOD",
        "category": "women-clothing",
        "subcategory": "women-jackets-and-coats",
        "size": "M",
        "brand": "Zara",
        "color": "Camel",
        "material": "Wool",
        "city": "",
    }
    data.update(overrides)
    return data


def test_home_shows_newest_listings_and_categories(client, make_product):
    make_product(title="Vintage silk scarf", price="19.99")
    html = client.get("/").get_data(as_text=True)
    assert "Vintage silk scarf" in html and "19.99 ₼" in html
    assert "Women&#39;s clothing" in html or "Women's clothing" in html


def test_price_format_drops_zero_cents(client, make_product):
    make_product(title="Round price", price="45.00")
    html = client.get("/").get_data(as_text=True)
    assert "45 ₼" in html and "45.00 ₼" not in html


def test_sell_page_requires_login(client):
    res = client.get("/sell")
    assert res.status_code == 302 and "/login" in res.headers["Location"]


def test_sell_with_two_photos(client, make_user, login, db):
    user = make_user(city="Shaki")
    login(user)
    data = sell_form(photos=[upload(image_bytes()), upload(image_bytes("PNG"), "b.png")])
    res = client.post("/sell", data=data, content_type="multipart/form-data")
    assert res.status_code == 302, res.get_data(as_text=True)[:2000]
    product = db.session.scalars(sa.select(Product).where(Product.title == "Zara wool coat")).one()
    assert product.city == "Shaki" and str(product.price) == "85.50"
    assert (
        db.session.scalar(sa.select(sa.func.count(ProductImage.id)).where(ProductImage.product_id == product.id)) == 2
    )
    page = client.get(res.headers["Location"]).get_data(as_text=True)
    assert "Zara wool coat" in page and "85.50 ₼" in page
    assert page.count('class="gallery-slide"') == 2


def test_sell_errors_keep_typed_values(client, make_user, login):
    login(make_user())
    res = client.post(
        "/sell", data=sell_form(price="free", photos=[upload(image_bytes())]), content_type="multipart/form-data"
    )
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert 'value="Zara wool coat"' in html and "Enter a price like 45 or 45.50." in html
    # The photo chosen came back as a tile (a draft), not as a request to choose it again.
    assert "Please choose the photos again." not in html
    assert re.search(r'<input type="hidden" name="photo" value="d\d+">', html)


def test_sell_shows_every_error_in_one_round(client, make_user, login):
    login(make_user())
    res = client.post(
        "/sell", data=sell_form(price="-5", condition="", category=""), content_type="multipart/form-data"
    )
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    for message in (
        "Must be greater than 0.",
        "Choose the condition.",
        "Choose a category.",
        "Add at least one photo.",
    ):
        assert message in html


def test_sell_without_photos_is_refused(client, make_user, login, db):
    login(make_user())
    res = client.post("/sell", data=sell_form(), content_type="multipart/form-data")
    assert res.status_code == 400
    assert "Add at least one photo." in res.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0


def test_sell_with_a_non_image_is_refused_and_nothing_is_saved(client, make_user, login, db):
    login(make_user())
    res = client.post(
        "/sell",
        data=sell_form(photos=[upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.jpg")]),
        content_type="multipart/form-data",
    )
    assert res.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0


def test_subcategory_options_follow_category(client):
    html = client.get("/sell/subcategories?category=bags").get_data(as_text=True)
    assert "Backpacks" in html and "Dresses" not in html


def test_product_page_and_view_is_recorded(client, make_product, db):
    product = make_product(title="Levi's 501 jeans", description="Classic fit.\nHem shortened.")
    html = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "Levi&#39;s 501 jeans" in html
    assert "Classic fit." in html and "Very good" in html
    assert f'href="/users/{product.seller_id}"' in html
    assert db.session.scalar(sa.select(sa.func.count(ProductView.id))) == 1
    client.get(f"/products/{product.id}")  # a reload is not another view
    assert db.session.scalar(sa.select(sa.func.count(ProductView.id))) == 1
    db.session.expire_all()
    assert db.session.get(Product, product.id).view_count == 1


def test_deleted_product_page_is_404_for_others(client, make_product, make_user, login):
    product = make_product(status="DELETED")
    assert client.get(f"/products/{product.id}").status_code == 404
    login(make_user())
    assert client.get(f"/products/{product.id}").status_code == 404


def test_sold_product_says_so(client, make_product):
    product = make_product(status="SOLD")
    html = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "This item has been sold." in html


def test_browse_filters_and_htmx_partial(client, make_product):
    make_product(title="Nike Air Force", brand="Nike", category="men-shoes", subcategory="men-sneakers")
    make_product(title="Mango dress", brand="Mango", category="women-clothing", subcategory="women-dresses")
    full = client.get("/search?category=men-shoes").get_data(as_text=True)
    assert "Nike Air Force" in full and "Mango dress" not in full and "<html" in full
    part = client.get("/search?q=mango", headers={"HX-Request": "true"})
    html = part.get_data(as_text=True)
    assert "Mango dress" in html and "<html" not in html and 'id="results"' in html
    assert "HX-Request" in part.headers["Vary"]
    # Back after leaving the results: htmx asks for the page to restore, and gets all of it.
    restored = client.get("/search?q=mango", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    html = restored.get_data(as_text=True)
    assert "Mango dress" in html and "<html" in html and 'class="site-header"' in html


def test_browse_size_filter_ignores_case(client, make_product):
    make_product(title="Linen shirt size M", size="M")
    make_product(title="Linen shirt size XL", size="XL")
    html = client.get("/search?size=m").get_data(as_text=True)
    assert "Linen shirt size M" in html and "Linen shirt size XL" not in html


def test_browse_typo_says_what_it_showed(client, make_product):
    make_product(title="Brown leather boots")
    html = client.get("/search?q=lether").get_data(as_text=True)
    assert "Brown leather boots" in html
    assert "No results for “lether” — showing “leather”." in html


def test_browse_bad_parameters_give_a_page_not_an_error(client, make_product):
    make_product(title="Anything")
    res = client.get("/search?min_price=cheap&page=-4&sort=weird&unknown=1")
    assert res.status_code == 200
    assert "were not understood" in res.get_data(as_text=True)


def test_my_listings_status_controls(client, make_user, login, make_product, db):
    user = make_user()
    product = make_product(seller=user)
    login(user)
    assert "Mark reserved" in client.get("/my/listings").get_data(as_text=True)
    res = client.post(f"/products/{product.id}/status", data={"status": "RESERVED"}, headers={"HX-Request": "true"})
    assert res.status_code == 200
    assert "Back on sale" in res.get_data(as_text=True) and "<html" not in res.get_data(as_text=True)
    assert "Marked as reserved" in res.headers["HX-Trigger"]
    client.post(f"/products/{product.id}/status", data={"status": "SOLD"})
    res = client.post(f"/products/{product.id}/status", data={"status": "ACTIVE"}, headers={"HX-Request": "true"})
    assert "cannot become active" in res.headers["HX-Trigger"]
    assert db.session.get(Product, product.id).status == "SOLD"


def test_outsider_cannot_change_status_edit_or_delete(client, make_user, login, make_product, db):
    product = make_product()
    login(make_user())
    assert client.post(f"/products/{product.id}/status", data={"status": "SOLD"}).status_code == 403
    assert client.post(f"/products/{product.id}/delete").status_code == 403
    assert client.get(f"/products/{product.id}/edit").status_code == 403
    assert client.post(f"/products/{product.id}/edit", data=sell_form()).status_code == 403
    assert db.session.get(Product, product.id).status == "ACTIVE"


def test_anonymous_mutations_go_to_login(client, make_product):
    product = make_product()
    for path in (
        f"/products/{product.id}/status",
        f"/products/{product.id}/delete",
        f"/products/{product.id}/favorite",
    ):
        res = client.post(path, data={"status": "SOLD"})
        assert res.status_code == 302 and "/login" in res.headers["Location"]


def test_blocked_user_cannot_sell(client, make_user, login, db):
    from memi.users.models import User

    user = make_user()
    login(user)
    db.session.get(User, user.id).is_blocked = True
    db.session.commit()
    assert client.get("/sell").status_code == 302


def test_edit_form_refuses_a_subcategory_of_another_category(client, make_user, login, make_product, db):
    user = make_user()
    login(user)
    product = make_product(seller=user)
    res = client.post(
        f"/products/{product.id}/edit", data=sell_form(category="men-clothing", subcategory="women-dresses")
    )
    assert res.status_code == 400 and "This subcategory belongs to another category." in res.get_data(as_text=True)
    stored = db.session.get(Product, product.id)
    assert (stored.category.slug, stored.subcategory.slug) == ("women-clothing", "women-jackets-and-coats")
    res = client.post(f"/products/{product.id}/edit", data=sell_form(category="men-clothing", subcategory="men-jeans"))
    assert res.status_code == 302
    page = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "Men&#39;s clothing" in page or "Men's clothing" in page


def test_edit_listing_and_photos(client, make_user, login, db):
    user = make_user()
    login(user)
    product = list_with_two_photos(client, db)
    res = client.post(f"/products/{product.id}/edit", data=sell_form(title="Zara wool coat, camel", price="70"))
    assert res.status_code == 302
    assert db.session.get(Product, product.id).title == "Zara wool coat, camel"
    images = db.session.scalars(sa.select(ProductImage).order_by(ProductImage.position)).all()
    first, second = images[0].id, images[1].id
    client.post(f"/products/{product.id}/photos/{second}/move", data={"direction": "up"})
    order = db.session.scalars(sa.select(ProductImage.id).order_by(ProductImage.position)).all()
    assert order == [second, first]
    client.post(f"/products/{product.id}/photos/{first}/delete")
    assert db.session.scalars(sa.select(ProductImage.id)).all() == [second]
    client.post(
        f"/products/{product.id}/photos", data={"photos": [upload(image_bytes())]}, content_type="multipart/form-data"
    )
    assert db.session.scalar(sa.select(sa.func.count(ProductImage.id))) == 2


def test_delete_from_my_listings(client, make_user, login, make_product, db):
    user = make_user()
    product = make_product(seller=user)
    login(user)
    res = client.post(f"/products/{product.id}/delete")
    assert res.status_code == 302
    assert db.session.get(Product, product.id).status == "DELETED"
    assert "Blue denim jacket" not in client.get("/my/listings").get_data(as_text=True)


def test_favorite_heart_toggles_in_place(client, make_user, login, make_product):
    product = make_product()
    login(make_user())
    res = client.post(f"/products/{product.id}/favorite", data={"action": "add"}, headers={"HX-Request": "true"})
    html = res.get_data(as_text=True)
    assert f'id="fav-{product.id}-card"' in html and 'aria-pressed="true"' in html and "<html" not in html
    assert "Blue denim jacket" in client.get("/favorites").get_data(as_text=True)
    res = client.post(f"/products/{product.id}/favorite", data={"action": "remove"}, headers={"HX-Request": "true"})
    assert 'aria-pressed="false"' in res.get_data(as_text=True)
    assert "No favorites yet" in client.get("/favorites").get_data(as_text=True)


def test_public_profile_lists_the_sellers_items(client, make_user, make_product):
    seller = make_user(name="Kamala")
    make_product(seller=seller, title="Pleated midi skirt")
    make_product(seller=seller, title="Gone skirt", status="SOLD")
    html = client.get(f"/users/{seller.id}").get_data(as_text=True)
    assert "Pleated midi skirt" in html and "Gone skirt" not in html and "1 item for sale" in html


def test_user_text_in_listing_is_escaped(client, make_product):
    product = make_product(title='<img src=x onerror="alert(1)">', description="<script>alert(2)</script>")
    html = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "<script>alert(2)</script>" not in html and 'onerror="alert(1)"' not in html


@pytest.mark.parametrize("path", ["/favorites", "/my/listings", "/sell"])
def test_private_pages_need_login(client, path):
    res = client.get(path)
    assert res.status_code == 302 and re.search(r"/login", res.headers["Location"])


def test_photo_files_follow_their_transaction(app, client, make_user, login, db):
    """A rolled-back upload leaves no files; a removed photo's files go once the removal commits."""
    from memi.uploads.storage import get_storage

    user = make_user()
    login(user)
    client.post("/sell", data=sell_form(photos=[upload(image_bytes())]), content_type="multipart/form-data")
    product = db.session.scalars(sa.select(Product)).one()
    image = db.session.scalars(sa.select(ProductImage)).one()
    with app.app_context():
        storage = get_storage()
        assert storage.exists(image.key) and storage.exists(image.thumb_key)

    with app.test_request_context():
        from memi.products.services import add_images, delete_image

        [added] = add_images(user, product.id, [image_bytes(color=(1, 2, 3))])
        db.session.rollback()
        assert not storage.exists(added.key) and not storage.exists(added.thumb_key)

        delete_image(user, product.id, image.id)
        assert storage.exists(image.key)  # not yet committed
        db.session.commit()
        assert not storage.exists(image.key) and not storage.exists(image.thumb_key)


@pytest.mark.parametrize("page", ["99999999999999999999", "9" * 5000, "10001", "-3", "abc"])
@pytest.mark.parametrize("where", ["/my/listings", "/favorites", "/users/{seller}"])
def test_list_pages_take_any_page_number(client, make_user, login, make_product, page, where):
    """A page number people or crawlers typed is a page (the first, or an empty one), never a 500."""
    seller = make_user()
    product = make_product(seller=seller, title="Pleated midi skirt")
    login(seller)
    client.post(f"/products/{product.id}/favorite", data={"action": "add"})
    res = client.get(where.format(seller=seller.id) + "?page=" + page)
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    if page in ("-3", "abc"):
        assert "Pleated midi skirt" in html  # page 1
    else:
        assert "Pleated midi skirt" not in html  # a page past the end


def test_page_arg_bounds(app):
    from memi.web.pagination import MAX_PAGE, page_arg

    for raw, expected in [
        ("3", 3),
        ("003", 3),
        ("10000", 10000),
        ("10001", MAX_PAGE),
        ("0", 1),
        ("-1", 1),
        ("+2", 1),
        ("٣", 1),
        ("1_0", 1),
        ("", 1),
        ("1e3", 1),
    ]:
        with app.test_request_context("/", query_string={"page": raw}):
            assert page_arg() == expected, raw
    with app.test_request_context("/"):
        assert page_arg() == 1


def test_photos_of_a_sold_listing_stay_as_they_are(client, make_user, login, db):
    user = make_user()
    login(user)
    product = list_with_two_photos(client, db)
    first, second = db.session.scalars(sa.select(ProductImage.id).order_by(ProductImage.position)).all()
    client.post(f"/products/{product.id}/status", data={"status": "SOLD"})
    for path, data in [
        (f"/products/{product.id}/photos/{first}/delete", {}),
        (f"/products/{product.id}/photos/{second}/move", {"direction": "up"}),
        (f"/products/{product.id}/photos", {"photos": [upload(image_bytes())]}),
    ]:
        res = client.post(path, data=data, content_type="multipart/form-data", follow_redirects=True)
        assert "The photos of a sold listing can no longer be changed." in res.get_data(as_text=True)
    assert db.session.scalars(sa.select(ProductImage.id).order_by(ProductImage.position)).all() == [first, second]


def test_a_moderated_away_listing_is_404_to_outsiders_on_mutations(client, make_user, login, make_product, db):
    from memi.columns import utcnow

    product = make_product()
    db.session.get(Product, product.id).removed_at = utcnow()
    db.session.commit()
    login(make_user())
    assert client.post(f"/products/{product.id}/status", data={"status": "SOLD"}).status_code == 404
    assert client.post(f"/products/{product.id}/delete").status_code == 404
    assert client.get(f"/products/{product.id}/edit").status_code == 404
    assert db.session.get(Product, product.id).status == "ACTIVE"


@pytest.mark.parametrize("status", ["", "LOST", "DELETED", "active"])
def test_status_control_with_a_bad_value_names_the_statuses(client, make_user, login, make_product, db, status):
    user = make_user()
    product = make_product(seller=user)
    login(user)
    res = client.post(f"/products/{product.id}/status", data={"status": status}, headers={"HX-Request": "true"})
    assert res.status_code == 200
    assert "Choose a status: on sale, reserved or sold." in res.headers["HX-Trigger"]
    res = client.post(f"/products/{product.id}/status", data={"status": status}, follow_redirects=True)
    html = res.get_data(as_text=True)
    assert "Choose a status: on sale, reserved or sold." in html and "The data is not valid." not in html
    assert db.session.get(Product, product.id).status == "ACTIVE"
