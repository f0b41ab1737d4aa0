"""Demo data: sellers, realistic listings and generated photos, in bulk (`flask demo-data`).

For trying the app and for `make bench`. Rows go in with bulk statements (COPY on PostgreSQL, multi-row
INSERT on SQLite), never one ORM object at a time, so 100,000 listings take well under a minute. Every
demo seller shares one password hash (bcrypt per user would cost minutes) and every listing points at
one or two of a couple of dozen generated photos.
"""

import io
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from memi.categories.models import Category
from memi.extensions import db
from memi.products.models import Product, ProductImage, SearchTerm
from memi.products.search import words_of
from memi.users.models import User

DEMO_PASSWORD = "demo-password"
EMAIL_DOMAIN = "memi.test"
DEFAULT_SEED = 20240601
BATCH = 5000
AGE_DAYS = 180
PHOTO_SIZE = (800, 1000)
THUMB_SIZE = (320, 400)

# ---- vocabulary -------------------------------------------------------------------------------
# fmt: off

# (column value, Azerbaijani adjective), with how often each turns up.
COLOURS = [
    ("Black", "qara", 16), ("White", "ağ", 11), ("Grey", "boz", 6), ("Beige", "bej", 7), ("Brown", "qəhvəyi", 5),
    ("Navy", "tünd göy", 5), ("Blue", "mavi", 8), ("Light blue", "açıq mavi", 3), ("Green", "yaşıl", 4),
    ("Khaki", "xaki", 3), ("Red", "qırmızı", 5), ("Burgundy", "bordo", 3), ("Pink", "çəhrayı", 5),
    ("Purple", "bənövşəyi", 2), ("Yellow", "sarı", 2), ("Orange", "narıncı", 1), ("Cream", "krem", 3),
    ("Multicolour", "rəngbərəng", 2),
]
METAL_COLOURS = [
    ("Silver", "gümüşü", 5), ("Gold", "qızılı", 5), ("Black", "qara", 3), ("Rose gold", "çəhrayı qızılı", 2),
]

MATERIALS = {
    "cloth": [
        ("Cotton", "pambıq"), ("Linen", "kətan"), ("Viscose", "viskoza"), ("Polyester", "polyester"),
        ("Silk", "ipək"), ("Wool", "yun"), ("Knit", "toxunma"),
    ],
    "outer": [
        ("Leather", "dəri"), ("Faux leather", "süni dəri"), ("Suede", "zamşa"), ("Wool", "yun"), ("Denim", "cins"),
        ("Cotton", "pambıq"), ("Nylon", "neylon"), ("Cashmere", "kaşemir"),
    ],
    "denim": [("Denim", "cins"), ("Stretch denim", "elastik cins")],
    "sport": [("Polyester", "polyester"), ("Cotton", "pambıq"), ("Nylon", "neylon"), ("Fleece", "flis")],
    "shoe": [
        ("Leather", "dəri"), ("Suede", "zamşa"), ("Textile", "tekstil"), ("Canvas", "kətan"),
        ("Patent leather", "lak dəri"), ("Synthetic", "sintetik"),
    ],
    "bag": [
        ("Leather", "dəri"), ("Faux leather", "süni dəri"), ("Canvas", "kətan"), ("Nylon", "neylon"),
        ("Suede", "zamşa"),
    ],
    "watch": [("Stainless steel", "polad"), ("Leather strap", "dəri qayışlı"), ("Silicone", "silikon")],
    "jewel": [("Silver", "gümüş"), ("Gold", "qızıl"), ("Gold-plated", "qızıl suyuna çəkilmiş"), ("Pearl", "mirvari")],
    "acc": [("Leather", "dəri"), ("Wool", "yun"), ("Cotton", "pambıq"), ("Silk", "ipək"), ("Cashmere", "kaşemir")],
    "none": [],
}

ADJECTIVES = {
    "cloth": [
        ("floral", "güllü"), ("oversized", "oversize"), ("slim fit", "dar"), ("vintage", "vintaj"),
        ("summer", "yaylıq"), ("striped", "zolaqlı"), ("cropped", "qısa"), ("classic", "klassik"),
        ("pleated", "büzməli"), ("knitted", "toxunma"), ("high-waisted", "hündürbel"), ("basic", "sadə"),
    ],
    "outer": [
        ("oversized", "oversize"), ("quilted", "sırıqlı"), ("belted", "kəmərli"), ("hooded", "kapişonlu"),
        ("winter", "qışlıq"), ("double-breasted", "ikiyaxalı"), ("vintage", "vintaj"), ("classic", "klassik"),
    ],
    "shoe": [
        ("chunky", "qalın altlıqlı"), ("platform", "platformalı"), ("classic", "klassik"), ("lace-up", "bağcıqlı"),
        ("slip-on", "bağcıqsız"), ("winter", "qışlıq"),
    ],
    "bag": [
        ("mini", "mini"), ("quilted", "sırıqlı"), ("classic", "klassik"), ("large", "böyük"), ("vintage", "vintaj"),
        ("monogram", "monoqramlı"),
    ],
    "plain": [("classic", "klassik"), ("vintage", "vintaj"), ("elegant", "zərif"), ("minimalist", "minimalist")],
}

