"""Filters of the audit log page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from app.audit.labels import ACTION_LABELS, OBJECT_LABELS
from forms.common import LocalDateField, choices


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(
        _l("Action"),
        choices=choices([("", _l("All actions")), *ACTION_LABELS.items()]),
        validators=[Optional()],
    )
    object_type = SelectField(
        _l("Object"),
        choices=choices([("", _l("All objects")), *OBJECT_LABELS.items()]),
        validators=[Optional()],
    )
    actor = StringField(_l("Who (login)"), validators=[Optional()])
    date_from = LocalDateField(_l("From"), validators=[Optional()])
    date_to = LocalDateField(_l("To"), validators=[Optional()])
