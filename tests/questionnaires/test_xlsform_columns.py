"""No column of an imported XLSForm is dropped: every column name pyxform knows (taken from the
installed pyxform's own constants) is either used by the reader — filling it changes what the
import gives — or named in the refusal."""

import pytest
from pyxform import aliases
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.survey import Survey

from app.core.errors import DomainError
from app.questionnaires.xlsform import CHOICES_COLUMNS, SETTINGS_FIELDS, SURVEY_COLUMNS
from app.questionnaires.xlsform_columns import FEATURES, parse_header
from tests.questionnaires.test_xlsform import read, refusal, workbook


def _public(names) -> set[str]:
    return {name for name in names if not name.startswith("_")}


PYXFORM_SURVEY = sorted(
    _public(MultipleChoiceQuestion.get_slot_names())
    | set(aliases.survey_header)
    | set(aliases.TRANSLATABLE_SURVEY_COLUMNS)
)
PYXFORM_CHOICES = sorted(
    _public(Option.get_slot_names())
    | set(aliases.list_header)
    | set(aliases.TRANSLATABLE_CHOICES_COLUMNS)
)
PYXFORM_SETTINGS = sorted(_public(Survey.get_slot_names()) | set(aliases.settings_header))
ESSENTIAL = {"type": "text", "name": "q", "label": "Вопрос"}


def field_of(header: str) -> str:
    return parse_header([header])[0].field


def every_column_workbook() -> bytes:
    survey_header = ["type", "name", "label"]
    survey_header += [c for c in PYXFORM_SURVEY if field_of(c) not in ESSENTIAL]
    survey_row = [ESSENTIAL.get(column, "x") for column in survey_header]
    choices_header = ["list_name", "name", "label"]
    choices_header += [c for c in PYXFORM_CHOICES if field_of(c) not in CHOICES_COLUMNS]
    choices_row = ["kinds", "a", "А", *["x"] * (len(choices_header) - 3)]
    return workbook(
        [survey_row],
        choices=[choices_row],
        choices_header=choices_header,
        settings=[PYXFORM_SETTINGS, ["x"] * len(PYXFORM_SETTINGS)],
        survey_header=survey_header,
    )


def test_pyxform_knows_the_columns_this_test_walks():
    assert {"calculation", "choice_filter", "default", "trigger", "repeat_count"} <= set(
        PYXFORM_SURVEY
    )
    assert {"image", "list_name"} <= set(PYXFORM_CHOICES)
    assert {"style", "instance_name", "form_title"} <= set(PYXFORM_SETTINGS)


def test_a_form_with_every_pyxform_column_names_each_column_it_does_not_use():
    message = refusal(every_column_workbook())
    unused = [
        *(c for c in PYXFORM_SURVEY if field_of(c) not in SURVEY_COLUMNS),
        *(c for c in PYXFORM_SETTINGS if field_of(c) not in SETTINGS_FIELDS),
        *(c for c in PYXFORM_CHOICES if field_of(c) in FEATURES),
    ]
    missing = [
        column
        for column in unused
        if f"column {column}:" not in message.replace("столбец", "column")
    ]
    assert missing == []


# A used column, by the field the reader reads it as: the row it is filled on and its value.
SAMPLES = {
    "type": ("integer", "integer"),
    "name": ("integer", "b"),
    "label": ("integer", "Книг"),
    "hint": ("integer", "Считайте всё"),
    "required": ("integer", "yes"),
    "relevant": ("integer", "${a} > 0"),
    "constraint": ("integer", ". >= 0"),
    "constraint_message": ("integer", "Не меньше нуля"),
    "appearance": ("select_one kinds", "minimal"),
    "parameters": ("range", "start=0 end=5 step=1"),
    "calculation": ("calculate", "${a} * 2"),
    "default": ("integer", "5"),
    "read_only": ("integer", "yes"),
    "choice_filter": ("select_one kinds", "name != 'city'"),
    "repeat_count": ("begin_repeat", "3"),
}
KINDS = [["kinds", "school", "Школьная"], ["kinds", "city", "Городская"]]


def outcome(header: str, row_type: str, value: str):
    """What importing a small form with ``value`` in the column ``header`` gives."""
    field = field_of(header)
    columns = {"type": row_type, "name": "b", "label": "Вопрос Б", field: value}
    survey_header = [header if name == field else name for name in ("type", "name", "label")]
    if header not in survey_header:
        survey_header.append(header)
    first = {"type": "integer", "name": "a", "label": "А"}
    rows = [[first.get(field_of(h), "") for h in survey_header]]
    rows.append([columns.get(field_of(h), "") for h in survey_header])
    if row_type == "begin_repeat":
        rows += [["text", "c", "В"], ["end_repeat", "", ""]]
    try:
        return read(workbook(rows, choices=KINDS, survey_header=survey_header))
    except DomainError as error:
        return str(error.message)


@pytest.mark.parametrize(
    "header", [c for c in PYXFORM_SURVEY if field_of(c) in SURVEY_COLUMNS], ids=str
)
def test_every_survey_column_the_reader_uses_changes_the_form(header):
    row_type, value = SAMPLES[field_of(header)]
    assert outcome(header, row_type, value) != outcome(header, row_type, "")


@pytest.mark.parametrize("header", PYXFORM_CHOICES, ids=str)
def test_every_choices_column_is_used_kept_as_extra_or_refused(header):
    field = field_of(header)
    header_row = ["list_name", "name", "label"]
    if field not in CHOICES_COLUMNS:
        header_row.append(header)
    else:
        header_row[CHOICES_COLUMNS.index(field)] = header
    values = {"list_name": "kinds", "name": "a", "label": "А"}
    choice = [values.get(field_of(h), "d1") for h in header_row]
    data = workbook(
        [["select_one kinds", "kind", "Вид"]], choices=[choice], choices_header=header_row
    )
    try:
        definition = read(data)
    except DomainError as error:
        assert header in str(error.message)
        return
    (option,) = definition["sections"][0]["questions"][0]["choices"]
    assert option.get("extra") == {header: "d1"} or field in CHOICES_COLUMNS
    assert (option["code"], option["label"]) == ("a", "А")