_POPULAR = 10
_COMMON = 4
_NICHE = 1
_RARE = 0.05
FASHION = [
    ("Zara", _POPULAR), ("Mango", 7), ("H&M", 7), ("Massimo Dutti", _COMMON), ("LC Waikiki", 7), ("Koton", 6),
    ("Bershka", 6), ("Pull&Bear", 6), ("Stradivarius", 5), ("DeFacto", 5), ("Mavi", 3), ("Colin's", 2), ("Uniqlo", 2),
    ("Tommy Hilfiger", 2), ("Calvin Klein", 2), ("Guess", _NICHE), ("Michael Kors", _NICHE), ("Gucci", 0.5),
    ("Max Mara", 0.3), ("Reserved", 2), ("Ipekyol", _NICHE), ("Vakko", 0.5), ("Sandro", 0.2), ("Maje", 0.2),
    ("Ganni", _RARE), ("Jacquemus", _RARE), ("Acne Studios", _RARE),
]
MEN_FASHION = [
    ("Zara", _POPULAR), ("H&M", 6), ("Massimo Dutti", 5), ("LC Waikiki", 7), ("Koton", 5), ("DeFacto", 5),
    ("Pull&Bear", 5), ("Bershka", 3), ("Mavi", 3), ("Colin's", 3), ("Tommy Hilfiger", 3), ("Lacoste", 2),
    ("Ralph Lauren", 2), ("Hugo Boss", 2), ("Calvin Klein", 2), ("Uniqlo", 2), ("Altınyıldız", _NICHE),
    ("Gucci", 0.3), ("Stone Island", 0.2), ("Arket", _RARE),
]
DENIM = [
    ("Levi's", _POPULAR), ("Mavi", 5), ("Colin's", 4), ("Zara", 5), ("Pull&Bear", 4), ("Bershka", 3), ("Wrangler", 2),
    ("Lee", 2), ("LC Waikiki", 4), ("Diesel", _NICHE),
]
SPORT = [
    ("Nike", _POPULAR), ("Adidas", 9), ("Puma", 5), ("Reebok", 3), ("Under Armour", 2), ("New Balance", 2),
    ("Asics", _NICHE), ("Fila", _NICHE), ("Decathlon", 3), ("Lululemon", 0.3),
]
SWIM = [
    ("Zara", 4), ("H&M", 4), ("Calzedonia", 3), ("Women'secret", 2), ("Koton", 3), ("Arena", _NICHE),
    ("Speedo", _NICHE),
]
TRADITIONAL = [(None, 5), ("Handmade", 2)]
WOMEN_SHOES = [
    ("Zara", 7), ("Mango", 4), ("Bershka", 4), ("Nike", 6), ("Adidas", 5), ("Skechers", 3), ("Converse", 3),
    ("Steve Madden", 2), ("Aldo", 2), ("Ecco", 2), ("Michael Kors", _NICHE), ("Guess", _NICHE),
    ("Dr. Martens", _NICHE), ("Gucci", 0.2), ("Christian Louboutin", _RARE),
]
MEN_SHOES = [
    ("Nike", _POPULAR), ("Adidas", 8), ("Puma", 4), ("New Balance", 4), ("Skechers", 3), ("Ecco", 3), ("Clarks", 2),
    ("Timberland", 2), ("Dr. Martens", 2), ("Converse", 3), ("Vans", 3), ("Lacoste", 2), ("Massimo Dutti", 2),
    ("Zara", 3), ("Salomon", 0.5), ("Asics", _NICHE),
]
KIDS = [
    ("LC Waikiki", _POPULAR), ("Zara", 5), ("H&M", 5), ("Koton", 4), ("DeFacto", 5), ("Carter's", 2),
    ("Mothercare", 2), ("Next", 2), ("Nike", 2), ("Adidas", 2), ("Chicco", _NICHE),
]
BAGS = [
    ("Michael Kors", 6), ("Guess", 5), ("Zara", 7), ("Mango", 5), ("Coach", 2), ("Furla", 2), ("Tommy Hilfiger", 2),
    ("Calvin Klein", 2), ("Gucci", _NICHE), ("Louis Vuitton", _NICHE), ("Prada", 0.5), ("Eastpak", 2),
    ("Samsonite", 2), ("Herschel", _NICHE), ("Bottega Veneta", _RARE),
]
WATCHES = [
    ("Casio", _POPULAR), ("Tissot", 3), ("Swatch", 3), ("Fossil", 4), ("Seiko", 3), ("Michael Kors", 3),
    ("Daniel Wellington", 3), ("Citizen", 2), ("Guess", 2), ("Orient", _NICHE), ("Rolex", _RARE),
]
JEWELLERY = [(None, 6), ("Pandora", 5), ("Swarovski", 4), ("Handmade", 3), ("Tiffany & Co.", 0.3)]
SUNGLASSES = [
    ("Ray-Ban", _POPULAR), ("Oakley", 2), ("Gucci", 2), ("Prada", 2), ("Polaroid", 3), ("Carrera", 2), ("Zara", 3),
    ("Persol", _RARE),
]
ACCESSORIES = [
    ("Zara", 6), ("Mango", 4), ("H&M", 4), ("Tommy Hilfiger", 2), ("Calvin Klein", 2), ("Levi's", 2), ("Nike", 2),
    ("New Era", _NICHE), ("Gucci", 0.5), (None, 5),
]
PERFUME = [
    ("Chanel", 5), ("Dior", 5), ("Yves Saint Laurent", 3), ("Giorgio Armani", 3), ("Lancôme", 2), ("Tom Ford", 2),
    ("Versace", 3), ("Hugo Boss", 3), ("Paco Rabanne", 3), ("Carolina Herrera", 2),
    ("Maison Francis Kurkdjian", _RARE),
]
MAKEUP = [
    ("MAC", 4), ("Maybelline", 5), ("L'Oréal", 4), ("NYX", 3), ("Huda Beauty", 2), ("Flormar", 4), ("Golden Rose", 4),
    ("Charlotte Tilbury", _NICHE), ("Fenty Beauty", _NICHE),
]
SKINCARE = [
    ("The Ordinary", 4), ("La Roche-Posay", 4), ("CeraVe", 4), ("Vichy", 3), ("Bioderma", 3), ("Nivea", 3),
    ("Clinique", 2), ("Estée Lauder", _NICHE),
]

# Well-known models, by brand: (model, subcategory slugs it fits).
MODELS = {
    "Nike": [
        ("Air Max 90", "sneakers"), ("Air Force 1", "sneakers"), ("Air Jordan 1", "sneakers"),
        ("Dunk Low", "sneakers"), ("Pegasus 40", "sports-shoes"), ("Tech Fleece", "hoodies"),
    ],
    "Adidas": [
        ("Superstar", "sneakers"), ("Stan Smith", "sneakers"), ("Samba", "sneakers"), ("Gazelle", "sneakers"),
        ("Ultraboost", "sports-shoes"), ("Firebird", "activewear"),
    ],
    "Puma": [("Suede Classic", "sneakers"), ("RS-X", "sneakers"), ("Cali", "sneakers")],
    "New Balance": [("574", "sneakers"), ("530", "sneakers"), ("990v5", "sneakers")],
    "Converse": [("Chuck Taylor All Star", "sneakers"), ("Chuck 70", "sneakers")],
    "Vans": [("Old Skool", "sneakers"), ("Sk8-Hi", "sneakers")],
    "Dr. Martens": [("1460", "boots"), ("Jadon", "boots")], "Timberland": [("6-inch Premium", "boots")],
    "Levi's": [("501", "jeans"), ("511 Slim", "jeans"), ("Ribcage", "jeans"), ("Trucker", "jackets-and-coats")],
    "Casio": [("G-Shock", "watches"), ("Vintage A168", "watches"), ("Edifice", "watches")],
    "Seiko": [("Presage", "watches"), ("5 Sports", "watches")],
    "Ray-Ban": [("Wayfarer", "sunglasses"), ("Aviator", "sunglasses"), ("Clubmaster", "sunglasses")],
    "Chanel": [("No. 5", "perfume"), ("Coco Mademoiselle", "perfume"), ("Bleu de Chanel", "perfume")],
    "Dior": [("Sauvage", "perfume"), ("J'adore", "perfume"), ("Miss Dior", "perfume")],
    "Michael Kors": [("Jet Set", "bags"), ("Selma", "bags")], "Guess": [("Noelle", "bags")],
    "Louis Vuitton": [("Neverfull", "bags"), ("Speedy 30", "bags")],
}

