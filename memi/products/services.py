"""Listings: create, edit, status, soft delete, photos, and what each viewer may see."""

import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from memi import events
from memi.categories.models import Category, Subcategory
from memi.categories.services import find_by_id_or_slug
from memi.columns import utcnow
from memi.cpu import release_database
from memi.db_setup import lock_for_update
from memi.errors import Conflict, Forbidden, Invalid, NotFound
from memi.extensions import db
from memi.limits import MAX_IMAGES, MAX_PRICE, PRICE_PLACES, TEXT_LIMITS, photo_draft_lifetime
from memi.moderation import BLOCK, FLAG, get_moderator
from memi.products.models import CONDITIONS, PhotoDraft, Product, ProductImage, ProductView, SearchTerm
from memi.products.search import words_of
from memi.products.visibility import public_listings, visible_listings
from memi.statuses import LISTING_TRANSITIONS, OWNER_SETTABLE, ListingStatus
from memi.uploads import images as uploaded_images
from memi.uploads.images import ProcessedImage, charge_photo_uploads
from memi.uploads.storage import get_storage, new_key

EDITABLE = (
    "title",
    "description",
    "price",
    "condition",
    "category",
    "subcategory",
    "size",
    "color",
    "brand",
    "material",
    "city",
)


def parse_price(value):
    """A positive Decimal with at most two places, or Invalid."""
    try:
        price = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise Invalid(fields={"price": [_l("Enter a price like 45 or 45.50.")]})
    if not price.is_finite() or price <= 0:
        raise Invalid(fields={"price": [_l("Must be greater than 0.")]})
    if price >= MAX_PRICE:
        most = format(MAX_PRICE, ",.0f")
        raise Invalid(fields={"price": [_l("Must be less than %(price)s AZN.", price=most)]})
    step = Decimal(1).scaleb(-PRICE_PLACES)
    if price != price.quantize(step):
        raise Invalid(fields={"price": [_l("Use at most two decimal places.")]})
    return price.quantize(step)


def clean_listing(data, partial=False, seller=None):
    """Checked listing fields from `data` (only EDITABLE keys are read). Raises Invalid per field."""
    cleaned, problems = {}, {}
    for field in EDITABLE:
        if field not in data:
            if not partial and field in ("title", "price", "condition", "category"):
                problems[field] = [_l("This field is required.")]
            continue
        value = data[field]
        if field in TEXT_LIMITS:
            value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
            low, high = TEXT_LIMITS[field]
            if field == "title" and len(value) < low:
                problems[field] = [_l("Use at least %(num)d characters.", num=low)]
            elif len(value) > high:
                problems[field] = [_l("Use at most %(num)d characters.", num=high)]
            cleaned[field] = value if field in ("title", "description") else (value or None)
        elif field == "price":
            try:
                cleaned["price"] = parse_price(value)
            except Invalid as exc:
                problems.update(exc.fields)
        elif field == "condition":
            if value not in CONDITIONS:
                problems["condition"] = [_l("Choose the condition.")]
            else:
                cleaned["condition"] = value
        elif field == "category":
            category = find_by_id_or_slug(Category, value)
            if category is None:
                problems["category"] = [_l("Choose a category.")]
            else:
                cleaned["category_id"] = category.id
        elif field == "subcategory":
            sub = find_by_id_or_slug(Subcategory, value)
            if value not in (None, "") and sub is None:
                problems["subcategory"] = [_l("Choose a subcategory.")]
            cleaned["subcategory_id"] = sub.id if sub else None
            cleaned["_subcategory"] = sub
    sub = cleaned.pop("_subcategory", None)
    if sub is not None and "category_id" in cleaned and sub.category_id != cleaned["category_id"]:
        problems["subcategory"] = [_l("This subcategory belongs to another category.")]
    if problems:
        raise Invalid(fields=problems)
    return cleaned, sub


def _index_words(product):
    """Add the listing's words to the search vocabulary (for typo correction)."""

    text = " ".join(filter(None, [product.title, product.brand, product.description]))
    words = {w for w in words_of(text) if 3 <= len(w) <= 40 and not w.isdigit()}
    if not words:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(SearchTerm).values([{"term": w} for w in sorted(words)]).on_conflict_do_nothing())


