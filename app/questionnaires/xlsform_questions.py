"""Reading one row of an XLSForm survey sheet into a question of the definition (spec.py):
its type and arguments, common fields, choice lists, constraint, default and the other
expression columns. A column that does not apply to the row's type is refused by name."""

import re

from flask_babel import lazy_gettext as _l

from app.questionnaires.expressions import parse
from app.questionnaires.relevant import KEY, parse_condition
from app.questionnaires.spec import NO, YES
from app.questionnaires.textformat import AUTHORS_TYPES
from app.questionnaires.xlsform_columns import Row, RowError, in_column
from app.questionnaires.xlsform_expressions import read_constraint, read_default

RANGE_DEFAULTS = {"start": "1", "end": "10", "step": "1"}  # XLSForm's own defaults
TRUE_WORDS = ("yes", "true", "1", "true()")
FALSE_WORDS = ("", "no", "false", "0", "false()")
YES_NO_LABELS = {YES: ("да", "yes"), NO: ("нет", "no")}
OTHER = "other"
SELECTS = ("single", "multiple")
# The columns that belong to some types only, and those types.
TYPE_COLUMNS = {
    "calculation": ("calculate",),
    "choice_filter": SELECTS,
    "parameters": ("scale",),
    "repeat_count": ("table",),
    "authors": AUTHORS_TYPES,
}
# The columns a begin_group row has no use for.
GROUP_UNUSED = ("required", "constraint", "constraint_message", "calculation", "default")
GROUP_UNUSED += ("read_only", "choice_filter", "parameters", "repeat_count", "authors")


def refuse_filled(row: Row, fields: tuple) -> None:
    for field in fields:
        if row.get(field) and field == "parameters":
            problem = _l("parameters (such as randomize) are not supported for this type")
            raise RowError(problem, field)
        if row.get(field):
            raise RowError(_l("this column is not used by a question of this type"), field)


def question_name(row: Row) -> str:
    name = row.get("name")
    if not name:
        raise RowError(_l("the name is missing"), "name")
    if not KEY.match(name):
        raise RowError(
            _l("the name “%(name)s” may hold only Latin letters, digits and “_”", name=name),
            "name",
        )
    return name


def condition(row: Row, field: str = "relevant") -> dict | None:
    text = row.get(field)
    if not text.strip():
        return None
    with in_column(field):
        return parse_condition(text)


def common_fields(row: Row) -> dict:
    return {
        "key": question_name(row),
        "label": row.get("label"),
        "help": row.get("hint"),
        "required": required_of(row),
        "condition": condition(row),
        "constraint_message": row.get("constraint_message"),
    }


def required_of(row: Row) -> bool | dict:
    text = row.get("required")
    if text.lower() in TRUE_WORDS:
        return True
    if text.lower() in FALSE_WORDS:
        return False
    return condition(row, "required")


def _flag(row: Row, field: str) -> bool:
    text = row.get(field).lower()
    if text in TRUE_WORDS or text in FALSE_WORDS:
        return text in TRUE_WORDS
    raise RowError(_l("write yes or no here, not “%(text)s”", text=row.get(field)), field)


def read_question(kind: str, arguments: list[str], row: Row, choices: dict) -> dict:
    if kind in UNSUPPORTED_TYPES:
        raise RowError(UNSUPPORTED_TYPES[kind](kind), "type")
    reader = QUESTION_READERS.get(kind)
    if reader is None:
        raise RowError(_l("unknown question type “%(type)s”", type=row.get("type")), "type")
    question = {**common_fields(row), **reader(arguments, row, choices)}
    check_type_columns(row, question["type"])
    with in_column("constraint"):
        question.update(read_constraint(row.get("constraint"), question["type"]))
    with in_column("default"):
        default = read_default(row.get("default"), question["type"])
    if default is not None:
        question["default"] = default
    for flag in ("read_only", "authors"):
        if _flag(row, flag):
            question[flag] = True
    return question


def check_type_columns(row: Row, question_type: str) -> None:
    refuse_filled(row, tuple(f for f, types in TYPE_COLUMNS.items() if question_type not in types))


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
        raise RowError(ARITY_PROBLEMS[count], "type")


def _choice_list(name: str, choices: dict) -> list[dict]:
    if name not in choices:
        raise RowError(
            _l("the choice list “%(name)s” is not in the choices sheet", name=name), "type"
        )
    return [dict(option) for option in choices[name]]


def appearance(row: Row) -> list[str]:
    return row.get("appearance").lower().split()


def _read_text(arguments: list[str], row: Row, _choices: dict) -> dict:
    _arity(arguments, 0)
    words = appearance(row)
    for kind in ("email", "phone"):
        if kind in words:
            return {"type": kind}
    return {"type": "textarea" if "multiline" in words else "text"}


def _read_date(arguments: list[str], row: Row, _choices: dict) -> dict:
    _arity(arguments, 0)
    if {"month-year", "year"} & set(appearance(row)):
        problem = _l("a date of a month or a year only is not supported yet")
        raise RowError(problem, "appearance")
    return {"type": "date"}