# Per subcategory: (kind, shape of the photo, [(item, Azerbaijani item)]).
ITEMS = {
    "women-dresses": (
        "w", "dress",
        [
            ("dress", "don"), ("maxi dress", "maksi don"), ("midi dress", "midi don"), ("summer dress", "yay donu"),
            ("evening dress", "axşam donu"), ("shirt dress", "köynək don"), ("wrap dress", "bürüncək don"),
        ],
    ),
    "women-tops-and-t-shirts": (
        "w", "top",
        [
            ("t-shirt", "futbolka"), ("top", "top"), ("tank top", "mayka"), ("crop top", "krop top"),
            ("bodysuit", "bodi"),
        ],
    ),
    "women-blouses-and-shirts": (
        "w", "top", [("blouse", "bluz"), ("shirt", "köynək"), ("satin blouse", "atlaz bluz")],
    ),
    "women-sweaters-and-cardigans": (
        "w", "coat",
        [("sweater", "sviter"), ("cardigan", "kardiqan"), ("turtleneck", "boğazlı sviter"), ("jumper", "cemper")],
    ),
    "women-jackets-and-coats": (
        "wout", "coat",
        [
            ("jacket", "gödəkçə"), ("coat", "palto"), ("trench coat", "trençkot"), ("puffer jacket", "puxovik"),
            ("biker jacket", "kosuxa"), ("parka", "parka"),
        ],
    ),
    "women-jeans": (
        "denim_w", "trousers",
        [
            ("jeans", "cins şalvar"), ("mom jeans", "mom cins"), ("skinny jeans", "dar cins şalvar"),
            ("wide-leg jeans", "enli cins"),
        ],
    ),
    "women-trousers": (
        "w", "trousers",
        [
            ("trousers", "şalvar"), ("wide-leg trousers", "enli şalvar"), ("cargo pants", "karqo şalvar"),
            ("palazzo pants", "palazzo şalvar"),
        ],
    ),
    "women-skirts": (
        "w", "dress",
        [("skirt", "ətək"), ("midi skirt", "midi ətək"), ("mini skirt", "mini ətək"), ("pleated skirt", "plise ətək")],
    ),
    "women-shorts": ("w", "trousers", [("shorts", "şort"), ("denim shorts", "cins şort")]),
    "women-suits-and-blazers": (
        "wout", "coat", [("blazer", "pencək"), ("trouser suit", "şalvar kostyum"), ("suit", "kostyum")],
    ),
    "women-activewear": (
        "sport_w", "top",
        [("leggings", "tayts"), ("sports bra", "idman topu"), ("tracksuit", "idman kostyumu"), ("hoodie", "hudi")],
    ),
    "women-swimwear": ("swim", "top", [("swimsuit", "çimərlik paltarı"), ("bikini", "bikini")]),
    "women-lingerie-and-nightwear": (
        "w", "top", [("pyjamas", "pijama"), ("nightgown", "gecə köynəyi"), ("robe", "xalat")],
    ),
    "women-maternity": (
        "w", "dress", [("maternity dress", "hamilə donu"), ("maternity jeans", "hamilə cins şalvarı")],
    ),
    "men-t-shirts": (
        "m", "top", [("t-shirt", "futbolka"), ("polo shirt", "polo"), ("long-sleeve t-shirt", "uzunqol futbolka")],
    ),
    "men-shirts": (
        "m", "top",
        [
            ("shirt", "köynək"), ("oxford shirt", "oksford köynək"), ("linen shirt", "kətan köynək"),
            ("flannel shirt", "flanel köynək"),
        ],
    ),
    "men-sweaters-and-hoodies": (
        "m", "coat", [("hoodie", "hudi"), ("sweatshirt", "svitşot"), ("sweater", "sviter"), ("cardigan", "kardiqan")],
    ),
    "men-jackets-and-coats": (
        "mout", "coat",
        [
            ("jacket", "gödəkçə"), ("coat", "palto"), ("bomber jacket", "bomber"), ("puffer jacket", "puxovik"),
            ("parka", "parka"),
        ],
    ),
    "men-suits-and-blazers": ("mout", "coat", [("suit", "kostyum"), ("blazer", "pencək"), ("waistcoat", "jilet")]),
    "men-jeans": (
        "denim_m", "trousers",
        [("jeans", "cins şalvar"), ("slim jeans", "dar cins şalvar"), ("straight jeans", "düz cins şalvar")],
    ),
    "men-trousers": (
        "m", "trousers",
        [("chinos", "çinos"), ("trousers", "şalvar"), ("cargo pants", "karqo şalvar"), ("joggers", "cogger şalvar")],
    ),
    "men-shorts": ("m", "trousers", [("shorts", "şort"), ("swim shorts", "çimərlik şortu")]),
    "men-activewear": (
        "sport_m", "top",
        [("tracksuit", "idman kostyumu"), ("training t-shirt", "idman futbolkası"), ("running shorts", "qaçış şortu")],
    ),
    "men-underwear-and-socks": (
        "m", "top", [("socks set", "corab dəsti"), ("thermal underwear set", "termo alt paltarı dəsti")],
    ),
    "men-traditional-wear": ("trad", "coat", [("chokha", "çuxa"), ("arkhalig", "arxalıq"), ("papakha", "papaq")]),
    "women-sneakers": ("shoe_w", "shoe", [("sneakers", "krossovka"), ("trainers", "idman ayaqqabısı")]),
    "women-heels": (
        "shoe_w", "shoe",
        [("heels", "hündürdaban ayaqqabı"), ("pumps", "tufli"), ("block heels", "qalın dabanlı ayaqqabı")],
    ),
    "women-flats": ("shoe_w", "shoe", [("ballet flats", "balerina"), ("loafers", "loafer"), ("mules", "mül")]),
    "women-boots": (
        "shoe_w", "shoe", [("boots", "çəkmə"), ("ankle boots", "botilyon"), ("knee-high boots", "uzunboğaz çəkmə")],
    ),
    "women-sandals": ("shoe_w", "shoe", [("sandals", "səndəl"), ("espadrilles", "espadril")]),
    "women-slippers": ("shoe_w", "shoe", [("slippers", "terlik"), ("slides", "şap-şap")]),
    "men-sneakers": ("shoe_m", "shoe", [("sneakers", "krossovka"), ("trainers", "idman ayaqqabısı")]),
    "men-formal-shoes": ("shoe_m", "shoe", [("oxford shoes", "klassik ayaqqabı"), ("derby shoes", "derbi ayaqqabı")]),
    "men-boots": ("shoe_m", "shoe", [("boots", "çəkmə"), ("chelsea boots", "çelsi çəkmə")]),
    "men-sandals": ("shoe_m", "shoe", [("sandals", "səndəl"), ("slides", "şap-şap")]),
    "men-loafers": ("shoe_m", "shoe", [("loafers", "loafer"), ("moccasins", "mokasin")]),
    "men-sports-shoes": (
        "shoe_m", "shoe",
        [
            ("running shoes", "qaçış ayaqqabısı"), ("football boots", "butsi"),
            ("basketball shoes", "basketbol ayaqqabısı"),
        ],
    ),
    "girls-clothing": (
        "kids", "dress",
        [
            ("girls' dress", "qız uşaq donu"), ("kids' jacket", "uşaq gödəkçəsi"),
            ("school uniform", "məktəb forması"), ("leggings", "tayts"),
        ],
    ),
    "boys-clothing": (
        "kids", "top",
        [
            ("boys' t-shirt", "oğlan futbolkası"), ("kids' jacket", "uşaq gödəkçəsi"),
            ("school suit", "məktəb kostyumu"), ("tracksuit", "idman kostyumu"),
        ],
    ),
    "baby-clothing": (
        "baby", "top", [("baby bodysuit", "körpə bodisi"), ("romper", "kombinezon"), ("baby set", "körpə dəsti")],
    ),
    "kids-shoes": (
        "shoe_k", "shoe",
        [("kids' sneakers", "uşaq krossovkası"), ("kids' boots", "uşaq çəkməsi"), ("kids' sandals", "uşaq səndəli")],
    ),
    "handbags": ("bag", "bag", [("handbag", "əl çantası"), ("top-handle bag", "əl çantası")]),
    "shoulder-bags": ("bag", "bag", [("shoulder bag", "çiyin çantası"), ("crossbody bag", "çarpaz çanta")]),
    "backpacks": ("bag", "bag", [("backpack", "bel çantası")]),
    "clutches": ("bag", "bag", [("clutch", "klatç"), ("evening bag", "axşam çantası")]),
    "tote-bags": ("bag", "bag", [("tote bag", "tote çanta"), ("shopper bag", "şopper çanta")]),
    "wallets-and-purses": ("bag", "bag", [("wallet", "pul kisəsi"), ("card holder", "kart qabı")]),
    "travel-bags": ("bag", "bag", [("travel bag", "yol çantası"), ("suitcase", "çamadan")]),
    "watches": ("watch", "round", [("watch", "saat"), ("wristwatch", "qol saatı")]),
    "jewellery": (
        "jewel", "round",
        [("necklace", "boyunbağı"), ("bracelet", "qolbaq"), ("earrings", "sırğa"), ("ring", "üzük")],
    ),
    "sunglasses": ("sun", "round", [("sunglasses", "günəş eynəyi")]), "belts": ("acc", "round", [("belt", "kəmər")]),
    "hats-and-caps": ("acc", "round", [("cap", "kepka"), ("beanie", "toxunma papaq"), ("bucket hat", "panama")]),
    "scarves-and-shawls": ("acc", "round", [("scarf", "şərf"), ("shawl", "şal"), ("kelaghayi", "kəlağayı")]),
    "gloves": ("acc", "round", [("gloves", "əlcək")]),
    "hair-accessories": ("acc", "round", [("hair clip", "saç sancağı"), ("headband", "saç bandı")]),
    "perfume": (
        "perfume", "bottle", [("eau de parfum", "parfüm"), ("eau de toilette", "tualet suyu"), ("perfume", "ətir")],
    ),
    "makeup": (
        "makeup", "bottle",
        [
            ("lipstick", "dodaq boyası"), ("foundation", "tonal krem"),
            ("eyeshadow palette", "göz kölgəsi palitrası"), ("mascara", "kirpik tuşu"),
        ],
    ),
    "skincare": (
        "skin", "bottle",
        [
            ("serum", "serum"), ("moisturiser", "nəmləndirici krem"), ("sunscreen", "günəşdən qoruyucu krem"),
            ("cleanser", "təmizləyici gel"),
        ],
    ),
}