def _moderate(seller, fields, product=None):
    """Ask the moderation seam; a block refuses the listing, a flag files a SYSTEM report after flush."""

    text = " ".join(str(fields.get(k) or "") for k in ("title", "description", "brand"))
    decision = get_moderator().check_listing(seller, text)
    if decision.action == BLOCK:
        raise Invalid(decision.reason, fields={"title": [decision.reason]})
    return decision.action == FLAG, decision.reason


def _flag(product, reason):
    """The automated moderation flagged the listing: a system report opens (memi.reports.listeners)."""
    events.emit(
        db.session, events.content_flagged, target_type="product", target_id=product.id, reason="OTHER", details=reason
    )


def create_product(seller, data):
    """List an item for sale (status ACTIVE). The city defaults to the seller's.

    Raises Invalid for bad fields or content the moderation refuses, Forbidden for a blocked seller.
    """
    if seller.is_blocked:
        raise Forbidden(_l("This account is blocked."))
    cleaned, _sub = clean_listing(data, seller=seller)
    flagged, reason = _moderate(seller, cleaned)
    cleaned.setdefault("city", None)
    cleaned["city"] = cleaned["city"] or seller.city
    product = Product(seller_id=seller.id, status=ListingStatus.ACTIVE, **cleaned)
    db.session.add(product)
    db.session.flush()
    if flagged:
        _flag(product, reason)
    _index_words(product)
    events.emit(db.session, events.product_created, product_id=product.id)
    return product


def _owned(actor, product_id, lock=False):
    """The listing `actor` may change. A listing others cannot see (deleted, moderated away, a blocked
    seller's) is NotFound to them on mutations too, as on reads: a 403 would confirm it exists."""
    query = visible_listings(actor).where(Product.id == product_id)
    if lock:
        query = lock_for_update(query, of=Product)
    product = db.session.scalar(query)
    if product is None:
        raise NotFound(_l("This listing does not exist."))
    if product.seller_id != actor.id:
        raise Forbidden(_l("Only the seller can change this listing."))
    if product.status == ListingStatus.DELETED:
        raise NotFound(_l("This listing was deleted."))
    return product


def update_product(actor, product_id, data):
    """Edit a listing's fields (owner only). Raises NotFound, Forbidden, Conflict (sold), Invalid."""
    product = _owned(actor, product_id, lock=True)
    if product.status == ListingStatus.SOLD:
        raise Conflict(_l("A sold listing can no longer be edited."))
    cleaned, sub = clean_listing(data, partial=True)
    if sub is not None and "category_id" not in cleaned and sub.category_id != product.category_id:
        # Only `subcategory` was sent: it must belong to the listing's category (API.md has no rule that
        # moves the listing to another category with it), else a dress shows under men's jeans.
        raise Invalid(fields={"subcategory": [_l("This subcategory belongs to another category.")]})
    merged = {k: cleaned.get(k, getattr(product, k)) for k in ("title", "description", "brand")}
    flagged, reason = _moderate(actor, merged, product)
    if flagged:
        _flag(product, reason)
    if "category_id" in cleaned and "subcategory_id" not in cleaned and product.subcategory_id:
        sub = db.session.get(Subcategory, product.subcategory_id)
        if sub.category_id != cleaned["category_id"]:
            cleaned["subcategory_id"] = None
    old_price = product.price
    for key, value in cleaned.items():
        setattr(product, key, value)
    db.session.flush()
    # The joined category/subcategory were loaded with the old ids: reload them, so that the answer
    # shows what is stored.
    db.session.expire(product, ["category", "subcategory"])
    _index_words(product)
    if "price" in cleaned and cleaned["price"] < old_price:
        events.emit(
            db.session,
            events.product_price_dropped,
            product_id=product.id,
            old_price=str(old_price),
            new_price=str(product.price),
        )
    return product


# The refusal of each move the state machine does not allow (SOLD and DELETED are final), one message
# each so that every language can word it whole.
_TRANSITION_REFUSED = {
    (ListingStatus.SOLD, ListingStatus.ACTIVE): _l("A sold listing cannot become active."),
    (ListingStatus.SOLD, ListingStatus.RESERVED): _l("A sold listing cannot become reserved."),
    (ListingStatus.DELETED, ListingStatus.ACTIVE): _l("A deleted listing cannot become active."),
    (ListingStatus.DELETED, ListingStatus.RESERVED): _l("A deleted listing cannot become reserved."),
    (ListingStatus.DELETED, ListingStatus.SOLD): _l("A deleted listing cannot become sold."),
}


