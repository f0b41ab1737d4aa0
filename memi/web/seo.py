"""What search engines and link previews read: robots.txt, the sitemaps, canonical URLs, noindex on
private pages, and a listing's preview card (Open Graph, Twitter) and structured data (schema.org).

Which pages may be indexed is a short allowlist (INDEXABLE): the home page, a listing, a seller's
page, and the browse page narrowed to a category or subcategory (what the categories sitemap lists).
Every other HTML page says `noindex` in its <meta name="robots"> and in an `X-Robots-Tag` header:
account, chats, notifications, admin, selling and editing, login, registration and password reset, a
listing that is not public (its owner or an admin looking at a deleted or removed one), error pages,
and search results with a query or any other filter. Those results are endless combinations of the
same listings (thin, duplicate pages a search engine should not spend its visits on); they say
`noindex, follow`, so the listings they link to are still found. A page added later is private until
it is added here, which is the safe way to be wrong.

A canonical URL is the page's address without anything that does not change what it shows (tracking
parameters, an empty page 1), and keeps `?lang=xx` when the page was asked for in a language, so
each language version is its own canonical, as its hreflang alternates (memi.web.language) say."""

from decimal import Decimal
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, g, request, url_for
from flask_babel import get_locale

from memi.categories.services import list_categories
from memi.formats import format_price
from memi.locale import LANG_PARAM, supported
from memi.products import sitemap
from memi.products.forms import condition_label
from memi.products.schemas import SearchArgsSchema
from memi.products.visibility import is_public
from memi.statuses import ListingStatus
from memi.uploads.urls import media_url

bp = Blueprint("seo", __name__)

# endpoint -> the query parameters that are part of its canonical URL (besides `lang`); others
# (a link's tracking tags) are left out of it.
INDEXABLE = {
    "products.home": (),
    "products.detail": (),
    "users.public_profile": ("page",),
    "products.browse": ("category", "subcategory", "page"),
}
# The browse page's parameters that make it a search (a query, filters, a sort): not indexed.
SEARCH_PARAMS = set(SearchArgsSchema().fields) - set(INDEXABLE["products.browse"])
SITEMAP_MAX_AGE = 3600

ROBOTS_TXT = """User-agent: *
Disallow: /admin/
Disallow: /api/
Disallow: /chats
Disallow: /my/
Disallow: /favorites
Disallow: /notifications
Disallow: /reservations
Disallow: /settings/
Disallow: /profile
Disallow: /sell
Disallow: /products/*/edit
Disallow: /products/*/message
Disallow: /report/
Disallow: /lang/
Disallow: /unsubscribe/

Sitemap: {sitemap}
"""


def noindex():
    """Keep the page being answered out of search engines (a view's own judgement, e.g. a listing
    only its owner may see)."""
    g.seo_noindex = True


def _canonical_args():
    """The query parameters of this page's canonical URL, or None when it must not be indexed."""
    if getattr(g, "seo_noindex", False) or request.method != "GET":
        return None
    kept = INDEXABLE.get(request.endpoint)
    if kept is None:
        return None
    args = [(k, v) for k, v in request.args.items(multi=True) if v.strip()]
    if request.endpoint == "products.browse" and any(k in SEARCH_PARAMS for k, _ in args):
        return None  # a search with a query or filters, or a sort: see the module's docstring
    return [(k, v) for k, v in args if k in kept and not (k == "page" and v == "1")]


def indexable():
    return _canonical_args() is not None


def robots_directive():
    """The content of <meta name="robots">, or None for a page that may be indexed."""
    if indexable():
        return None
    return "noindex, follow" if request.endpoint == "products.browse" else "noindex"


def canonical_args():
    """The canonical URL's parameters less `lang` (memi.web.language builds hreflang from these
    too), or None for a page without one."""
    return _canonical_args()


def canonical_url():
    """The absolute canonical URL of this page (with `?lang=xx` when it was asked for in one), or
    None for a page that is not indexed."""
    args = _canonical_args()
    if args is None:
        return None
    code = supported(request.args.get(LANG_PARAM))
    if code:
        args = args + [(LANG_PARAM, code)]
    return current_app.config["BASE_URL"] + request.path + ("?" + urlencode(args) if args else "")


def absolute(url):
    if not url:
        return None
    return url if url.startswith(("http://", "https://")) else current_app.config["BASE_URL"] + url


def _robots_header(response):
    if request.endpoint in ("static", "seo.robots_txt") or not response.mimetype == "text/html":
        return response
    if response.status_code != 200 or not indexable():
        response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


# ---- a listing's preview card and structured data ---------------------------------------------

AVAILABILITY = {
    ListingStatus.ACTIVE: "https://schema.org/InStock",
    ListingStatus.RESERVED: "https://schema.org/Reserved",
    ListingStatus.SOLD: "https://schema.org/SoldOut",
    ListingStatus.DELETED: "https://schema.org/Discontinued",
}
ITEM_CONDITION = {
    "NEW_WITH_TAGS": "https://schema.org/NewCondition",
    "NEW_WITHOUT_TAGS": "https://schema.org/NewCondition",
    "VERY_GOOD": "https://schema.org/UsedCondition",
    "GOOD": "https://schema.org/UsedCondition",
    "SATISFACTORY": "https://schema.org/UsedCondition",
}
OG_LOCALES = {"az": "az_AZ", "ru": "ru_RU", "en": "en_US"}