ADULT = (["XS", "S", "M", "L", "XL", "XXL"], [7, 20, 28, 24, 13, 8])
MEN = (["S", "M", "L", "XL", "XXL"], [10, 27, 30, 21, 12])
WOMEN_SHOE_SIZES = ([str(s) for s in range(36, 42)], [8, 16, 24, 24, 17, 11])
MEN_SHOE_SIZES = ([str(s) for s in range(40, 47)], [7, 12, 18, 22, 19, 13, 9])
KIDS_SIZES = (["2-3 years", "3-4 years", "4-5 years", "6-7 years", "8-9 years", "10-11 years", "12-13 years"], None)
BABY_SIZES = (["0-3 months", "3-6 months", "6-9 months", "9-12 months", "12-18 months"], None)
KIDS_SHOE_SIZES = ([str(s) for s in range(22, 36)], None)
ONE_SIZE = (["One size"], None)
PERFUME_SIZES = (["30 ml", "50 ml", "90 ml", "100 ml"], [2, 4, 2, 3])

# kind: (brands, sizes, materials, adjectives, colours, (low, high) price in AZN)
KINDS = {
    "w": (FASHION, ADULT, "cloth", "cloth", COLOURS, (8, 90)),
    "wout": (FASHION, ADULT, "outer", "outer", COLOURS, (20, 220)),
    "m": (MEN_FASHION, MEN, "cloth", "cloth", COLOURS, (8, 80)),
    "mout": (MEN_FASHION, MEN, "outer", "outer", COLOURS, (25, 250)),
    "denim_w": (DENIM, ADULT, "denim", "cloth", COLOURS[:8], (12, 110)),
    "denim_m": (DENIM, MEN, "denim", "cloth", COLOURS[:8], (12, 120)),
    "sport_w": (SPORT, ADULT, "sport", "plain", COLOURS, (10, 90)),
    "sport_m": (SPORT, MEN, "sport", "plain", COLOURS, (10, 100)),
    "swim": (SWIM, ADULT, "none", "cloth", COLOURS, (8, 60)),
    "trad": (TRADITIONAL, MEN, "outer", "plain", COLOURS, (40, 300)),
    "shoe_w": (WOMEN_SHOES, WOMEN_SHOE_SIZES, "shoe", "shoe", COLOURS, (15, 180)),
    "shoe_m": (MEN_SHOES, MEN_SHOE_SIZES, "shoe", "shoe", COLOURS, (20, 220)),
    "kids": (KIDS, KIDS_SIZES, "cloth", "plain", COLOURS, (5, 45)),
    "baby": (KIDS, BABY_SIZES, "cloth", "plain", COLOURS, (5, 35)),
    "shoe_k": (KIDS, KIDS_SHOE_SIZES, "shoe", "plain", COLOURS, (8, 60)),
    "bag": (BAGS, ONE_SIZE, "bag", "bag", COLOURS, (12, 350)),
    "watch": (WATCHES, ONE_SIZE, "watch", "plain", METAL_COLOURS, (25, 450)),
    "jewel": (JEWELLERY, ONE_SIZE, "jewel", "plain", METAL_COLOURS, (8, 300)),
    "sun": (SUNGLASSES, ONE_SIZE, "none", "plain", COLOURS[:6], (15, 220)),
    "acc": (ACCESSORIES, ONE_SIZE, "acc", "plain", COLOURS, (5, 70)),
    "perfume": (PERFUME, PERFUME_SIZES, "none", "none", None, (25, 300)),
    "makeup": (MAKEUP, ONE_SIZE, "none", "none", None, (5, 70)),
    "skin": (SKINCARE, ONE_SIZE, "none", "none", None, (6, 70)),
}
BEAUTY_KINDS = {"perfume", "makeup", "skin"}
LUXURY = {
    "Gucci": 3.5, "Louis Vuitton": 4.0, "Prada": 3.5, "Bottega Veneta": 4.0, "Christian Louboutin": 4.0, "Rolex": 5.0,
    "Tiffany & Co.": 3.0, "Max Mara": 2.5, "Stone Island": 2.5, "Tom Ford": 1.5, "Maison Francis Kurkdjian": 1.8,
    "Michael Kors": 1.5, "Jacquemus": 3.0, "Acne Studios": 2.5, "Sandro": 2.0, "Maje": 2.0, "Coach": 1.5,
    "Furla": 1.4, "Hugo Boss": 1.4, "Ralph Lauren": 1.4,
}

