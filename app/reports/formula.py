"""Formulas of computed indicators: arithmetic over the numeric answers of a form.

A formula is read by our own tokenizer and recursive-descent parser, never by ``eval``:

    expression := term (("+" | "-") term)*
    term       := factor (("*" | "/") factor)*
    factor     := "-" factor | number | key | "${" key "}" | "(" expression ")"

Numbers are written ``12`` or ``12.5`` or ``12,5``; keys are question keys. ``*`` and ``/`` bind
tighter than ``+`` and ``-``, all four associate to the left, unary minus binds tightest.
Positions in error messages count characters from 1. A formula has at most ``MAX_LENGTH``
characters besides spaces and at most ``MAX_DEPTH`` levels of parentheses and unary minus.

Evaluation uses ``Decimal`` in a fixed context. An indicator is "no data" (``None``) when an
answer it needs is missing or not a number, or when it divides by zero; evaluation never raises.
"""

import re
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cached_property

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.spec import NUMERIC_TYPES

MAX_LENGTH = 500
MAX_DEPTH = 50
CONTEXT = Context(prec=28)
TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<number>[0-9]+(?:[.,][0-9]+)?)
      | \$\{(?P<reference>[A-Za-z_][A-Za-z0-9_]*)\}
      | (?P<key>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<operator>[-+*/])
      | (?P<parenthesis>[()])
    """,
    re.VERBOSE,
)
SPACE = re.compile(r"\s+")
ANSWER_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


class FormulaError(DomainError):
    """A formula is malformed or refers to questions it cannot use.

    ``position`` is the 1-based character the problem was found at, when there is one.
    """

    def __init__(self, message, position: int | None = None, field: str | None = None):
        super().__init__(message, field=field)
        self.position = position


# The tree


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Key:
    name: str


@dataclass(frozen=True)
class Negate:
    operand: "Node"


@dataclass(frozen=True)
class Binary:
    operator: str
    left: "Node"
    right: "Node"


Node = Number | Key | Negate | Binary


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "key", "operator", "parenthesis" or "end"
    text: str
    position: int


# Reading


def tokenize(text: str) -> list[Token]:
    tokens = []
    index = 0
    while index < len(text):
        match = TOKEN.match(text, index)
        if match is None:
            raise FormulaError(
                _l(
                    'Unknown character "%(token)s" at position %(position)s.',
                    token=text[index],
                    position=index + 1,
                ),
                position=index + 1,
            )
        kind = match.lastgroup
        if kind == "reference":
            tokens.append(Token("key", match.group(kind), index + 1))
        elif kind != "space":
            tokens.append(Token(kind, match.group(kind), index + 1))
        index = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def formula(self) -> Node:
        node = self.expression()
        if self.current.kind != "end":
            raise self.unexpected(self.current)
        return node

    def expression(self) -> Node:
        node = self.term()
        while self.current.text in ("+", "-"):
            node = Binary(self.advance().text, node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.current.text in ("*", "/"):
            node = Binary(self.advance().text, node, self.factor())
        return node

    def factor(self) -> Node:
        token = self.advance()
        if token.kind == "number":
            return Number(Decimal(token.text.replace(",", ".")))
        if token.kind == "key":
            return Key(token.text)
        if token.text == "-":
            return Negate(self.nested(token, self.factor))
        if token.text == "(":
            node = self.nested(token, self.expression)
            if self.current.text != ")":
                raise self.unclosed(token)
            self.advance()
            return node
        if token.kind == "end":
            raise self.incomplete()
        raise self.unexpected(token)

    def nested(self, token: Token, read) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(
                _l(
                    "The formula is nested more than %(limit)s levels deep at position "
                    "%(position)s.",
                    limit=MAX_DEPTH,
                    position=token.position,
                ),
                position=token.position,
            )
        node = read()
        self.depth -= 1
        return node

    def unexpected(self, token: Token) -> FormulaError:
        return FormulaError(
            _l(
                'Unexpected "%(token)s" at position %(position)s.',
                token=token.text,
                position=token.position,
            ),
            position=token.position,
        )

    def unclosed(self, opening: Token) -> FormulaError:
        return FormulaError(
            _l(
                "The parenthesis opened at position %(position)s is not closed.",
                position=opening.position,
            ),
            position=opening.position,
        )

    def incomplete(self) -> FormulaError:
        last = self.tokens[-2]
        return FormulaError(
            _l(
                'The formula ends after "%(token)s" at position %(position)s; a number or a '
                "question key must follow.",
                token=last.text,
                position=last.position,
            ),
            position=last.position,
        )


def parse(text: str) -> "Formula":
    """The formula written in ``text``; raises ``FormulaError`` saying what is wrong and where."""
    if text is None or not text.strip():
        raise FormulaError(_l("The formula is empty."))
    # Spaces do not count, so that the normalised text of a formula (which adds spaces around
    # operators) reads back; the raw length is capped too.
    if len(text) > 4 * MAX_LENGTH or len(SPACE.sub("", text)) > MAX_LENGTH:
        raise FormulaError(_l("The formula is longer than %(limit)s characters.", limit=MAX_LENGTH))
    return Formula(Parser(text).formula())


# Writing


def render(node: Node) -> str:
    """The normalised text: one space around binary operators, only the parentheses needed."""
    if isinstance(node, Number):
        digits = format(node.value, "f")  # literals are read without an exponent: exact digits
        return digits.rstrip("0").rstrip(".") if "." in digits else digits
    if isinstance(node, Key):
        return node.name
    if isinstance(node, Negate):
        operand = render(node.operand)
        return f"-({operand})" if isinstance(node.operand, Binary) else f"-{operand}"
    left, right = render(node.left), render(node.right)
    precedence = PRECEDENCE[node.operator]
    if isinstance(node.left, Binary) and PRECEDENCE[node.left.operator] < precedence:
        left = f"({left})"
    # Operators associate to the left, so a right operand of equal precedence needs parentheses.
    if isinstance(node.right, Binary) and PRECEDENCE[node.right.operator] <= precedence:
        right = f"({right})"
    return f"{left} {node.operator} {right}"


# Evaluating


def to_number(value) -> Decimal | None:
    """An answer as a finite Decimal: an int, a Decimal, or text like "66.5" or "66,5"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        number = Decimal(repr(value))
        return number if number.is_finite() else None
    if isinstance(value, str) and ANSWER_NUMBER.fullmatch(value.strip()):
        return Decimal(value.strip().replace(",", "."))
    return None


