import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memi.columns import Timestamps
from memi.extensions import db


class Category(Timestamps, db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    slug: Mapped[str] = mapped_column(sa.String(80), nullable=False, unique=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0, index=True)

    subcategories: Mapped[list["Subcategory"]] = relationship(
        back_populates="category",
        order_by="Subcategory.position, Subcategory.id",
        cascade="all, delete-orphan",
    )


class Subcategory(Timestamps, db.Model):
    __tablename__ = "subcategories"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("categories.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    slug: Mapped[str] = mapped_column(sa.String(80), nullable=False, unique=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)

    category: Mapped[Category] = relationship(back_populates="subcategories")
