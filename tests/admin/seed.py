"""A back office with something of every kind in it: reports of each reason on a listing, a person and a
chat (one filed by the automated moderation), closed with each outcome, and admin actions of each kind."""

from memi.auth.services import register_user
from memi.extensions import db
from memi.products.services import create_product
from memi.reports.models import REASONS
from tests.support.listing import LISTING

ACTION_KINDS = (
    "user.block",
    "user.unblock",
    "user.promote",
    "user.demote",
    "product.remove",
    "product.restore",
    "report.dismiss",
    "report.remove_product",
    "report.block_user",
    "category.create",
    "category.update",
    "category.delete",
    "subcategory.create",
    "subcategory.update",
    "subcategory.delete",
)


def _listing(seller, title):
    return create_product(
        seller,
        {**LISTING, "title": title},
    )


def seed_back_office(app, tag="bo"):
    """Returns the names and titles the pages should show (a dict). Call inside no request context."""
    from memi.admin import services as admin_services
    from memi.categories import services as categories
    from memi.chat.services import start_chat
    from memi.reports import services as reports

    def person(email, name, password="correct-horse-1"):
        user = register_user(email, password, name, city="Baku", locale="en")
        db.session.commit()  # hashing the next password holds no write lock
        return user

    with app.test_request_context():
        admin = person(f"boss-{tag}@memi.az", "Boss Bahruz", "admin-password-1")
        admin.role = "ADMIN"
        db.session.commit()
        helper = person(f"helper-{tag}@memi.az", "Helper Hicran")
        seller = person(f"seller-{tag}@example.az", "Seller Sabina")
        buyer = person(f"buyer-{tag}@example.az", "Buyer Bahar")
        reporters = [person(f"reporter{i}-{tag}@example.az", f"Reporter Rena{i}") for i in range(len(REASONS))]
        jacket = _listing(seller, "Leather biker jacket")
        db.session.commit()
        coat = _listing(seller, "Wool winter coat")
        db.session.commit()
        scarf = _listing(seller, "Silk patterned scarf")
        db.session.commit()
        chat, _message, _created = start_chat(buyer, jacket.id, "Hello, is it still for sale?")
        db.session.flush()

        filed = []
        for i, reason in enumerate(REASONS):
            who = reporters[i]
            filed.append(reports.create_report(who, "product", coat.id, reason, "Looks wrong"))
            filed.append(reports.create_report(who, "user", seller.id, reason, "Rude"))
        filed.append(reports.create_report(seller, "chat", chat.id, "SPAM", "Spam in the chat"))
        reports.system_report("product", scarf.id, "PROHIBITED_ITEM", "Matched a prohibited word")
        db.session.flush()

        # Every kind of admin action, and reports closed with each outcome.
        reports.resolve_report(admin, filed[0].id, "DISMISS", "Fine")
        reports.resolve_report(admin, filed[2].id, "REMOVE_PRODUCT", "Fake")
        admin_services.restore_product(admin, coat.id, "Appeal upheld")
        admin_services.remove_product(admin, coat.id, "Fake again")
        admin_services.restore_product(admin, coat.id, "Second appeal")
        reports.resolve_report(admin, filed[3].id, "BLOCK_USER", "Repeated")
        admin_services.unblock_user(admin, seller.id, "Appeal")
        admin_services.block_user(admin, buyer.id, "Spam")
        admin_services.set_role(admin, helper.id, "ADMIN", "Helps on weekends")
        admin_services.set_role(admin, helper.id, "USER", "Weekend over")
        names = {"name_az": "Vintaj tapıntılar", "name_ru": "Винтажные находки", "name": "Vintage finds"}
        category = categories.create_category(admin, names | {"slug": f"vintage-{tag}"})
        categories.update_category(admin, category.id, names | {"name": "Vintage finds and more"})
        sub = categories.create_subcategory(
            admin,
            category.id,
            {"name_az": "Şərflər", "name_ru": "Шарфы", "name": "Retro scarves", "slug": f"scarves-{tag}"},
        )
        categories.update_subcategory(admin, sub.id, {"name_az": "Şərflər", "name_ru": "Шарфы", "name": "Retro shawls"})
        kept = categories.create_subcategory(
            admin,
            category.id,
            {"name_az": "Kəmərlər", "name_ru": "Ремни", "name": "Retro belts", "slug": f"belts-{tag}"},
        )
        categories.delete_subcategory(admin, sub.id)  # after creating the next: SQLite reuses a freed id
        doomed = categories.create_category(
            admin, {"name_az": "Müvəqqəti", "name_ru": "Временная", "name": "Temporary shelf", "slug": f"shelf-{tag}"}
        )
        categories.delete_category(admin, doomed.id)
        db.session.commit()
        return {
            "admin_email": admin.email,
            "admin": admin.name,
            "admin_id": admin.id,
            "people": [seller.name, buyer.name, helper.name, reporters[0].name],
            "seller_id": seller.id,
            "titles": [jacket.title, coat.title, scarf.title],
            "coat_id": coat.id,
            "report_ids": [r.id for r in filed],
            "category": "Vintage finds and more",
            "subcategory": kept.name,
        }
