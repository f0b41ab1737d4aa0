import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memi.columns import Timestamps
from memi.extensions import db

NAME_MAX = 80
# The languages a category name is kept in, and the column that holds each (`name` is English, the
# source language, as it was before names were translated).
NAME_COLUMNS = {"az": "name_az", "ru": "name_ru", "en": "name"}


def category_name(row, locale=None):
    """The name of a category or subcategory in `locale` (default: the current one, flask_babel's
    get_locale()); English when the locale is none of az, ru, en or there is no locale at all."""
    locale = locale if locale is not None else get_locale()
    language = str(locale).split("_")[0].split("-")[0].lower() if locale else "en"
    return getattr(row, NAME_COLUMNS.get(language, "name")) or row.name


class _Named:
    """The name columns a category and a subcategory share."""

    name: Mapped[str] = mapped_column(sa.String(NAME_MAX), nullable=False)  # English
    name_az: Mapped[str] = mapped_column(sa.String(NAME_MAX), nullable=False)
    name_ru: Mapped[str] = mapped_column(sa.String(NAME_MAX), nullable=False)

    @property
    def local_name(self):
        """The name in the reader's language (category_name)."""
        return category_name(self)

    @property
    def name_en(self):
        return self.name


class Category(_Named, Timestamps, db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), nullable=False, unique=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0, index=True)

    subcategories: Mapped[list["Subcategory"]] = relationship(
        back_populates="category",
        order_by="Subcategory.position, Subcategory.id",
        cascade="all, delete-orphan",
    )


class Subcategory(_Named, Timestamps, db.Model):
    __tablename__ = "subcategories"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("categories.id", ondelete="CASCADE"), nullable=False, index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(80), nullable=False, unique=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)

    category: Mapped[Category] = relationship(back_populates="subcategories")
