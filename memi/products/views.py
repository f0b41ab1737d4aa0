"""Listing pages: home, browse and search, product page, sell, edit, my listings, favorites."""

from urllib.parse import urlencode

import marshmallow as ma
from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from memi.categories.services import list_categories
from memi.client_ip import client_ip
from memi.errors import Conflict, Invalid, PayloadTooLarge, RateLimited, UnsupportedMediaType
from memi.extensions import db
from memi.favorites import services as favorites
from memi.formats import format_price
from memi.limits import MAX_IMAGES
from memi.pagination import paginate
from memi.products import schemas, search, services
from memi.products.forms import CONDITION_LABELS, ActionForm, PhotosForm, SellForm, condition_label
from memi.reservations.services import open_request_of
from memi.statuses import ListingStatus
from memi.uploads.requests import read_uploads
from memi.users.services import active_listing_count
from memi.web.errors import domain_errors, error_text
from memi.web.forms import safe_next
from memi.web.guards import login_required
from memi.web.htmx import is_htmx, render, render_blocks, toast_header
from memi.web.pagination import page_arg
from memi.web.seo import listing_page_seo

bp = Blueprint("products", __name__)
PAGE_SIZE = 24


def _viewer():
    return current_user if current_user.is_authenticated else None


@bp.get("/")
def home():
    result = search.search(search.SearchQuery(limit=PAGE_SIZE), with_total=False)
    return render("home/index.html", categories=list_categories(), products=favorites.annotate(_viewer(), result.items))


def _search_args():
    """Query parameters of the browse page, leniently: unknown ones are ignored and bad ones dropped
    with a message, so a hand-edited URL still shows a page."""
    schema = schemas.SearchArgsSchema(unknown=ma.EXCLUDE)
    raw = {k: v for k, v in request.args.lists() if any(x.strip() for x in v)}
    data = {k: (v if k in ("condition", "status") else v[0].strip()) for k, v in raw.items()}
    try:
        return schema.load(data), {}
    except ma.ValidationError as exc:
        bad = exc.messages if isinstance(exc.messages, dict) else {}
        cleaned = {k: v for k, v in data.items() if k not in bad}
        try:
            return schema.load(cleaned), bad
        except ma.ValidationError:
            return schema.load({}), bad


# The browse page's parameters as the filter panel names them, for "some filters were not understood".
FILTER_LABELS = {
    "q": _l("Search"),
    "category": _l("Category"),
    "subcategory": _l("Subcategory"),
    "condition": _l("Condition"),
    "size": _l("Size"),
    "brand": _l("Brand"),
    "color": _l("Colour"),
    "city": _l("City"),
    "min_price": _l("Minimum price"),
    "max_price": _l("Maximum price"),
    "seller": _l("Seller"),
    "status": _l("Show reserved items"),
    "sort": _l("Sort by"),
    "page": _l("Page"),
    "limit": _l("Items per page"),
}


def filter_labels(names):
    """The human labels of browse parameters, in the panel's order ("Minimum price", not min_price)."""
    return [str(label) for key, label in FILTER_LABELS.items() if key in names]


def _clean_search_url():
    """The browse URL without empty parameters (forms send every field), so shared links stay short."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if v.strip()]
    if len(pairs) == len(list(request.args.items(multi=True))):
        return None
    return url_for("products.browse") + (("?" + urlencode(pairs)) if pairs else "")


def _browse_url(pairs):
    return url_for("products.browse") + (("?" + urlencode(pairs)) if pairs else "")


def _clear_url(params):
    """Every filter off; the words searched for stay."""
    return _browse_url([("q", params.q)] if params.q else [])


def _chips(params, categories, selected):
    """One chip per active filter: its label and the browse URL without exactly that filter (and
    without the page number, as the results change)."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if v.strip() and k not in ("page", "limit")]

    def without(key, value=None):
        return _browse_url([(k, v) for k, v in pairs if not (k == key and (value is None or v == value))])

    chips = []
    if selected is not None:
        chips.append((selected.local_name, without("category")))
    if params.subcategory:
        sub = next((s for c in categories for s in c.subcategories if params.subcategory in (s.slug, str(s.id))), None)
        chips.append((sub.local_name if sub else params.subcategory, without("subcategory")))
    for value in params.conditions:
        chips.append((condition_label(value), without("condition", value)))
    if params.size:
        chips.append((_("Size %(size)s", size=params.size), without("size")))
    for name in ("brand", "color", "city"):
        if getattr(params, name):
            chips.append((getattr(params, name), without(name)))
    if params.min_price is not None:
        chips.append((_("From %(price)s", price=format_price(params.min_price)), without("min_price")))
    if params.max_price is not None:
        chips.append((_("Up to %(price)s", price=format_price(params.max_price)), without("max_price")))
    if ListingStatus.RESERVED in params.statuses:
        chips.append((_("Reserved items too"), without("status")))
    return [{"label": label, "href": href} for label, href in chips]


