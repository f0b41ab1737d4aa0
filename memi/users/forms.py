from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from memi.users.models import LOCALES
from memi.web.forms import Form, SingleLine
from memi.web.language import NATIVE_NAMES


class ProfileForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter your name.")), Length(max=80), SingleLine()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=80), SingleLine()])
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=32), SingleLine()])
    # Each language by its own name, as on the language switch.
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, NATIVE_NAMES[code]) for code in LOCALES],
        validators=[DataRequired(_l("Choose a language."))],
    )