def _read_select_one(arguments: list[str], row: Row, choices: dict) -> dict:
    other = _or_other(arguments)
    _arity(arguments, 1)
    options = _choice_list(arguments[0], choices)
    if not other and not row.get("choice_filter") and _is_yes_no(options):
        return {"type": "yesno"}
    display = "list" if "minimal" in appearance(row) else "radio"
    question = {"type": "single", "choices": options, "display": display}
    return _with_filter_and_other(question, row, other)


def _is_yes_no(options: list[dict]) -> bool:
    labels = {option["code"]: option["label"].strip().lower() for option in options}
    return (
        len(options) == 2
        and all(labels.get(code) in words for code, words in YES_NO_LABELS.items())
        and not any(option.get("extra") or option.get("translations") for option in options)
    )


def _read_select_multiple(arguments: list[str], row: Row, choices: dict) -> dict:
    other = _or_other(arguments)
    _arity(arguments, 1)
    question = {"type": "multiple", "choices": _choice_list(arguments[0], choices)}
    return _with_filter_and_other(question, row, other)


def _or_other(arguments: list[str]) -> bool:
    if arguments and arguments[-1].lower() == "or_other":
        arguments.pop()
        return True
    return False


def _with_filter_and_other(question: dict, row: Row, other: bool) -> dict:
    codes = [option["code"] for option in question["choices"]]
    if other and OTHER in codes:
        raise RowError(_l("the list already has a choice “other”: or_other adds its own"), "type")
    if other and row.get("choice_filter"):
        raise RowError(_l("or_other cannot be used with a choice filter (as in pyxform)"), "type")
    if other:
        question["other"] = True
    text = row.get("choice_filter")
    if text.strip():
        question["choice_filter"] = _choice_filter(text, question["choices"])
    return question


def _choice_filter(text: str, options: list[dict]):
    with in_column("choice_filter"):
        tree = parse(text, allow_names=True)
    known = {"name", "label"} | {column for option in options for column in option.get("extra", {})}
    for name in sorted(_names(tree) - known):
        raise RowError(
            _l("the choices sheet has no column “%(name)s” for this list", name=name),
            "choice_filter",
        )
    return tree


def _names(node) -> set[str]:
    """The bare names (choices columns) an expression tree uses."""
    if not isinstance(node, list):
        return set()
    if node[:1] == ["name"]:
        return {node[1]}
    return set().union(set(), *(_names(part) for part in node))


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
    problem = _l("a range needs whole start and end and step 1")
    if set(parameters) != set(RANGE_DEFAULTS) or parameters["step"] != "1":
        raise RowError(problem, "parameters")
    try:
        return {"type": "scale", "min": int(parameters["start"]), "max": int(parameters["end"])}
    except ValueError:
        raise RowError(problem, "parameters") from None


def _parameters(text: str) -> dict[str, str]:
    parameters = {}
    for item in re.split(r"[\s,;]+", text.strip()) if text.strip() else []:
        name, equals, value = item.partition("=")
        if not equals:
            raise RowError(
                _l("parameters are written as name=value, e.g. start=1 end=5"), "parameters"
            )
        parameters[name.strip().lower()] = value.strip()
    return parameters


def _read_calculate(arguments: list[str], row: Row, _choices: dict) -> dict:
    _arity(arguments, 0)
    text = row.get("calculation")
    if not text.strip():
        raise RowError(_l("a calculate question needs its calculation"), "calculation")
    with in_column("calculation"):
        return {"type": "calculate", "calculation": parse(text)}


QUESTION_READERS = {
    "text": _read_text,
    "integer": _plain("integer"),
    "decimal": _plain("decimal"),
    "date": _read_date,
    "email": _plain("email"),
    "phone": _plain("phone"),
    "yesno": _plain("yesno"),
    "note": _plain("note"),
    "file": _plain("file"),
    "calculate": _read_calculate,
    "select_one": _read_select_one,
    "select_multiple": _read_select_multiple,
    "matrix": _read_matrix,
    "range": _read_range,
}


def _from_file(kind: str):
    return _l("choices from a file (type “%(type)s”) are not supported yet", type=kind)


UNSUPPORTED_TYPES = {
    "select_one_from_file": _from_file,
    "select_multiple_from_file": _from_file,
    "select_one_external": _from_file,
}


def table_fields(row: Row) -> dict:
    """repeat_count and bounds of a repeat: a fixed count N means exactly N rows."""
    with in_column("constraint"):
        fields = read_constraint(row.get("constraint"), "table")
    if "constraint" in fields:
        raise RowError(_l("a repeat's constraint may only bound count(.)"), "constraint")
    count = row.get("repeat_count").strip()
    if re.fullmatch(r"\d+", count):
        return {**fields, "min": int(count), "max": int(count)}
    if count:
        with in_column("repeat_count"):
            fields["repeat_count"] = parse(count)
    return fields
