"""XLSForm workbooks to definition dicts (spec.py) and back.

Sheets: ``survey`` (required), ``choices``, ``settings`` (form_title, form_id, version,
default_language and our extra ``description``); the language columns of a form in several
languages are its translations (xlsform_languages.py). Nothing is dropped: a column the
reader does not use that holds text, an unsupported type or a function outside the expression
language is refused with its sheet, row and column (every such column of the workbook in one
message, xlsform_columns.py); a form without any label is refused too. pyxform's spellings are
read: ``select one from X``, ``select all that apply X``, ``begin group``, ``phone number``,
``X or specify other``, headers in any case with ``::`` or ``:`` before the language and
pyxform's other names of columns. How our types are written:

- a section is a ``begin_group``/``end_group`` (appearance ``field-list``); questions outside any
  group go into a default section keyed "main"; a group's ``relevant`` is the section condition;
  groups inside groups are refused, except a matrix (below);
- ``text`` with appearance ``multiline`` is a textarea, with appearance ``email`` or ``phone``
  an email or a phone (pyxform has no such types);
- ``yesno`` is ``select_one yes_no`` (list with codes yes and no); on reading, any
  ``select_one`` whose list is exactly yes «Да» and no «Нет» (or Yes/No) is a yes/no question;
- a single choice shown as a list has appearance ``minimal``; ``or_other`` is "other";
- our own column ``authors`` (yes) marks a text whose answer names a contest entry's authors;
- a scale is a ``range`` with parameters ``start=1 end=5 step=1``;
- a matrix is a group with appearance ``table-list`` holding one ``select_one`` of the same
  list per row, named ``<matrix>_<row code>`` (the older custom type ``matrix OPTIONS ROWS``
  is read too);
- a table is a ``begin_repeat``/``end_repeat`` around its columns (simple questions and
  calculations without ``relevant``; a group inside it adds its questions as columns, and is
  refused if it has a ``relevant``); ``repeat_count`` N means exactly N rows, an expression
  is kept as "repeat_count";
- relevant and required are structured conditions where the builder can show them, otherwise
  ``{"expr": AST}``; constraints become bounds and "constraint" (xlsform_expressions.py);
  calculation, choice_filter and repeat_count are expression trees, default a literal or a tree.

Metadata types (start, end, today, deviceid…) hold no question and are skipped; anything else
unknown is refused with its sheet and row.
"""

from contextlib import closing
from dataclasses import dataclass, field

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.config import Defaults
from app.core.spreadsheets import (
    FORMULA_PREFIXES,
    SheetLimits,
    cell_text,
    open_workbook,
    reading_errors,
    sheet_rows,
)
from app.questionnaires.definition_check import DefinitionError, check_definition
from app.questionnaires.jsonio import normalize_definition
from app.questionnaires.xlsform_columns import (
    ColumnError,
    Problem,
    Row,
    XLSFormError,
    cell_message,
    choose_columns,
    parse_header,
    row_error,
)
from app.questionnaires.xlsform_languages import (
    add_translations,
    choice_translations,
    form_languages,
    labelled,
    row_translations,
)
from app.questionnaires.xlsform_survey import SurveyReader

SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "parameters",
    "calculation",
    "default",
    "read_only",
    "choice_filter",
    "repeat_count",
    "authors",
)
CHOICES_COLUMNS = ("list_name", "name", "label")
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "description", "style")
SETTINGS_FIELDS = (*SETTINGS_COLUMNS, "default_language")
DEFAULT_LIMITS = SheetLimits(Defaults.IMPORT_MAX_ROWS, Defaults.IMPORT_MAX_COLUMNS)
YES_NO_LIST = "yes_no"


def _columns_error(problems: list[tuple[str, Problem]]) -> XLSFormError:
    """One refusal naming every column the reader cannot use, in every sheet."""
    messages = [cell_message(sheet, p.row, p.header, p.problem) for sheet, p in problems]
    return XLSFormError(LazyString(lambda: "; ".join(str(m) for m in messages)), field="file")


# Reading sheets


