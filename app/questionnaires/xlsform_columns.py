"""The header of an XLSForm sheet: which column the reader takes for each field, and a refusal
for every other column that holds anything, so that nothing of an imported form is dropped.

A header is read in any case, with spaces or "_" (``List Name``), with ``::`` or ``:`` before a
language (``label::Русский (ru)``, ``label:english``), and with pyxform's other spellings of a
column (``caption``, ``relevance``, ``calculate``, ``readonly``, ``jr:count``, ``value``…). Of
the languages of one field the reader takes the form's default language, else Russian, else the
untranslated column, else the first; in a form in several languages the other languages' columns
of label, hint and constraint_message are its translations (xlsform_languages.py). A column that
is empty in every row is ignored, and so are KoboToolbox's bookkeeping columns (``$kuid``,
``$autoname``…: its builder's own identifiers, no part of the form; later Kobo versions leave
them out of exports). On the choices sheet any other column is kept with each choice as its
"extra" (for choice filters such as ``district = ${district}``).
"""

import dataclasses
import re
from contextlib import contextmanager
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.expressions import ExpressionError


class XLSFormError(DomainError):
    status_code = 400


def row_error(sheet: str, number: int, problem) -> XLSFormError:
    message = _l(
        "%(sheet)s sheet, row %(row)s: %(problem)s", sheet=sheet, row=number, problem=problem
    )
    return XLSFormError(message, field="file")


def cell_message(sheet: str, number: int, column: str, problem):
    return _l(
        "%(sheet)s sheet, row %(row)s, column %(column)s: %(problem)s",
        sheet=sheet,
        row=number,
        column=column,
        problem=problem,
    )


# pyxform's spellings of a column (its aliases.py), as the field the reader knows them by.
ALIASES = {
    "caption": "label",
    "relevance": "relevant",
    "calculate": "calculation",
    "readonly": "read_only",
    "constraining_message": "constraint_message",
    "count": "repeat_count",
    "command": "type",
    "tag": "name",
    "value": "name",
    "set_form_title": "form_title",
    "set_form_id": "form_id",
    "id_string": "form_id",
    "requiredmsg": "required_message",
    "noapperrorstring": "no_app_error_string",
}
# Spellings with a colon of their own, read before the colon that introduces a language.
NAMESPACED = {
    "jr:constraintmsg": "constraint_message",
    "jr:count": "repeat_count",
    "jr:requiredmsg": "required_message",
    "jr:noapperrorstring": "no_app_error_string",
}
MEDIA = _l("pictures, sound and video in questions are not supported yet")
FEATURES = {
    "trigger": _l("triggers are not supported yet"),
    "required_message": _l("a message for a required question is not supported yet"),
    "media": MEDIA,
    "image": MEDIA,
    "big-image": MEDIA,
    "audio": MEDIA,
    "video": MEDIA,
    "guidance_hint": _l("guidance hints are not supported yet"),
}
RUSSIAN = re.compile(r"\bru\b|русск|russian")
CALL = re.compile(r"(?<![\w.:-])([A-Za-z_][\w.:-]*)\s*\(")  # from a word start: linear
EXTRA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    field: str
    language: str


@dataclass(frozen=True)
class Problem:
    """A column the reader cannot use that holds text: the row of its first text."""

    row: int
    header: str
    problem: object


class RowError(Exception):
    """A problem of one row, in ``field``'s column if it is known; the reader adds the sheet,
    the row number and the column's header."""

    def __init__(self, message, field: str = ""):
        super().__init__(str(message))
        self.message, self.field = message, field


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    extra: dict[str, str] = dataclasses.field(default_factory=dict)
    translations: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.cells.get(name, "")


@contextmanager
def in_column(field: str):
    """An expression refused by the parser, as a problem of ``field``'s column."""
    try:
        yield
    except ExpressionError as error:
        raise RowError(error.message, field) from None


class ColumnError(Exception):
    """Columns the reader cannot use hold text; the reader adds the sheet."""

    def __init__(self, problems: list[Problem]):
        super().__init__(str(problems[0].problem))
        self.problems = problems


def parse_header(header) -> list[Column]:
    columns = []
    for index, value in enumerate(header):
        text = "" if value is None else str(value).strip()
        field, language = _field_and_language("_".join(text.lower().split()))
        columns.append(Column(index, text, field, language))
    return columns


def _field_and_language(lowered: str) -> tuple[str, str]:
    for spelling, field in NAMESPACED.items():
        if lowered == spelling or lowered.startswith(spelling + ":"):
            return field, lowered[len(spelling) :].lstrip(":").strip("_")
    field, _, language = re.sub("::", ":", lowered, count=1).partition(":")
    field = field.strip("_")
    return ALIASES.get(field, field), language.strip("_")


@dataclass
class Chosen:
    """The column of each field the reader uses, and the extra columns it keeps."""

    fields: dict[str, Column]
    extras: list[Column]
    translated: list[Column] = dataclasses.field(default_factory=list)


def choose_columns(
    columns: list[Column],
    first_filled: dict[int, int],
    fields: tuple,
    default_language: str,
    *,
    keep_extras: bool = False,
    languages=None,
) -> Chosen:
    """The columns the reader uses; raises ColumnError naming every other column that holds
    text (``first_filled``: the first row with text of each column index). ``languages``
    (xlsform_languages.FormLanguages) are those of a form in several languages."""
    chosen = {}
    default_key = languages.default if languages else None
    for field in fields:
        candidates = [column for column in columns if column.field == field]
        filled = [column for column in candidates if column.index in first_filled]
        column = (
            _preferred(filled or candidates, default_language, default_key) if candidates else None
        )
        if column and not (languages and languages.foreign(column)):
            chosen[field] = column
    extras, translated, problems = [], [], []
    for column in columns:
        if column.header.startswith("$") or column.index not in first_filled:
            continue
        if chosen.get(column.field) is column:
            continue
        if languages and languages.translates(column, chosen, translated):
            translated.append(column)
            continue
        if keep_extras and _extra(column, chosen):
            extras.append(column)
            continue
        header = column.header or f"#{column.index + 1}"
        problems.append(Problem(first_filled[column.index], header, _problem(column, chosen)))
    if problems:
        raise ColumnError(problems)
    return Chosen(chosen, extras, translated)


def _extra(column: Column, chosen: dict[str, Column]) -> bool:
    return (
        column.field not in chosen
        and column.field not in FEATURES
        and not column.language
        and EXTRA_NAME.match(column.header) is not None
    )


def _preferred(columns: list[Column], default_language: str, default_key: str | None) -> Column:
    wanted = "_".join(default_language.lower().split())
    ranked = [
        [column for column in columns if column.language == default_key],
        [column for column in columns if wanted and column.language == wanted],
        [column for column in columns if RUSSIAN.search(column.language)],
        [column for column in columns if not column.language],
        columns,
    ]
    return next(group[0] for group in ranked if group)


def _problem(column: Column, chosen: dict[str, Column]):
    if column.field in FEATURES:
        return FEATURES[column.field]
    if column.field in chosen and column.language == chosen[column.field].language:
        return _l("this column repeats the column %(column)s", column=chosen[column.field].header)
    if column.field in chosen:
        return _l(
            "the form is read from the column %(column)s; a second language is not supported yet",
            column=chosen[column.field].header,
        )
    return _l("this column is not supported yet")


def appearance_function(text: str) -> str | None:
    """A function named in an appearance (``search('kinds')``), which no appearance of ours
    has."""
    match = CALL.search(re.sub(r"'[^']*'|\"[^\"]*\"", "''", text))
    return match.group(1) if match else None
