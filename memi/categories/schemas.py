import marshmallow as ma


class SubcategorySchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    slug = ma.fields.String()


class CategorySchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    slug = ma.fields.String()
    subcategories = ma.fields.List(ma.fields.Nested(SubcategorySchema))


class CategoryInputSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=80))
    slug = ma.fields.String(validate=ma.validate.Length(min=1, max=80))


class CategoryPatchSchema(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=80))
    slug = ma.fields.String(validate=ma.validate.Length(min=1, max=80))