def _search_params():
    args, problems = _search_args()
    args["limit"] = PAGE_SIZE
    return schemas.to_search_query(args), problems


@bp.get("/search")
def browse():
    clean_url = _clean_search_url()
    if clean_url and not is_htmx():
        return redirect(clean_url)
    params, problems = _search_params()
    result = search.search(params)
    search.log_search(params, result, _viewer())
    db.session.commit()
    categories = list_categories()
    selected = next((c for c in categories if params.category in (c.slug, str(c.id))), None)
    context = dict(
        params=params,
        result=result,
        products=favorites.annotate(_viewer(), result.items),
        categories=categories,
        selected_category=selected,
        problems=problems,
        problem_labels=filter_labels(problems),
        args=request.args,
        facets=search.facets(params, result.corrected_q),
        chips=_chips(params, categories, selected),
        clear_url=_clear_url(params),
        conditions=CONDITION_LABELS,
        shown=(result.total, result.total_is_lower_bound),
    )
    if is_htmx():
        # The results, and out of band the pick lists (their counts follow the filters) and the
        # sheet's "Show N items".
        response = render_blocks("products/browse.html", ["results", "facets_oob", "apply_oob"], **context)
    else:
        response = render("products/browse.html", **context)
    if clean_url:
        response.headers["HX-Push-Url"] = clean_url
    return response


@bp.get("/search/count")
def browse_count():
    """The filter sheet's "Show N items" for the filters being chosen (and their pick lists), before
    they are applied: the sheet asks on every change. Without JavaScript nobody asks."""
    params, problems = _search_params()
    total, more, corrected_q = search.count(params)
    shown = (total, more)
    categories = list_categories()
    selected = next((c for c in categories if params.category in (c.slug, str(c.id))), None)
    return render_blocks(
        "products/browse.html",
        ["apply_button", "facets_oob"],
        params=params,
        shown=shown,
        facets=search.facets(params, corrected_q),
        categories=categories,
        selected_category=selected,
        problems=problems,
        args=request.args,
    )


@bp.get("/search/brands")
def brand_suggestions():
    """Brands starting with what was typed, most listed first (with the other filters applied), as
    the <datalist> the brand box suggests from."""
    params, _problems = _search_params()
    typed = (request.args.get("brand") or "").strip()[:40]
    found = search.facet(params, "brand", top=search.FACET_TOP, prefix=typed)
    return render("products/_brand_options.html", values=found.values)


@bp.get("/products/<int:product_id>")
def detail(product_id):
    product = services.get_visible_product(_viewer(), product_id)
    if services.record_view(product, _viewer(), client_ip(), request.user_agent.string):
        db.session.commit()
    favorites.annotate(_viewer(), [product])
    listing_page_seo(product)
    return render(
        "products/detail.html",
        my_request=open_request_of(_viewer(), product.id),
        product=product,
        seller_active=active_listing_count(product.seller),
        is_owner=current_user.is_authenticated and current_user.id == product.seller_id,
        action_form=ActionForm(),
    )


# ---- selling ----------------------------------------------------------------------------------


def _listing_form(form_class, **kwargs):
    form = form_class(**kwargs)
    categories = list_categories()
    form.set_category_choices(categories)
    return form, categories


def _read_photos(field):

    return read_uploads(field)


# The photos of the sell and edit forms are tokens in hidden inputs named "photo", in order ("d<id>" a
# draft, "i<id>" a photo the listing has). With JavaScript each chosen file is uploaded at once as a
# draft (upload_photo_draft); without it, the files sent with the form become drafts in that same
# request, so whatever else the form gets wrong, nobody chooses a photo twice.
PHOTO_ERRORS = (Invalid, Conflict, PayloadTooLarge, UnsupportedMediaType, RateLimited)


def _collect_photos():
    """The form's photo tokens, plus drafts made now of the files it carries (committed at once).
    Returns (tokens, [error messages])."""
    tokens = [t for t in request.form.getlist("photo") if t][: MAX_IMAGES + 1]
    with domain_errors(*PHOTO_ERRORS) as outcome:
        files = _read_photos("photos")
        if files:
            if len(tokens) + len(files) > MAX_IMAGES:
                raise Invalid(fields={"photos": [_("Choose at most %(n)d photos.", n=MAX_IMAGES)]})
            drafts = services.create_photo_drafts(current_user, files)
            db.session.commit()
            tokens += [f"d{d.id}" for d in drafts]
    if outcome.failed:
        g.photo_refusal = outcome.error
    return tokens, [error_text(outcome.error)] if outcome.failed else []


