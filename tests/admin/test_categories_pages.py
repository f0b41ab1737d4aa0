"""Category management pages: admins only; every change is logged."""

import sqlalchemy as sa

from memi.admin.models import AdminActionLog
from memi.categories.models import Category, Subcategory


def test_anonymous_and_users_are_kept_out(client, make_user, login):
    assert client.get("/admin/categories").status_code == 302
    login(make_user())
    assert client.get("/admin/categories").status_code == 403
    res = client.post("/admin/categories", data={"action": "create-category", "name": "Hacked"})
    assert res.status_code == 403


def test_admin_manages_categories_and_each_change_is_logged(client, make_user, login, db):
    admin = make_user(role="ADMIN")
    login(admin)
    assert "Women&#39;s clothing" in client.get("/admin/categories").get_data(as_text=True)
    vintage = {"name": "Vintage", "name_az": "Vintaj", "name_ru": "Винтаж"}
    client.post("/admin/categories", data={"action": "create-category", **vintage})
    cat = db.session.scalars(sa.select(Category).where(Category.slug == "vintage")).one()
    client.post(
        "/admin/categories",
        data={"action": "create-subcategory", "category_id": cat.id, "name": "Y2K", "name_az": "Y2K", "name_ru": "Y2K"},
    )
    sub = db.session.scalars(sa.select(Subcategory).where(Subcategory.slug == "y2k")).one()
    client.post("/admin/categories", data={"action": "rename-subcategory", "id": sub.id, "name": "Y2K & 2000s"})
    assert db.session.get(Subcategory, sub.id).name == "Y2K & 2000s"
    res = client.post("/admin/categories", data={"action": "create-category", **vintage}, follow_redirects=True)
    assert "This slug is already used." in res.get_data(as_text=True)
    client.post("/admin/categories", data={"action": "delete-subcategory", "id": sub.id})
    client.post("/admin/categories", data={"action": "delete-category", "id": cat.id})
    assert db.session.get(Category, cat.id) is None
    actions = db.session.scalars(sa.select(AdminActionLog.action).where(AdminActionLog.admin_id == admin.id)).all()
    assert actions == [
        "category.create",
        "subcategory.create",
        "subcategory.update",
        "subcategory.delete",
        "category.delete",
    ]
