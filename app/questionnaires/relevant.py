"""XLSForm ``relevant`` expressions to condition dicts (spec.py) and back.

A structured condition (below) is what the builder's menus show and edit, so it is tried first;
any other expression of the language (app/questionnaires/expressions) becomes ``{"expr": AST}``,
and one outside it is refused by the parser, naming the function or symbol.

Understood as structured: ``${q} = 'x'``, ``!=``, ``>``, ``<``, ``>=``, ``<=`` against a quoted
text, a number or ``date('YYYY-MM-DD')``; ``${q} = ''`` (empty) and ``${q} != ''`` (answered);
``selected(${q}, 'x')`` (contains); ``and``, ``or``, ``not(...)`` and parentheses. Anything else
is an expression; a condition is never silently dropped.

Conditions come out normalised (``normalize_condition``): nested ``all``/``any`` are flattened,
a one-item list is replaced by its item, ``in`` is written as ``any`` of ``eq``, true and false
become "yes" and "no", numbers are ``int`` when integral and otherwise text with a dot ("2.5").
``parse_relevant(to_relevant(c))`` gives back ``c`` for every normalised condition ``c``.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.conditions import MAX_DEPTH
from app.questionnaires.expressions import parse, to_text
from app.questionnaires.spec import NO, YES

KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{[^}]*\})
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
      | (?P<op>!=|>=|<=|=|>|<)
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z_][\w.:-]*)
      | (?P<other>\S)
    )""",
    re.VERBOSE,
)
COMPARISONS = {"=": "eq", "!=": "ne", ">": "gt", "<": "lt", ">=": "ge", "<=": "le"}
SYMBOLS = {op: symbol for symbol, op in COMPARISONS.items()}
FLIPPED = {"eq": "eq", "ne": "ne", "gt": "lt", "lt": "gt", "ge": "le", "le": "ge"}
KEYWORDS = ("and", "or", "not", "selected", "date")


class RelevantError(DomainError):
    status_code = 400


