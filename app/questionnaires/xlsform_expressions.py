"""The expression cells of an XLSForm row (constraint, default) as the definition keeps them,
and back.

A constraint is split at its top-level ``and``: a part the builder's bounds can say (``. >= 0``,
``string-length(.) <= 200``, ``. > date('2023-12-31')``; strict ``>``/``<`` on whole numbers
and dates, which become the next whole number or day) becomes min or max, the first of each; the
other parts, joined again with ``and``, are the question's "constraint" expression. So a strict
bound on a decimal (``. > 0 and . < 2000``) stays an expression. The writer puts the bounds
first and the expression after them, which the reader splits the same way.

A default is static text, read as the literal its type needs (``5``, ``2.5``, ``2024-09-01``,
a choice code), unless it looks like an expression the way pyxform decides it (a ``${…}``
reference, a function call, ``+ - * div mod |``, a ``[``), as ``today()`` does.
"""

import re
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from app.questionnaires.expressions import parse, to_text
from app.questionnaires.relevant import ISO_DATE, number_value
from app.questionnaires.xlsform_columns import RowError

CUR = ["cur"]
MEASURES = {
    "text": ["call", "string-length", [CUR]],
    "textarea": ["call", "string-length", [CUR]],
    "integer": CUR,
    "decimal": CUR,
    "date": CUR,
    "multiple": ["call", "count-selected", [CUR]],
    "table": ["call", "count", [CUR]],
}
NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")
RUSSIAN_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")
FLIPPED = {">=": "<=", "<=": ">=", ">": "<", "<": ">"}
NUMBER_DEFAULT_TYPES = ("integer", "decimal", "scale")
TEXT_DEFAULT_TYPES = ("text", "textarea", "email", "phone", "date", "single", "multiple", "yesno")
# pyxform's lexer (parsing/expression.py) roughly: a reference, a call, an operator of
# arithmetic or union; a "-" starts no name or number there.
DYNAMIC = re.compile(r"\$\{[^}\s]+\}|(?<![\w.:-])[^\W\d][\w.:-]*\(|[|*+]| (?:div|mod) ")
MINUS = re.compile(r"(?<![\w.-])-(?!\.?\d)")


def read_constraint(text: str, question_type: str) -> dict:
    """min, max and the rest of a constraint as "constraint" (see the module docstring)."""
    if not text.strip():
        return {}
    parts = conjuncts(parse(text))
    measure = MEASURES.get(question_type)
    result: dict = {}
    rest = []
    for part in parts:
        bound = _bound(part, measure, question_type) if measure else None
        if bound and bound[0] not in result:
            result[bound[0]] = bound[1]
        else:
            rest.append(part)
    if rest:
        result["constraint"] = join_and(rest)
    return result


def conjuncts(node: list) -> list:
    if node[0] == "op" and node[1] == "and":
        return [*conjuncts(node[2]), *conjuncts(node[3])]
    return [node]


def join_and(parts: list) -> list:
    node = parts[0]
    for part in parts[1:]:
        node = ["op", "and", node, part]
    return node


def _bound(node: list, measure: list, question_type: str) -> tuple[str, object] | None:
    if node[0] != "op" or node[1] not in FLIPPED:
        return None
    operator, left, right = node[1:]
    if right == measure and left != measure:
        operator, left, right = FLIPPED[operator], right, left
    if left != measure:
        return None
    value = _bound_value(right, question_type, operator)
    if value is None:
        return None
    return ("min" if operator.startswith(">") else "max"), value


def _bound_value(node: list, question_type: str, operator: str):
    step = {">": 1, "<": -1}.get(operator, 0)
    if question_type == "date":
        day = _date_literal(node)
        return None if day is None else (day + timedelta(days=step)).isoformat()
    number = _number_literal(node)
    if number is None:
        return None
    value = number_value(number)
    whole = question_type not in ("decimal",)
    if whole and not isinstance(value, int):
        return None
    if step and not whole:
        return None
    return value + step if step else value


def _number_literal(node: list) -> str | None:
    sign = ""
    if node[0] == "neg":
        sign, node = "-", node[1]
    if node[0] != "num":
        return None
    return sign + number_text(node[1])


def number_text(value) -> str:
    return str(number_value(repr(value) if isinstance(value, float) else str(value)))


def _date_literal(node: list) -> date | None:
    if node[0] == "call" and node[1] == "date" and len(node[2]) == 1:
        node = node[2][0]
    if node[0] != "str" or not ISO_DATE.match(node[1]):
        return None
    try:
        return date.fromisoformat(node[1])
    except ValueError:
        return None


def write_constraint(question: dict) -> str:
    """The constraint cell: the bounds first, then the "constraint" expression."""
    measure = MEASURES.get(question["type"])
    parts = []
    for name, operator in (("min", ">="), ("max", "<=")):
        value = question.get(name)
        if measure and value is not None:
            parts.append(f"{to_text(measure)} {operator} {_literal(value)}")
    if question.get("constraint"):
        text = to_text(question["constraint"])
        parts.append(f"({text})" if question["constraint"][:2] == ["op", "or"] else text)
    return " and ".join(parts)


def _literal(value) -> str:
    if isinstance(value, str) and ISO_DATE.match(value):
        return f"date('{value}')"
    return str(value)


# Defaults


def read_default(text: str, question_type: str):
    if not text.strip():
        return None
    if looks_dynamic(text, question_type):
        return parse(text)
    if question_type in NUMBER_DEFAULT_TYPES:
        value = number_value(text.strip()) if NUMBER.match(text.strip()) else None
        if value is None or (question_type != "decimal" and not isinstance(value, int)):
            raise RowError(_l("the default “%(text)s” is not a number", text=text), "default")
        return parse(str(value))
    if question_type in TEXT_DEFAULT_TYPES:
        text = _iso_date(text.strip()) if question_type == "date" else text.strip()
        if question_type == "date" and not ISO_DATE.match(text):
            raise RowError(_l("a date default is written as 2024-09-01 or today()"), "default")
        return ["str", text]
    raise RowError(_l("a default value is not supported for this type of question"), "default")


def _iso_date(text: str) -> str:
    """A date cell of the workbook (read as 25.11.2026) as 2026-11-25."""
    match = RUSSIAN_DATE.fullmatch(text)
    return f"{match[3]}-{match[2]}-{match[1]}" if match else text


def looks_dynamic(text: str, question_type: str) -> bool:
    """pyxform's rule (utils.default_is_dynamic), quoted text aside: a date's "-" is static."""
    bare = re.sub(r"'[^']*'|\"[^\"]*\"", "''", text)
    dynamic, minus = DYNAMIC.search(bare), MINUS.search(bare)
    if question_type == "date" and minus and (not dynamic or minus.start() < dynamic.start()):
        return False  # pyxform stops at a date's first "-"
    return dynamic is not None or minus is not None


def write_default(question: dict) -> str:
    default = question.get("default")
    if not default:
        return ""
    if default[0] == "str" and not looks_dynamic(default[1], question["type"]):
        return default[1]
    return to_text(default)
