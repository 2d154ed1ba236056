"""Reading one row of an XLSForm survey sheet into a question of the definition (spec.py):
its type and arguments, common fields, choice lists and bounds (constraints)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from app.questionnaires.relevant import KEY, number_value, parse_relevant
from app.questionnaires.spec import NO, YES

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


class RowError(Exception):
    """A problem of one row; the reader adds the sheet and the row number."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Row:
    number: int
    cells: dict[str, str]

    def get(self, name: str) -> str:
        return self.cells.get(name, "")


def question_name(row: Row) -> str:
    name = row.get("name")
    if not name:
        raise RowError(_l("the name is missing"))
    if not KEY.match(name):
        raise RowError(
            _l("the name “%(name)s” may hold only Latin letters, digits and “_”", name=name)
        )
    return name


def common_fields(row: Row) -> dict:
    return {
        "key": question_name(row),
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
    if kind in UNSUPPORTED_TYPES:
        raise RowError(UNSUPPORTED_TYPES[kind](kind))
    if arguments and arguments[-1].lower() == "or_other":
        raise RowError(_l("“or_other” (a choice “Other” with its own text) is not supported yet"))
    if reader is None:
        raise RowError(_l("unknown question type “%(type)s”", type=row.get("type")))
    question = {**common_fields(row), **reader(arguments, row, choices)}
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


def _from_file(kind: str):
    return _l("choices from a file (type “%(type)s”) are not supported yet", type=kind)


UNSUPPORTED_TYPES = {
    "calculate": lambda kind: _l(
        "calculated fields (type “%(type)s”) are not supported yet", type=kind
    ),
    "select_one_from_file": _from_file,
    "select_multiple_from_file": _from_file,
    "select_one_external": _from_file,
}


# Bounds


def _bound_kind(question_type: str) -> str:
    return {"decimal": "number", "date": "date"}.get(question_type, "whole")


def table_bounds(row: Row) -> dict:
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
