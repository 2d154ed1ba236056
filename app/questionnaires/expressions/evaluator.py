"""Evaluating a syntax tree against a response: the server's half of the two evaluators.

``app/static/js/expressions.js`` is the other half and mirrors this module function by
function; the conformance table holds them to one behaviour.
"""

import math

from app.questionnaires.expressions.errors import MALFORMED, ExpressionError
from app.questionnaires.expressions.functions import call
from app.questionnaires.expressions.values import (
    NAN,
    Date,
    as_boolean,
    as_number,
    as_string,
    day_number,
    is_numeric,
    iso_date,
    number,
    read_answer,
)


def evaluate(node: list, env: dict):
    """The value of the expression for the answers and context in ``env`` (shape: see the
    package's docstring)."""
    return _Evaluation(env or {}).value(node)


class _Evaluation:
    def __init__(self, env: dict):
        self.env = env
        self.answers = env.get("answers") or {}

    def value(self, node: list):
        kind = node[0]
        if kind == "num":
            return number(node[1])
        if kind == "str":
            return node[1]
        if kind == "ref":
            return self.reference(node[1])
        if kind == "cur":
            current = self.env.get("current")
            return self.reference(current) if current else ""
        if kind == "name":
            return read_answer((self.env.get("choice") or {}).get(node[1]))
        if kind == "neg":
            return number(-as_number(self.value(node[1])))
        if kind == "op":
            return self.operation(node[1], node[2], node[3])
        if kind == "call":
            return call(self, node[1], node[2])
        if kind == "parent":
            return ""
        raise ExpressionError(MALFORMED)

    def reference(self, key: str):
        tables = self.env.get("tables") or {}
        if key in tables:
            return ["" for _row in self.rows(key)]
        table = _table_of(tables, key)
        if table is None:
            return read_answer(self.answers.get(key))
        row = self.env.get("row")
        if row and row.get("table") == table:
            return self.cell(table, row.get("index"), key)
        return [read_answer(cells.get(key)) for cells in self.rows(table)]

    def rows(self, table: str) -> list[dict]:
        rows = self.answers.get(table)
        return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []

    def cell(self, table: str, index, column: str):
        rows = self.rows(table)
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(rows):
            return read_answer(rows[index].get(column))
        return ""

    def operation(self, op: str, left: list, right: list):
        if op == "and":
            return as_boolean(self.value(left)) and as_boolean(self.value(right))
        if op == "or":
            return as_boolean(self.value(left)) or as_boolean(self.value(right))
        a, b = self.value(left), self.value(right)
        if op in ("=", "!=", "<", "<=", ">", ">="):
            return compare(op, a, b)
        return arithmetic(op, as_number(a), as_number(b))


def _table_of(tables: dict, column: str) -> str | None:
    for name, columns in tables.items():
        if isinstance(columns, list) and column in columns:
            return name
    return None


def arithmetic(op: str, a: float, b: float) -> float:
    if op == "+":
        return number(a + b)
    if op == "-":
        return number(a - b)
    if op == "*":
        return number(a * b)
    if op == "div":
        if b == 0:
            return NAN if a == 0 or math.isnan(a) else math.copysign(math.inf, a)
        return number(a / b)
    try:
        return number(math.fmod(a, b))
    except ValueError:  # x mod 0, Infinity mod x
        return NAN


def compare(op: str, a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        lefts = a if isinstance(a, list) else [a]
        rights = b if isinstance(b, list) else [b]
        return any(compare(op, left, right) for left in lefts for right in rights)
    if op in ("=", "!="):
        return _equal(a, b) == (op == "=")
    if isinstance(a, Date) or isinstance(b, Date) or (_is_iso(a) and _is_iso(b)):
        return _ordered(op, day_number(a), day_number(b))
    if isinstance(a, str) and isinstance(b, str) and not is_numeric(a) and not is_numeric(b):
        return _ordered(op, a, b)
    return _ordered(op, as_number(a), as_number(b))


def _equal(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return as_boolean(a) == as_boolean(b)
    if isinstance(a, float) or isinstance(b, float):
        return as_number(a) == as_number(b)
    if isinstance(a, Date) or isinstance(b, Date):
        return day_number(a) == day_number(b)
    return as_string(a) == as_string(b)


def _is_iso(value) -> bool:
    return isinstance(value, str) and iso_date(value) is not None


def _ordered(op: str, a, b) -> bool:
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b
