from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from memi.web.forms import Form


class MessageForm(Form):
    body = TextAreaField(_l("Message"), validators=[DataRequired(_l("Write a message.")), Length(max=2000)])
