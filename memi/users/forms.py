from flask_babel import lazy_gettext as _l
from wtforms import StringField, TelField
from wtforms.validators import DataRequired, Length, Optional

from memi.web.forms import Form, SingleLine


class ProfileForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter your name.")), Length(max=80), SingleLine()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=80), SingleLine()])
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=32), SingleLine()])
