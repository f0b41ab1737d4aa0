"""Photo drafts of the sell and edit forms: photos chosen once survive any validation error, with
JavaScript (uploaded as chosen) and without (kept from the form's own POST); only their owner can
attach them; a listing still has at most eight photos."""

import re

import sqlalchemy as sa

from memi.limits import MAX_IMAGES
from memi.products import services
from memi.products.models import PhotoDraft, Product, ProductImage
from tests.imagedata import image_bytes, upload
from tests.products.test_views import list_with_two_photos, sell_form

TOKEN = re.compile(r'<input type="hidden" name="photo" value="(d\d+|i\d+)">')


def upload_drafts(client, count=1, status=200):
    """Photos uploaded as the page's script does (one request per file); their tokens."""
    tokens = []
    for i in range(count):
        res = client.post(
            "/photos/drafts",
            data={"photos": [upload(image_bytes(color=(10 * i, 80, 120)))]},
            content_type="multipart/form-data",
        )
        assert res.status_code == status, res.get_data(as_text=True)
        tokens += TOKEN.findall(res.get_data(as_text=True))
    return tokens


def drafts_of(db, user):
    return db.session.scalars(sa.select(PhotoDraft).where(PhotoDraft.owner_id == user.id)).all()


def test_uploading_a_draft_needs_a_login(client, db):
    res = client.post("/photos/drafts", data={"photos": [upload(image_bytes())]}, content_type="multipart/form-data")
    assert res.status_code == 302 and "/login" in res.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(PhotoDraft.id))) == 0


def test_a_draft_upload_answers_its_tile(client, make_user, login, db):
    user = make_user()
    login(user)
    res = client.post("/photos/drafts", data={"photos": [upload(image_bytes())]}, content_type="multipart/form-data")
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    (draft,) = drafts_of(db, user)
    assert f'value="d{draft.id}"' in html and "Cover" in html and 'aria-label="Move photo 1 earlier"' in html
    assert draft.key.startswith("products/") and draft.key != draft.thumb_key


def test_a_draft_upload_refuses_what_is_not_a_photo(client, make_user, login, db):
    user = make_user()
    login(user)
    res = client.post(
        "/photos/drafts", data={"photos": [upload(b"<svg/>", "x.jpg")]}, content_type="multipart/form-data"
    )
    assert res.status_code == 415
    assert "JPEG, PNG, WebP or HEIC" in res.get_json()["error"]
    assert drafts_of(db, user) == []


def test_js_path_survives_a_validation_error_and_saves_in_the_chosen_order(client, make_user, login, db):
    user = make_user()
    login(user)
    first, second, third = upload_drafts(client, 3)

    # A missing title: the form comes back with the three photos, in the order sent.
    res = client.post("/sell", data=sell_form(title="", photo=[third, first, second]))
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert "Give the item a title." in html
    assert TOKEN.findall(html) == [third, first, second]
    assert "Please choose the photos again." not in html and "Add at least one photo." not in html

    keys = {f"d{d.id}": d.key for d in drafts_of(db, user)}
    res = client.post("/sell", data=sell_form(photo=[third, first, second]))
    assert res.status_code == 302
    product = db.session.scalars(sa.select(Product)).one()
    images = db.session.scalars(
        sa.select(ProductImage).where(ProductImage.product_id == product.id).order_by(ProductImage.position)
    ).all()
    assert [img.key for img in images] == [keys[third], keys[first], keys[second]]
    assert drafts_of(db, user) == []  # attached: drafts no more


def test_no_js_path_keeps_the_photos_of_a_refused_form(client, make_user, login, db):
    user = make_user()
    login(user)
    res = client.post(
        "/sell",
        data=sell_form(title="", photos=[upload(image_bytes()), upload(image_bytes("PNG"), "b.png")]),
        content_type="multipart/form-data",
    )
    assert res.status_code == 400
    tokens = TOKEN.findall(res.get_data(as_text=True))
    assert len(tokens) == 2 and len(drafts_of(db, user)) == 2

    # Fixed, sent again without choosing a file: the listing gets the two photos.
    res = client.post("/sell", data=sell_form(photo=tokens), content_type="multipart/form-data")
    assert res.status_code == 302
    product = db.session.scalars(sa.select(Product)).one()
    assert (
        db.session.scalar(sa.select(sa.func.count(ProductImage.id)).where(ProductImage.product_id == product.id)) == 2
    )


