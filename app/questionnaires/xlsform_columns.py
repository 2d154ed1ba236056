"""The header of an XLSForm sheet: which column the reader takes for each field, and a refusal
for every other column that holds anything, so that nothing of an imported form is dropped.

A header is read in any case, with spaces or "_" (``List Name``), with ``::`` or ``:`` before a
language (``label::Русский (ru)``, ``label:english``). Of the languages of one field the reader
takes the form's default language, else Russian, else the untranslated column, else the first;
another language that holds text is refused until forms are multilingual. A column that is empty
in every row is ignored, and so are KoboToolbox's bookkeeping columns (``$kuid``, ``$autoname``…:
its builder's own identifiers, no part of the form; later Kobo versions leave them out of exports).
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

ALIASES = {"jr:constraintmsg": "constraint_message", "jr:count": "repeat_count"}
RUSSIAN = re.compile(r"\bru\b|русск|russian")
FEATURES = {
    "calculation": _l("calculated fields are not supported yet"),
    "choice_filter": _l("choice filters (cascading selects) are not supported yet"),
    "default": _l("default values are not supported yet"),
    "read_only": _l("read-only questions are not supported yet"),
    "trigger": _l("triggers are not supported yet"),
    "required_message": _l("a message for a required question is not supported yet"),
    "media": _l("pictures, sound and video in questions are not supported yet"),
}
# Functions the reader understands in relevant, constraint and appearance; relevant.py and the
# bounds of xlsform_questions.py refuse any other use of them with their own messages.
KNOWN_FUNCTIONS = {"selected", "date", "not", "string-length", "count-selected", "count"}
KNOWN_FUNCTIONS |= {"true", "false", "and", "or", "div", "mod"}
EXPRESSION_FIELDS = ("relevant", "constraint", "appearance", "required", "repeat_count")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
CALL = re.compile(r"(?<![\w.:-])([A-Za-z_][\w.:-]*)\s*\(")  # from a word start: linear


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    field: str
    language: str


class ColumnError(Exception):
    """A column the reader cannot use holds text; the reader adds the sheet."""

    def __init__(self, row: int, header: str, problem):
        super().__init__(str(problem))
        self.row, self.header, self.problem = row, header, problem


def parse_header(header) -> list[Column]:
    columns = []
    for index, value in enumerate(header):
        text = "" if value is None else str(value).strip()
        lowered = "_".join(text.lower().split())
        field, language = ALIASES.get(lowered, lowered), ""
        if field not in ALIASES.values():
            field, _, language = re.sub("::", ":", lowered, count=1).partition(":")
        columns.append(Column(index, text, field.strip("_"), language.strip("_")))
    return columns


def choose_columns(
    columns: list[Column], first_filled: dict[int, int], fields: tuple, default_language: str
) -> dict[str, Column]:
    """The column of each field the reader uses; raises ColumnError for any other column that
    holds text (``first_filled``: the first row with text of each column index)."""
    chosen = {}
    for field in fields:
        candidates = [column for column in columns if column.field == field]
        filled = [column for column in candidates if column.index in first_filled]
        if filled or candidates:
            chosen[field] = _preferred(filled or candidates, default_language)
    for column in columns:
        if column.header.startswith("$") or column.index not in first_filled:
            continue
        if chosen.get(column.field) is not column:
            header = column.header or f"#{column.index + 1}"
            raise ColumnError(first_filled[column.index], header, _problem(column, chosen))
    return chosen


def _preferred(columns: list[Column], default_language: str) -> Column:
    wanted = "_".join(default_language.lower().split())
    ranked = [
        [column for column in columns if wanted and column.language == wanted],
        [column for column in columns if RUSSIAN.search(column.language)],
        [column for column in columns if not column.language],
        columns,
    ]
    return next(group[0] for group in ranked if group)


def _problem(column: Column, chosen: dict[str, Column]):
    if column.field in FEATURES:
        return FEATURES[column.field]
    if column.field in chosen:
        return _l(
            "the form is read from the column %(column)s; a second language is not supported yet",
            column=chosen[column.field].header,
        )
    return _l("this column is not supported yet")


def unsupported_function(cells: dict[str, str]) -> tuple[str, str] | None:
    """The first expression field and function name outside KNOWN_FUNCTIONS, if any."""
    for field in EXPRESSION_FIELDS:
        for name in CALL.findall(QUOTED.sub("''", cells.get(field, ""))):
            if name.lower() not in KNOWN_FUNCTIONS:
                return field, name
    return None