# How listings spread over the top categories (share of listings).
CATEGORY_WEIGHTS = {
    "women-clothing": 30, "men-clothing": 17, "women-shoes": 10, "men-shoes": 8, "kids": 10, "bags": 11,
    "accessories": 9, "beauty": 5,
}

# (column value, Azerbaijani name), with the share of sellers.
CITIES = [
    ("Baku", "Bakı", 52), ("Sumqayit", "Sumqayıt", 9), ("Ganja", "Gəncə", 9), ("Mingachevir", "Mingəçevir", 4),
    ("Lankaran", "Lənkəran", 4), ("Shaki", "Şəki", 3), ("Quba", "Quba", 3), ("Shamakhi", "Şamaxı", 2),
    ("Nakhchivan", "Naxçıvan", 3), ("Khachmaz", "Xaçmaz", 2), ("Shirvan", "Şirvan", 2), ("Gabala", "Qəbələ", 2),
    ("Zaqatala", "Zaqatala", 1), ("Barda", "Bərdə", 1), ("Khirdalan", "Xırdalan", 3),
]
CITY_AZ = {en: az for en, az, _ in CITIES}

CONDITION_WEIGHTS = {"NEW_WITH_TAGS": 14, "NEW_WITHOUT_TAGS": 10, "VERY_GOOD": 36, "GOOD": 30, "SATISFACTORY": 10}
CONDITION_PRICE = {
    "NEW_WITH_TAGS": 1.25, "NEW_WITHOUT_TAGS": 1.1, "VERY_GOOD": 1.0, "GOOD": 0.8, "SATISFACTORY": 0.55,
}
STATUS_WEIGHTS = {"ACTIVE": 82, "RESERVED": 5, "SOLD": 9, "DELETED": 4}

WOMEN_NAMES = [
    "Aysel", "Leyla", "Nigar", "Günay", "Aynur", "Səbinə", "Nərmin", "Aytən", "Lalə", "Könül", "Fidan", "Sevinc",
    "Ülviyyə", "Zəhra", "Nurlana", "Aygün", "Arzu", "Gülnar", "Xədicə", "Mələk", "Nazlı", "Rəna",
]
MEN_NAMES = [
    "Elvin", "Orxan", "Rəşad", "Tural", "Kamran", "Elçin", "Fərid", "Murad", "Nicat", "Ramil", "Anar", "Rauf",
    "Vüsal", "Emil", "Samir", "Ruslan", "Cavid", "Toğrul", "Həsən", "Kənan", "Əli", "Zaur",
]
SURNAMES = [
    "Məmmədov", "Əliyev", "Həsənov", "Hüseynov", "Quliyev", "İsmayılov", "Abbasov", "Rzayev", "Kərimov", "Babayev",
    "Cəfərov", "Nəsirov", "Səfərov", "Qasımov", "Orucov", "Mustafayev", "Bağırov", "Vəliyev",
]

# Description sentences. English listings get English text, Azerbaijani ones Azerbaijani.
CONDITION_TEXT = {
    "NEW_WITH_TAGS": (
        [
            "Brand new with tags, never worn.", "New with the original tags still attached.",
            "Bought as a gift and never used, tags still on.",
        ],
        ["Yenidir, etiketi üstündədir.", "Heç geyinilməyib, etiketi var.", "Hədiyyə alınıb, istifadə olunmayıb."],
    ),
    "NEW_WITHOUT_TAGS": (
        ["New, never worn, tags removed.", "Tried on once at home, never worn outside."],
        ["Yenidir, etiketi yoxdur.", "Bir dəfə evdə geyinilib, çölə geyinilməyib."],
    ),
    "VERY_GOOD": (
        [
            "Worn only a few times, in great condition.", "Very good condition, no stains or holes.",
            "Worn twice, looks like new.",
        ],
        [
            "Cəmi bir neçə dəfə geyinilib, vəziyyəti əladır.", "Təmizdir, heç bir ləkəsi yoxdur.",
            "Cəmi iki dəfə geyinilib, yeni kimidir.",
        ],
    ),
    "GOOD": (
        [
            "Good condition with light signs of wear.", "Worn for one season, still in good shape.",
            "Some light wear, nothing noticeable.",
        ],
        ["Vəziyyəti yaxşıdır, az istifadə olunub.", "Bir mövsüm geyinilib, vəziyyəti yaxşıdır."],
    ),
    "SATISFACTORY": (
        ["Visible signs of wear, priced accordingly.", "Well loved, a few small marks, see photos."],
        ["Üzərində istifadə izləri var, qiyməti ona görə ucuzdur.", "Kiçik qüsurları var, şəkillərə baxın."],
    ),
}
BEAUTY_CONDITION_TEXT = {
    "NEW_WITH_TAGS": (["Sealed, never opened."], ["Qablaşdırması açılmayıb."]),
    "NEW_WITHOUT_TAGS": (["New, opened once to try."], ["Yenidir, bir dəfə yoxlamaq üçün açılıb."]),
    "VERY_GOOD": (["Used a couple of times, about 90% left."], ["Bir-iki dəfə istifadə olunub, 90%-i qalıb."]),
    "GOOD": (["Used, about two thirds left."], ["Az istifadə olunub, təxminən üçdə ikisi qalıb."]),
    "SATISFACTORY": (["About half left, priced accordingly."], ["Təxminən yarısı qalıb, qiyməti ona görədir."]),
}
# Extra sentences: for any listing, and for things with a real size (clothes and shoes).
EXTRA_TEXT = {
    "any": (
        [
            "Original {brand}.", "Smoke-free, pet-free home.", "Can meet in {city} or send by courier.",
            "Price is slightly negotiable.", "Bought at the {brand} store in Ganjlik Mall.",
            "Pickup near 28 May metro station.", "Delivery across Baku for 3 AZN.",
        ],
        [
            "Orijinal {brand} məhsuludur.", "{city} şəhərində görüşmək olar.", "Qiymətdə razılaşmaq mümkündür.",
            "Kuryerlə çatdırılma mümkündür.", "Gənclik Mall-dakı {brand} mağazasından alınıb.",
            "28 May metrosunda görüşmək olar.",
        ],
    ),
    "wear": (
        ["Fits true to size.", "Size {size}.", "Selling because it no longer fits.", "Perfect for everyday wear."],
        ["Ölçü {size}.", "Ölçüsü uyğun gəlmədiyi üçün satıram.", "Gündəlik geyim üçün idealdır."],
    ),
}
# fmt: on


