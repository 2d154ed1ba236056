"""Forms of the campaigns domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forms.common import LocalDateTimeField, choices

REQUIRED = _l("Fill in this field.")


def visits_field():
    return BooleanField(
        _l("Filled in by staff during visits to the libraries"),
        description=_l(
            "Schools do not get it as a task: district staff fill in each school's questionnaire"
            " in its library, also without a connection. The school reads the answers and may"
            " comment on them."
        ),
    )


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CampaignForm(FlaskForm):
    form_version_id = SelectField(_l("Questionnaire"), coerce=int, validate_choice=True)
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    instructions = TextAreaField(
        _l("Instructions for schools"), validators=[Optional(), Length(max=5000)]
    )
    opens_at = LocalDateTimeField(
        _l("Opens"), validators=[InputRequired(_l("Enter a date and time."))]
    )
    closes_at = LocalDateTimeField(
        _l("Deadline"),
        description=_l("Date and time in the district's time zone."),
        validators=[InputRequired(_l("Enter a date and time."))],
    )
    target = RadioField(
        _l("Send to"),
        choices=choices(
            [
                ("all", _l("All organizations of the kind")),
                ("locality", _l("Organizations of the kind in one locality")),
                ("manual", _l("Chosen organizations")),
            ]
        ),
        default="all",
    )
    kind = SelectField(
        _l("Kind of organizations"),
        choices=choices([("school", _l("Schools")), ("other", _l("Other organizations"))]),
        default="school",
    )
    locality = SelectField(_l("Locality"), choices=[], validate_choice=False)
    organization_ids = CheckboxListField(_l("Organizations"), coerce=int, validate_choice=False)
    filled_on_visits = visits_field()
    confirm = HiddenField()
    submit = SubmitField(_l("Send the monitoring"))


class EditCampaignForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    instructions = TextAreaField(
        _l("Instructions for schools"), validators=[Optional(), Length(max=5000)]
    )
    closes_at = LocalDateTimeField(
        _l("Deadline for all"),
        description=_l("Date and time in the district's time zone."),
        validators=[InputRequired(_l("Enter a date and time."))],
    )
    organization_ids = CheckboxListField(_l("Add organizations"), coerce=int, validate_choice=False)
    filled_on_visits = visits_field()
    submit = SubmitField(_l("Save changes"))


class ReopenForm(FlaskForm):
    closes_at = LocalDateTimeField(
        _l("New deadline"),
        validators=[InputRequired(_l("Enter a date and time."))],
    )
    submit = SubmitField(_l("Reopen"))


class ResponseFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validate_choice=False)
    locality = SelectField(_l("Locality"), choices=[], validate_choice=False)
    visits = SelectField(_l("Visits"), choices=[], validate_choice=False)


class ReturnForm(FlaskForm):
    comment = TextAreaField(_l("General comment"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Return for revision"))


class DeadlineForm(FlaskForm):
    deadline = LocalDateTimeField(
        _l("New deadline for this school"),
        validators=[InputRequired(_l("Enter a date and time."))],
    )
    submit = SubmitField(_l("Extend"))


class SchoolCommentForm(FlaskForm):
    school_comment = TextAreaField(
        _l("The school's comment"),
        description=_l("What the district office should know about these answers."),
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Save the comment"))
