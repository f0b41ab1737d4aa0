from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TelField
from wtforms.validators import DataRequired, Length, Optional


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter your name.")), Length(max=80)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=80)])
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=32)])