# ---- photos -----------------------------------------------------------------------------------

# (background top, background bottom, garment) colours: soft backdrops, one strong colour.
PALETTES = [
    ((246, 231, 216), (232, 201, 176), (47, 62, 70)),
    ((227, 242, 253), (187, 222, 251), (192, 57, 43)),
    ((241, 248, 233), (197, 225, 165), (109, 76, 65)),
    ((252, 228, 236), (248, 187, 208), (38, 50, 56)),
    ((237, 231, 246), (209, 196, 233), (245, 245, 240)),
    ((255, 248, 225), (255, 224, 178), (21, 101, 192)),
    ((236, 239, 241), (207, 216, 220), (173, 20, 87)),
    ((224, 247, 250), (178, 235, 242), (46, 125, 50)),
]
PHOTOS_PER_SHAPE = 3


# Outlines of a simple garment or object on the 800x1000 canvas: (kind, points or box).
# fmt: off
OUTLINES = {
    "top": [("polygon", [(250, 250), (330, 215), (470, 215), (550, 250), (650, 360), (585, 420), (540, 380),
                         (540, 780), (260, 780), (260, 380), (215, 420), (150, 360)])],
    "coat": [("polygon", [(240, 230), (340, 195), (460, 195), (560, 230), (620, 330), (660, 760), (590, 770),
                          (560, 420), (560, 820), (240, 820), (240, 420), (210, 770), (140, 760), (180, 330)])],
    "dress": [("polygon", [(330, 200), (470, 200), (500, 300), (470, 420), (600, 820), (200, 820), (330, 420),
                           (300, 300)])],
    "trousers": [("polygon", [(280, 200), (520, 200), (560, 820), (430, 820), (400, 420), (370, 820), (240, 820)])],
    "shoe": [("polygon", [(170, 560), (260, 430), (360, 430), (420, 540), (600, 590), (650, 640), (640, 690),
                          (170, 690)])],
    "bag": [("rounded", (210, 420, 590, 760)), ("arc", (290, 270, 510, 500))],
    "round": [("ellipse", (250, 350, 550, 650)), ("ring", (300, 400, 500, 600))],
    "bottle": [("rounded", (310, 420, 490, 760)), ("box", (360, 330, 440, 420))],
}
# fmt: on


def _render_photo(shape, palette):
    """An 800x1000 WebP with a soft gradient and a shaded silhouette, and its 320x400 thumbnail."""
    from PIL import Image, ImageDraw, ImageFilter, ImageOps

    top, bottom, fill = palette
    gradient = Image.linear_gradient("L").resize(PHOTO_SIZE)
    image = ImageOps.colorize(gradient, top, bottom).convert("RGB")
    shadow = Image.new("L", PHOTO_SIZE, 0)
    mask = Image.new("L", PHOTO_SIZE, 0)
    for target, offset in ((shadow, 18), (mask, 0)):
        draw = ImageDraw.Draw(target)
        for kind, geometry in OUTLINES[shape]:
            if kind == "polygon":
                draw.polygon([(x + offset, y + offset) for x, y in geometry], fill=255)
            else:
                box = tuple(v + offset for v in geometry)
                if kind == "rounded":
                    draw.rounded_rectangle(box, radius=40, fill=255)
                elif kind == "box":
                    draw.rectangle(box, fill=255)
                elif kind == "ellipse":
                    draw.ellipse(box, fill=255)
                elif kind == "ring":
                    draw.ellipse(box, outline=0, width=24)
                elif kind == "arc":
                    draw.arc(box, 180, 360, fill=255, width=26)
    shadow = shadow.filter(ImageFilter.GaussianBlur(16)).point(lambda v: int(v * 0.35))
    image.paste(Image.new("RGB", PHOTO_SIZE, (40, 40, 40)), mask=shadow)
    # A little light from the top left makes the shape read as fabric rather than a flat sticker.
    light = ImageOps.colorize(Image.linear_gradient("L").rotate(45).resize(PHOTO_SIZE), fill, _shade(fill, 0.75))
    image.paste(light, mask=mask)
    main = io.BytesIO()
    image.save(main, "WEBP", quality=80, method=2)
    thumb = io.BytesIO()
    image.resize(THUMB_SIZE, Image.Resampling.LANCZOS).save(thumb, "WEBP", quality=80, method=2)
    return main.getvalue(), thumb.getvalue()


def _shade(colour, factor):
    return tuple(max(0, min(255, int(c * factor))) for c in colour)


def make_photos():
    """Store PHOTOS_PER_SHAPE generated photos per shape; returns {shape: [(key, thumb_key)]}, or None
    when the storage module is not available."""
    try:
        from memi.uploads.storage import get_storage, new_key
    except ImportError:
        return None
    storage = get_storage()
    photos = {}
    for s, shape in enumerate(OUTLINES):
        for i in range(PHOTOS_PER_SHAPE):
            main, thumb = _render_photo(shape, PALETTES[(s * PHOTOS_PER_SHAPE + i) % len(PALETTES)])
            key, thumb_key = new_key("products"), new_key("products")
            storage.save(key, main, "image/webp")
            storage.save(thumb_key, thumb, "image/webp")
            photos.setdefault(shape, []).append((key, thumb_key))
    return photos


# ---- rows -------------------------------------------------------------------------------------


class _Weighted:
    """Fast repeated weighted choice from a fixed list."""

    def __init__(self, values, weights=None):
        self.values = list(values)
        weights = list(weights) if weights else [1] * len(self.values)
        total, self.cumulative = 0, []
        for w in weights:
            total += w
            self.cumulative.append(total)

    def pick(self, rng):
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


