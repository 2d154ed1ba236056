"""Forms of the contests domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.contests.models import SCALE_LIMIT
from forms.campaigns import REQUIRED, CheckboxListField
from forms.common import LocalDateTimeField, LocalDecimalField, choices, finite

SCALE_RANGE = NumberRange(-SCALE_LIMIT, SCALE_LIMIT)

WHEN = _l("Enter a date and time.")


def _moment(label, description=None) -> LocalDateTimeField:
    return LocalDateTimeField(label, description=description, validators=[InputRequired(WHEN)])


class ContestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    rules_text = TextAreaField(
        _l("Rules (Положение)"), validators=[Optional(), Length(max=100_000)]
    )
    form_version_id = SelectField(
        _l("Application form"),
        coerce=int,
        description=_l("A published questionnaire that participants fill in."),
    )
    entries_open_at = _moment(_l("Entries open"), _l("Date and time in the district's time zone."))
    entries_close_at = _moment(_l("Entries close"))
    judging_close_at = _moment(_l("Judging closes"))
    results_at = _moment(_l("Results announced"))
    open_to_all = RadioField(
        _l("Who may enter"),
        choices=choices(
            [("all", _l("Every school of the district")), ("named", _l("Chosen organizations"))]
        ),
        default="all",
    )
    eligible_ids = CheckboxListField(_l("Organizations"), coerce=int, validate_choice=False)
    blind = BooleanField(
        _l("Blind judging: the jury does not see who made the entry"),
    )
    hidden_keys = CheckboxListField(_l("Answers hidden from the jury"), validate_choice=False)
    assignment_mode = RadioField(
        _l("Assignment"),
        choices=choices(
            [
                ("all", _l("Every juror scores every entry of their nominations")),
                ("balanced", _l("Each entry gets a set number of jurors, the load balanced")),
            ]
        ),
        default="all",
    )
    jurors_per_entry = IntegerField(
        _l("Jurors per entry"), default=3, validators=[NumberRange(1, 50)]
    )
    show_scores_after_completion = BooleanField(
        _l("A juror who has completed all their score sheets may see the other jurors' scores")
    )
    show_juror_names = BooleanField(_l("Participants see the jurors' names with the results"))
    min_entries = IntegerField(
        _l("Fewest entries for a nomination to be held"), default=2,
        validators=[NumberRange(1, 1000)],
    )  # fmt: skip
    laureates = IntegerField(
        _l("Laureates: the next entries after the prize-winners"),
        default=0,
        validators=[Optional(), NumberRange(0, 1000)],
    )
    laureate_share = LocalDecimalField(
        _l("…or everyone from this share of the maximum (for example 0.8)"),
        places=2,
        validators=[Optional(), NumberRange(0.01, 1)],
    )
    submit = SubmitField(_l("Save"))


class NominationForm(FlaskForm):
    title = StringField(_l("Nomination"), validators=[DataRequired(REQUIRED), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Add nomination"))


class CriterionForm(FlaskForm):
    name = StringField(_l("Criterion"), validators=[DataRequired(REQUIRED), Length(max=300)])
    description = TextAreaField(
        _l("What earns the points"), validators=[Optional(), Length(max=5000)]
    )
    preset = SelectField(
        _l("Scale"),
        choices=choices(
            [
                ("0-5", _l("0–5 points")),
                ("0-10", _l("0–10 points")),
                ("0-3", _l("0–3 points")),
                ("present", _l("0–1: present or absent")),
                ("custom", _l("Own scale")),
            ]
        ),
        default="0-5",
    )
    min_score = LocalDecimalField(
        _l("Minimum"),
        places=1,
        validators=[Optional(), finite, SCALE_RANGE],
    )
    max_score = LocalDecimalField(
        _l("Maximum"),
        places=1,
        validators=[Optional(), finite, SCALE_RANGE],
    )
    step = SelectField(
        _l("Step"), choices=choices([("1", _l("Whole points")), ("0.5", _l("Half points"))])
    )
    weight = LocalDecimalField(
        _l("Weight"),
        places=2,
        default=1,
        validators=[DataRequired(REQUIRED), finite, NumberRange(0.01, SCALE_LIMIT)],
    )
    nomination_id = SelectField(_l("Nomination"), coerce=int, validate_choice=False)
    tie_priority = IntegerField(
        _l("Tie-break priority (1 = first)"), validators=[Optional(), NumberRange(1, 20)]
    )
    submit = SubmitField(_l("Save criterion"))


class JurorForm(FlaskForm):
    user_id = SelectField(_l("Jury member"), coerce=int, validate_choice=False)
    nomination_ids = CheckboxListField(
        _l("Nominations (none chosen: all)"), coerce=int, validate_choice=False
    )
    is_chair = BooleanField(_l("Chair of the jury"))
    submit = SubmitField(_l("Add to the jury"))


class RulesFileForm(FlaskForm):
    file = FileField(_l("Rules file"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))


class PhaseForm(FlaskForm):
    phase = SelectField(_l("Stage"), validate_choice=False)


class EntryStartForm(FlaskForm):
    nomination_id = SelectField(_l("Nomination"), coerce=int, validate_choice=False)
    title = StringField(
        _l("Title of the entry"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
    organization_id = SelectField(
        _l("Participant"), coerce=int, validate_choice=False, validators=[Optional()]
    )
    submit = SubmitField(_l("Create the entry"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(REQUIRED), Length(max=2000)])
    submit = SubmitField(_l("Confirm"))


class FinalizeForm(FlaskForm):
    """Finalizing a nomination; the reason is asked (and required) only when some entries have
    fewer completed sheets than jurors assigned."""

    reason = TextAreaField(
        _l("Why finalize without the missing score sheets"),
        validators=[Optional(), Length(max=2000)],
    )


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Why the results are reopened"), validators=[DataRequired(REQUIRED), Length(max=2000)]
    )


class EntryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    nomination = SelectField(_l("Nomination"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    q = StringField(_l("Search"))
