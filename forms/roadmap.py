"""Forms of the roadmap."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.roadmap.models import EVIDENCE_LABELS, STATUS_LABELS
from forms.common import LocalDateField, choices

REQUIRED = _l("Fill in this field.")


class RoadmapForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    year = IntegerField(
        _l("Academic year begins in"),
        description=_l("For 2024–2025 enter 2024."),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(2000, 2100, _l("Enter a year such as 2024.")),
        ],
    )
    submit = SubmitField(_l("Create the roadmap"))


class ItemForm(FlaskForm):
    number = IntegerField(
        _l("No."), validators=[InputRequired(REQUIRED), NumberRange(1, 999, _l("From 1 to 999."))]
    )
    section = StringField(
        _l("Section"),
        description=_l("Choose a section of the plan or type a new one."),
        validators=[Optional(), Length(max=300)],
        render_kw={"list": "sections", "autocomplete": "off"},
    )
    title = TextAreaField(_l("Activity"), validators=[DataRequired(REQUIRED), Length(max=3000)])
    period = StringField(
        _l("Period"),
        description=_l(
            "As the plan writes it: «октябрь», «Январь – февраль», «в течение года» or dates "
            "15.03.2024–29.03.2024."
        ),
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    responsible = StringField(
        _l("Responsible and co-executors"), validators=[Optional(), Length(max=300)]
    )
    document_type = StringField(
        _l("Document"),
        description=_l("For example: приказ, аналитическая справка, информационное письмо."),
        validators=[Optional(), Length(max=300)],
    )
    expected_results = TextAreaField(
        _l("Expected results"), validators=[Optional(), Length(max=3000)]
    )
    submit = SubmitField(_l("Save"))

    def data_fields(self) -> dict:
        return {
            "number": self.number.data,
            "title": self.title.data.strip(),
            "period": " ".join(self.period.data.split()),
            "responsible": (self.responsible.data or "").strip(),
            "document_type": (self.document_type.data or "").strip(),
            "expected_results": (self.expected_results.data or "").strip(),
        }


class StatusForm(FlaskForm):
    status = SelectField(
        _l("Status"), choices=choices((s.value, label) for s, label in STATUS_LABELS.items())
    )
    done_on = LocalDateField(
        _l("Done on"), description=_l("Today when left empty."), validators=[Optional()]
    )
    result_note = TextAreaField(
        _l("Result"),
        description=_l("What was done, in a sentence or two for the report."),
        validators=[Optional(), Length(max=3000)],
    )
    submit = SubmitField(_l("Save the status"))


class EvidenceForm(FlaskForm):
    kind = SelectField(
        _l("Evidence"), choices=choices((k.value, label) for k, label in EVIDENCE_LABELS.items())
    )
    campaign_id = SelectField(_l("Monitoring"), coerce=int, validate_choice=False)
    contest_id = SelectField(_l("Contest"), coerce=int, validate_choice=False)
    compendium_id = SelectField(_l("Collection of practices"), coerce=int, validate_choice=False)
    url = StringField(_l("Link"), validators=[Optional(), Length(max=1000)])
    file = FileField(_l("Document"))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Add the evidence"))