def test_no_js_photo_buttons_reorder_and_remove(client, make_user, login, db):
    login(make_user())
    a, b, c = upload_drafts(client, 3)
    res = client.post("/sell", data=sell_form(photo=[a, b, c], photo_op=f"earlier:{c}"))
    assert res.status_code == 200  # not a refusal: the form is shown again in its new order
    assert TOKEN.findall(res.get_data(as_text=True)) == [a, c, b]
    res = client.post("/sell", data=sell_form(photo=[a, c, b], photo_op=f"remove:{a}"))
    assert TOKEN.findall(res.get_data(as_text=True)) == [c, b]
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0


def test_only_the_owner_can_attach_a_draft(client, make_user, login, db):
    owner, other = make_user(), make_user()
    login(owner)
    (token,) = upload_drafts(client)
    client.post("/logout")
    login(other)

    res = client.post("/sell", data=sell_form(photo=[token]))
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert token not in TOKEN.findall(html)  # not even shown to them
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0
    assert len(drafts_of(db, owner)) == 1


def test_the_service_refuses_another_persons_draft(app, make_user, make_product, db):
    owner, other = make_user(), make_user()
    product = make_product(seller=other)
    with app.test_request_context():
        (draft,) = services.create_photo_drafts(owner, [image_bytes()])
        db.session.commit()
        try:
            services.set_listing_photos(other, product.id, [f"d{draft.id}"])
        except services.Invalid as exc:
            assert "photos" in exc.fields
        else:
            raise AssertionError("another person's draft was attached")


def test_at_most_eight_photos(client, make_user, login, db):
    user = make_user()
    login(user)
    tokens = upload_drafts(client, MAX_IMAGES + 1)
    res = client.post("/sell", data=sell_form(photo=tokens))
    assert res.status_code == 400
    assert "A listing can have at most 8 photos." in res.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0

    # Eight kept, one more file sent with the form: refused, the eight stay.
    res = client.post(
        "/sell",
        data=sell_form(title="", photo=tokens[:MAX_IMAGES], photos=[upload(image_bytes())]),
        content_type="multipart/form-data",
    )
    assert "Choose at most 8 photos." in res.get_data(as_text=True)
    assert TOKEN.findall(res.get_data(as_text=True)) == tokens[:MAX_IMAGES]

    res = client.post(
        "/photos/drafts",
        data={"photos": [upload(image_bytes()) for _ in range(MAX_IMAGES + 1)]},
        content_type="multipart/form-data",
    )
    assert res.status_code in (400, 413)  # the request's size cap may answer first


def test_live_drafts_of_one_person_are_capped(client, make_user, login, db, monkeypatch):
    monkeypatch.setattr(services, "MAX_LIVE_DRAFTS", 2)
    user = make_user()
    login(user)
    upload_drafts(client, 2)
    res = client.post("/photos/drafts", data={"photos": [upload(image_bytes())]}, content_type="multipart/form-data")
    assert res.status_code == 409
    assert len(drafts_of(db, user)) == 2


def test_an_expired_draft_cannot_be_attached(app, client, make_user, login, db):
    user = make_user()
    login(user)
    (token,) = upload_drafts(client)
    draft = drafts_of(db, user)[0]
    draft.created_at = draft.created_at.replace(year=draft.created_at.year - 1)
    db.session.commit()
    res = client.post("/sell", data=sell_form(photo=[token]))
    assert res.status_code == 400
    assert "Some photos were kept for too long" in res.get_data(as_text=True)


