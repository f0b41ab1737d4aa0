from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from memi.auth.passwords import MAX_LENGTH, MIN_LENGTH
from memi.auth.services import email_is_valid
from memi.web.forms import Form, SingleLine

PASSWORD_LENGTH = Length(
    min=MIN_LENGTH, max=MAX_LENGTH, message=_l("Use %(min)d to %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH)
)


class ValidEmail:
    """The email rule of the API (memi.auth.services.email_is_valid), so pages and API agree."""

    def __init__(self, message=None):
        self.message = message or _l("Enter a valid email address.")

    def __call__(self, form, field):

        if field.data and not email_is_valid(field.data):
            raise ValidationError(self.message)


class RegisterForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=80), SingleLine()])
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email.")), ValidEmail()])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Choose a password.")), PASSWORD_LENGTH])
    city = StringField(_l("City"), validators=[Optional(), Length(max=80), SingleLine()])
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=32), SingleLine()])
    next = HiddenField()
    favorite = HiddenField()  # a listing whose heart a logged-out shopper tapped: saved once signed up


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    next = HiddenField()
    favorite = HiddenField()  # a listing whose heart a logged-out shopper tapped: saved once logged in


class ForgotPasswordForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email.")), ValidEmail()])


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Choose a password.")), PASSWORD_LENGTH])


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your password."))])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Choose a password.")), PASSWORD_LENGTH]
    )


class LogoutForm(Form):
    pass