def og_locale():
    return OG_LOCALES.get(str(get_locale()), "az_AZ")


def listing_price(product):
    """The price as schema.org and Open Graph want it: a plain decimal with a dot."""
    return str(Decimal(product.price).quantize(Decimal("0.01")))


def listing_images(product):
    """Absolute URLs of a listing's photos, the cover first."""
    return [absolute(media_url(image.key)) for image in product.images]


def listing_description(product, limit=160):
    """One line for search results and preview cards: price, brand, size and condition, then the
    start of the description, cut at a word with an ellipsis."""
    facts = " · ".join(
        str(x)
        for x in (format_price(product.price), product.brand, product.size, condition_label(product.condition))
        if x
    )
    description = " ".join((product.description or "").split())
    text = f"{facts}. {description}" if description else facts
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    cut = cut[: cut.rfind(" ")] if " " in cut[limit // 2 :] else cut
    return cut.rstrip(" ,.;:·-") + "…"


def listing_structured_data(product, description):
    """The schema.org Product with its Offer (rendered as JSON-LD on the product page)."""
    url = current_app.config["BASE_URL"] + url_for("products.detail", product_id=product.id)
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": description,
        "sku": str(product.id),
        "url": url,
        "image": listing_images(product),
        "category": product.category.local_name,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": listing_price(product),
            "priceCurrency": "AZN",
            "availability": AVAILABILITY.get(product.status, "https://schema.org/Discontinued"),
            "itemCondition": ITEM_CONDITION.get(product.condition, "https://schema.org/UsedCondition"),
            "seller": {"@type": "Person", "name": product.seller.name},
        },
    }
    if product.brand:
        data["brand"] = {"@type": "Brand", "name": product.brand}
    for key, value in (("color", product.color), ("material", product.material), ("size", product.size)):
        if value:
            data[key] = value
    if not data["image"]:
        del data["image"]
    return data


def listing_page_seo(product):
    """For the product page: noindex unless the listing is public."""
    if not is_public(product):
        noindex()


# ---- robots.txt and the sitemaps --------------------------------------------------------------


def _xml(body):
    response = Response('<?xml version="1.0" encoding="UTF-8"?>\n' + body, mimetype="application/xml")
    response.headers["Cache-Control"] = f"public, max-age={SITEMAP_MAX_AGE}"
    return response


def _lastmod(moment):
    """W3C datetime in UTC, to the second (the column's values come back in UTC: memi.columns)."""
    return moment.replace(microsecond=0).isoformat()


@bp.get("/robots.txt")
def robots_txt():
    body = ROBOTS_TXT.format(sitemap=current_app.config["BASE_URL"] + url_for("seo.sitemap_index"))
    response = Response(body, mimetype="text/plain")
    response.headers["Cache-Control"] = f"public, max-age={SITEMAP_MAX_AGE}"
    return response


@bp.get("/sitemap.xml")
def sitemap_index():
    """The sitemap index: the pages and categories, then one sitemap per page of listings."""
    base = current_app.config["BASE_URL"]
    parts = [f"<sitemap><loc>{escape(base + url_for('seo.sitemap_pages'))}</loc></sitemap>"]
    for number in sitemap.listing_pages():
        parts.append(f"<sitemap><loc>{escape(base + url_for('seo.sitemap_listings', page=number))}</loc></sitemap>")
    return _xml(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(parts)
        + "\n</sitemapindex>\n"
    )


@bp.get("/sitemaps/pages.xml")
def sitemap_pages():
    """The home page and every category and subcategory (the browse page narrowed to it)."""
    base = current_app.config["BASE_URL"]
    urls = [url_for("products.home")]
    for category in list_categories():
        urls.append(url_for("products.browse", category=category.slug))
        urls.extend(
            url_for("products.browse", category=category.slug, subcategory=sub.slug) for sub in category.subcategories
        )
    body = "\n".join(f"<url><loc>{escape(base + url)}</loc></url>" for url in urls)
    return _xml(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n')


@bp.get("/sitemaps/listings-<int:page>.xml")
def sitemap_listings(page):
    """Up to 50,000 ACTIVE public listings: one range of ids (memi.products.sitemap)."""
    prefix = escape(current_app.config["BASE_URL"] + url_for("products.detail", product_id=0)[:-1])
    body = "\n".join(
        f"<url><loc>{prefix}{product_id}</loc><lastmod>{_lastmod(changed)}</lastmod></url>"
        for product_id, changed in sitemap.listing_entries(page)
    )
    return _xml(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n')


def register_seo(app):
    app.register_blueprint(bp)
    app.after_request(_robots_header)
    app.jinja_env.globals.update(
        canonical_url=canonical_url,
        robots_directive=robots_directive,
        og_locale=og_locale,
        absolute_url=absolute,
        listing_structured_data=listing_structured_data,
        listing_price=listing_price,
        listing_description=listing_description,
    )