def test_edit_form_adds_reorders_and_removes_photos_on_save(client, make_user, login, db):
    user = make_user()
    login(user)
    product = list_with_two_photos(client, db)
    first, second = [f"i{img.id}" for img in product.images]
    html = client.get(f"/products/{product.id}/edit").get_data(as_text=True)
    assert TOKEN.findall(html) == [first, second]

    (new,) = upload_drafts(client)
    # A validation error keeps the new photo and the order chosen.
    res = client.post(
        f"/products/{product.id}/edit", data=sell_form(title="", photos_managed="1", photo=[new, second, first])
    )
    assert res.status_code == 400
    assert TOKEN.findall(res.get_data(as_text=True)) == [new, second, first]

    draft_key = drafts_of(db, user)[0].key
    res = client.post(
        f"/products/{product.id}/edit", data=sell_form(title="Camel coat", photos_managed="1", photo=[new, second])
    )
    assert res.status_code == 302
    images = db.session.scalars(
        sa.select(ProductImage).where(ProductImage.product_id == product.id).order_by(ProductImage.position)
    ).all()
    assert images[0].key == draft_key and f"i{images[1].id}" == second and len(images) == 2
    assert drafts_of(db, user) == []


def test_edit_without_js_keeps_new_files_through_an_error(client, make_user, login, db):
    user = make_user()
    login(user)
    product = list_with_two_photos(client, db)
    res = client.post(
        f"/products/{product.id}/edit",
        data=sell_form(
            price="free", photos_managed="1", photo=[f"i{i.id}" for i in product.images], photos=[upload(image_bytes())]
        ),
        content_type="multipart/form-data",
    )
    assert res.status_code == 400
    assert len(TOKEN.findall(res.get_data(as_text=True))) == 3 and len(drafts_of(db, user)) == 1


def test_an_outsider_cannot_put_their_draft_on_someone_elses_listing(client, make_user, login, db):
    seller = make_user()
    login(seller)
    product = list_with_two_photos(client, db)
    client.post("/logout")
    outsider = make_user()
    login(outsider)
    (token,) = upload_drafts(client)
    res = client.post(f"/products/{product.id}/edit", data=sell_form(photos_managed="1", photo=[token]))
    assert res.status_code == 403
    count = db.session.scalar(sa.select(sa.func.count(ProductImage.id)).where(ProductImage.product_id == product.id))
    assert count == 2 and len(drafts_of(db, outsider)) == 1


def test_without_js_the_chosen_categorys_subcategories_come_first(client, make_user, login):
    login(make_user())
    res = client.post("/sell", data=sell_form(title="", category="men-clothing", subcategory=""))
    html = res.get_data(as_text=True)
    select = html[html.index('id="subcategory"') :]
    select = select[: select.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]+)"', select)
    assert groups[0] == "Men&#39;s clothing" and len(groups) > 1  # every group, so a changed category still works
    # With JavaScript only the chosen category's group is swapped in.
    partial = client.get("/sell/subcategories?category=men-clothing").get_data(as_text=True)
    assert re.findall(r'<optgroup label="([^"]+)"', partial) == ["Men&#39;s clothing"]


def test_a_blocked_account_cannot_make_drafts(app, make_user, db):
    user = make_user(blocked=True)
    with app.test_request_context():
        try:
            services.create_photo_drafts(user, [image_bytes()])
        except services.Forbidden:
            pass
        else:
            raise AssertionError("a blocked account made a draft")
    assert drafts_of(db, user) == []


def test_draft_uploads_count_against_the_photo_rate(rate_limited_app, make_user, db):
    app = rate_limited_app(PHOTO_UPLOAD_RATE="1 per hour")
    user = make_user()
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": user.plain_password})
    assert upload_drafts(client, 1)
    res = client.post("/photos/drafts", data={"photos": [upload(image_bytes())]}, content_type="multipart/form-data")
    assert res.status_code == 429 and "Retry-After" in res.headers
    assert "many photos" in res.get_json()["error"]