def _unescape(text: str) -> str:
    """Undoes the quote that workbooks written before the quote-prefix style put before text
    that would start a formula."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


@dataclass
class Sheets:
    """The rows of each sheet read, and the columns no sheet's reader can use."""

    limits: SheetLimits
    problems: list[tuple[str, Problem]] = field(default_factory=list)
    languages: object = None  # xlsform_languages.FormLanguages of a form in several languages

    def rows(
        self, workbook, name: str, fields: tuple, language: str = "", keep_extras: bool = False
    ) -> list[Row] | None:
        titles = [title for title in workbook.sheetnames if title.strip().lower() == name]
        if not titles:
            return None
        rows = sheet_rows(workbook[titles[0]], self.limits)
        columns = parse_header(next(rows, ()))
        texts = [
            (number, [_unescape(cell_text(value)) for value in values])
            for number, values in enumerate(rows, start=2)
        ]
        first_filled: dict[int, int] = {}
        for number, values in texts:
            for index, text in enumerate(values):
                if text:
                    first_filled.setdefault(index, number)
        try:
            chosen = choose_columns(
                columns,
                first_filled,
                fields,
                language,
                keep_extras=keep_extras,
                languages=self.languages,
            )
        except ColumnError as error:
            self.problems.extend((name, problem) for problem in error.problems)
            return []
        headers = {name: column.header for name, column in chosen.fields.items()}
        result = []
        for number, values in texts:

            def cell(index: int, values=values) -> str:
                return values[index] if index < len(values) else ""

            cells = {name: cell(column.index) for name, column in chosen.fields.items()}
            extra = {column.header: cell(column.index) for column in chosen.extras}
            translations = row_translations(chosen.translated, self.languages, cell)
            if any(cells.values()) or any(extra.values()) or translations:
                result.append(Row(number, cells, headers, extra, translations))
        return result


# Reading a form


def read_xlsform(
    stream,
    *,
    max_bytes: int,
    max_uncompressed: int,
    max_ratio: int,
    limits: SheetLimits = DEFAULT_LIMITS,
    max_questions: int = Defaults.FORM_MAX_QUESTIONS,
) -> dict:
    """A checked, normalised definition from an uploaded XLSForm workbook."""
    workbook = open_workbook(
        stream,
        max_bytes=max_bytes,
        max_uncompressed=max_uncompressed,
        max_ratio=max_ratio,
        limits=limits,
    )
    sheets = Sheets(limits)
    with closing(workbook), reading_errors():
        settings = sheets.rows(workbook, "settings", SETTINGS_FIELDS) or []
        language = settings[0].get("default_language") if settings else ""
        sheets.languages = form_languages(workbook, limits, language)
        survey = sheets.rows(workbook, "survey", SURVEY_COLUMNS, language)
        choices = sheets.rows(workbook, "choices", CHOICES_COLUMNS, language, True) or []
    if sheets.problems:
        raise _columns_error(sheets.problems)
    if survey is None:
        raise XLSFormError(_l("The workbook has no survey sheet."), field="file")
    reader = SurveyReader(_choice_lists(choices), survey)
    sections = _selected_as_equality(reader.read())
    add_translations(sections, reader.paths, survey)
    if not any(labelled(row) for row in survey):
        raise XLSFormError(
            _l("survey sheet: no question has a label (column label) in any language"),
            field="file",
        )
    declaration = sheets.languages.declaration() if sheets.languages else {}
    definition = normalize_definition({**_settings(settings), **declaration, "sections": sections})
    try:
        check_definition(definition, max_questions=max_questions)
    except DefinitionError as error:
        row = reader.row_of(error.path)
        if row is None:
            raise
        raise row_error("survey", row, error.message) from None
    return definition


def _selected_as_equality(sections: list[dict]) -> list[dict]:
    """XLSForm allows selected() on a select_one too; for a single choice that is equality."""
    questions = [question for section in sections for question in section["questions"]]
    types = {question["key"]: question["type"] for question in questions}
    for item in [*sections, *questions]:
        item["condition"] = _contains_as_eq(item.get("condition"), types)
        if isinstance(item.get("required"), dict):
            item["required"] = _contains_as_eq(item["required"], types)
    return sections


def _contains_as_eq(condition, types: dict[str, str]):
    if not isinstance(condition, dict) or "expr" in condition:
        return condition
    if "not" in condition:
        return {"not": _contains_as_eq(condition["not"], types)}
    for group in ("all", "any"):
        if group in condition:
            return {group: [_contains_as_eq(part, types) for part in condition[group]]}
    if condition["op"] == "contains" and types.get(condition["key"]) in ("single", "yesno"):
        return {**condition, "op": "eq"}
    return condition


def _settings(rows: list[Row]) -> dict:
    row = rows[0] if rows else Row(0, {})
    return {
        "title": row.get("form_title") or row.get("form_id"),
        "description": row.get("description"),
        "form_id": row.get("form_id"),
        "version": row.get("version"),
        "style": row.get("style"),
    }


def _choice_lists(rows: list[Row]) -> dict[str, list[dict]]:
    lists: dict[str, list[dict]] = {}
    for row in rows:
        list_name = row.get("list_name")
        if not list_name or not row.get("name"):
            raise row_error("choices", row.number, _l("a choice needs a list name and a name"))
        choice = {"code": row.get("name"), "label": row.get("label"), **choice_translations(row)}
        extra = {column: text for column, text in row.extra.items() if text}
        lists.setdefault(list_name, []).append({**choice, "extra": extra} if extra else choice)
    return lists