def set_status(actor, product_id, status):
    """Move a listing ACTIVE <-> RESERVED, or to SOLD (final). Raises Conflict for illegal moves."""
    product = _owned(actor, product_id, lock=True)
    if status not in OWNER_SETTABLE:
        raise Invalid(
            _l("Choose a status: ACTIVE, RESERVED or SOLD."),
            fields={"status": [_l("Must be one of ACTIVE, RESERVED, SOLD.")]},
        )
    if status == product.status:
        return product
    if status not in LISTING_TRANSITIONS[product.status]:
        raise Conflict(
            _TRANSITION_REFUSED.get((product.status, status), _l("This listing's status can no longer change."))
        )
    old = product.status
    product.status = status
    if status == ListingStatus.SOLD:
        product.sold_at = utcnow()
    db.session.flush()
    # A sold listing's open requests close (memi.reservations.listeners, in this transaction).
    events.emit(
        db.session, events.product_status_changed, product_id=product.id, old=old, new=status, actor_id=actor.id
    )
    return product


def delete_product(actor, product_id):
    """Soft delete (status DELETED; the row and photos stay for moderation history)."""
    product = _owned(actor, product_id, lock=True)
    old = product.status
    product.status = ListingStatus.DELETED
    product.deleted_at = utcnow()
    db.session.flush()
    # Its open requests close (memi.reservations.listeners, in this transaction).
    events.emit(
        db.session,
        events.product_status_changed,
        product_id=product.id,
        old=old,
        new=ListingStatus.DELETED,
        actor_id=actor.id,
    )
    return product


def get_visible_product(viewer, product_id):
    """A listing as `viewer` may see it: deleted, moderated-away and blocked sellers' listings are
    NotFound to everyone but the owner and admins (the rule: memi.products.visibility)."""
    product = db.session.scalar(visible_listings(viewer).where(Product.id == product_id))
    if product is None:
        raise NotFound(_l("This listing does not exist."))
    return product


def visitor_key(viewer, ip=None, user_agent=None, day=None):
    """Who counts as one visitor of a listing for `day`: a signed-in viewer by user id, anyone else by
    address and user agent, keyed-hashed with the day in the key (nothing personal is stored, and the
    same visitor is not recognisable from one day to the next)."""
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        return f"u{viewer.id}"
    day = day or view_day()
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"views|{day.isoformat()}|{ip or ''}|{user_agent or ''}".encode(), hashlib.sha256)
    return "a" + digest.hexdigest()[:40]


def view_day(now=None):
    """Today in the site's time zone (a day of views ends at midnight in Baku, not in London)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    return (now or utcnow()).astimezone(zone).date()


def record_view(product, viewer, ip=None, user_agent=None):
    """Usage data: a listing's view, from its page or the API, counted once per visitor and day (see
    visitor_key; the unique key on product_views settles two views at once). The seller's own views
    are not counted. Returns whether a view was counted."""
    user_id = viewer.id if viewer is not None and getattr(viewer, "is_authenticated", False) else None
    if user_id is not None and user_id == product.seller_id:
        return False
    day = view_day()
    row = {
        "product_id": product.id,
        "user_id": user_id,
        "visitor": visitor_key(viewer, ip, user_agent, day),
        "day": day,
        "created_at": utcnow(),
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ProductView).values(row).on_conflict_do_nothing(index_elements=["product_id", "visitor", "day"])
    if db.session.execute(statement).rowcount != 1:
        return False  # this visitor was counted today
    db.session.execute(
        sa.update(Product)
        .where(Product.id == product.id)
        .values(view_count=Product.view_count + 1, updated_at=Product.updated_at)
    )  # a view is not an edit
    return True


def seller_listings(seller_id, statuses=(ListingStatus.ACTIVE, ListingStatus.RESERVED)):
    """A seller's public listings in `statuses`, newest first (a Select, for pagination)."""
    return (
        public_listings(statuses)
        .where(Product.seller_id == seller_id)
        .order_by(Product.created_at.desc(), Product.id.desc())
    )


def my_listings(seller, status=None):
    """The seller's own listings in every status but DELETED (moderated-away ones included), or in
    `status` only; newest first (a Select, for pagination)."""
    query = sa.select(Product).where(Product.seller_id == seller.id, Product.status != ListingStatus.DELETED)
    if status:
        query = query.where(Product.status == status)
    return query.order_by(Product.created_at.desc(), Product.id.desc())