class _Catalogue:
    """Weighted choices prepared once: which subcategory, brand, size, colour ... a listing gets."""

    def __init__(self, categories):
        slots, weights = [], []
        for category in categories:
            subs = [s for s in category.subcategories if s.slug in ITEMS]
            share = CATEGORY_WEIGHTS.get(category.slug, 3)
            for sub in subs:
                slots.append((category.id, sub.id, sub.slug))
                weights.append(share / len(subs))
        if not slots:
            raise RuntimeError("No known subcategories: run `flask seed` first.")
        self.slots = _Weighted(slots, weights)
        self.kinds = {}
        for kind, (brands, sizes, materials, adjectives, colours, prices) in KINDS.items():
            self.kinds[kind] = (
                _Weighted([b for b, _ in brands], [w for _, w in brands]),
                _Weighted(*sizes),
                MATERIALS[materials],
                ADJECTIVES.get(adjectives, []),
                _Weighted([c[:2] for c in colours], [c[2] for c in colours]) if colours else None,
                prices,
            )
        self.conditions = _Weighted(CONDITION_WEIGHTS, CONDITION_WEIGHTS.values())
        self.statuses = _Weighted(STATUS_WEIGHTS, STATUS_WEIGHTS.values())


def _model_for(rng, brand, slug):
    models = [m for m, fits in MODELS.get(brand, ()) if slug.endswith(fits)]
    return rng.choice(models) if models and rng.random() < 0.6 else None


def _title(rng, brand, item, colour, material, adjective, model, azerbaijani):
    """e.g. "Zara black leather jacket", "Nike Air Max 90 sneakers", "Mango qara dəri gödəkçə"."""
    i = 1 if azerbaijani else 0
    words = []
    if model:
        words = [brand, model, item[i]]
        if colour and rng.random() < 0.5:
            words.insert(2, colour[i] if azerbaijani else colour[0].lower())
    else:
        roll = rng.random()
        describe = []
        if colour and roll < 0.75:
            describe.append(colour[i] if azerbaijani else colour[0].lower())
        if material and roll < 0.45:
            describe.append(material[i] if azerbaijani else material[0].lower())
        elif adjective and roll >= 0.45:
            describe.append(adjective[i])
        words = ([brand] if brand else []) + describe + [item[i]]
    title = " ".join(words)
    return (title[0].upper() + title[1:])[:120]


def _description(rng, condition, brand, size, city, azerbaijani, beauty):
    i = 1 if azerbaijani else 0
    sentences = [rng.choice((BEAUTY_CONDITION_TEXT if beauty else CONDITION_TEXT)[condition][i])]
    extras = EXTRA_TEXT["any"][i] + (EXTRA_TEXT["wear"][i] if size and size != "One size" and "ml" not in size else [])
    extras = [s for s in extras if brand or "{brand}" not in s]
    for extra in rng.sample(extras, rng.choice((0, 1, 1, 2))):
        sentences.append(
            extra.format(brand=brand or "", size=size or "", city=CITY_AZ.get(city, city) if azerbaijani else city)
        )
    return " ".join(sentences)


def _price(rng, low, high, brand, condition):
    value = low * (high / low) ** (rng.random() ** 1.4)
    value *= LUXURY.get(brand, 1.0) * CONDITION_PRICE[condition]
    value = min(500.0, max(5.0, value))
    cents = rng.random()
    if cents < 0.45:
        amount = Decimal(round(value))
    elif cents < 0.65:
        amount = Decimal(int(value)) + Decimal("0.50")
    elif cents < 0.85:
        amount = Decimal(int(value)) + Decimal("0.99")
    else:
        amount = Decimal(f"{value:.2f}")
    return min(Decimal("500.00"), max(Decimal("5.00"), amount)).quantize(Decimal("0.01"))


PRODUCT_COLUMNS = (
    "id", "seller_id", "category_id", "subcategory_id", "title", "description", "price", "condition", "size", "color",
    "brand", "material", "city", "status", "favorite_count", "view_count", "sold_at", "deleted_at", "removed_at",
    "removed_reason", "created_at", "updated_at",
)  # fmt: skip
IMAGE_COLUMNS = ("product_id", "key", "thumb_key", "width", "height", "position", "created_at")


def _listings(rng, catalogue, ids, sellers, now):
    """Product rows (tuples in PRODUCT_COLUMNS order) for the given ids; sellers are (id, city) pairs."""
    seller_weights = _Weighted(sellers, [1 / (rank + 1) ** 0.7 for rank in range(len(sellers))])
    for product_id in ids:
        category_id, subcategory_id, slug = catalogue.slots.pick(rng)
        kind, _shape, items = ITEMS[slug]
        brands, sizes, materials, adjectives, colours, (low, high) = catalogue.kinds[kind]
        brand = brands.pick(rng)
        item = rng.choice(items)
        colour = colours.pick(rng) if colours else None
        material = rng.choice(materials) if materials and rng.random() < 0.7 else None
        adjective = rng.choice(adjectives) if adjectives else None
        size = sizes.pick(rng)
        condition = catalogue.conditions.pick(rng)
        status = catalogue.statuses.pick(rng)
        seller_id, seller_city = seller_weights.pick(rng)
        city = seller_city if rng.random() < 0.9 else rng.choice(CITIES)[0]
        azerbaijani = rng.random() < 0.22
        model = _model_for(rng, brand, slug) if brand else None
        created = now - timedelta(seconds=int(AGE_DAYS * 86400 * rng.random() ** 1.15))
        closed = min(now, created + timedelta(hours=rng.randint(2, 24 * 30)))
        views = int(rng.paretovariate(1.3) * 8) if status != "DELETED" else rng.randint(0, 20)
        yield (
            product_id,
            seller_id,
            category_id,
            subcategory_id,
            _title(rng, brand, item, colour, material, adjective, model, azerbaijani),
            _description(rng, condition, brand, size, city, azerbaijani, kind in BEAUTY_KINDS),
            _price(rng, low, high, brand, condition),
            condition,
            size,
            colour[0] if colour else None,
            brand,
            material[0] if material else None,
            city,
            status,
            min(views // 12, 250),
            min(views, 100_000),
            closed if status == "SOLD" else None,
            closed if status == "DELETED" else None,
            None,
            None,
            created,
            closed if status in ("SOLD", "DELETED", "RESERVED") else created,
        )


# ---- bulk writing -----------------------------------------------------------------------------


def _dialect():
    return db.session.get_bind().dialect.name


def _copy_text(value):
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


def _write(model, columns, rows):
    """Insert row tuples: COPY on PostgreSQL (through the session's own connection, so it stays in the
    session's transaction), an executemany INSERT elsewhere."""
    if not rows:
        return
    if _dialect() == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(map(_copy_text, row)))
            buffer.write("\n")
        buffer.seek(0)
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = db.session.connection().connection.cursor()
        try:
            cursor.copy_expert(f"COPY {model.__tablename__} ({names}) FROM STDIN", buffer)
        finally:
            cursor.close()
    else:
        db.session.execute(sa.insert(model), [dict(zip(columns, row, strict=True)) for row in rows])


