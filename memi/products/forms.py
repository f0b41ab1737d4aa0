from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from memi.categories.models import category_name
from memi.errors import Invalid
from memi.limits import BRAND_MAX, CITY_MAX, COLOR_MAX, DESCRIPTION_MAX, MATERIAL_MAX, SIZE_MAX, TITLE_MAX, TITLE_MIN
from memi.products.services import parse_price
from memi.web.forms import Form

CONDITION_LABELS = [
    SelectChoice("NEW_WITH_TAGS", _l("New with tags")),
    SelectChoice("NEW_WITHOUT_TAGS", _l("New without tags")),
    SelectChoice("VERY_GOOD", _l("Very good")),
    SelectChoice("GOOD", _l("Good")),
    SelectChoice("SATISFACTORY", _l("Satisfactory")),
]
CHOOSE = SelectChoice("", _l("Choose…"))


def condition_label(value):
    return {c.value: c.label for c in CONDITION_LABELS}.get(value, value)


class ListingForm(Form):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give the item a title.")), Length(min=TITLE_MIN, max=TITLE_MAX)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=DESCRIPTION_MAX)])
    price = StringField(_l("Price (AZN)"), validators=[DataRequired(_l("Enter a price."))])
    condition = SelectField(
        _l("Condition"), choices=[CHOOSE, *CONDITION_LABELS], validators=[DataRequired(_l("Choose the condition."))]
    )
    category = SelectField(_l("Category"), choices=[], validators=[DataRequired(_l("Choose a category."))])
    subcategory = SelectField(_l("Subcategory"), choices=[], validate_choice=False, validators=[Optional()])
    size = StringField(_l("Size"), validators=[Optional(), Length(max=SIZE_MAX)])
    brand = StringField(_l("Brand"), validators=[Optional(), Length(max=BRAND_MAX)])
    color = StringField(_l("Colour"), validators=[Optional(), Length(max=COLOR_MAX)])
    material = StringField(_l("Material"), validators=[Optional(), Length(max=MATERIAL_MAX)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=CITY_MAX)])

    def validate_price(self, field):
        # The service's rule, checked with the other fields so every error shows in one round.

        try:
            parse_price(field.data)
        except Invalid as exc:
            raise ValidationError(exc.fields["price"][0]) from None

    def set_category_choices(self, categories):
        self.category.choices = [CHOOSE] + [SelectChoice(c.slug, category_name(c)) for c in categories]

    def data_for_service(self):
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "price": self.price.data,
            "condition": self.condition.data,
            "category": self.category.data,
            "subcategory": self.subcategory.data or None,
            "size": self.size.data,
            "brand": self.brand.data,
            "color": self.color.data,
            "material": self.material.data,
            "city": self.city.data,
        }


class SellForm(ListingForm):
    photos = MultipleFileField(_l("Photos"))


class PhotosForm(Form):
    photos = MultipleFileField(_l("Add photos"))


class ActionForm(Form):
    """A button-only form (CSRF token and nothing else)."""
