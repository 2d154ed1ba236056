"""Forms shared by several domains."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, DateTimeField, DecimalField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput


def choices(pairs) -> list[SelectChoice]:
    """Options of a select field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class _TypedTheRussianWay:
    """A date field typed and shown the Russian way (25.11.2026) whatever the browser's
    language: a date or datetime-local input shows the browser's own format, in English on an
    English system. The ISO form (2026-11-25) is read too."""

    widget = TextInput()
    FORMATS: tuple[str, ...]
    LENGTH: int
    MESSAGE: str
    PLACEHOLDER: str

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": self.PLACEHOLDER, "autocomplete": "off"}
        render_kw["maxlength"] = self.LENGTH
        super().__init__(
            label, validators, format=list(self.FORMATS), render_kw=render_kw, **kwargs
        )

    def process_formdata(self, valuelist):
        try:
            super().process_formdata([" ".join(value.split()) for value in valuelist])
        except ValueError:
            raise ValueError(str(self.MESSAGE)) from None


class LocalDateTimeField(_TypedTheRussianWay, DateTimeField):
    FORMATS = ("%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")
    LENGTH = 16
    MESSAGE = _l("Enter a date and time as DD.MM.YYYY HH:MM, for example 25.11.2026 18:00.")
    PLACEHOLDER = _l("DD.MM.YYYY HH:MM")


class LocalDateField(_TypedTheRussianWay, DateField):
    FORMATS = ("%d.%m.%Y", "%Y-%m-%d")
    LENGTH = 10
    MESSAGE = _l("Enter a date as DD.MM.YYYY.")
    PLACEHOLDER = _l("DD.MM.YYYY")


class LocalDecimalField(DecimalField):
    """A decimal typed the Russian way, «0,5» or «1 500,25» (a point is read too), and shown
    with a decimal comma: a text input with the decimal keypad on phones, since a number
    input refuses a comma in a browser set to English."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        typed = ["".join(value.split()).replace(",", ".") for value in valuelist]
        super().process_formdata(typed)

    def _value(self):
        return super()._value().replace(".", ",")


class ActionForm(FlaskForm):
    """A button that POSTs an action (deactivate, reset); carries only the CSRF token."""


class ImportForm(FlaskForm):
    file = FileField(
        _l("Excel file (.xlsx)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["xlsx"], _l("Only .xlsx files can be imported.")),
        ],
    )
    submit = SubmitField(_l("Check and import"))


def finite(_form, field) -> None:
    """A decimal field refuses NaN and infinities before any range check compares them (a
    comparison with NaN raises)."""
    if isinstance(field.data, Decimal) and not field.data.is_finite():
        raise StopValidation(_l("Enter a number."))
