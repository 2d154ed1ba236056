"""Forms of the reports domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from forms.campaigns import CheckboxListField
from forms.common import LocalDecimalField, choices

REQUIRED = _l("Fill in this field.")


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = CheckboxListField(_l("Count responses"), validate_choice=False)
    locality = SelectField(_l("Locality"), choices=[], validate_choice=False)
    kind = SelectField(
        _l("Kind of organizations"),
        choices=choices(
            [("", _l("All kinds")), ("school", _l("Schools")), ("other", _l("Other organizations"))]
        ),
        validate_choice=False,
    )
    visits = SelectField(_l("Visits"), choices=[], validate_choice=False)
    breakdown = SelectField(_l("Break down the question"), choices=[], validate_choice=False)
    by = SelectField(
        _l("by"),
        choices=choices([("locality", _l("locality")), ("organization", _l("organization"))]),
        validate_choice=False,
    )
    compare = SelectField(
        _l("Dynamics in the analytical report"), choices=[], validate_choice=False
    )


class IndicatorForm(FlaskForm):
    title = StringField(_l("Indicator"), validators=[DataRequired(REQUIRED), Length(max=300)])
    key = StringField(
        _l("Key"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=64),
            Regexp(r"^[A-Za-z_][A-Za-z0-9_]*$", message=_l("Latin letters, digits and _.")),
        ],
    )
    formula = StringField(
        _l("Formula"),
        description=_l(
            "Question keys, numbers, + - * / and parentheses, e.g. loans / readers_total."
        ),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
    )
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=40)])
    threshold = LocalDecimalField(
        _l("Norm"), description=_l("Schools below the norm are listed."), validators=[Optional()]
    )
    direction = SelectField(
        _l("A problem is a value"),
        choices=choices([("below", _l("below the norm")), ("above", _l("above the norm"))]),
    )
    plausible_min = LocalDecimalField(
        _l("Least plausible value"),
        description=_l("Values outside the plausible range are listed for checking."),
        validators=[Optional()],
    )
    plausible_max = LocalDecimalField(_l("Greatest plausible value"), validators=[Optional()])
    submit = SubmitField(_l("Add the indicator"))

    def validate_plausible_max(self, field):
        low = self.plausible_min.data
        if low is not None and field.data is not None and low > field.data:
            raise ValidationError(_l("The least plausible value must not exceed the greatest."))


class ConfirmValueForm(FlaskForm):
    """«Confirmed by the school» of one suspicious value (plausibility.py)."""

    response_id = IntegerField(validators=[DataRequired()])
    key = HiddenField(validators=[DataRequired(), Length(max=80)])


class ReportTemplateForm(FlaskForm):
    file = FileField(
        _l("Template (.docx)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["docx"], _l("Only .docx files can be uploaded.")),
        ],
    )