# ---- photos -----------------------------------------------------------------------------------


def _photos_editable(product):
    if product.status == ListingStatus.SOLD:
        raise Conflict(_l("The photos of a sold listing can no longer be changed."))


def _check_room(product_id, adding):
    existing = db.session.scalar(sa.select(sa.func.count(ProductImage.id)).where(ProductImage.product_id == product_id))
    if existing + adding > MAX_IMAGES:
        raise Conflict(
            _l("A listing can have at most %(most)d photos; this one has %(now)d.", most=MAX_IMAGES, now=existing),
            fields={"files": [_l("You can add %(num)d more.", num=max(0, MAX_IMAGES - existing))]},
        )


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    """A processed photo whose files are already in storage (the result of store_photos)."""

    key: str
    thumb_key: str
    width: int
    height: int


def process_photos(files, actor=None):
    """Photos (bytes) made ready for add_images: checked and re-encoded, which takes seconds of CPU
    for large ones. Counted against `actor`'s photo upload rate (PHOTO_UPLOAD_RATE) first. Whatever
    the request has read so far is ended first (memi.cpu); call it before writing anything.

    Raises RateLimited, PayloadTooLarge, UnsupportedMediaType, Unavailable (too busy).
    """

    todo = [f for f in files if not isinstance(f, (ProcessedImage, StoredPhoto))]
    if actor is not None and todo:
        charge_photo_uploads(actor, len(todo))
    if todo:
        release_database()  # no transaction stays open (or, on SQLite, holds the write lock) meanwhile
    return [f if isinstance(f, (ProcessedImage, StoredPhoto)) else uploaded_images.process_image(f) for f in files]


def store_photos(files, actor=None):
    """process_photos, then the files written to storage, all before the request writes to the
    database. The files are deleted again if the request's transaction rolls back (or fails before
    it commits: pass the result to add_images, whose own failure deletes them too).

    Raises as process_photos.
    """

    processed = process_photos(files, actor)
    storage = get_storage()
    stored, saved = [], []
    try:
        for item in processed:
            if isinstance(item, StoredPhoto):
                stored.append(item)
                continue
            key, thumb_key = new_key("products"), new_key("products")
            storage.save(key, item.main, "image/webp")
            saved.append(key)
            storage.save(thumb_key, item.thumb, "image/webp")
            saved.append(thumb_key)
            stored.append(StoredPhoto(key=key, thumb_key=thumb_key, width=item.width, height=item.height))
    except BaseException:
        _delete_files(storage, saved)
        raise
    if saved:
        events.on_rollback(db.session, lambda: _delete_files(storage, saved))
    return stored


def add_images(actor, product_id, files):
    """Attach photos (bytes, or the result of process_photos or store_photos) to a listing; at most
    MAX_IMAGES in total. Ownership and room are checked first (a refusal costs no CPU); the photos
    are then processed and stored with no transaction open, and only then is the listing row locked
    to re-check ownership and the count and insert: two uploads at once queue for milliseconds, not
    seconds, and cannot exceed the limit. Files stored here are deleted if that fails.

    Raises Invalid (no files), RateLimited, PayloadTooLarge, UnsupportedMediaType, Unavailable,
    Conflict (too many, or a sold listing), NotFound, Forbidden.
    """

    if not files:
        raise Invalid(fields={"files": [_l("Choose at least one photo.")]})
    if len(files) > MAX_IMAGES:
        raise Conflict(_l("A listing can have at most %(num)d photos.", num=MAX_IMAGES))
    if not all(isinstance(f, StoredPhoto) for f in files):
        _photos_editable(_owned(actor, product_id))  # fail fast before the expensive part
        _check_room(product_id, len(files))
    stored = store_photos(files, actor)
    fresh = [p for p, f in zip(stored, files, strict=True) if not isinstance(f, StoredPhoto)]

    storage = get_storage()
    try:
        # The short locked section: on PostgreSQL the listing row, on SQLite the database.
        product = _owned(actor, product_id, lock=True)
        _photos_editable(product)
        _check_room(product.id, len(stored))
        last = db.session.scalar(
            sa.select(sa.func.max(ProductImage.position)).where(ProductImage.product_id == product.id)
        )
        position = (last if last is not None else -1) + 1
        images = []
        for item in stored:
            image = _image_row(product, item, position)
            position += 1
            db.session.add(image)
            images.append(image)
        db.session.flush()
    except BaseException:
        _delete_files(storage, [k for p in fresh for k in (p.key, p.thumb_key)])
        raise
    return images


