"""Walking a syntax tree without evaluating it: its canonical text, what it refers to, its type."""

import re

from app.questionnaires.expressions.catalog import FUNCTIONS, PRECEDENCE
from app.questionnaires.expressions.errors import MALFORMED, ExpressionError
from app.questionnaires.expressions.numbers import format_number

_KEY_IN_TEXT = re.compile(r"\$\{([^}]*)\}")
_UNARY = max(PRECEDENCE.values()) + 1
_ATOM = _UNARY + 1


def to_text(node: list) -> str:
    """The canonical XLSForm text: single spaces around operators, brackets only where needed."""
    return _text(node)[0]


def _text(node: list) -> tuple[str, int]:
    kind = node[0]
    if kind == "num":
        return format_number(float(node[1])), _ATOM
    if kind == "str":
        return _quoted(node[1]), _ATOM
    if kind == "ref":
        return "${" + node[1] + "}", _ATOM
    if kind == "cur":
        return ".", _ATOM
    if kind == "parent":
        return "..", _ATOM
    if kind == "name":
        return node[1], _ATOM
    if kind == "neg":
        operand, strength = _text(node[1])
        return "-" + (operand if strength >= _UNARY else f"({operand})"), _UNARY
    if kind == "op":
        return _binary(node[1], node[2], node[3])
    if kind == "call":
        return f"{node[1]}({', '.join(_text(arg)[0] for arg in node[2])})", _ATOM
    raise ExpressionError(MALFORMED)


def _binary(op: str, left: list, right: list) -> tuple[str, int]:
    strength = PRECEDENCE[op]
    left_text, left_strength = _text(left)
    right_text, right_strength = _text(right)
    if left_strength < strength:
        left_text = f"({left_text})"
    if right_strength <= strength:  # left-associative: a - (b - c) keeps its brackets
        right_text = f"({right_text})"
    return f"{left_text} {op} {right_text}", strength


def _quoted(text: str) -> str:
    return f'"{text}"' if "'" in text else f"'{text}'"


def walk(node: list):
    """Every node of the tree, the root first."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current[0] == "neg":
            stack.append(current[1])
        elif current[0] == "op":
            stack.extend((current[3], current[2]))
        elif current[0] == "call":
            stack.extend(reversed(current[2]))


def references(node: list) -> set[str]:
    """Keys of the questions the expression reads (jr:choice-name's quoted '${q}' included)."""
    keys = set()
    for current in walk(node):
        if current[0] == "ref":
            keys.add(current[1])
        elif current[0] == "call" and current[1] == "jr:choice-name":
            argument = current[2][1]
            if argument[0] == "str" and (match := _KEY_IN_TEXT.fullmatch(argument[1])):
                keys.add(match.group(1))
    return keys


def functions(node: list) -> set[str]:
    return {current[1] for current in walk(node) if current[0] == "call"}


def result_type(node: list) -> str:
    """A static guess of what the expression gives: "number", "text", "boolean" or "date"."""
    kind = node[0]
    if kind in ("num", "neg"):
        return "number"
    if kind == "op":
        if node[1] in ("+", "-", "*", "div", "mod"):
            return "number"
        return "boolean"
    if kind == "call":
        if node[1] in ("if", "coalesce"):
            branches = {result_type(arg) for arg in node[2][-2:]}
            return branches.pop() if len(branches) == 1 else "text"
        return FUNCTIONS[node[1]][2]
    return "text"
