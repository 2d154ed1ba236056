"""The jury's score sheet: a field per criterion of the entry, so it is made for each entry.

The scale (min, max, step) is checked by app.contests.scoring.parse_value, whose message
goes beside the field ``c<criterion id>``; the form only carries the values and the CSRF token.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from forms.common import choices

ACTIONS = ("save", "next", "complete")


def value_field(criterion_id: int) -> str:
    return f"c{criterion_id}"


def comment_field(criterion_id: int) -> str:
    return f"note{criterion_id}"


def score_form(criteria, data: dict | None = None) -> FlaskForm:
    """The sheet for ``criteria``; with ``data`` (field name -> value) it shows stored scores
    instead of reading the request."""

    class ScoreForm(FlaskForm):
        comment = TextAreaField(_l("Overall comment"), validators=[Optional(), Length(max=5000)])
        action = SelectField(
            choices=choices((action, action) for action in ACTIONS), default="save"
        )

    for criterion in criteria:
        setattr(
            ScoreForm,
            value_field(criterion.id),
            StringField(
                criterion.name,
                description=criterion.description,
                validators=[Optional(), Length(max=20)],
            ),
        )
        setattr(
            ScoreForm,
            comment_field(criterion.id),
            TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)]),
        )
    if data is None:
        return ScoreForm()
    return ScoreForm(formdata=None, data=data)