def _delete_files(storage, keys):
    for key in keys:
        storage.delete(key)


def delete_image(actor, product_id, image_id):
    """Remove a photo and its files."""

    product = _owned(actor, product_id, lock=True)
    _photos_editable(product)
    image = db.session.get(ProductImage, image_id)
    if image is None or image.product_id != product.id:
        raise NotFound(_l("This photo does not exist."))
    keys = (image.key, image.thumb_key)
    db.session.delete(image)
    db.session.flush()
    storage = get_storage()
    # The files go once the row is gone for good, so a rolled-back request keeps a working photo.
    events.after_commit(db.session, lambda: [storage.delete(k) for k in keys])


def reorder_images(actor, product_id, image_ids):
    """Set photo positions in the order of `image_ids` (all the listing's photos, each once)."""
    product = _owned(actor, product_id, lock=True)
    _photos_editable(product)
    images = {
        img.id: img for img in db.session.scalars(sa.select(ProductImage).where(ProductImage.product_id == product.id))
    }
    if sorted(image_ids) != sorted(images) or len(set(image_ids)) != len(image_ids):
        raise Invalid(fields={"image_ids": [_l("List every photo of this listing exactly once.")]})
    for position, image_id in enumerate(image_ids):
        images[image_id].position = position
    db.session.flush()
    return sorted(images.values(), key=lambda i: i.position)


# ---- photo drafts -------------------------------------------------------------------------------
# A listing form's photos before the listing is saved. The form names them, in order, with tokens:
# "d<id>" for a draft, "i<id>" for a photo the listing already has (edit form).

# Live drafts one person may hold at once: a few forms' worth, so nobody fills the storage with them.
MAX_LIVE_DRAFTS = 4 * MAX_IMAGES
PHOTOS_EXPIRED = _l("Some photos were kept for too long and are gone; please add them again.")


def _live_drafts(owner_id, now=None):
    cutoff = (now or utcnow()) - photo_draft_lifetime()
    return sa.select(PhotoDraft).where(PhotoDraft.owner_id == owner_id, PhotoDraft.created_at > cutoff)


def create_photo_drafts(owner, files):
    """Check, re-encode and store photos (bytes) as drafts of `owner`, for a listing form not saved yet.
    Returns the new PhotoDraft rows (flushed). The files go again if the request rolls back.

    Raises Forbidden (a blocked account), Invalid (no files), Conflict (more than MAX_LIVE_DRAFTS live
    drafts), and what store_photos raises (RateLimited, PayloadTooLarge, UnsupportedMediaType,
    Unavailable).
    """
    if owner.is_blocked:
        raise Forbidden(_l("This account is blocked."))
    if not files:
        raise Invalid(fields={"photos": [_l("Choose at least one photo.")]})
    live = db.session.scalar(sa.select(sa.func.count()).select_from(_live_drafts(owner.id).subquery()))
    if live + len(files) > MAX_LIVE_DRAFTS:
        message = _l("You have added many photos that are not in a listing yet; save a listing first.")
        raise Conflict(message, fields={"photos": [message]})
    stored = store_photos(files, owner)  # no transaction is open while this works
    last = db.session.scalar(sa.select(sa.func.max(PhotoDraft.position)).where(PhotoDraft.owner_id == owner.id))
    position = (last if last is not None else -1) + 1
    drafts = []
    for offset, item in enumerate(stored):
        draft = PhotoDraft(
            owner_id=owner.id,
            key=item.key,
            thumb_key=item.thumb_key,
            width=item.width,
            height=item.height,
            position=position + offset,
        )
        db.session.add(draft)
        drafts.append(draft)
    db.session.flush()
    return drafts


@dataclass(frozen=True, slots=True)
class FormPhoto:
    """One photo of a listing form: `token` as the form sends it, the thumbnail to show."""

    token: str
    thumb_key: str
    draft: bool


