"""Forms of the questionnaire builder."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

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
}

CONDITION_HELP = _l(
    "Leave empty to always show. Otherwise an XLSForm-style rule on earlier questions, e.g. "
    "${has_internet} = 'yes' and ${computers} > 2, or selected(${zones}, 'media')."
)


class FormMetaForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class SectionForm(FlaskForm):
    key = StringField(_l("Key"), validators=[DataRequired(REQUIRED), Length(max=64), KEY])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    condition = StringField(
        _l("Show the section if"),
        description=CONDITION_HELP,
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Save"))


class QuestionForm(FlaskForm):
    label = TextAreaField(_l("Question"), validators=[DataRequired(REQUIRED), Length(max=2000)])
    key = StringField(
        _l("Key"),
        description=_l("Stable name of the answer in exports and conditions."),
        validators=[DataRequired(REQUIRED), Length(max=64), KEY],
    )
    type = SelectField(_l("Type"), choices=select_choices(TYPE_LABELS.items()))
    help = TextAreaField(_l("Hint"), validators=[Optional(), Length(max=2000)])
    required = BooleanField(_l("Required"))
    min = StringField(
        _l("Minimum"),
        description=_l("A value, a date (YYYY-MM-DD), a length, a number of options or of rows."),
        validators=[Optional(), Length(max=20)],
    )
    max = StringField(_l("Maximum"), validators=[Optional(), Length(max=20)])
    constraint_message = StringField(
        _l("Message when out of bounds"), validators=[Optional(), Length(max=300)]
    )
    choices = TextAreaField(
        _l("Options"),
        description=_l('One per line: "code | text", or just the text (the code is numbered).'),
        validators=[Optional(), Length(max=10000)],
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
            'One per line: "key | type | title | * if required | a=Option; b=Option". '
            "Types: text, textarea, integer, decimal, single, multiple, yesno, date, email, "
            "phone, scale."
        ),
        validators=[Optional(), Length(max=10000)],
    )
    condition = StringField(
        _l("Show the question if"),
        description=CONDITION_HELP,
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Save"))


class FormImportForm(FlaskForm):
    file = FileField(
        _l("XLSForm (.xlsx) or JSON file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["xlsx", "json"], _l("Only .xlsx and .json files can be imported.")),
        ],
    )
    submit = SubmitField(_l("Import"))