class NestedTooDeeply(RelevantError):
    """Final: no reading of the text goes on after it."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokenize(expression: str) -> list[Token]:
    tokens = []
    position = 0
    expression = expression.rstrip()
    while position < len(expression):
        match = TOKEN.match(expression, position)
        kind = match.lastgroup
        text = match.group(kind)
        if kind == "other":
            raise RelevantError(_l("unsupported symbol “%(text)s”", text=text))
        if kind == "word" and text not in KEYWORDS:
            raise RelevantError(_l("unsupported function or word “%(text)s”", text=text))
        tokens.append(Token(kind, text))
        position = match.end()
    return tokens


# Integers past this stay text: Python writes no integer of more than 4,300 digits.
LARGEST_INT = 10**18


def number_value(text: str) -> int | str:
    """A number as conditions keep it: int when integral (and not huge), otherwise text."""
    value = Decimal(text)
    if value == value.to_integral_value():
        return int(value) if abs(value) < LARGEST_INT else format(value, "f")
    return format(value.normalize(), "f")


class Parser:
    def __init__(self, expression: str):
        self.tokens = tokenize(expression)
        self.position = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise RelevantError(_l("the expression ends too early"))
        self.position += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise RelevantError(
                _l("expected “%(want)s” before “%(got)s”", want=text, got=token.text)
            )

    def at_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.text == word

    def parse(self) -> dict:
        condition = self.disjunction()
        token = self.peek()
        if token is not None:
            raise RelevantError(_l("unexpected “%(text)s”", text=token.text))
        return condition

    def disjunction(self) -> dict:
        items = [self.conjunction()]
        while self.at_word("or"):
            self.take()
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else {"any": items}

    def conjunction(self) -> dict:
        items = [self.unary()]
        while self.at_word("and"):
            self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else {"all": items}

    def unary(self) -> dict:
        token = self.peek()
        if token is not None and token.text == "(":
            return self.group()
        if self.at_word("not"):
            self.take()
            return {"not": self.group()}
        if self.at_word("selected"):
            return self.selected()
        return self.comparison()

    def group(self) -> dict:
        self.expect("(")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise NestedTooDeeply(
                _l("the brackets are nested too deeply: at most %(depth)s levels", depth=MAX_DEPTH)
            )
        condition = self.disjunction()
        self.expect(")")
        self.depth -= 1
        return condition

    def selected(self) -> dict:
        self.take()
        self.expect("(")
        key = self.reference()
        self.expect(",")
        token = self.take()
        if token.kind not in ("string", "number"):
            raise RelevantError(_l("selected() needs a quoted choice code"))
        self.expect(")")
        code = token.text[1:-1] if token.kind == "string" else token.text
        return {"key": key, "op": "contains", "value": code}

    def comparison(self) -> dict:
        token = self.peek()
        if token is not None and token.kind == "ref":
            key = self.reference()
            op = self.operator()
            return leaf(key, op, self.literal())
        value = self.literal()
        op = FLIPPED[self.operator()]
        return leaf(self.reference(), op, value)

    def reference(self) -> str:
        token = self.take()
        if token.kind != "ref":
            raise RelevantError(
                _l("expected a question reference ${…} before “%(text)s”", text=token.text)
            )
        key = token.text[2:-1].strip()
        if not KEY.match(key):
            raise RelevantError(_l("“%(key)s” is not a valid question key", key=key))
        return key

    def operator(self) -> str:
        token = self.take()
        if token.kind != "op":
            raise RelevantError(_l("expected a comparison before “%(text)s”", text=token.text))
        return COMPARISONS[token.text]

    def literal(self):
        token = self.take()
        if token.kind == "string":
            return token.text[1:-1]
        if token.kind == "number":
            return number_value(token.text)
        if token.kind == "word" and token.text == "date":
            return self.date_literal()
        raise RelevantError(
            _l("expected a quoted text or a number before “%(text)s”", text=token.text)
        )

    def date_literal(self) -> str:
        self.expect("(")
        token = self.take()
        text = token.text[1:-1] if token.kind == "string" else ""
        if not ISO_DATE.match(text):
            raise RelevantError(_l("date() needs a quoted date like '2024-09-01'"))
        self.expect(")")
        return text


def leaf(key: str, op: str, value) -> dict:
    if value == "" and op in ("eq", "ne"):
        return {"key": key, "op": "empty" if op == "eq" else "answered", "value": None}
    return {"key": key, "op": op, "value": value}


def parse_relevant(expression: str) -> dict | None:
    """The structured condition an XLSForm ``relevant`` expression states; None for an empty
    one. Raises RelevantError for anything else."""
    if not expression or not expression.strip():
        return None
    return normalize_condition(Parser(expression).parse())


def parse_condition(expression: str) -> dict | None:
    """The condition of an XLSForm expression: structured if it can be, else ``{"expr": AST}``.

    The structured reading is tried on the expression's canonical text too, so that writing
    ``{"expr": AST}`` back and reading it again gives the same condition. Raises
    ExpressionError for text outside the language."""
    try:
        return parse_relevant(expression)
    except NestedTooDeeply:
        raise
    except RelevantError:
        tree = parse(expression)
    try:
        return parse_relevant(to_text(tree))
    except RelevantError:
        return {"expr": tree}


def both(first: dict | None, second: dict | None) -> dict | None:
    """A condition that holds when both hold (None holds always)."""
    if first is None or second is None:
        return first or second
    if "expr" in first or "expr" in second:
        return {"expr": ["op", "and", condition_tree(first), condition_tree(second)]}
    return normalize_condition({"all": [first, second]})


def condition_tree(condition: dict) -> list:
    """The expression tree of a condition, structured or not."""
    return condition["expr"] if "expr" in condition else parse(to_relevant(condition))


def normalize_condition(condition: dict | None) -> dict | None:
    """The one canonical form of a condition (see the module docstring)."""
    if not isinstance(condition, dict) or "expr" in condition:
        return condition  # an expression, or malformed: left for check_definition to judge
    if "not" in condition:
        return {"not": normalize_condition(condition["not"])}
    for group in ("all", "any"):
        if group in condition and isinstance(condition[group], list):
            return _normalize_group(group, condition[group])
    return _normalize_leaf(condition)


def _normalize_group(group: str, items: list) -> dict:
    flat = []
    for item in items:
        item = normalize_condition(item)
        nested = isinstance(item, dict) and isinstance(item.get(group), list)
        flat.extend(item[group] if nested else [item])
    if len(flat) == 1:
        return flat[0]
    return {group: flat}


def _normalize_leaf(condition: dict) -> dict:
    key, op, value = condition.get("key"), condition.get("op"), condition.get("value")
    if op == "in" and isinstance(value, list):
        return _normalize_group("any", [{"key": key, "op": "eq", "value": v} for v in value])
    if op in ("answered", "empty"):
        return {"key": key, "op": op, "value": None}
    if isinstance(value, bool):
        value = YES if value else NO
    elif isinstance(value, float):
        value = number_value(repr(value))
    return leaf(key, op, value)


def to_relevant(condition: dict | None) -> str:
    """The XLSForm ``relevant`` expression of a condition; "" for None."""
    if condition is None:
        return ""
    return _render(normalize_condition(condition), nested=False)


def _render(condition: dict, nested: bool) -> str:
    if "expr" in condition:
        text = to_text(condition["expr"])
        return f"({text})" if nested else text
    if "not" in condition:
        return f"not({_render(condition['not'], nested=False)})"
    for group, joiner in (("all", " and "), ("any", " or ")):
        if group in condition:
            if not condition[group]:
                raise RelevantError(_l("an empty list of conditions cannot be written"))
            text = joiner.join(_render(item, nested=True) for item in condition[group])
            return f"({text})" if nested else text
    return _render_leaf(condition)


def _render_leaf(condition: dict) -> str:
    key, op, value = condition.get("key"), condition.get("op"), condition.get("value")
    if not isinstance(key, str) or not KEY.match(key):
        raise RelevantError(_l("“%(key)s” is not a valid question key", key=key))
    reference = "${" + key + "}"
    if op == "empty":
        return f"{reference} = ''"
    if op == "answered":
        return f"{reference} != ''"
    if op == "contains":
        return f"selected({reference}, {_quote(str(value))})"
    if op not in SYMBOLS:
        raise RelevantError(_l("the operator “%(op)s” cannot be written", op=op))
    if op not in ("eq", "ne") and isinstance(value, str) and ISO_DATE.match(value):
        return f"{reference} {SYMBOLS[op]} date('{value}')"  # XPath compares dates so only
    return f"{reference} {SYMBOLS[op]} {_render_value(value)}"


def _render_value(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise RelevantError(_l("the value “%(value)s” cannot be written", value=value))
    if isinstance(value, int) or _is_decimal_text(value):
        return str(value)
    return _quote(value)


def _is_decimal_text(value: str) -> bool:
    """Text a number literal parses back into unchanged, e.g. "2.5" (not "2.50", not "7")."""
    if not re.fullmatch(r"-?\d+\.\d+", value):
        return False
    try:
        return number_value(value) == value
    except InvalidOperation:
        return False


def _quote(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    raise RelevantError(_l("a value cannot contain both kinds of quotes"))
