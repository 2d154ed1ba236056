"""Forms of district events."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from app.events.models import KIND_LABELS
from forms.common import LocalDateTimeField, choices

REQUIRED = _l("Fill in this field.")
WHEN = _l("Enter a date and time.")
LINK = _l("Enter a link starting with https://.")


class EventForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS.items()))
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    starts_at = LocalDateTimeField(
        _l("Starts"),
        description=_l("Date and time in the district's time zone."),
        validators=[InputRequired(WHEN)],
    )
    ends_at = LocalDateTimeField(_l("Ends"), validators=[InputRequired(WHEN)])
    place = StringField(
        _l("Place"),
        description=_l("Address and room; leave empty for an online event with a link."),
        validators=[Optional(), Length(max=300)],
    )
    online_url = StringField(
        _l("Link to join online"),
        validators=[Optional(), Length(max=1000), URL(require_tld=False, message=LINK)],
    )
    activity_id = SelectField(_l("Roadmap activity"), coerce=int, validate_choice=True)
    programme = TextAreaField(_l("Programme"), validators=[Optional(), Length(max=10000)])
    programme_file = FileField(
        _l("Programme file"),
        description=_l("PDF or an office document; a new file replaces the old one."),
    )
    submit = SubmitField(_l("Save"))

    def data_fields(self) -> dict:
        names = ("kind", "title", "place", "online_url", "programme", "activity_id")
        fields = {name: getattr(self, name).data or "" for name in names}
        fields["activity_id"] = self.activity_id.data or None
        return fields


class EventFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    kind = SelectField(
        _l("Kind"),
        choices=choices([("", _l("All kinds")), *KIND_LABELS.items()]),
        validate_choice=False,
    )
    when = SelectField(
        _l("When"),
        choices=choices(
            [("upcoming", _l("Upcoming")), ("past", _l("Past")), ("all", _l("All dates"))]
        ),
        validate_choice=False,
    )


class RegistrationForm(FlaskForm):
    record_id = SelectField(
        _l("Person"), coerce=int, validators=[InputRequired(_l("Choose a person."))]
    )
    submit = SubmitField(_l("Register"))


class SpeakerForm(FlaskForm):
    record_id = SelectField(_l("Person of the register"), coerce=int, validators=[Optional()])
    name = StringField(
        _l("Or the name"), description=_l("A guest speaker not in the register."),
        validators=[Optional(), Length(max=300)],
    )  # fmt: skip
    organization_name = StringField(_l("Organization"), validators=[Optional(), Length(max=300)])
    topic = StringField(_l("Topic of the talk"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Add the speaker"))


class MaterialForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    file = FileField(_l("File"))
    url = StringField(_l("Or a link"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Attach"))


class FeedbackForm(FlaskForm):
    form_version_id = SelectField(_l("Questionnaire"), coerce=int, validate_choice=True)
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    closes_at = LocalDateTimeField(
        _l("Deadline"),
        description=_l("Date and time in the district's time zone."),
        validators=[InputRequired(WHEN)],
    )
    submit = SubmitField(_l("Send to the schools"))


class LinkCampaignForm(FlaskForm):
    campaign_id = SelectField(_l("Monitoring"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Link the monitoring"))


class NonParticipantFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    organization_id = SelectField(
        _l("School"), choices=choices([("", _l("All schools"))]), validate_choice=False
    )
