"""XLSForm workbooks to definition dicts (spec.py) and back.

Sheets: ``survey`` (required), ``choices``, ``settings`` (form_title, form_id, version,
default_language and our extra ``description``). Nothing is dropped: a column the reader does not
use that holds text, a second language, an unsupported type, ``or_other`` or a function outside
the few it knows is refused with its sheet, row and column (xlsform_columns.py); a form without
any label is refused too. pyxform's spellings are read: ``select one from X``, ``select all that
apply X``, ``begin group``, ``phone number``, headers in any case with ``::`` or ``:`` before the
language. How our types are written:

- a section is a ``begin_group``/``end_group`` (appearance ``field-list``); questions outside any
  group go into a default section keyed "main"; a group's ``relevant`` is the section condition;
  groups inside groups are refused;
- ``text`` with appearance ``multiline`` is a textarea; ``email`` and ``phone`` are custom types;
- ``yesno`` is ``select_one yes_no`` (list with codes yes and no); on reading, any
  ``select_one`` whose list has exactly the codes yes and no is a yes/no question;
- a single choice shown as a list has appearance ``minimal``;
- a scale is a ``range`` with parameters ``start=1 end=5 step=1``;
- a matrix is the custom type ``matrix OPTIONS ROWS``: two lists of the choices sheet, the options
  of every row and the rows;
- a table is a ``begin_repeat``/``end_repeat`` around its columns (simple questions without
  ``relevant``); a fixed ``repeat_count`` N means exactly N rows;
- bounds are constraints: ``. >= N and . <= M`` (numbers; dates as ``date('2024-09-01')``),
  ``string-length(.)`` for text, ``count-selected(.)`` for a multiple choice, ``count(.)`` for
  the rows of a table; strict ``>``/``<`` are read for whole numbers and dates only.

Metadata types (start, end, today, deviceid…) hold no question and are skipped; anything else
unknown is refused with its sheet and row.
"""

import re
from contextlib import closing
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.config import Defaults
from app.core.errors import DomainError
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
from app.questionnaires.relevant import (
    RelevantError,
    parse_relevant,
)
from app.questionnaires.spec import COLUMN_TYPES
from app.questionnaires.xlsform_columns import (
    ColumnError,
    choose_columns,
    parse_header,
    unsupported_function,
)
from app.questionnaires.xlsform_questions import (
    Row,
    RowError,
    common_fields,
    question_name,
    read_question,
    table_bounds,
)

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
)
CHOICES_COLUMNS = ("list_name", "name", "label")
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "description")
SURVEY_FIELDS = (*SURVEY_COLUMNS, "repeat_count")
SETTINGS_FIELDS = (*SETTINGS_COLUMNS, "default_language")
TYPE_SPELLINGS = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"\Aselect[ _]one(?: from)?(?= )", "select_one"),
        (r"\A(?:select all that apply|select[ _]multiple)(?: from)?(?= )", "select_multiple"),
        (r"\A(begin|end)[ _](group|repeat)\b", r"\1_\2"),
        (r"\Aphone number\Z", "phone"),
        (r" or specify other\Z", " or_other"),
    )
)
METADATA_TYPES = ("start", "end", "today", "deviceid", "username", "simserial")
METADATA_TYPES += ("subscriberid", "phonenumber", "audit", "start-geopoint")
DEFAULT_SECTION = "main"
DEFAULT_LIMITS = SheetLimits(Defaults.IMPORT_MAX_ROWS, Defaults.IMPORT_MAX_COLUMNS)
YES_NO_LIST = "yes_no"


class XLSFormError(DomainError):
    status_code = 400


def _row_error(sheet: str, number: int, problem) -> XLSFormError:
    message = _l(
        "%(sheet)s sheet, row %(row)s: %(problem)s", sheet=sheet, row=number, problem=problem
    )
    return XLSFormError(message, field="file")


def _cell_error(sheet: str, number: int, column: str, problem) -> XLSFormError:
    message = _l(
        "%(sheet)s sheet, row %(row)s, column %(column)s: %(problem)s",
        sheet=sheet,
        row=number,
        column=column,
        problem=problem,
    )
    return XLSFormError(message, field="file")


# Reading sheets