def _form_status(form):
    """400 for a form with errors; a refused upload that has its own answer (429 with Retry-After:
    too many photos of late) keeps it, so clients and proxies see what it was."""
    refusal = g.get("photo_refusal")
    if isinstance(refusal, RateLimited):
        return refusal.status, refusal.headers
    return (400 if form.errors else 200), {}


def _photo_op(tokens):
    """A photo button of the form without JavaScript ("earlier:<token>", "later:<token>",
    "remove:<token>"): the tokens in their new order. With JavaScript the page does this itself."""
    action, _sep, token = request.form.get("photo_op", "").partition(":")
    tokens = list(tokens)
    if token in tokens:
        i = tokens.index(token)
        if action == "remove":
            tokens.pop(i)
        elif action in ("earlier", "later"):
            j = i - 1 if action == "earlier" else i + 1
            if 0 <= j < len(tokens):
                tokens[i], tokens[j] = tokens[j], tokens[i]
    return tokens


def _form_photos(form, tokens, errors, product=None):
    photos, dropped = services.form_photos(current_user, tokens, product)
    if dropped:
        errors = [*errors, str(services.PHOTOS_EXPIRED)]
    if errors:
        form.photos.errors = list(form.photos.errors) + errors
    return photos


@bp.route("/sell", methods=["GET", "POST"])
@login_required
def sell():
    form, categories = _listing_form(SellForm)
    if request.method == "GET" and not form.city.data:
        form.city.data = current_user.city
    tokens, photo_errors = [], []
    if request.method == "POST":
        tokens, photo_errors = _collect_photos()
        if request.form.get("photo_op"):
            tokens = _photo_op(tokens)
        elif form.validate_on_submit():
            if not photo_errors:
                with domain_errors(Invalid, Conflict, form=form) as outcome:
                    product = services.create_product(current_user, form.data_for_service())
                    services.set_listing_photos(current_user, product.id, tokens)
                    db.session.commit()
                if not outcome.failed:
                    flash(_("Your item is listed!"), "success")
                    return redirect(url_for("products.detail", product_id=product.id))
        elif not tokens and not photo_errors:
            # The other fields need fixing: say now, not in a second round, that photos are missing too.
            photo_errors = [_("Add at least one photo.")]
    photos = _form_photos(form, tokens, photo_errors)
    status, headers = _form_status(form)
    return render("products/sell.html", form=form, categories=categories, photos=photos), status, headers


@bp.post("/photos/drafts")
@login_required
def upload_photo_draft():
    """One or more photos chosen on the sell or edit form, uploaded at once (JavaScript): kept as the
    user's drafts and answered with their tiles; the form sends their tokens when it is saved."""
    with domain_errors(*PHOTO_ERRORS) as outcome:
        files = _read_photos("photos")
        if not files:
            raise Invalid(fields={"photos": [_("Choose at least one photo.")]})
        if len(files) > MAX_IMAGES:
            raise Invalid(fields={"photos": [_("Choose at most %(n)d photos.", n=MAX_IMAGES)]})
        drafts = services.create_photo_drafts(current_user, files)
        db.session.commit()
    if outcome.failed:
        response = jsonify(error=error_text(outcome.error))
        response.status_code = outcome.error.status
        response.headers.update(outcome.error.headers)
        return response
    photos = [services.FormPhoto(token=f"d{d.id}", thumb_key=d.thumb_key, draft=True) for d in drafts]
    html = "".join(render_template("products/_photo_tile.html", photo=p, n=i + 1) for i, p in enumerate(photos))
    return html, 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.get("/sell/subcategories")
def subcategory_options():
    """The subcategory <select> for the chosen category (htmx swaps it in on change)."""
    slug = request.args.get("category", "")
    categories = list_categories()
    chosen = next((c for c in categories if c.slug == slug), None)
    return render(
        "products/_subcategory_select.html", categories=categories, chosen=chosen, selected=None, only_chosen=True
    )


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@login_required
def edit(product_id):
    product = services.get_visible_product(current_user, product_id)
    if product.seller_id != current_user.id:
        abort(403)
    form, categories = _listing_form(SellForm, obj=None if request.method == "POST" else product)
    if request.method == "GET":
        form.category.data = product.category.slug
        form.subcategory.data = product.subcategory.slug if product.subcategory else ""
        form.price.data = str(product.price)
    tokens, photo_errors = [f"i{image.id}" for image in product.images], []
    # The page's form sends its photos (marked by photos_managed); a form without them leaves them be.
    managed = request.method == "POST" and request.form.get("photos_managed") == "1"
    if managed:
        tokens, photo_errors = _collect_photos()
    if managed and request.form.get("photo_op"):
        tokens = _photo_op(tokens)
    elif form.validate_on_submit() and not photo_errors:
        with domain_errors(Invalid, Conflict, form=form) as outcome:
            services.update_product(current_user, product.id, form.data_for_service())
            if managed:
                services.set_listing_photos(current_user, product.id, tokens)
            db.session.commit()
        if not outcome.failed:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("products.detail", product_id=product.id))
    photos = _form_photos(form, tokens, photo_errors, product)
    return render(
        "products/edit.html",
        form=form,
        categories=categories,
        product=product,
        photos=photos,
    ), *_form_status(form)


