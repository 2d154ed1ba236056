"""Forms of the register of library staff."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.registry.models import (
    CATEGORY_LABELS,
    EDUCATION_LABELS,
    EMPLOYMENT_LABELS,
    POSITION_LABELS,
)
from forms.campaigns import CheckboxListField
from forms.common import LocalDateField, LocalDecimalField, choices, finite

REQUIRED = _l("Fill in this field.")
ATTACHABLE = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "odt"]


def _options(labels: dict) -> list:
    return choices((kind.value, label) for kind, label in labels.items())


class RecordForm(FlaskForm):
    organization_id = SelectField(_l("School"), coerce=int, validate_choice=True)
    last_name = StringField(_l("Last name"), validators=[DataRequired(REQUIRED), Length(max=100)])
    first_name = StringField(_l("First name"), validators=[DataRequired(REQUIRED), Length(max=100)])
    patronymic = StringField(_l("Patronymic"), validators=[Optional(), Length(max=100)])
    position = SelectField(_l("Position"), choices=_options(POSITION_LABELS))
    position_other = StringField(_l("Position, if other"), validators=[Optional(), Length(max=120)])
    rate = LocalDecimalField(
        _l("Rate (ставка)"),
        description=_l("For example 1, 0.5 or 0.25."),
        validators=[InputRequired(REQUIRED), finite],
    )
    employment = SelectField(_l("Employment"), choices=_options(EMPLOYMENT_LABELS))
    education = SelectField(_l("Education"), choices=_options(EDUCATION_LABELS))
    library_education = BooleanField(_l("The education is in librarianship"))
    pedagogical_education = BooleanField(_l("The education is pedagogical"))
    graduation_year = IntegerField(
        _l("Year of graduation"),
        validators=[Optional(), NumberRange(1950, 2100, _l("Enter a year such as 2005."))],
    )
    career_start = LocalDateField(
        _l("Working since"),
        description=_l("The start of the total work experience."),
        validators=[Optional()],
    )
    library_start = LocalDateField(_l("Working in libraries since"), validators=[Optional()])
    category = SelectField(_l("Qualification category"), choices=_options(CATEGORY_LABELS))
    category_date = LocalDateField(_l("Category awarded on"), validators=[Optional()])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    email = EmailField(
        _l("E-mail"),
        validators=[Optional(), Email(_l("Enter a valid e-mail address.")), Length(max=254)],
    )
    difficulties = CheckboxListField(
        _l("Professional difficulties"),
        description=_l("Mark the topics in which the person would like methodical help."),
        coerce=int,
        validate_choice=False,
    )
    difficulties_note = TextAreaField(
        _l("Other difficulties, in your own words"), validators=[Optional(), Length(max=1000)]
    )
    is_active = BooleanField(_l("Works at the school now"), default=True)
    left_on = LocalDateField(
        _l("Left on"), description=_l("When the person no longer works."), validators=[Optional()]
    )
    consent_on = LocalDateField(
        _l("Consent to the processing of personal data given on"), validators=[Optional()]
    )
    consent_file = FileField(
        _l("Signed consent (scan or photo)"),
        validators=[FileAllowed(ATTACHABLE, _l("Attach a PDF, a picture or a document."))],
    )
    consent_note = StringField(
        _l("Or where the signed consent is kept"),
        description=_l("For example: in the personnel file, school office."),
        validators=[Optional(), Length(max=300)],
    )
    submit = SubmitField(_l("Save"))

    FIELDS = (
        "last_name", "first_name", "patronymic", "position", "position_other", "rate",
        "employment", "education", "library_education", "pedagogical_education",
        "graduation_year", "career_start", "library_start", "category", "category_date",
        "phone", "email", "is_active", "left_on", "consent_on", "consent_note",
    )  # fmt: skip

    def data_fields(self) -> dict:
        fields = {}
        for name in self.FIELDS:
            value = getattr(self, name).data
            fields[name] = value.strip() if isinstance(value, str) else value
        return fields


class CourseForm(FlaskForm):
    topic = StringField(_l("Topic"), validators=[DataRequired(REQUIRED), Length(max=300)])
    provider = StringField(
        _l("Provider"),
        description=_l("For example: the Institute for the Development of Education."),
        validators=[Optional(), Length(max=300)],
    )
    hours = IntegerField(
        _l("Hours"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, 2000, _l("Enter the hours, 1 to 2000.")),
        ],
    )
    starts_on = LocalDateField(_l("From"), validators=[InputRequired(REQUIRED)])
    ends_on = LocalDateField(_l("To"), validators=[InputRequired(REQUIRED)])
    document_number = StringField(
        _l("Certificate number"), validators=[Optional(), Length(max=100)]
    )
    submit = SubmitField(_l("Add the course"))

    def data_fields(self) -> dict:
        return {
            "topic": self.topic.data.strip(),
            "provider": (self.provider.data or "").strip(),
            "hours": self.hours.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "document_number": (self.document_number.data or "").strip(),
        }


class WithdrawForm(FlaskForm):
    withdrawn_on = LocalDateField(_l("Consent withdrawn on"), validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Withdraw the consent and erase the personal data"))


class RecordFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name"), validators=[Optional()])
    organization_id = SelectField(
        _l("School"), choices=choices([("", _l("All schools"))]), validate_choice=False
    )
    position = SelectField(
        _l("Position"),
        choices=choices(
            [("", _l("All positions")), *((k.value, v) for k, v in POSITION_LABELS.items())]
        ),
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"),
        choices=choices([("active", _l("Working")), ("left", _l("Left")), ("all", _l("All"))]),
        default="active",
        validators=[Optional()],
    )
    due = BooleanField(_l("Only those due for courses"))


class ExportForm(FlaskForm):
    """Asks why personal data leaves the platform; carries the list's filters."""

    reason = StringField(
        _l("Purpose of the export"),
        description=_l("For example: the list for the courses of the Institute, order No. 15."),
        validators=[
            DataRequired(REQUIRED),
            Length(min=5, max=300, message=_l("From 5 to 300 characters.")),
        ],
    )
    q = HiddenField()
    organization_id = HiddenField()
    position = HiddenField()
    status = HiddenField()
    due = HiddenField()
    submit = SubmitField(_l("Export to Excel"))

    def filters(self) -> dict:
        organization = self.organization_id.data or ""
        return {
            "text": self.q.data or "",
            "organization_id": int(organization) if organization.isdigit() else None,
            "position": self.position.data or "",
            "status": self.status.data or "active",
            "due": bool(self.due.data),
        }


class TopicForm(FlaskForm):
    title = StringField(_l("Topic"), validators=[DataRequired(REQUIRED), Length(max=200)])
    is_active = BooleanField(_l("Offered to schools"), default=True)
    submit = SubmitField(_l("Save"))


class VacancyForm(FlaskForm):
    rate = LocalDecimalField(
        _l("Vacant library rates"),
        description=_l("0 when there are none; for example 0.5."),
        validators=[InputRequired(REQUIRED), finite],
    )
    note = StringField(
        _l("Which positions"),
        description=_l("For example: 0.5 rate of a teacher-librarian since September."),
        validators=[Optional(), Length(max=300)],
    )
    submit = SubmitField(_l("Save the vacancies"))