def _unescape(text: str) -> str:
    """Undoes the quote that workbooks written before the quote-prefix style put before text
    that would start a formula."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _sheet_rows(
    workbook, name: str, limits: SheetLimits, fields: tuple, default_language: str = ""
) -> list[Row] | None:
    titles = [title for title in workbook.sheetnames if title.strip().lower() == name]
    if not titles:
        return None
    rows = sheet_rows(workbook[titles[0]], limits)
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
        chosen = choose_columns(columns, first_filled, fields, default_language)
    except ColumnError as error:
        raise _cell_error(name, error.row, error.header, error.problem) from None
    result = []
    for number, values in texts:
        cells = {
            field: values[column.index] if column.index < len(values) else ""
            for field, column in chosen.items()
        }
        if any(cells.values()):
            result.append(Row(number, cells))
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
    with closing(workbook), reading_errors():
        settings = _sheet_rows(workbook, "settings", limits, SETTINGS_FIELDS) or []
        language = settings[0].get("default_language") if settings else ""
        survey = _sheet_rows(workbook, "survey", limits, SURVEY_FIELDS, language)
        choices = _sheet_rows(workbook, "choices", limits, CHOICES_COLUMNS, language) or []
    if survey is None:
        raise XLSFormError(_l("The workbook has no survey sheet."), field="file")
    reader = SurveyReader(_choice_lists(choices), survey)
    sections = _selected_as_equality(reader.read())
    if not any(row.get("label") for row in survey):
        raise XLSFormError(
            _l("survey sheet: no question has a label (column label) in any language"),
            field="file",
        )
    definition = normalize_definition({**_settings(settings), "sections": sections})
    try:
        check_definition(definition, max_questions=max_questions)
    except DefinitionError as error:
        row = reader.row_of(error.path)
        if row is None:
            raise
        raise _row_error("survey", row, error.message) from None
    return definition


def _selected_as_equality(sections: list[dict]) -> list[dict]:
    """XLSForm allows selected() on a select_one too; for a single choice that is equality."""
    questions = [question for section in sections for question in section["questions"]]
    types = {question["key"]: question["type"] for question in questions}
    for item in [*sections, *questions]:
        item["condition"] = _contains_as_eq(item["condition"], types)
    return sections


def _contains_as_eq(condition, types: dict[str, str]):
    if not isinstance(condition, dict):
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
    }


def _choice_lists(rows: list[Row]) -> dict[str, list[dict]]:
    lists: dict[str, list[dict]] = {}
    for row in rows:
        list_name = row.get("list_name")
        if not list_name or not row.get("name"):
            raise _row_error("choices", row.number, _l("a choice needs a list name and a name"))
        lists.setdefault(list_name, []).append({"code": row.get("name"), "label": row.get("label")})
    return lists


def _split_type(text: str) -> tuple[str, list[str]]:
    """The type and its arguments, with pyxform's spellings (``select one from X``, ``select
    all that apply X``, ``begin group``, ``phone number``…) turned into ours."""
    text = " ".join(text.split())
    for spelling, kind in TYPE_SPELLINGS:
        text = spelling.sub(kind, text)
    words = text.split()
    return (words[0].lower(), words[1:]) if words else ("", [])


@dataclass
class Opened:
    """A section, group, repeat or question being read: where it is and which row began it."""

    item: dict
    row: int
    path: str


class SurveyReader:
    """Walks the survey rows: groups become sections, repeats become tables.

    ``paths`` maps the path of each section, question and column (as check_definition names
    them, e.g. "sections[1].questions[0]") to the row it came from.
    """

    def __init__(self, choices: dict[str, list[dict]], rows: list[Row]):
        self.choices = choices
        self.rows = rows
        self.names = {row.get("name") for row in rows}
        self.sections: list[dict] = []
        self.section_keys: set = set()
        self.loose_number = 2
        self.paths: dict[str, int] = {}
        self.group: Opened | None = None
        self.table: Opened | None = None
        self.loose: Opened | None = None

    def read(self) -> list[dict]:
        for row in self.rows:
            try:
                self.take(row)
            except (RowError, RelevantError) as error:
                raise _row_error("survey", row.number, error.message) from None
            except ColumnError as error:
                raise _cell_error("survey", row.number, error.header, error.problem) from None
        if self.table:
            raise _row_error("survey", self.table.row, _l("begin_repeat has no end_repeat"))
        if self.group:
            raise _row_error("survey", self.group.row, _l("begin_group has no end_group"))
        if not any(section["questions"] for section in self.sections):
            raise XLSFormError(_l("The survey sheet has no questions."), field="file")
        return self.sections

    def row_of(self, path: str) -> int | None:
        """The row a path of check_definition points into, if it is known."""
        while path not in self.paths:
            shorter = re.sub(r"(\.\w+|\[\d+\])\Z", "", path)
            if shorter == path:
                return None
            path = shorter
        return self.paths[path]

    def take(self, row: Row) -> None:
        kind, arguments = _split_type(row.get("type"))
        if not kind:
            raise RowError(_l("the type is missing"))
        if kind in METADATA_TYPES:
            return
        unsupported = unsupported_function(row.cells)
        if unsupported:
            field, name = unsupported
            problem = _l("the function %(name)s() is not supported", name=name)
            raise ColumnError(row.number, field, problem)
        structure = {
            "begin_group": self.begin_group,
            "end_group": self.end_group,
            "begin_repeat": self.begin_repeat,
            "end_repeat": self.end_repeat,
        }
        if kind in structure:
            structure[kind](row)
        elif self.table:
            self.add_column(read_question(kind, arguments, row, self.choices), row)
        else:
            question = read_question(kind, arguments, row, self.choices)
            self.place(question, row, self.current_section(row), "questions")

    def place(self, item: dict, row: Row, parent: Opened, field: str) -> Opened:
        items = parent.item[field]
        items.append(item)
        path = f"{parent.path}.{field}[{len(items) - 1}]"
        self.paths[path] = row.number
        return Opened(item, row.number, path)

    def open_section(self, section: dict, row: Row) -> Opened:
        self.sections.append(section)
        self.section_keys.add(section["key"])
        path = f"sections[{len(self.sections) - 1}]"
        self.paths[path] = row.number
        return Opened(section, row.number, path)

    def begin_group(self, row: Row) -> None:
        if self.table:
            raise RowError(_l("a group inside a repeat is not supported"))
        if self.group:
            raise RowError(_l("a group inside another group is not supported"))
        section = {
            "key": question_name(row),
            "title": row.get("label"),
            "description": row.get("hint"),
            "condition": parse_relevant(row.get("relevant")),
            "questions": [],
        }
        self.group, self.loose = self.open_section(section, row), None

    def end_group(self, _row: Row) -> None:
        if self.table:
            raise RowError(_l("end_group inside a repeat: close the repeat first"))
        if not self.group:
            raise RowError(_l("end_group without a matching begin_group"))
        self.group = None

    def begin_repeat(self, row: Row) -> None:
        if self.table:
            raise RowError(_l("a repeat inside another repeat is not supported"))
        question = {**common_fields(row), "type": "table", "columns": [], **table_bounds(row)}
        self.table = self.place(question, row, self.current_section(row), "questions")

    def end_repeat(self, _row: Row) -> None:
        if not self.table:
            raise RowError(_l("end_repeat without a matching begin_repeat"))
        self.table = None

    def add_column(self, question: dict, row: Row) -> None:
        if question["type"] not in COLUMN_TYPES:
            raise RowError(
                _l("a question of type “%(type)s” cannot be inside a repeat", type=question["type"])
            )
        if question.pop("condition") is not None:
            raise RowError(_l("a question inside a repeat cannot have a relevant condition"))
        self.place(question, row, self.table, "columns")

    def current_section(self, row: Row) -> Opened:
        """The open group, else the default section that gathers questions outside groups."""
        if self.group:
            return self.group
        if self.loose is None:
            key = DEFAULT_SECTION
            while key in self.names or key in self.section_keys:  # counted on, not from 2 again
                key, self.loose_number = (
                    f"{DEFAULT_SECTION}_{self.loose_number}",
                    self.loose_number + 1,
                )
            section = {"key": key, "title": "", "description": "", "condition": None}
            self.loose = self.open_section({**section, "questions": []}, row)
        return self.loose
