"""Category slugs and the id-or-slug lookup."""

import pytest

from memi.categories.models import Category, Subcategory
from memi.categories.services import find_by_id_or_slug, slugify


@pytest.mark.parametrize(
    "text,slug",
    [
        ("Vintage & retro", "vintage-retro"),
        ("Men's shoes", "mens-shoes"),
        ("Çəkmələr", "cekmeler"),
        ("2024", "c-2024"),
        (" 70 / 80 ", "70-80"),
        ("007", "c-007"),
        ("", ""),
    ],
)
def test_slugify_never_gives_digits_alone(text, slug):
    assert slugify(text) == slug


def test_digit_names_and_slugs_do_not_shadow_ids(api, make_user, make_product, db):
    """A category named "2024" (or given the slug "2024") must not be confused with the category whose
    id is 2024, nor make a listing's category unreachable by its slug."""
    admin = api.tokens(make_user(role="ADMIN"))["access_token"]
    res = api.post("/categories", token=admin, json={"name": "2024", "name_az": "2024", "name_ru": "2024"})
    assert res.status_code == 201 and res.get_json()["slug"] == "c-2024"
    cid = res.get_json()["id"]
    res = api.post(
        f"/categories/{cid}/subcategories",
        token=admin,
        json={"name": "Drop 1", "name_az": "Drop 1", "name_ru": "Дроп 1", "slug": "1"},
    )
    assert res.status_code == 201 and res.get_json()["slug"] == "c-1"
    sub_id = res.get_json()["id"]
    assert api.patch(f"/categories/{cid}", token=admin, json={"slug": "42"}).get_json()["slug"] == "c-42"

    assert find_by_id_or_slug(Category, "c-42").id == cid
    assert find_by_id_or_slug(Category, str(cid)).id == cid
    assert find_by_id_or_slug(Subcategory, "c-1").id == sub_id
    # "1" still means the subcategory with id 1 (a seeded one), not the one whose name is "1".
    assert find_by_id_or_slug(Subcategory, "1").id == 1 != sub_id

    product = make_product(category="c-42", subcategory="c-1")
    assert (product.category_id, product.subcategory_id) == (cid, sub_id)
    found = api.get("/products?category=c-42&subcategory=c-1").get_json()["items"]
    assert [p["id"] for p in found] == [product.id]
    assert [p["id"] for p in api.get(f"/products?category={cid}").get_json()["items"]] == [product.id]
