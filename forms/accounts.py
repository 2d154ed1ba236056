"""Forms of the accounts domain: login, passwords, users."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app.accounts.models import ROLE_LABELS
from forms.common import choices

REQUIRED = _l("Fill in this field.")


class LoginForm(FlaskForm):
    login = StringField(_l("Login or e-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=128)])
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Log in"))


class NewPasswordMixin:
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A phrase of several words is easy to remember."),
        validators=[DataRequired(REQUIRED)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("The passwords do not match.")),
        ],
    )


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    submit = SubmitField(_l("Change password"))


class UserForm(FlaskForm):
    username = StringField(
        _l("Login"),
        description=_l("Latin letters, digits, dots, hyphens; for example, school01."),
        validators=[DataRequired(REQUIRED), Length(max=80)],
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(
        _l("E-mail"),
        description=_l("Optional. Can be used to log in."),
        validators=[Optional(), Length(max=254)],
    )
    role = SelectField(
        _l("Role"), choices=choices((role.value, label) for role, label in ROLE_LABELS.items())
    )
    organization_id = SelectField(_l("Organization"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Save"))


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional()])
    role = SelectField(
        _l("Role"),
        choices=choices(
            [("", _l("All roles")), *((r.value, label) for r, label in ROLE_LABELS.items())]
        ),
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"),
        choices=choices(
            [
                ("", _l("All")),
                ("active", _l("Active")),
                ("pending", _l("Waiting for a password")),
                ("inactive", _l("Deactivated")),
            ]
        ),
        validators=[Optional()],
    )


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        description=_l("What the token is for: the program or the person that will use it."),
        validators=[DataRequired(REQUIRED), Length(max=100)],
    )
    submit = SubmitField(_l("Create token"))
