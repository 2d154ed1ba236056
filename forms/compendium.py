"""Forms of the сборник инновационных практик."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forms.campaigns import CheckboxListField

REQUIRED = _l("Fill in this field.")


class CompendiumForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(2000, 2100, _l("Enter a year such as 2024.")),
        ],
    )
    introduction = TextAreaField(
        _l("Introduction"),
        description=_l("Printed before the practices; each line is a paragraph."),
        validators=[Optional(), Length(max=20000)],
        render_kw={"rows": 6},
    )
    submit = SubmitField(_l("Save"))


class SectionForm(FlaskForm):
    title = StringField(_l("Section title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    submit = SubmitField(_l("Add the section"))


class _Target(FlaskForm):
    """Where added practices go: a section of the сборник, or a new one."""

    section_id = SelectField(_l("Into the section"), coerce=int, validate_choice=False)
    new_section = StringField(
        _l("Title of the new section"),
        description=_l("Used when «A new section» is chosen above."),
        validators=[Optional(), Length(max=300)],
    )


class WinnersForm(_Target):
    contest_id = HiddenField()
    submit = SubmitField(_l("Add the winners and prize-winners"))


class EntriesForm(_Target):
    contest_id = HiddenField()
    entry_ids = SelectMultipleField(_l("Entries"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Add the ticked entries"))


class ResponsesForm(_Target):
    campaign_id = HiddenField()
    response_ids = SelectMultipleField(_l("Responses"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Add the ticked responses"))


class PracticeForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("Typed here, or taken from the answer chosen below."),
        validators=[Optional(), Length(max=500)],
    )
    title_key = SelectField(_l("Title from the answer to"), validate_choice=False)
    annotation_key = SelectField(_l("Annotation from the answer to"), validate_choice=False)
    annotation = TextAreaField(
        _l("Annotation"),
        description=_l("Used when no question is chosen above, or its answer is empty."),
        validators=[Optional(), Length(max=10000)],
        render_kw={"rows": 4},
    )
    authors_key = SelectField(_l("Authors from the answer to"), validate_choice=False)
    authors = TextAreaField(
        _l("Authors"),
        description=_l("One per line; when typed, they are printed instead of any answer."),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
    answer_keys = CheckboxListField(_l("Answers printed"), validate_choice=False)
    with_pictures = BooleanField(_l("Print the pictures among the uploaded files"))
    submit = SubmitField(_l("Save"))


class MoveForm(FlaskForm):
    section_id = SelectField(_l("Move to the section"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Move"))
