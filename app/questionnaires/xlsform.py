"""XLSForm workbooks to definition dicts (spec.py) and back.

Sheets: ``survey`` (required), ``choices``, ``settings`` (form_title, form_id, version and our
extra ``description``). Translated columns such as ``label::Русский (ru)`` are read; the Russian
one wins, else the first. How our types are written:

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

Metadata types (start, end, today, deviceid…) are skipped; anything else unknown is refused with
its sheet and row.
"""

import re
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.spreadsheets import (
    FORMULA_PREFIXES,
    cell_text,
    open_workbook,
    reading_errors,
    workbook_bytes,
)
from app.questionnaires.jsonio import normalize_definition
from app.questionnaires.relevant import (
    KEY,
    RelevantError,
    number_value,
    parse_relevant,
    to_relevant,
)
from app.questionnaires.spec import COLUMN_TYPES, NO, YES
from app.questionnaires.validation import DefinitionError, check_definition

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
TWO_WORD_TYPES = ("select_one", "select_multiple", "begin_group", "end_group")
TWO_WORD_TYPES += ("begin_repeat", "end_repeat")
METADATA_TYPES = ("start", "end", "today", "deviceid", "username", "simserial")
METADATA_TYPES += ("subscriberid", "phonenumber", "audit", "start-geopoint")
DEFAULT_SECTION = "main"
YES_NO_LIST = "yes_no"
MEASURES = {
    "text": "string-length(.)",
    "textarea": "string-length(.)",
    "integer": ".",
    "decimal": ".",
    "date": ".",
    "multiple": "count-selected(.)",
    "table": "count(.)",
}
RANGE_DEFAULTS = {"start": "1", "end": "10", "step": "1"}  # XLSForm's own defaults
TRUE_WORDS = ("yes", "true", "1", "true()")
FALSE_WORDS = ("", "no", "false", "0", "false()")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")
BOUND_VALUE = r"""-?\d+(?:\.\d+)?|(?:date\(\s*)?(?:'[^']*'|"[^"]*")(?:\s*\))?"""
DATE_VALUE = re.compile(r"""(?:date\(\s*)?(['"])(\d{4}-\d{2}-\d{2})\1(?:\s*\))?\Z""")


class XLSFormError(DomainError):
    status_code = 400


class RowError(Exception):
    """A problem of one row; the reader adds the sheet and the row number."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _row_error(sheet: str, number: int, problem) -> XLSFormError:
    message = _l(
        "%(sheet)s sheet, row %(row)s: %(problem)s", sheet=sheet, row=number, problem=problem
    )
    return XLSFormError(message, field="file")


# Reading sheets


@dataclass
class Row:
    number: int
    cells: dict[str, str]

    def get(self, name: str) -> str:
        return self.cells.get(name, "")


def _unescape(text: str) -> str:
    """Undoes safe_cell: a quote put before text that would start a formula."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _positions(header) -> dict[str, int]:
    """Column index by name; of translated columns the Russian one, else the first."""
    first, russian = {}, {}
    for index, value in enumerate(header):
        base, _, language = cell_text(value).partition("::")
        base = "_".join(base.lower().split())
        first.setdefault(base, index)
        if re.search(r"\bru\b|русск|russian", language.lower()):
            russian.setdefault(base, index)
    return {**first, **russian}


def _sheet_rows(workbook, name: str) -> list[Row] | None:
    titles = [title for title in workbook.sheetnames if title.strip().lower() == name]
    if not titles:
        return None
    rows = workbook[titles[0]].iter_rows(values_only=True)
    positions = _positions(next(rows, ()))
    result = []
    for number, values in enumerate(rows, start=2):
        cells = {
            field: _unescape(cell_text(values[index] if index < len(values) else None))
            for field, index in positions.items()
        }
        if any(cells.values()):
            result.append(Row(number, cells))
    return result


# Reading a form