def _parse_tokens(tokens):
    """[("d"|"i", id)] from the form's tokens; Invalid for anything else or a repeated token."""
    parsed = []
    for token in tokens:
        token = (token or "").strip()
        if len(token) < 2 or token[0] not in "di" or not token[1:].isdigit() or len(token) > 20:
            raise Invalid(fields={"photos": [_l("These photos could not be read; please add them again.")]})
        parsed.append((token[0], int(token[1:])))
    if len(set(parsed)) != len(parsed):
        raise Invalid(fields={"photos": [_l("Each photo can be used once.")]})
    return parsed


def form_photos(actor, tokens, product=None):
    """The photos a listing form names, for showing it again: `actor`'s live drafts and, with `product`,
    its own photos. Tokens that name nothing of theirs (expired, another person's, made up) are left
    out. Returns ([FormPhoto], dropped: bool)."""
    try:
        parsed = _parse_tokens(tokens)
    except Invalid:
        return [], True
    draft_ids = [i for kind, i in parsed if kind == "d"]
    drafts = {}
    if draft_ids:
        drafts = {d.id: d for d in db.session.scalars(_live_drafts(actor.id).where(PhotoDraft.id.in_(draft_ids)))}
    images = {img.id: img for img in product.images} if product is not None else {}
    out = []
    for kind, ident in parsed:
        row = drafts.get(ident) if kind == "d" else images.get(ident)
        if row is not None:
            out.append(FormPhoto(token=f"{kind}{ident}", thumb_key=row.thumb_key, draft=kind == "d"))
    return out[:MAX_IMAGES], len(out) != len(parsed)


def set_listing_photos(actor, product_id, tokens):
    """Make a listing's photos exactly `tokens`, in that order: "i<id>" keeps one of its photos, "d<id>"
    turns one of `actor`'s live drafts into a photo (same files; the draft row goes). Photos not named
    are removed, their files once the request commits. The listing row is locked throughout, and so
    are the drafts, so one draft becomes one photo however many saves race.

    Raises Invalid (no photo, a token that names nothing of the actor's, an expired draft), Conflict
    (more than MAX_IMAGES, or a sold listing whose photos change), NotFound, Forbidden.
    """
    parsed = _parse_tokens(tokens)
    if not parsed:
        raise Invalid(fields={"photos": [_l("Add at least one photo.")]})
    if len(parsed) > MAX_IMAGES:
        message = _l("A listing can have at most %(num)d photos.", num=MAX_IMAGES)
        raise Conflict(message, fields={"photos": [message]})
    product = _owned(actor, product_id, lock=True)
    images = {
        img.id: img for img in db.session.scalars(sa.select(ProductImage).where(ProductImage.product_id == product.id))
    }
    draft_ids = [i for kind, i in parsed if kind == "d"]
    drafts = {}
    if draft_ids:
        query = lock_for_update(_live_drafts(actor.id).where(PhotoDraft.id.in_(draft_ids)), of=PhotoDraft)
        drafts = {d.id: d for d in db.session.scalars(query)}
    if any((drafts if kind == "d" else images).get(ident) is None for kind, ident in parsed):
        raise Invalid(fields={"photos": [PHOTOS_EXPIRED]})
    kept = {ident for kind, ident in parsed if kind == "i"}
    current = [img.id for img in sorted(images.values(), key=lambda i: (i.position, i.id))]
    if draft_ids or kept != set(images) or [i for k, i in parsed if k == "i"] != current:
        _photos_editable(product)
    gone = [img for ident, img in images.items() if ident not in kept]
    keys = [k for img in gone for k in (img.key, img.thumb_key)]
    for img in gone:
        db.session.delete(img)
    result = []
    for position, (kind, ident) in enumerate(parsed):
        if kind == "i":
            image = images[ident]
            image.position = position
        else:
            draft = drafts[ident]
            image = _image_row(product, draft, position)
            db.session.add(image)
            db.session.delete(draft)
        result.append(image)
    db.session.flush()
    if keys:
        storage = get_storage()
        events.after_commit(db.session, lambda: [storage.delete(k) for k in keys])
    db.session.expire(product, ["images"])
    return result


def _image_row(product, stored, position):
    """A listing's photo row for processed files (a fresh upload or a draft: key, thumb_key, width, height)."""
    return ProductImage(
        product_id=product.id,
        key=stored.key,
        thumb_key=stored.thumb_key,
        width=stored.width,
        height=stored.height,
        position=position,
    )
