"""category names: categories and subcategories get name_az and name_ru beside name (English)

Every category and subcategory is named in Azerbaijani, Russian and English; readers see the one in their
language, slugs stay as they are. The seeded taxonomy's rows get their Azerbaijani and Russian names
(found by slug); any other row (one an admin added) gets its English name in both until an admin names it,
so no name is ever empty. The names are written out here, not imported from the app, so this migration
does the same thing whatever the taxonomy later becomes.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# slug: (Azerbaijani, Russian)
CATEGORY_NAMES = {
    "women-clothing": ("Qadın geyimləri", "Женская одежда"),
    "men-clothing": ("Kişi geyimləri", "Мужская одежда"),
    "women-shoes": ("Qadın ayaqqabıları", "Женская обувь"),
    "men-shoes": ("Kişi ayaqqabıları", "Мужская обувь"),
    "kids": ("Uşaqlar üçün", "Детям"),
    "bags": ("Çantalar", "Сумки"),
    "accessories": ("Aksesuarlar", "Аксессуары"),
    "beauty": ("Gözəllik", "Красота"),
}
SUBCATEGORY_NAMES = {
    "women-dresses": ("Donlar", "Платья"),
    "women-tops-and-t-shirts": ("Toplar və futbolkalar", "Топы и футболки"),
    "women-blouses-and-shirts": ("Bluzlar və köynəklər", "Блузки и рубашки"),
    "women-sweaters-and-cardigans": ("Sviterlər və kardiqanlar", "Свитеры и кардиганы"),
    "women-jackets-and-coats": ("Gödəkçələr və paltolar", "Куртки и пальто"),
    "women-jeans": ("Cins şalvarlar", "Джинсы"),
    "women-trousers": ("Şalvarlar", "Брюки"),
    "women-skirts": ("Ətəklər", "Юбки"),
    "women-shorts": ("Şortlar", "Шорты"),
    "women-suits-and-blazers": ("Kostyumlar və pencəklər", "Костюмы и жакеты"),
    "women-activewear": ("İdman geyimləri", "Спортивная одежда"),
    "women-swimwear": ("Çimərlik geyimləri", "Купальники"),
    "women-lingerie-and-nightwear": ("Alt paltarları və gecə geyimləri", "Бельё и одежда для сна"),
    "women-maternity": ("Hamilələr üçün", "Для беременных"),
    "men-t-shirts": ("Futbolkalar", "Футболки"),
    "men-shirts": ("Köynəklər", "Рубашки"),
    "men-sweaters-and-hoodies": ("Sviterlər və hudilər", "Свитеры и худи"),
    "men-jackets-and-coats": ("Gödəkçələr və paltolar", "Куртки и пальто"),
    "men-suits-and-blazers": ("Kostyumlar və pencəklər", "Костюмы и пиджаки"),
    "men-jeans": ("Cins şalvarlar", "Джинсы"),
    "men-trousers": ("Şalvarlar", "Брюки"),
    "men-shorts": ("Şortlar", "Шорты"),
    "men-activewear": ("İdman geyimləri", "Спортивная одежда"),
    "men-underwear-and-socks": ("Alt paltarları və corablar", "Бельё и носки"),
    "men-traditional-wear": ("Milli geyimlər", "Национальная одежда"),
    "women-sneakers": ("Krossovkalar", "Кроссовки"),
    "women-heels": ("Dabanlı ayaqqabılar", "Туфли на каблуке"),
    "women-flats": ("Dabansız ayaqqabılar", "Туфли без каблука"),
    "women-boots": ("Çəkmələr", "Сапоги и ботильоны"),
    "women-sandals": ("Sandallar", "Босоножки"),
    "women-slippers": ("Başmaqlar", "Тапочки"),
    "men-sneakers": ("Krossovkalar", "Кроссовки"),
    "men-formal-shoes": ("Klassik ayaqqabılar", "Классические туфли"),
    "men-boots": ("Çəkmələr", "Ботинки"),
    "men-sandals": ("Sandallar", "Сандалии"),
    "men-loafers": ("Loferlər", "Лоферы"),
    "men-sports-shoes": ("İdman ayaqqabıları", "Спортивная обувь"),
    "girls-clothing": ("Qız geyimləri", "Одежда для девочек"),
    "boys-clothing": ("Oğlan geyimləri", "Одежда для мальчиков"),
    "baby-clothing": ("Körpə geyimləri", "Одежда для малышей"),
    "kids-shoes": ("Uşaq ayaqqabıları", "Детская обувь"),
    "handbags": ("Əl çantaları", "Сумки с ручками"),
    "shoulder-bags": ("Çiyin çantaları", "Сумки через плечо"),
    "backpacks": ("Bel çantaları", "Рюкзаки"),
    "clutches": ("Klatçlar", "Клатчи"),
    "tote-bags": ("Şoperlər", "Шоперы"),
    "wallets-and-purses": ("Pul kisələri", "Кошельки"),
    "travel-bags": ("Yol çantaları", "Дорожные сумки"),
    "watches": ("Saatlar", "Часы"),
    "jewellery": ("Zinət əşyaları", "Украшения"),
    "sunglasses": ("Günəş eynəkləri", "Солнцезащитные очки"),
    "belts": ("Kəmərlər", "Ремни"),
    "hats-and-caps": ("Papaqlar və kepkalar", "Шапки и кепки"),
    "scarves-and-shawls": ("Şərflər və şallar", "Шарфы и платки"),
    "gloves": ("Əlcəklər", "Перчатки"),
    "hair-accessories": ("Saç aksesuarları", "Аксессуары для волос"),
    "perfume": ("Ətirlər", "Парфюмерия"),
    "makeup": ("Makiyaj", "Макияж"),
    "skincare": ("Dəriyə qulluq", "Уход за кожей"),
}
TABLES = {"categories": CATEGORY_NAMES, "subcategories": SUBCATEGORY_NAMES}


def upgrade():
    for table, names in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("name_az", sa.String(length=80), nullable=True))
            batch_op.add_column(sa.Column("name_ru", sa.String(length=80), nullable=True))
        rows = sa.table(table, sa.column("slug"), sa.column("name"), sa.column("name_az"), sa.column("name_ru"))
        update = rows.update().where(rows.c.slug == sa.bindparam("b_slug"))
        op.get_bind().execute(
            update.values(name_az=sa.bindparam("b_az"), name_ru=sa.bindparam("b_ru")),
            [{"b_slug": slug, "b_az": az, "b_ru": ru} for slug, (az, ru) in names.items()],
        )
        op.execute(rows.update().where(rows.c.name_az.is_(None)).values(name_az=rows.c.name))
        op.execute(rows.update().where(rows.c.name_ru.is_(None)).values(name_ru=rows.c.name))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("name_az", existing_type=sa.String(length=80), nullable=False)
            batch_op.alter_column("name_ru", existing_type=sa.String(length=80), nullable=False)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("name_ru")
            batch_op.drop_column("name_az")
