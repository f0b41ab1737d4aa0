"""The words and weights demo listings are made of: colours, materials, brands and models, items per
subcategory, sizes, cities, names and description phrases: Azerbaijani and English, and Russian at the end
(most listings in Azerbaijan are written in Azerbaijani, many in Russian, some in English)."""

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
# fmt: off

# ---- Russian ----------------------------------------------------------------------------------
# Many listings in Azerbaijan are written in Russian. Nouns with their gender (m, f, n, or p for
# plural-only), adjectives in the masculine (agreed by the generator), and fixed phrases that follow
# the noun unchanged. Keyed by the English word above.

LANGUAGE_WEIGHTS = {"az": 60, "ru": 28, "en": 12}

RU_ITEMS = {
    "ankle boots": ("ботильоны", "p"), "arkhalig": ("архалук", "m"), "baby bodysuit": ("боди для малыша", "n"),
    "baby set": ("комплект для малыша", "m"), "backpack": ("рюкзак", "m"), "ballet flats": ("балетки", "p"),
    "basketball shoes": ("баскетбольные кроссовки", "p"), "beanie": ("вязаная шапка", "f"), "belt": ("ремень", "m"),
    "biker jacket": ("косуха", "f"), "bikini": ("бикини", "n"), "blazer": ("пиджак", "m"),
    "block heels": ("туфли на устойчивом каблуке", "p"), "blouse": ("блузка", "f"), "bodysuit": ("боди", "n"),
    "bomber jacket": ("бомбер", "m"), "boots": ("ботинки", "p"), "boys' t-shirt": ("футболка для мальчика", "f"),
    "bracelet": ("браслет", "m"), "bucket hat": ("панама", "f"), "cap": ("кепка", "f"),
    "card holder": ("картхолдер", "m"), "cardigan": ("кардиган", "m"), "cargo pants": ("брюки карго", "p"),
    "chelsea boots": ("челси", "p"), "chinos": ("чиносы", "p"), "chokha": ("чуха", "f"),
    "cleanser": ("очищающий гель", "m"), "clutch": ("клатч", "m"), "coat": ("пальто", "n"),
    "crop top": ("кроп-топ", "m"), "crossbody bag": ("сумка через плечо", "f"), "denim shorts": ("джинсовые шорты", "p"),
    "derby shoes": ("туфли дерби", "p"), "dress": ("платье", "n"), "earrings": ("серьги", "p"),
    "eau de parfum": ("парфюмерная вода", "f"), "eau de toilette": ("туалетная вода", "f"),
    "espadrilles": ("эспадрильи", "p"), "evening bag": ("вечерняя сумочка", "f"), "evening dress": ("вечернее платье", "n"),
    "eyeshadow palette": ("палетка теней", "f"), "flannel shirt": ("фланелевая рубашка", "f"),
    "football boots": ("бутсы", "p"), "foundation": ("тональный крем", "m"), "girls' dress": ("платье для девочки", "n"),
    "gloves": ("перчатки", "p"), "hair clip": ("заколка", "f"), "handbag": ("сумка", "f"), "headband": ("ободок", "m"),
    "heels": ("туфли на каблуке", "p"), "hoodie": ("худи", "n"), "jacket": ("куртка", "f"), "jeans": ("джинсы", "p"),
    "joggers": ("джоггеры", "p"), "jumper": ("джемпер", "m"), "kelaghayi": ("кялагаи", "m"),
    "kids' boots": ("детские ботинки", "p"), "kids' jacket": ("детская куртка", "f"),
    "kids' sandals": ("детские сандалии", "p"), "kids' sneakers": ("детские кроссовки", "p"),
    "knee-high boots": ("сапоги", "p"), "leggings": ("леггинсы", "p"), "linen shirt": ("льняная рубашка", "f"),
    "lipstick": ("помада", "f"), "loafers": ("лоферы", "p"), "long-sleeve t-shirt": ("лонгслив", "m"),
    "mascara": ("тушь для ресниц", "f"), "maternity dress": ("платье для беременных", "n"),
    "maternity jeans": ("джинсы для беременных", "p"), "maxi dress": ("платье макси", "n"),
    "midi dress": ("платье миди", "n"), "midi skirt": ("юбка миди", "f"), "mini skirt": ("мини-юбка", "f"),
    "moccasins": ("мокасины", "p"), "moisturiser": ("увлажняющий крем", "m"), "mom jeans": ("джинсы мом", "p"),
    "mules": ("мюли", "p"), "necklace": ("колье", "n"), "nightgown": ("ночная сорочка", "f"),
    "oxford shirt": ("оксфордская рубашка", "f"), "oxford shoes": ("оксфорды", "p"),
    "palazzo pants": ("брюки палаццо", "p"), "papakha": ("папаха", "f"), "parka": ("парка", "f"),
    "perfume": ("духи", "p"), "pleated skirt": ("плиссированная юбка", "f"), "polo shirt": ("поло", "n"),
    "puffer jacket": ("пуховик", "m"), "pumps": ("туфли-лодочки", "p"), "pyjamas": ("пижама", "f"),
    "ring": ("кольцо", "n"), "robe": ("халат", "m"), "romper": ("комбинезон", "m"),
    "running shoes": ("беговые кроссовки", "p"), "running shorts": ("шорты для бега", "p"), "sandals": ("сандалии", "p"),
    "satin blouse": ("атласная блузка", "f"), "scarf": ("шарф", "m"), "school suit": ("школьный костюм", "m"),
    "school uniform": ("школьная форма", "f"), "serum": ("сыворотка", "f"), "shawl": ("платок", "m"),
    "shirt": ("рубашка", "f"), "shirt dress": ("платье-рубашка", "n"), "shopper bag": ("сумка-шопер", "f"),
    "shorts": ("шорты", "p"), "shoulder bag": ("сумка на плечо", "f"), "skinny jeans": ("джинсы скинни", "p"),
    "skirt": ("юбка", "f"), "slides": ("шлёпанцы", "p"), "slim jeans": ("джинсы слим", "p"),
    "slippers": ("тапочки", "p"), "sneakers": ("кроссовки", "p"), "socks set": ("набор носков", "m"),
    "sports bra": ("спортивный топ", "m"), "straight jeans": ("прямые джинсы", "p"), "suit": ("костюм", "m"),
    "suitcase": ("чемодан", "m"), "summer dress": ("летнее платье", "n"), "sunglasses": ("солнцезащитные очки", "p"),
    "sunscreen": ("солнцезащитный крем", "m"), "sweater": ("свитер", "m"), "sweatshirt": ("свитшот", "m"),
    "swim shorts": ("плавательные шорты", "p"), "swimsuit": ("купальник", "m"), "t-shirt": ("футболка", "f"),
    "tank top": ("майка", "f"), "thermal underwear set": ("комплект термобелья", "m"), "top": ("топ", "m"),
    "top-handle bag": ("сумка с ручками", "f"), "tote bag": ("сумка-тоут", "f"), "tracksuit": ("спортивный костюм", "m"),
    "trainers": ("кроссовки", "p"), "training t-shirt": ("спортивная футболка", "f"), "travel bag": ("дорожная сумка", "f"),
    "trench coat": ("тренч", "m"), "trouser suit": ("брючный костюм", "m"), "trousers": ("брюки", "p"),
    "turtleneck": ("водолазка", "f"), "waistcoat": ("жилет", "m"), "wallet": ("кошелёк", "m"), "watch": ("часы", "p"),
    "wide-leg jeans": ("широкие джинсы", "p"), "wide-leg trousers": ("широкие брюки", "p"),
    "wrap dress": ("платье на запах", "n"), "wristwatch": ("наручные часы", "p"),
}
RU_COLOURS = {
    "Black": "чёрный", "White": "белый", "Grey": "серый", "Beige": "бежевый", "Brown": "коричневый",
    "Navy": "тёмно-синий", "Blue": "синий", "Light blue": "голубой", "Green": "зелёный", "Khaki": "цвета хаки",
    "Red": "красный", "Burgundy": "бордовый", "Pink": "розовый", "Purple": "фиолетовый", "Yellow": "жёлтый",
    "Orange": "оранжевый", "Cream": "кремовый", "Multicolour": "разноцветный", "Silver": "серебристый",
    "Gold": "золотистый", "Rose gold": "цвета розового золота",
}
RU_MATERIALS = {
    "Cotton": "хлопковый", "Linen": "льняной", "Viscose": "из вискозы", "Polyester": "из полиэстера",
    "Silk": "шёлковый", "Wool": "шерстяной", "Knit": "вязаный", "Leather": "кожаный", "Faux leather": "из экокожи",
    "Suede": "замшевый", "Denim": "джинсовый", "Nylon": "нейлоновый", "Cashmere": "кашемировый",
    "Stretch denim": "из стрейч-денима", "Fleece": "флисовый", "Textile": "текстильный", "Canvas": "тканевый",
    "Patent leather": "лаковый", "Synthetic": "из синтетики", "Stainless steel": "стальной",
    "Leather strap": "на кожаном ремешке", "Silicone": "силиконовый", "Silver": "серебряный", "Gold": "золотой",
    "Gold-plated": "позолоченный", "Pearl": "с жемчугом",
}
RU_ADJECTIVES = {
    "basic": "базовый", "belted": "с поясом", "chunky": "на толстой подошве", "classic": "классический",
    "cropped": "укороченный", "double-breasted": "двубортный", "elegant": "элегантный", "floral": "в цветочек",
    "high-waisted": "с высокой талией", "hooded": "с капюшоном", "knitted": "вязаный", "lace-up": "на шнурках",
    "large": "большой", "mini": "мини", "minimalist": "минималистичный", "monogram": "с монограммой",
    "oversized": "оверсайз", "platform": "на платформе", "pleated": "плиссированный", "quilted": "стёганый",
    "slim fit": "приталенный", "slip-on": "без шнурков", "striped": "в полоску", "summer": "летний",
    "vintage": "винтажный", "winter": "зимний",
}
CITY_RU = {
    "Baku": "Баку", "Sumqayit": "Сумгаит", "Ganja": "Гянджа", "Mingachevir": "Мингечевир", "Lankaran": "Ленкорань",
    "Shaki": "Шеки", "Quba": "Губа", "Shamakhi": "Шамахы", "Nakhchivan": "Нахчыван", "Khachmaz": "Хачмаз",
    "Shirvan": "Ширван", "Gabala": "Габала", "Zaqatala": "Закаталы", "Barda": "Барда", "Khirdalan": "Хырдалан",
}
# Sellers who write their name in Cyrillic: Russian names and Azerbaijani ones as they are spelt in Russian.
RU_WOMEN_NAMES = [
    "Елена", "Наталья", "Ольга", "Ирина", "Анна", "Татьяна", "Светлана", "Юлия", "Марина", "Екатерина", "Айсель",
    "Лейла", "Нигяр", "Севиндж", "Гюнай", "Наргиз", "Камила", "Эльмира",
]
RU_MEN_NAMES = [
    "Алексей", "Дмитрий", "Сергей", "Андрей", "Игорь", "Руслан", "Эльчин", "Тимур", "Рустам", "Фарид", "Орхан",
    "Эмиль", "Рашад", "Самир",
]
RU_SURNAMES = [
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Новиков", "Мамедов", "Алиев", "Гасанов",
    "Гусейнов", "Кулиев", "Исмаилов", "Аббасов", "Керимов", "Бабаев", "Сафаров", "Велиев",
]
RU_SELLER_SHARE = 0.25
RU_CONDITION_TEXT = {
    "NEW_WITH_TAGS": ["Новое с биркой, ни разу не надевала.", "Новое, бирки на месте.", "Купила в подарок, не подошло, бирка есть."],
    "NEW_WITHOUT_TAGS": ["Новое, без бирки, не носила.", "Примерила один раз дома, на улицу не надевала."],
    "VERY_GOOD": ["Носила всего пару раз, состояние отличное.", "В отличном состоянии, без пятен и затяжек.", "Надевала два раза, как новое."],
    "GOOD": ["Хорошее состояние, есть небольшие следы носки.", "Носила один сезон, состояние хорошее."],
    "SATISFACTORY": ["Есть следы носки, поэтому такая цена.", "Есть небольшие дефекты, смотрите фото."],
}
RU_BEAUTY_CONDITION_TEXT = {
    "NEW_WITH_TAGS": ["Запечатано, не вскрывалось."], "NEW_WITHOUT_TAGS": ["Новое, открывала один раз попробовать."],
    "VERY_GOOD": ["Пользовалась пару раз, осталось около 90%."], "GOOD": ["Осталось примерно две трети."],
    "SATISFACTORY": ["Осталось около половины, поэтому такая цена."],
}
RU_EXTRA_TEXT = {
    "any": [
        "Оригинал {brand}.", "Встреча в городе {city} или доставка курьером.", "Небольшой торг уместен.",
        "Покупала в магазине {brand} в Гянджлик Молл.", "Встреча у метро 28 Мая.", "Доставка по Баку 3 AZN.",
        "Без животных, не курим.",
    ],
    "wear": ["Размер {size}, соответствует.", "Продаю, так как не подошёл размер.", "Идеально на каждый день."],
}
# fmt: on
