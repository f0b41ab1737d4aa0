from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, Email, Length, Optional

from memi.auth.passwords import MAX_LENGTH, MIN_LENGTH

PASSWORD_LENGTH = Length(
    min=MIN_LENGTH, max=MAX_LENGTH, message=_l("Use %(min)d to %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH)
)


class RegisterForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=80)])
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Enter your email.")), Email(_l("Enter a valid email address."))]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Choose a password.")), PASSWORD_LENGTH])
    city = StringField(_l("City"), validators=[Optional(), Length(max=80)])
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=32)])
    next = HiddenField()


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Enter your email.")), Email(_l("Enter a valid email address."))]
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Choose a password.")), PASSWORD_LENGTH])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your password."))])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Choose a password.")), PASSWORD_LENGTH]
    )


class LogoutForm(FlaskForm):
    pass