def _reserve_ids(model, count):
    """`count` fresh primary keys for `model`'s table."""
    table = model.__tablename__
    if _dialect() == "postgresql":
        return db.session.scalars(
            sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table, "n": count},
        ).all()
    # SQLite: the session's transaction holds the write lock (BEGIN IMMEDIATE), so max(id) stays ours.
    start = (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
    return list(range(start, start + count))


def _next_demo_number():
    emails = db.session.scalars(sa.select(User.email).where(User.email.like(f"demo%@{EMAIL_DOMAIN}"))).all()
    numbers = [int(e[4 : -len(EMAIL_DOMAIN) - 1]) for e in emails if e[4 : -len(EMAIL_DOMAIN) - 1].isdigit()]
    return max(numbers, default=0) + 1


def _create_users(rng, count, now):
    """Bulk-insert `count` demo sellers sharing one password hash; returns [(id, city)]."""
    from memi.auth.passwords import hash_password

    password_hash = hash_password(DEMO_PASSWORD)
    first = _next_demo_number()
    cities = _Weighted([c[0] for c in CITIES], [c[2] for c in CITIES])
    rows = []
    for n in range(first, first + count):
        woman = rng.random() < 0.62
        surname = rng.choice(SURNAMES) + ("a" if woman else "")
        created = now - timedelta(seconds=rng.randint(AGE_DAYS * 86400, 2 * 365 * 86400))
        rows.append(
            {
                "email": f"demo{n}@{EMAIL_DOMAIN}",
                "password_hash": password_hash,
                "name": f"{rng.choice(WOMEN_NAMES if woman else MEN_NAMES)} {surname}",
                "city": cities.pick(rng),
                "phone": (
                    f"+994 {rng.choice(('50', '51', '55', '70', '77', '99'))} {rng.randint(200, 999)} "
                    f"{rng.randint(10, 99)} {rng.randint(10, 99)}"
                    if rng.random() < 0.7
                    else None
                ),
                "role": "USER",
                "is_blocked": False,
                "auth_epoch": 0,
                "email_prefs": {},
                "created_at": created,
                "updated_at": created,
            }
        )
    ids = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        ids += db.session.scalars(sa.insert(User).returning(User.id, sort_by_parameter_order=True), batch).all()
    return [(user_id, row["city"]) for user_id, row in zip(ids, rows, strict=True)]


def _index_vocabulary(words):
    """Add the listings' words to the search vocabulary, exactly as services._index_words does."""
    terms = sorted({w for w in words if 3 <= len(w) <= 40 and not w.isdigit()})
    insert = postgresql.insert if _dialect() == "postgresql" else sqlite.insert
    for start in range(0, len(terms), BATCH):
        db.session.execute(
            insert(SearchTerm).values([{"term": t} for t in terms[start : start + BATCH]]).on_conflict_do_nothing()
        )
    return len(terms)


def generate(users=50, products=500, seed=DEFAULT_SEED, with_photos=True, log=None):
    """Add `users` demo sellers and `products` listings (with generated photos unless with_photos is
    False). Flushes but does not commit. Returns counts and timings (seconds)."""
    from memi.categories.services import seed_taxonomy

    log = log or (lambda message: None)
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    timings, started = {}, time.perf_counter()

    def lap(name, since):
        timings[name] = round(time.perf_counter() - since, 2)
        return time.perf_counter()

    mark = started
    if not db.session.scalar(sa.select(sa.func.count(Category.id))):
        seed_taxonomy()
    categories = db.session.scalars(
        sa.select(Category).options(selectinload(Category.subcategories)).order_by(Category.position, Category.id)
    ).all()
    catalogue = _Catalogue(categories)

    photos = None
    if with_photos and products:
        photos = make_photos()
        if photos is None:
            log("memi.uploads.storage is not available: listings get no photos.")
        mark = lap("photos", mark)
        log(f"photos: {sum(map(len, (photos or {}).values()))} generated in {timings['photos']}s")

    sellers = _create_users(rng, users, now)
    if products and not sellers:
        raise ValueError("Listings need at least one demo seller.")
    mark = lap("users", mark)
    log(f"users: {len(sellers)} in {timings['users']}s")

    shapes = {slug: shape for slug, (_kind, shape, _items) in ITEMS.items()}
    slug_of = {sub.id: sub.slug for category in categories for sub in category.subcategories}
    words, image_count, written = set(), 0, 0
    for start in range(0, products, BATCH):
        ids = _reserve_ids(Product, min(BATCH, products - start))
        rows = list(_listings(rng, catalogue, ids, sellers, now))
        _write(Product, PRODUCT_COLUMNS, rows)
        images = []
        for row in rows:
            words.update(words_of(f"{row[4]} {row[10] or ''} {row[5]}"))
            if photos:
                choices = photos[shapes[slug_of[row[3]]]]
                picked = rng.sample(choices, 1 if rng.random() < 0.55 else 2)
                for position, (key, thumb_key) in enumerate(picked):
                    images.append((row[0], key, thumb_key, PHOTO_SIZE[0], PHOTO_SIZE[1], position, row[20]))
        _write(ProductImage, IMAGE_COLUMNS, images)
        image_count += len(images)
        written += len(rows)
        if products > BATCH:
            log(f"  listings: {written}/{products} ({time.perf_counter() - mark:.1f}s)")
    mark = lap("products", mark)
    log(f"listings: {written} and {image_count} photo rows in {timings['products']}s")

    terms = _index_vocabulary(words)
    db.session.flush()
    lap("vocabulary", mark)
    log(f"search vocabulary: {terms} words in {timings['vocabulary']}s")
    timings["total"] = round(time.perf_counter() - started, 2)
    return {"users": len(sellers), "products": written, "images": image_count, "terms": terms, "timings": timings}


def analyze():
    """After a bulk load on PostgreSQL: move the GIN indexes' pending entries into the index proper (a
    bulk insert leaves them in the unsorted pending list, which every search would scan until the next
    vacuum) and refresh the planner's statistics. A no-op elsewhere."""
    if _dialect() != "postgresql":
        return
    db.session.execute(
        sa.text(
            """SELECT gin_clean_pending_list(i.indexrelid)
               FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
               WHERE am.amname = 'gin' AND i.indrelid IN ('products'::regclass, 'search_terms'::regclass)"""
        )
    )
    db.session.commit()
    # VACUUM (not only ANALYZE) sets the visibility map, so counts by status can be index-only scans.
    # Maintenance is not held to the web's statement timeout, and it skips truncating empty pages at
    # the tables' ends: that step waits for an exclusive lock behind every open reader of the table.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("SET statement_timeout = 0"))
        conn.execute(sa.text("VACUUM (ANALYZE, TRUNCATE false) users, products, product_images, search_terms"))
        conn.execute(sa.text("RESET statement_timeout"))