def read_xlsform(stream, *, max_bytes: int, max_uncompressed: int, max_ratio: int) -> dict:
    """A checked, normalised definition from an uploaded XLSForm workbook."""
    workbook = open_workbook(
        stream, max_bytes=max_bytes, max_uncompressed=max_uncompressed, max_ratio=max_ratio
    )
    with closing(workbook), reading_errors():
        survey = _sheet_rows(workbook, "survey")
        choices = _sheet_rows(workbook, "choices") or []
        settings = _sheet_rows(workbook, "settings") or []
    if survey is None:
        raise XLSFormError(_l("The workbook has no survey sheet."), field="file")
    reader = SurveyReader(_choice_lists(choices), survey)
    sections = _selected_as_equality(reader.read())
    definition = normalize_definition({**_settings(settings), "sections": sections})
    try:
        check_definition(definition)
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
    words = text.split()
    if len(words) >= 2 and f"{words[0]}_{words[1]}".lower() in TWO_WORD_TYPES:
        words = [f"{words[0]}_{words[1]}", *words[2:]]
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
        path = f"sections[{len(self.sections) - 1}]"
        self.paths[path] = row.number
        return Opened(section, row.number, path)

    def begin_group(self, row: Row) -> None:
        if self.table:
            raise RowError(_l("a group inside a repeat is not supported"))
        if self.group:
            raise RowError(_l("a group inside another group is not supported"))
        section = {
            "key": _name(row),
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
        question = {**_common(row), "type": "table", "columns": [], **_table_bounds(row)}
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
            key, number = DEFAULT_SECTION, 2
            taken = self.names | {section["key"] for section in self.sections}
            while key in taken:
                key, number = f"{DEFAULT_SECTION}_{number}", number + 1
            section = {"key": key, "title": "", "description": "", "condition": None}
            self.loose = self.open_section({**section, "questions": []}, row)
        return self.loose


# Reading one question


def _name(row: Row) -> str:
    name = row.get("name")
    if not name:
        raise RowError(_l("the name is missing"))
    if not KEY.match(name):
        raise RowError(
            _l("the name “%(name)s” may hold only Latin letters, digits and “_”", name=name)
        )
    return name


def _common(row: Row) -> dict:
    return {
        "key": _name(row),
        "label": row.get("label"),
        "help": row.get("hint"),
        "required": _flag(row.get("required")),
        "condition": parse_relevant(row.get("relevant")),
        "constraint_message": row.get("constraint_message"),
    }


def _flag(text: str) -> bool:
    if text.lower() in TRUE_WORDS:
        return True
    if text.lower() in FALSE_WORDS:
        return False
    raise RowError(_l("required must be yes or no, not “%(text)s”", text=text))


def read_question(kind: str, arguments: list[str], row: Row, choices: dict) -> dict:
    reader = QUESTION_READERS.get(kind)
    if reader is None:
        raise RowError(_l("unknown question type “%(type)s”", type=row.get("type")))
    question = {**_common(row), **reader(arguments, row, choices)}
    measure = MEASURES.get(question["type"])
    if measure:
        question.update(_bounds(row.get("constraint"), measure, _bound_kind(question["type"])))
    elif row.get("constraint"):
        raise RowError(_l("a constraint is not supported for this type of question"))
    return question


def _plain(kind: str):
    def read(arguments: list[str], _row: Row, _choices: dict) -> dict:
        _arity(arguments, 0)
        return {"type": kind}

    return read


ARITY_PROBLEMS = {
    0: _l("nothing may follow this type"),
    1: _l("the type needs exactly one choice list name after it"),
    2: _l("a matrix needs two list names: its options and its rows"),
}


def _arity(arguments: list[str], count: int) -> None:
    if len(arguments) != count:
        raise RowError(ARITY_PROBLEMS[count])


def _choice_list(name: str, choices: dict) -> list[dict]:
    if name not in choices:
        raise RowError(_l("the choice list “%(name)s” is not in the choices sheet", name=name))
    return [dict(option) for option in choices[name]]


def _appearance(row: Row) -> list[str]:
    return row.get("appearance").lower().split()


def _read_text(arguments: list[str], row: Row, _choices: dict) -> dict:
    _arity(arguments, 0)
    return {"type": "textarea" if "multiline" in _appearance(row) else "text"}


def _read_select_one(arguments: list[str], row: Row, choices: dict) -> dict:
    _arity(arguments, 1)
    options = _choice_list(arguments[0], choices)
    if sorted(option["code"] for option in options) == [NO, YES]:
        return {"type": "yesno"}
    display = "list" if "minimal" in _appearance(row) else "radio"
    return {"type": "single", "choices": options, "display": display}


def _read_select_multiple(arguments: list[str], _row: Row, choices: dict) -> dict:
    _arity(arguments, 1)
    return {"type": "multiple", "choices": _choice_list(arguments[0], choices)}


def _read_matrix(arguments: list[str], _row: Row, choices: dict) -> dict:
    _arity(arguments, 2)
    return {
        "type": "matrix",
        "choices": _choice_list(arguments[0], choices),
        "rows": _choice_list(arguments[1], choices),
    }


def _read_range(arguments: list[str], row: Row, _choices: dict) -> dict:
    _arity(arguments, 0)
    parameters = {**RANGE_DEFAULTS, **_parameters(row.get("parameters"))}
    if set(parameters) != set(RANGE_DEFAULTS) or parameters["step"] != "1":
        raise RowError(_l("a range needs whole start and end and step 1"))
    try:
        return {"type": "scale", "min": int(parameters["start"]), "max": int(parameters["end"])}
    except ValueError:
        raise RowError(_l("a range needs whole start and end and step 1")) from None


def _parameters(text: str) -> dict[str, str]:
    parameters = {}
    for item in re.split(r"[\s,;]+", text.strip()) if text.strip() else []:
        name, equals, value = item.partition("=")
        if not equals:
            raise RowError(_l("parameters are written as name=value, e.g. start=1 end=5"))
        parameters[name.strip().lower()] = value.strip()
    return parameters


QUESTION_READERS = {
    "text": _read_text,
    "integer": _plain("integer"),
    "decimal": _plain("decimal"),
    "date": _plain("date"),
    "email": _plain("email"),
    "phone": _plain("phone"),
    "yesno": _plain("yesno"),
    "note": _plain("note"),
    "file": _plain("file"),
    "select_one": _read_select_one,
    "select_multiple": _read_select_multiple,
    "matrix": _read_matrix,
    "range": _read_range,
}


# Bounds


def _bound_kind(question_type: str) -> str:
    return {"decimal": "number", "date": "date"}.get(question_type, "whole")


def _table_bounds(row: Row) -> dict:
    count = row.get("repeat_count")
    if not count:
        return _bounds(row.get("constraint"), MEASURES["table"], "whole")
    if not re.fullmatch(r"\d+", count):
        raise RowError(_l("repeat_count must be a whole number"))
    return {"min": int(count), "max": int(count)}


def _bounds(text: str, measure: str, kind: str) -> dict:
    """min and max from a constraint like ". >= 0 and . <= 2000"."""
    bounds: dict = {}
    pattern = re.compile(rf"{re.escape(measure)}\s*(>=|<=|>|<)\s*({BOUND_VALUE})")
    for part in re.split(r"\s+and\s+", text.strip()) if text.strip() else []:
        match = pattern.fullmatch(part.strip())
        if not match:
            raise RowError(_l("the constraint “%(text)s” is not supported", text=text))
        operator, value = match.groups()
        name = "min" if operator.startswith(">") else "max"
        if name in bounds:
            raise RowError(_l("the constraint sets the same bound twice"))
        bounds[name] = _bound_value(value.strip(), kind, operator)
    return bounds


def _bound_value(text: str, kind: str, operator: str):
    step = {">": 1, "<": -1}.get(operator, 0)
    if kind == "date":
        return (_date_bound(text) + timedelta(days=step)).isoformat()
    if not NUMBER.match(text):
        raise RowError(_l("the bound “%(text)s” is not a number", text=text))
    value = number_value(text)
    if step and (kind != "whole" or not isinstance(value, int)):
        raise RowError(_l("use >= or <= for this bound"))
    return value + step if step else value


def _date_bound(text: str) -> date:
    match = DATE_VALUE.fullmatch(text)
    if match:
        try:
            return date.fromisoformat(match.group(2))
        except ValueError:
            pass
    raise RowError(_l("a date bound is written as date('2024-09-01')"))


# Writing


def write_xlsform(definition: dict) -> bytes:
    """An XLSForm workbook that read_xlsform reads back into the same (normalised) definition."""
    definition = normalize_definition(definition)
    check_definition(definition)
    writer = SurveyWriter()
    for section in definition["sections"]:
        writer.write_section(section)
    settings = [definition["title"], definition["form_id"], definition["version"]]
    return workbook_bytes(
        [
            ("survey", [list(SURVEY_COLUMNS), *writer.survey_rows()]),
            ("choices", [list(CHOICES_COLUMNS), *writer.choices]),
            ("settings", [list(SETTINGS_COLUMNS), [*settings, definition["description"]]]),
        ]
    )


class SurveyWriter:
    def __init__(self):
        self.survey: list[dict] = []
        self.choices: list[list[str]] = []
        self.lists = {YES_NO_LIST}
        self.yes_no_written = False

    def survey_rows(self) -> list[list[str]]:
        return [[row.get(column, "") for column in SURVEY_COLUMNS] for row in self.survey]

    def add_list(self, base: str, options: list[dict]) -> str:
        name, number = base, 2
        while name in self.lists:
            name, number = f"{base}_{number}", number + 1
        self.lists.add(name)
        self.choices.extend([name, option["code"], option["label"]] for option in options)
        return name

    def yes_no_list(self) -> str:
        if not self.yes_no_written:
            self.choices.append([YES_NO_LIST, YES, str(_l("Yes"))])
            self.choices.append([YES_NO_LIST, NO, str(_l("No"))])
            self.yes_no_written = True
        return YES_NO_LIST

    def write_section(self, section: dict) -> None:
        self.survey.append(
            {
                "type": "begin_group",
                "name": section["key"],
                "label": section["title"],
                "hint": section["description"],
                "relevant": to_relevant(section["condition"]),
                "appearance": "field-list",
            }
        )
        for question in section["questions"]:
            self.write_question(question, list_base=question["key"])
        self.survey.append({"type": "end_group"})

    def write_question(self, question: dict, list_base: str) -> None:
        row = {
            "name": question["key"],
            "label": question["label"],
            "hint": question["help"],
            "required": "yes" if question["required"] else "",
            "relevant": to_relevant(question.get("condition")),
            "constraint_message": question.get("constraint_message", ""),
            "constraint": _constraint(question),
        }
        if question["type"] == "table":
            self.survey.append({**row, "type": "begin_repeat"})
            for column in question["columns"]:
                self.write_question(column, list_base=f"{list_base}_{column['key']}")
            self.survey.append({"type": "end_repeat"})
            return
        row.update(TYPE_WRITERS[question["type"]](self, question, list_base))
        self.survey.append(row)


def _constraint(question: dict) -> str:
    measure = MEASURES.get(question["type"])
    if not measure:
        return ""
    parts = [
        f"{measure} {operator} {_literal(question[name])}"
        for name, operator in (("min", ">="), ("max", "<="))
        if question.get(name) is not None
    ]
    return " and ".join(parts)


def _literal(value) -> str:
    if isinstance(value, str) and not NUMBER.match(value):
        return f"date('{value}')"
    return str(value)


def _write_plain(_writer: SurveyWriter, question: dict, _base: str) -> dict:
    return {"type": question["type"]}


def _write_textarea(_writer: SurveyWriter, _question: dict, _base: str) -> dict:
    return {"type": "text", "appearance": "multiline"}


def _write_single(writer: SurveyWriter, question: dict, base: str) -> dict:
    appearance = "minimal" if question["display"] == "list" else ""
    name = writer.add_list(base, question["choices"])
    return {"type": f"select_one {name}", "appearance": appearance}


def _write_multiple(writer: SurveyWriter, question: dict, base: str) -> dict:
    return {"type": f"select_multiple {writer.add_list(base, question['choices'])}"}


def _write_yesno(writer: SurveyWriter, _question: dict, _base: str) -> dict:
    return {"type": f"select_one {writer.yes_no_list()}"}


def _write_scale(_writer: SurveyWriter, question: dict, _base: str) -> dict:
    return {"type": "range", "parameters": f"start={question['min']} end={question['max']} step=1"}


def _write_matrix(writer: SurveyWriter, question: dict, base: str) -> dict:
    options = writer.add_list(base, question["choices"])
    rows = writer.add_list(f"{base}_rows", question["rows"])
    return {"type": f"matrix {options} {rows}"}


TYPE_WRITERS = {
    "text": _write_plain,
    "textarea": _write_textarea,
    "integer": _write_plain,
    "decimal": _write_plain,
    "date": _write_plain,
    "email": _write_plain,
    "phone": _write_plain,
    "note": _write_plain,
    "file": _write_plain,
    "single": _write_single,
    "multiple": _write_multiple,
    "yesno": _write_yesno,
    "scale": _write_scale,
    "matrix": _write_matrix,
}
