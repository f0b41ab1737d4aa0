"""The back office pages: admins only, every action logged; the report form."""

import re

import pytest
import sqlalchemy as sa

from memi.admin.models import AdminActionLog
from memi.products.models import Product
from memi.reports.models import Report
from memi.users.models import User

PAGES = ["/admin/users", "/admin/listings", "/admin/reports", "/admin/actions", "/admin/categories"]


@pytest.mark.parametrize("path", PAGES)
def test_outsiders(client, make_user, login, path):
    assert client.get(path).status_code == 302  # anonymous: to the login page
    login(make_user())
    res = client.get(path)
    assert res.status_code == 403 and "You can&#39;t do that" in res.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_admin_sees_each_page(client, make_user, login, path):
    login(make_user(role="ADMIN"))
    assert client.get(path).status_code == 200


def test_report_form_then_admin_removes_listing(client, make_user, make_product, login, db):
    seller = make_user(name="Seller")
    product = make_product(seller=seller, title="Fake Rolex")
    reporter = make_user(name="Reporter")
    login(reporter)
    page = client.get(f"/products/{product.id}").get_data(as_text=True)
    link = re.search(r'href="(/report/product/\d+[^"]*)"', page).group(1).replace("&amp;", "&")
    assert client.get(link).status_code == 200
    res = client.post(
        link,
        data={"reason": "COUNTERFEIT", "details": "Clearly fake", "next": f"/products/{product.id}"},
        follow_redirects=True,
    )
    assert "Thank you. Our team will look at it soon." in res.get_data(as_text=True)
    res = client.post(link, data={"reason": "COUNTERFEIT"}, follow_redirects=True)
    assert "You already reported this" in res.get_data(as_text=True)
    client.post("/logout")

    admin = make_user(role="ADMIN")
    login(admin)
    queue = client.get("/admin/reports").get_data(as_text=True)
    rid = re.search(r"/admin/reports/(\d+)", queue).group(1)
    detail = client.get(f"/admin/reports/{rid}").get_data(as_text=True)
    assert "Fake Rolex" in detail and "Clearly fake" in detail
    res = client.post(f"/admin/reports/{rid}", data={"action": "REMOVE_PRODUCT", "note": "Counterfeit watch"})
    assert res.status_code == 302
    assert db.session.get(Product, product.id).removed_at is not None
    assert db.session.get(Report, int(rid)).status == "RESOLVED"
    client.post("/logout")
    assert client.get(f"/products/{product.id}").status_code == 404


def test_block_unblock_promote_from_user_page(client, make_user, login, db):
    admin = make_user(role="ADMIN")
    target = make_user(name="Target")
    login(admin)
    assert "Target" in client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    client.post(f"/admin/users/{target.id}", data={"action": "block", "reason": "Spam"})
    assert db.session.get(User, target.id).is_blocked
    client.post(f"/admin/users/{target.id}", data={"action": "unblock", "reason": "Appeal"})
    res = client.post(f"/admin/users/{admin.id}", data={"action": "demote"}, follow_redirects=True)
    assert "This is the last admin" in res.get_data(as_text=True)  # API.md: the last admin stays (409)
    assert db.session.get(User, admin.id).role == "ADMIN"
    client.post(f"/admin/users/{target.id}", data={"action": "promote"})
    assert db.session.get(User, target.id).role == "ADMIN"
    logged = db.session.scalars(sa.select(AdminActionLog.action).where(AdminActionLog.target_id == target.id)).all()
    assert logged == ["user.block", "user.unblock", "user.promote"]
    assert "user.promote" in client.get("/admin/actions?action=user.promote").get_data(as_text=True)


def test_remove_and_restore_listing_page(client, make_user, make_product, login, db):
    product = make_product()
    login(make_user(role="ADMIN"))
    client.post(f"/admin/listings/{product.id}", data={"action": "remove", "reason": "Prohibited"})
    assert db.session.get(Product, product.id).removed_reason == "Prohibited"
    client.post(f"/admin/listings/{product.id}", data={"action": "restore", "reason": "Mistake"})
    assert db.session.get(Product, product.id).removed_at is None
