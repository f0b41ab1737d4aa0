import pytest


@pytest.fixture
def make_product(app, db, make_user):
    """A listing through the real service (so it is indexed for search like any other)."""

    def make(seller=None, **fields):
        from memi.products.services import create_product

        seller = seller or make_user()
        data = {
            "title": "Blue denim jacket",
            "description": "Worn twice, no stains.",
            "price": "45.00",
            "condition": "VERY_GOOD",
            "category": "women-clothing",
            "subcategory": "women-jackets-and-coats",
            "size": "M",
            "color": "Blue",
            "brand": "Levi's",
        }
        status = fields.pop("status", None)
        data.update(fields)
        with app.test_request_context():
            product = create_product(seller, data)
            if status:
                from memi.products.models import Product

                db.session.get(Product, product.id).status = status
            db.session.commit()
            return product

    return make
