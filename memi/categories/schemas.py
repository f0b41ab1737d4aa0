import marshmallow as ma

from memi.categories.models import NAME_MAX, category_name


def local_name_field():
    """`name` in an answer: the category's or subcategory's name in the reader's language."""
    return ma.fields.Function(
        category_name, metadata={"type": "string", "description": "In the language of Accept-Language."}
    )


class _NamedSchema(ma.Schema):
    id = ma.fields.Integer()
    slug = ma.fields.String()
    name = local_name_field()
    name_az = ma.fields.String(metadata={"description": "Azerbaijani name."})
    name_ru = ma.fields.String(metadata={"description": "Russian name."})
    name_en = ma.fields.String(metadata={"description": "English name."})


class SubcategorySchema(_NamedSchema):
    pass


class CategorySchema(_NamedSchema):
    subcategories = ma.fields.List(ma.fields.Nested(SubcategorySchema))


def _name(description):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=NAME_MAX), metadata={"description": description})


class CategoryInputSchema(ma.Schema):
    """A category's or subcategory's names and slug. A new one needs its name in Azerbaijani, Russian and
    English (`name_en`, or `name`), checked by the service (which says which is missing); an edit keeps
    the names it is not sent. The slug of a new one is derived from the English name when absent."""

    name_az = _name("Azerbaijani name (required for a new one).")
    name_ru = _name("Russian name (required for a new one).")
    name_en = _name("English name (required for a new one, or as `name`).")
    name = _name("The English name (the same as name_en, kept for older clients).")
    slug = ma.fields.String(validate=ma.validate.Length(min=1, max=80))


class CategoryPatchSchema(CategoryInputSchema):
    pass
