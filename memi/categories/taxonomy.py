"""The seeded category taxonomy: (name, slug, [(subcategory name, slug), ...]).

Subcategory slugs are unique site-wide, so a filter can name one without its category.
"""

TAXONOMY = [
    (
        "Women's clothing",
        "women-clothing",
        [
            ("Dresses", "women-dresses"),
            ("Tops & T-shirts", "women-tops-and-t-shirts"),
            ("Blouses & shirts", "women-blouses-and-shirts"),
            ("Sweaters & cardigans", "women-sweaters-and-cardigans"),
            ("Jackets & coats", "women-jackets-and-coats"),
            ("Jeans", "women-jeans"),
            ("Trousers", "women-trousers"),
            ("Skirts", "women-skirts"),
            ("Shorts", "women-shorts"),
            ("Suits & blazers", "women-suits-and-blazers"),
            ("Activewear", "women-activewear"),
            ("Swimwear", "women-swimwear"),
            ("Lingerie & nightwear", "women-lingerie-and-nightwear"),
            ("Maternity", "women-maternity"),
        ],
    ),
    (
        "Men's clothing",
        "men-clothing",
        [
            ("T-shirts", "men-t-shirts"),
            ("Shirts", "men-shirts"),
            ("Sweaters & hoodies", "men-sweaters-and-hoodies"),
            ("Jackets & coats", "men-jackets-and-coats"),
            ("Suits & blazers", "men-suits-and-blazers"),
            ("Jeans", "men-jeans"),
            ("Trousers", "men-trousers"),
            ("Shorts", "men-shorts"),
            ("Activewear", "men-activewear"),
            ("Underwear & socks", "men-underwear-and-socks"),
            ("Traditional wear", "men-traditional-wear"),
        ],
    ),
    (
        "Women's shoes",
        "women-shoes",
        [
            ("Sneakers", "women-sneakers"),
            ("Heels", "women-heels"),
            ("Flats", "women-flats"),
            ("Boots", "women-boots"),
            ("Sandals", "women-sandals"),
            ("Slippers", "women-slippers"),
        ],
    ),
    (
        "Men's shoes",
        "men-shoes",
        [
            ("Sneakers", "men-sneakers"),
            ("Formal shoes", "men-formal-shoes"),
            ("Boots", "men-boots"),
            ("Sandals", "men-sandals"),
            ("Loafers", "men-loafers"),
            ("Sports shoes", "men-sports-shoes"),
        ],
    ),
    (
        "Kids",
        "kids",
        [
            ("Girls' clothing", "girls-clothing"),
            ("Boys' clothing", "boys-clothing"),
            ("Baby clothing", "baby-clothing"),
            ("Kids' shoes", "kids-shoes"),
        ],
    ),
    (
        "Bags",
        "bags",
        [
            ("Handbags", "handbags"),
            ("Shoulder bags", "shoulder-bags"),
            ("Backpacks", "backpacks"),
            ("Clutches", "clutches"),
            ("Tote bags", "tote-bags"),
            ("Wallets & purses", "wallets-and-purses"),
            ("Travel bags", "travel-bags"),
        ],
    ),
    (
        "Accessories",
        "accessories",
        [
            ("Watches", "watches"),
            ("Jewellery", "jewellery"),
            ("Sunglasses", "sunglasses"),
            ("Belts", "belts"),
            ("Hats & caps", "hats-and-caps"),
            ("Scarves & shawls", "scarves-and-shawls"),
            ("Gloves", "gloves"),
            ("Hair accessories", "hair-accessories"),
        ],
    ),
    (
        "Beauty",
        "beauty",
        [
            ("Perfume", "perfume"),
            ("Makeup", "makeup"),
            ("Skincare", "skincare"),
        ],
    ),
]
