"""Forms of the organizations domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.organizations.models import KIND_LABELS
from forms.common import choices

REQUIRED = _l("Fill in this field.")


class OrganizationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=300)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=120)])
    kind = SelectField(
        _l("Kind"), choices=choices((kind.value, label) for kind, label in KIND_LABELS.items())
    )
    parent_id = SelectField(_l("Parent organization"), coerce=int, validate_choice=True)
    locality = StringField(_l("Locality"), validators=[Optional(), Length(max=120)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    email = EmailField(
        _l("E-mail"),
        validators=[Optional(), Email(_l("Enter a valid e-mail address.")), Length(max=254)],
    )
    submit = SubmitField(_l("Save"))

    def data_fields(self) -> dict:
        return {
            name: (getattr(self, name).data or "").strip()
            for name in ("name", "short_name", "kind", "locality", "address", "phone", "email")
        }


class OrganizationFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional()])
    kind = SelectField(
        _l("Kind"),
        choices=choices(
            [("", _l("All kinds")), *((k.value, label) for k, label in KIND_LABELS.items())]
        ),
        validators=[Optional()],
    )
    locality = SelectField(
        _l("Locality"), choices=choices([("", _l("All localities"))]), validate_choice=False
    )
    status = SelectField(
        _l("Status"),
        choices=choices(
            [("active", _l("Active")), ("inactive", _l("Deactivated")), ("all", _l("All"))]
        ),
        default="active",
        validators=[Optional()],
    )
