from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memi.columns import Timestamps, UTCDateTime, created_at_column, enum_check
from memi.extensions import db
from memi.limits import BRAND_MAX, CITY_MAX, COLOR_MAX, MATERIAL_MAX, SIZE_MAX, TITLE_MAX
from memi.products.textfold import search_text
from memi.statuses import ListingStatus

CONDITIONS = ("NEW_WITH_TAGS", "NEW_WITHOUT_TAGS", "VERY_GOOD", "GOOD", "SATISFACTORY")
STATUSES = tuple(ListingStatus)


class Product(Timestamps, db.Model):
    __tablename__ = "products"
    __table_args__ = (
        enum_check("condition", CONDITIONS),
        enum_check("status", STATUSES),
        sa.CheckConstraint("price > 0", name="price_positive"),
        # Browse without a term: newest first within a status, and by price.
        sa.Index("ix_products_status_created_at", "status", "created_at"),
        sa.Index("ix_products_status_price", "status", "price"),
        sa.Index("ix_products_seller_status", "seller_id", "status"),
        sa.Index("ix_products_category_status_created", "category_id", "status", "created_at"),
        sa.Index("ix_products_subcategory_status_created", "subcategory_id", "status", "created_at"),
        # Size, brand, colour and city filters compare case-insensitively (lower(x) = ...), and the
        # facets scan the listings of such a filter (memi.products.search).
        *(
            sa.Index(f"ix_products_lower_{name}", sa.text(f"lower({name})"))
            for name in ("size", "brand", "color", "city")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), nullable=False, index=True)
    subcategory_id: Mapped[int | None] = mapped_column(sa.ForeignKey("subcategories.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    price: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), nullable=False, index=True)
    condition: Mapped[str] = mapped_column(sa.String(20), nullable=False, index=True)
    size: Mapped[str | None] = mapped_column(sa.String(SIZE_MAX), index=True)
    color: Mapped[str | None] = mapped_column(sa.String(COLOR_MAX), index=True)
    brand: Mapped[str | None] = mapped_column(sa.String(BRAND_MAX), index=True)
    material: Mapped[str | None] = mapped_column(sa.String(MATERIAL_MAX))
    city: Mapped[str | None] = mapped_column(sa.String(CITY_MAX), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default=ListingStatus.ACTIVE, index=True)
    favorite_count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    view_count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    sold_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Moderation: a removed listing keeps its status; it is hidden while removed_at is set.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    removed_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # What search indexes (memi.products.textfold): the folded, stemmed words of title, brand and
    # description, set by the listener below on every insert and change; never shown, so not loaded with
    # a listing (deferred). PostgreSQL's search_vector and SQLite's products_fts are built from these
    # (migration 0013).
    search_title: Mapped[str] = mapped_column(sa.Text, nullable=False, default="", server_default="", deferred=True)
    search_brand: Mapped[str] = mapped_column(sa.Text, nullable=False, default="", server_default="", deferred=True)
    search_body: Mapped[str] = mapped_column(sa.Text, nullable=False, default="", server_default="", deferred=True)

    def refresh_search_text(self):
        self.search_title = search_text(self.title)
        self.search_brand = search_text(self.brand)
        self.search_body = search_text(self.description)

    seller = relationship("User", lazy="joined", innerjoin=True)
    category = relationship("Category", lazy="joined", innerjoin=True)
    subcategory = relationship("Subcategory", lazy="joined")
    images: Mapped[list["ProductImage"]] = relationship(
        back_populates="product", order_by="ProductImage.position, ProductImage.id"
    )


@sa.event.listens_for(Product, "before_insert")
def _search_text_on_insert(mapper, connection, product):
    """The search columns follow title, brand and description, whoever writes them through the ORM
    (bulk writers outside the ORM, like the demo generator, call textfold.search_text themselves)."""
    product.refresh_search_text()


@sa.event.listens_for(Product, "before_update")
def _search_text_on_update(mapper, connection, product):
    state = sa.inspect(product)
    if any(state.attrs[name].history.has_changes() for name in ("title", "brand", "description")):
        product.refresh_search_text()


class ProductImage(db.Model):
    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False, index=True
    )
    key: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    thumb_key: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    width: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    height: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = created_at_column()

    product: Mapped[Product] = relationship(back_populates="images")


class ProductView(db.Model):
    """Append-only usage data: one row per visitor, listing and day (the first view that day).

    `visitor` is "u<user id>" for a signed-in viewer, else a keyed hash of the address and user agent
    whose key changes every day (no address is stored, and a visitor cannot be followed across days).
    The unique key lets the database settle two views at once: only one row, one count."""

    __tablename__ = "product_views"
    __table_args__ = (sa.UniqueConstraint("product_id", "visitor", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    visitor: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    day: Mapped[date] = mapped_column(sa.Date, nullable=False)
    created_at: Mapped[datetime] = created_at_column(index=True)


class SearchLog(db.Model):
    """Append-only usage data: what was searched, with which filters, and how many results."""

    __tablename__ = "search_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    query: Mapped[str | None] = mapped_column(sa.String(200))
    filters: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    result_count: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    created_at: Mapped[datetime] = created_at_column(index=True)


class SearchTerm(db.Model):
    """The vocabulary of words in listings, for correcting misspelled search words ("lether" to
    "leather") against a small table instead of the whole catalogue."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(sa.String(40), primary_key=True)


class PhotoDraft(db.Model):
    """A photo uploaded for a listing form that is not saved yet (the sell or edit form), kept for
    its owner for PHOTO_DRAFT_HOURS so that a validation error never costs the photos chosen. Saving
    the listing turns it into a ProductImage with the same files; the media sweep removes expired drafts
    and then their files (memi.uploads.sweep)."""

    __tablename__ = "photo_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    key: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    thumb_key: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    width: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    height: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = created_at_column(index=True)