@bp.post("/products/<int:product_id>/photos")
@login_required
def add_photos(product_id):
    form = PhotosForm()
    if form.validate_on_submit():
        with domain_errors(Invalid, Conflict, PayloadTooLarge, UnsupportedMediaType, flash_error=True):
            services.add_images(current_user, product_id, _read_photos("photos"))
            db.session.commit()
            flash(_("Photos added."), "success")
    return redirect(url_for("products.edit", product_id=product_id) + "#photos")


@bp.post("/products/<int:product_id>/photos/<int:image_id>/delete")
@login_required
def delete_photo(product_id, image_id):
    if ActionForm().validate_on_submit():
        with domain_errors(Conflict, flash_error=True):
            services.delete_image(current_user, product_id, image_id)
            db.session.commit()
            flash(_("Photo removed."), "success")
    return redirect(url_for("products.edit", product_id=product_id) + "#photos")


@bp.post("/products/<int:product_id>/photos/<int:image_id>/move")
@login_required
def move_photo(product_id, image_id):
    if ActionForm().validate_on_submit():
        product = services.get_visible_product(current_user, product_id)
        order = [img.id for img in product.images]
        if image_id in order:
            i = order.index(image_id)
            j = i - 1 if request.form.get("direction") == "up" else i + 1
            if 0 <= j < len(order):
                order[i], order[j] = order[j], order[i]
            with domain_errors(Conflict, flash_error=True):
                services.reorder_images(current_user, product_id, order)
                db.session.commit()
    return redirect(url_for("products.edit", product_id=product_id) + "#photos")


# ---- my listings ------------------------------------------------------------------------------


@bp.get("/my/listings")
@login_required
def my_listings():
    page = page_arg()
    status = request.args.get("status")
    status = status if status in (ListingStatus.ACTIVE, ListingStatus.RESERVED, ListingStatus.SOLD) else None
    items, meta = paginate(db.session, services.my_listings(current_user, status), page, PAGE_SIZE)
    return render("products/my_listings.html", products=items, meta=meta, action_form=ActionForm(), status=status)


@bp.post("/products/<int:product_id>/status")
@login_required
def change_status(product_id):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    status = request.form.get("status", "")
    with domain_errors(Conflict, Invalid) as outcome:
        product = services.set_status(current_user, product_id, status)
        db.session.commit()
        # One whole sentence per status, so each language words it its own way.
        message = {
            ListingStatus.ACTIVE: _("Back on sale."),
            ListingStatus.RESERVED: _("Marked as reserved."),
            ListingStatus.SOLD: _("Marked as sold."),
        }.get(product.status, _("Saved."))
    if outcome.failed:
        product = services.get_visible_product(current_user, product_id)
        # Only a hand-made request sends another status: name the ones there are, in the page's words.
        message = (
            outcome.message if isinstance(outcome.error, Conflict) else _("Choose a status: on sale, reserved or sold.")
        )
        if not is_htmx():
            flash(str(message), "error")
            return redirect(url_for("products.my_listings"))
    if is_htmx():
        response = render("products/_my_listing.html", product=product, action_form=ActionForm())
        return toast_header(response, message)
    flash(message, "success")
    return redirect(safe_next(request.form.get("next")) or url_for("products.my_listings"))


@bp.post("/products/<int:product_id>/delete")
@login_required
def delete(product_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    services.delete_product(current_user, product_id)
    db.session.commit()
    if is_htmx():
        return toast_header(render("products/_deleted.html"), _("Listing deleted."))
    flash(_("Listing deleted."), "success")
    return redirect(url_for("products.my_listings"))


# ---- favorites --------------------------------------------------------------------------------


@bp.post("/products/<int:product_id>/favorite")
@login_required
def toggle_favorite(product_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    if request.form.get("action") == "remove":
        product = favorites.remove_favorite(current_user, product_id)
    else:
        product = favorites.add_favorite(current_user, product_id)
    db.session.commit()
    if product is None:
        abort(404)
    favorites.annotate(current_user, [product])
    if is_htmx():
        return render("products/_favorite_button.html", product=product, variant=request.form.get("variant", "card"))
    return redirect(safe_next(request.form.get("next")) or url_for("products.detail", product_id=product_id))


@bp.get("/favorites")
@login_required
def my_favorites():
    page = page_arg()
    items, meta = paginate(db.session, favorites.favorites_query(current_user), page, PAGE_SIZE)
    return render("products/favorites.html", products=favorites.annotate(current_user, items), meta=meta)