def _evaluate(node: Node, values: dict) -> Decimal | None:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Key):
        return to_number(values.get(node.name))
    if isinstance(node, Negate):
        operand = _evaluate(node.operand, values)
        return None if operand is None else CONTEXT.minus(operand)
    left = _evaluate(node.left, values)
    right = _evaluate(node.right, values) if left is not None else None
    if right is None:
        return None
    if node.operator == "+":
        return CONTEXT.add(left, right)
    if node.operator == "-":
        return CONTEXT.subtract(left, right)
    if node.operator == "*":
        return CONTEXT.multiply(left, right)
    return None if right == 0 else CONTEXT.divide(left, right)


def _keys_in_order(node: Node) -> list[str]:
    if isinstance(node, Key):
        return [node.name]
    if isinstance(node, Negate):
        return _keys_in_order(node.operand)
    if isinstance(node, Binary):
        return _keys_in_order(node.left) + _keys_in_order(node.right)
    return []


@dataclass(frozen=True, repr=False)
class Formula:
    """A parsed formula; equal formulas have equal trees (``parse(f.text) == f``)."""

    tree: Node

    @cached_property
    def text(self) -> str:
        return render(self.tree)

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(_keys_in_order(self.tree))

    def evaluate(self, values: dict) -> Decimal | None:
        """The value for these answers, or None ("no data") when it cannot be computed."""
        try:
            result = _evaluate(self.tree, values)
        except ArithmeticError:  # an overflow of the context's exponent range
            return None
        return None if result is None else CONTEXT.plus(result)

    def check(self, keys_and_types: dict[str, str]) -> None:
        """Refuses a formula that uses a question the form lacks or a question not numeric."""
        for key in dict.fromkeys(_keys_in_order(self.tree)):
            if key not in keys_and_types:
                raise FormulaError(
                    _l('The formula refers to an unknown question "%(key)s".', key=key)
                )
            if keys_and_types[key] not in NUMERIC_TYPES:
                raise FormulaError(
                    _l('The question "%(key)s" is not numeric; a formula cannot use it.', key=key)
                )

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"


# The standard indicators of the readiness questionnaire (app/demo/forms/ibc_readiness.xlsx).
# No threshold is set: school-library norms for these ratios are not fixed by any federal act,
# so each district sets its own.
# plausible_min/max: a value outside is impossible and listed for checking (plausibility.py).
STANDARD_INDICATORS = [
    {
        "key": "books_per_reader",
        "title": "Книгообеспеченность",
        "formula": "fund_total / readers_total",
        "threshold": None,
        "threshold_direction": "below",
        "unit": "экз. на читателя",
        "plausible_min": Decimal(0),
        "plausible_max": Decimal(200),
    },
    {
        "key": "main_fund_per_reader",
        "title": "Обеспеченность художественной литературой",
        "formula": "fund_main / readers_total",
        "threshold": None,
        "threshold_direction": "below",
        "unit": "экз. на читателя",
        "plausible_min": Decimal(0),
        "plausible_max": Decimal(200),
    },
    {
        "key": "textbooks_per_pupil",
        "title": "Обеспеченность учебниками на обучающегося",
        "formula": "fund_textbooks / readers_pupils",
        "threshold": None,
        "threshold_direction": "below",
        "unit": "экз. на обучающегося",
        "plausible_min": Decimal(0),
        "plausible_max": Decimal(100),
    },
    {
        "key": "loans_per_reader",
        "title": "Читаемость",
        "formula": "loans / readers_total",
        "threshold": None,
        "threshold_direction": "below",
        "unit": "экз. на читателя",
        "plausible_min": Decimal(0),
        "plausible_max": None,
    },
    {
        "key": "visits_per_reader",
        "title": "Посещаемость",
        "formula": "visits / readers_total",
        "threshold": None,
        "threshold_direction": "below",
        "unit": "посещений на читателя",
        "plausible_min": Decimal(0),
        "plausible_max": None,
    },
    {
        "key": "fund_turnover",
        "title": "Обращаемость фонда",
        "formula": "loans / fund_total",
        "threshold": None,
        "threshold_direction": "below",
        "unit": "раз в год",
        "plausible_min": Decimal(0),
        "plausible_max": None,
    },
    {
        "key": "computers_online_share",
        "title": "Доля компьютеров с доступом к Интернету",
        "formula": "computers_online * 100 / (computers_readers + computers_librarian)",
        "threshold": None,
        "threshold_direction": "below",
        "unit": "%",
        "plausible_min": Decimal(0),
        "plausible_max": Decimal(100),
    },
]
