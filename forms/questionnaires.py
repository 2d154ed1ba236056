"""Forms of the questionnaire builder."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from forms.common import choices as select_choices

REQUIRED = _l("Fill in this field.")
KEY = Regexp(
    r"^[A-Za-z_][A-Za-z0-9_]*$",
    message=_l("Latin letters, digits and _, starting with a letter; for example, fund_total."),
)

TYPE_LABELS = {
    "text": _l("Short text"),
    "textarea": _l("Long text"),
    "integer": _l("Whole number"),
    "decimal": _l("Decimal number"),
    "single": _l("One of several"),
    "multiple": _l("Several of several"),
    "yesno": _l("Yes / no"),
    "date": _l("Date"),
    "email": _l("E-mail"),
    "phone": _l("Phone"),
    "scale": _l("Scale"),
    "file": _l("File"),
    "matrix": _l("Matrix (rows × one choice per row)"),
    "table": _l("Table (a row per item)"),
    "note": _l("Note (text without an answer)"),
    "calculate": _l("Calculated field"),
}

# Bootstrap Icons names shown beside the type names in the builder's type picker.
TYPE_ICONS = {
    "text": "input-cursor-text",
    "textarea": "text-paragraph",
    "integer": "123",
    "decimal": "percent",
    "single": "ui-radios",
    "multiple": "ui-checks",
    "yesno": "toggle-on",
    "date": "calendar-date",
    "email": "envelope",
    "phone": "telephone",
    "scale": "sliders",
    "file": "paperclip",
    "matrix": "grid-3x3",
    "table": "table",
    "note": "info-square",
    "calculate": "calculator",
}

CONDITION_HELP = _l(
    "Leave empty to always show. Otherwise an XLSForm-style rule on earlier questions, e.g. "
    "${has_internet} = 'yes' and ${computers} > 2, or selected(${zones}, 'media')."
)


class FormMetaForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


KEY_HELP = _l(
    "The name of the answer in exports and formulas. Leave it empty: it is made from the text "
    "in Latin letters."
)
KEY_FROZEN = _l(
    "A published version uses this key: answers are stored under it, so it cannot change."
)


class SectionForm(FlaskForm):
    key = StringField(_l("Key"), description=KEY_HELP, validators=[Optional(), Length(max=64), KEY])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    condition = StringField(
        _l("Show the section if"),
        description=CONDITION_HELP,
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Save"))


EXPRESSION_LENGTH = Length(max=2000)


class QuestionForm(FlaskForm):
    label = TextAreaField(_l("Question"), validators=[Length(max=2000)])
    key = StringField(_l("Key"), description=KEY_HELP, validators=[Optional(), Length(max=64), KEY])
    type = SelectField(_l("Type"), choices=select_choices(TYPE_LABELS.items()))
    help = TextAreaField(_l("Hint"), validators=[Optional(), Length(max=2000)])
    required = BooleanField(_l("Required"))
    required_if = StringField(
        _l("Required if"),
        description=_l(
            "Leave empty to follow the box above. Otherwise a rule on earlier questions, "
            "e.g. ${has_library} = 'yes'."
        ),
        validators=[Optional(), EXPRESSION_LENGTH],
    )
    calculation = TextAreaField(
        _l("Formula"),
        description=_l(
            "An XLSForm expression on earlier questions, e.g. ${fund} div ${pupils}. "
            "The value is computed as the school fills the form and is not shown to it."
        ),
        validators=[Optional(), EXPRESSION_LENGTH],
    )
    min = StringField(
        _l("Minimum"),
        description=_l("A value, a date (YYYY-MM-DD), a length, a number of options or of rows."),
        validators=[Optional(), Length(max=20)],
    )
    max = StringField(_l("Maximum"), validators=[Optional(), Length(max=20)])
    constraint = StringField(
        _l("Check condition"),
        description=_l(
            'Must hold for the answer; "." is the answer, e.g. . > 0 and . < 2000. '
            "Checked together with the minimum and maximum."
        ),
        validators=[Optional(), EXPRESSION_LENGTH],
    )
    constraint_message = StringField(
        _l("Message on error"), validators=[Optional(), Length(max=300)]
    )
    default = StringField(
        _l("Default value"),
        description=_l(
            "Filled in when a school opens a new response: a value such as 5, 2024-09-01 "
            "or an option code, or today()."
        ),
        validators=[Optional(), EXPRESSION_LENGTH],
    )
    read_only = BooleanField(
        _l("Read only"),
        description=_l("Shown to the school but not editable: the value comes from the default."),
    )
    choices = TextAreaField(
        _l("Options"),
        description=_l('One per line: "code | text", or just the text (the code is numbered).'),
        validators=[Optional(), Length(max=10000)],
    )
    choices_everywhere = BooleanField(_l("Change the options in these questions too"), default=True)
    other = BooleanField(_l("“Other” option with a text answer"))
    authors = BooleanField(
        _l("The answer names the authors of the work (one per line)"),
        description=_l(
            "For a contest's application form: the diplomas name these people, with the school "
            "below them."
        ),
    )
    choice_filter = StringField(
        _l("Option filter"),
        description=_l(
            "An option is offered while this holds: name is its code, label its text, extra "
            "columns by their names, e.g. district = ${district}."
        ),
        validators=[Optional(), EXPRESSION_LENGTH],
    )
    display = SelectField(
        _l("Show options as"),
        choices=select_choices([("radio", _l("Buttons")), ("list", _l("Drop-down list"))]),
        default="radio",
    )
    rows = TextAreaField(
        _l("Matrix rows"),
        description=_l('One per line: "code | text".'),
        validators=[Optional(), Length(max=10000)],
    )
    columns = TextAreaField(
        _l("Table columns"),
        description=_l(
            'One per line: "key | type | title | * if required | a=Option; b=Option | min..max". '
            'An empty key ("| integer | Books") is made from the title; a title alone is a '
            "text column. Types: text, textarea, integer, decimal, single, multiple, yesno, "
            "date, email, phone, scale."
        ),
        validators=[Optional(), Length(max=10000)],
    )
    condition = StringField(
        _l("Show the question if"),
        description=CONDITION_HELP,
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Save"))

    def validate_label(self, field):
        """A calculated field is hidden from the school, so it may go without a label."""
        if not (field.data or "").strip() and self.type.data != "calculate":
            raise ValidationError(REQUIRED)


class FormImportForm(FlaskForm):
    file = FileField(
        _l("XLSForm (.xlsx) or JSON file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["xlsx", "json"], _l("Only .xlsx and .json files can be imported.")),
        ],
    )
    submit = SubmitField(_l("Import"))
