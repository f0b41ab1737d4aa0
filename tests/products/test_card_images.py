"""The first row of cards (the largest paint of a listing page) is fetched at once; the rest lazily."""


def test_only_the_first_cards_are_fetched_eagerly(client, make_product, make_user, db):
    from memi.products.models import ProductImage

    seller = make_user()
    for n in range(4):
        product = make_product(seller=seller, title=f"Jacket {n}")
        db.session.add(
            ProductImage(product_id=product.id, key=f"p/{n}.webp", thumb_key=f"t/{n}.webp", width=800, height=1000)
        )
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert html.count('fetchpriority="high"') == 2
    assert html.count('loading="lazy"') >= 2
