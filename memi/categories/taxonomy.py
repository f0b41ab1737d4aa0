"""The seeded category taxonomy: (slug, names, [(subcategory slug, names), ...]), each `names` a dict of
the English, Azerbaijani and Russian names.

Subcategory slugs are unique site-wide, so a filter can name one without its category. Slugs never
change (links, saved searches and the API use them); names may. Top-level names are nouns of a section
("Women's clothing"); subcategory names are plural nouns ("Dresses", "Donlar", "Платья") or the usual
shop phrase where none exists ("Maternity", "Hamilələr üçün", "Для беременных").
"""


def _n(en, az, ru):
    return {"en": en, "az": az, "ru": ru}


TAXONOMY = [
    (
        "women-clothing",
        _n("Women's clothing", "Qadın geyimləri", "Женская одежда"),
        [
            ("women-dresses", _n("Dresses", "Donlar", "Платья")),
            ("women-tops-and-t-shirts", _n("Tops & T-shirts", "Toplar və futbolkalar", "Топы и футболки")),
            ("women-blouses-and-shirts", _n("Blouses & shirts", "Bluzlar və köynəklər", "Блузки и рубашки")),
            (
                "women-sweaters-and-cardigans",
                _n("Sweaters & cardigans", "Sviterlər və kardiqanlar", "Свитеры и кардиганы"),
            ),
            ("women-jackets-and-coats", _n("Jackets & coats", "Gödəkçələr və paltolar", "Куртки и пальто")),
            ("women-jeans", _n("Jeans", "Cins şalvarlar", "Джинсы")),
            ("women-trousers", _n("Trousers", "Şalvarlar", "Брюки")),
            ("women-skirts", _n("Skirts", "Ətəklər", "Юбки")),
            ("women-shorts", _n("Shorts", "Şortlar", "Шорты")),
            ("women-suits-and-blazers", _n("Suits & blazers", "Kostyumlar və pencəklər", "Костюмы и жакеты")),
            ("women-activewear", _n("Activewear", "İdman geyimləri", "Спортивная одежда")),
            ("women-swimwear", _n("Swimwear", "Çimərlik geyimləri", "Купальники")),
            (
                "women-lingerie-and-nightwear",
                _n("Lingerie & nightwear", "Alt paltarları və gecə geyimləri", "Бельё и одежда для сна"),
            ),
            ("women-maternity", _n("Maternity", "Hamilələr üçün", "Для беременных")),
        ],
    ),
    (
        "men-clothing",
        _n("Men's clothing", "Kişi geyimləri", "Мужская одежда"),
        [
            ("men-t-shirts", _n("T-shirts", "Futbolkalar", "Футболки")),
            ("men-shirts", _n("Shirts", "Köynəklər", "Рубашки")),
            ("men-sweaters-and-hoodies", _n("Sweaters & hoodies", "Sviterlər və hudilər", "Свитеры и худи")),
            ("men-jackets-and-coats", _n("Jackets & coats", "Gödəkçələr və paltolar", "Куртки и пальто")),
            ("men-suits-and-blazers", _n("Suits & blazers", "Kostyumlar və pencəklər", "Костюмы и пиджаки")),
            ("men-jeans", _n("Jeans", "Cins şalvarlar", "Джинсы")),
            ("men-trousers", _n("Trousers", "Şalvarlar", "Брюки")),
            ("men-shorts", _n("Shorts", "Şortlar", "Шорты")),
            ("men-activewear", _n("Activewear", "İdman geyimləri", "Спортивная одежда")),
            ("men-underwear-and-socks", _n("Underwear & socks", "Alt paltarları və corablar", "Бельё и носки")),
            ("men-traditional-wear", _n("Traditional wear", "Milli geyimlər", "Национальная одежда")),
        ],
    ),
    (
        "women-shoes",
        _n("Women's shoes", "Qadın ayaqqabıları", "Женская обувь"),
        [
            ("women-sneakers", _n("Sneakers", "Krossovkalar", "Кроссовки")),
            ("women-heels", _n("Heels", "Dabanlı ayaqqabılar", "Туфли на каблуке")),
            ("women-flats", _n("Flats", "Dabansız ayaqqabılar", "Туфли без каблука")),
            ("women-boots", _n("Boots", "Çəkmələr", "Сапоги и ботильоны")),
            ("women-sandals", _n("Sandals", "Sandallar", "Босоножки")),
            ("women-slippers", _n("Slippers", "Başmaqlar", "Тапочки")),
        ],
    ),
    (
        "men-shoes",
        _n("Men's shoes", "Kişi ayaqqabıları", "Мужская обувь"),
        [
            ("men-sneakers", _n("Sneakers", "Krossovkalar", "Кроссовки")),
            ("men-formal-shoes", _n("Formal shoes", "Klassik ayaqqabılar", "Классические туфли")),
            ("men-boots", _n("Boots", "Çəkmələr", "Ботинки")),
            ("men-sandals", _n("Sandals", "Sandallar", "Сандалии")),
            ("men-loafers", _n("Loafers", "Loferlər", "Лоферы")),
            ("men-sports-shoes", _n("Sports shoes", "İdman ayaqqabıları", "Спортивная обувь")),
        ],
    ),
    (
        "kids",
        _n("Kids", "Uşaqlar üçün", "Детям"),
        [
            ("girls-clothing", _n("Girls' clothing", "Qız geyimləri", "Одежда для девочек")),
            ("boys-clothing", _n("Boys' clothing", "Oğlan geyimləri", "Одежда для мальчиков")),
            ("baby-clothing", _n("Baby clothing", "Körpə geyimləri", "Одежда для малышей")),
            ("kids-shoes", _n("Kids' shoes", "Uşaq ayaqqabıları", "Детская обувь")),
        ],
    ),
    (
        "bags",
        _n("Bags", "Çantalar", "Сумки"),
        [
            ("handbags", _n("Handbags", "Əl çantaları", "Сумки с ручками")),
            ("shoulder-bags", _n("Shoulder bags", "Çiyin çantaları", "Сумки через плечо")),
            ("backpacks", _n("Backpacks", "Bel çantaları", "Рюкзаки")),
            ("clutches", _n("Clutches", "Klatçlar", "Клатчи")),
            ("tote-bags", _n("Tote bags", "Şoperlər", "Шоперы")),
            ("wallets-and-purses", _n("Wallets & purses", "Pul kisələri", "Кошельки")),
            ("travel-bags", _n("Travel bags", "Yol çantaları", "Дорожные сумки")),
        ],
    ),
    (
        "accessories",
        _n("Accessories", "Aksesuarlar", "Аксессуары"),
        [
            ("watches", _n("Watches", "Saatlar", "Часы")),
            ("jewellery", _n("Jewellery", "Zinət əşyaları", "Украшения")),
            ("sunglasses", _n("Sunglasses", "Günəş eynəkləri", "Солнцезащитные очки")),
            ("belts", _n("Belts", "Kəmərlər", "Ремни")),
            ("hats-and-caps", _n("Hats & caps", "Papaqlar və kepkalar", "Шапки и кепки")),
            ("scarves-and-shawls", _n("Scarves & shawls", "Şərflər və şallar", "Шарфы и платки")),
            ("gloves", _n("Gloves", "Əlcəklər", "Перчатки")),
            ("hair-accessories", _n("Hair accessories", "Saç aksesuarları", "Аксессуары для волос")),
        ],
    ),
    (
        "beauty",
        _n("Beauty", "Gözəllik", "Красота"),
        [
            ("perfume", _n("Perfume", "Ətirlər", "Парфюмерия")),
            ("makeup", _n("Makeup", "Makiyaj", "Макияж")),
            ("skincare", _n("Skincare", "Dəriyə qulluq", "Уход за кожей")),
        ],
    ),
]
