"""Parsing an expression's text into its syntax tree (plain JSON lists, see the package).

A recursive descent over XPath 1.0's precedence levels. Each parsing function returns the node
and its depth, so a tree deeper than MAX_DEPTH is refused before anything walks it.
"""

import re

from flask_babel import lazy_gettext as _l

from app.questionnaires.expressions.catalog import FUNCTIONS, PRECEDENCE
from app.questionnaires.expressions.errors import MAX_DEPTH, MAX_LENGTH, ExpressionError
from app.questionnaires.expressions.lexer import KEY, Token, tokenize
from app.questionnaires.expressions.regex_safety import check_pattern

_KEY_IN_TEXT = re.compile(rf"\$\{{({KEY})\}}")
_SAFE_INTEGER = 2**53


def parse(text: str, *, allow_names: bool = False) -> list:
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(_l("the expression is empty"))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            _l("the expression is too long (at most %(limit)s characters)", limit=MAX_LENGTH)
        )
    parser = _Parser(tokenize(text), allow_names)
    node, _depth = parser.expression()
    parser.expect_end()
    return node


class _Parser:
    def __init__(self, tokens: list[Token], allow_names: bool):
        self.tokens = tokens
        self.at = 0
        self.allow_names = allow_names
        self.nesting = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def advance(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expect_end(self) -> None:
        if self.token.kind != "end":
            raise ExpressionError(_unexpected(self.token))

    def expect(self, symbol: str) -> None:
        if self.token.kind != "sym" or self.token.text != symbol:
            raise ExpressionError(_unexpected(self.token))
        self.advance()

    def operator(self) -> str | None:
        token = self.token
        if token.kind == "sym" and token.text in PRECEDENCE:
            return token.text
        if token.kind == "name" and token.text in ("and", "or", "div", "mod"):
            return token.text
        return None

    def expression(self, lowest: int = 1) -> tuple[list, int]:
        """Precedence climbing: binary operators binding at least as tight as ``lowest``."""
        left, depth = self.unary()
        while (op := self.operator()) is not None and PRECEDENCE[op] >= lowest:
            self.advance()
            right, right_depth = self.expression(PRECEDENCE[op] + 1)
            left, depth = ["op", op, left, right], _deeper(depth, right_depth)
        return left, depth

    def unary(self) -> tuple[list, int]:
        minuses = 0
        while self.token.kind == "sym" and self.token.text == "-":
            self.advance()
            minuses += 1
        node, depth = self.primary()
        for _ in range(minuses):
            node, depth = ["neg", node], _deeper(depth)
        return node, depth

    def nested(self):
        """Enters brackets or a call's arguments, refusing before the recursion gets deep."""
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise ExpressionError(_l("the expression is nested too deeply"))

    def primary(self) -> tuple[list, int]:
        token = self.advance()
        if token.kind == "num":
            return ["num", _number(token.text)], 1
        if token.kind == "str":
            return ["str", token.text[1:-1]], 1
        if token.kind == "ref":
            return ["ref", token.text], 1
        if token.kind == "cur":
            return ["cur"], 1
        if token.kind == "sym" and token.text == "(":
            self.nested()
            node, depth = self.expression()
            self.expect(")")
            self.nesting -= 1
            return node, _deeper(depth)
        if token.kind == "name" and self.token.kind == "sym" and self.token.text == "(":
            return self.call(token.text)
        if token.kind == "name" and self.allow_names and ":" not in token.text:
            return ["name", token.text], 1
        if token.kind == "name":
            raise ExpressionError(
                _l("unknown name “%(name)s”: a question is written ${%(name)s}", name=token.text)
            )
        if token.kind == "parent":
            raise ExpressionError(_l("“..” is only allowed as position(..)"))
        raise ExpressionError(_unexpected(token))

    def call(self, name: str) -> tuple[list, int]:
        if name not in FUNCTIONS:
            raise ExpressionError(_l("the function %(name)s() is not supported", name=name))
        self.expect("(")
        self.nested()
        args, depth = [], 1
        if name == "position":
            if self.token.kind != "parent":
                raise ExpressionError(_l("position() is written position(..)"))
            self.advance()
            args.append(["parent"])
        elif not (self.token.kind == "sym" and self.token.text == ")"):
            while True:
                arg, arg_depth = self.expression()
                args.append(arg)
                depth = max(depth, arg_depth)
                if not (self.token.kind == "sym" and self.token.text == ","):
                    break
                self.advance()
        self.expect(")")
        self.nesting -= 1
        _check_call(name, args)
        return ["call", name, args], _deeper(depth)


def _check_call(name: str, args: list) -> None:
    fewest, most, _type = FUNCTIONS[name]
    if not fewest <= len(args) <= most:
        raise ExpressionError(_arity(name, fewest, most))
    if name == "jr:choice-name" and not _is_quoted_key(args[1]):
        raise ExpressionError(
            _l("the second argument of jr:choice-name() is a question in quotes: '${question}'")
        )
    if name == "indexed-repeat" and not (args[0][0] == "ref" and args[1][0] == "ref"):
        raise ExpressionError(
            _l("indexed-repeat() is written indexed-repeat(${column}, ${table}, number)")
        )
    if name == "regex" and args[1][0] == "str":
        reason = check_pattern(args[1][1])
        if reason is not None:
            raise ExpressionError(
                _l("the regular expression of regex() is not supported: %(reason)s", reason=reason)
            )


def _is_quoted_key(node: list) -> bool:
    return node[0] == "str" and _KEY_IN_TEXT.fullmatch(node[1]) is not None


def _arity(name: str, fewest: int, most: float):
    if fewest == most:
        return _l("%(name)s() takes %(count)s argument(s)", name=name, count=fewest)
    if most == float("inf"):
        return _l("%(name)s() takes at least %(count)s argument(s)", name=name, count=fewest)
    return _l(
        "%(name)s() takes %(fewest)s to %(most)s arguments", name=name, fewest=fewest, most=most
    )


def _number(text: str) -> int | float:
    value = float(text)
    if value == float("inf"):
        raise ExpressionError(_l("the number %(number)s is too large", number=text[:20] + "…"))
    if "." not in text and value < _SAFE_INTEGER:
        return int(text)
    return value


def _deeper(*depths: int) -> int:
    depth = max(depths) + 1
    if depth > MAX_DEPTH:
        raise ExpressionError(_l("the expression is nested too deeply"))
    return depth


def _unexpected(token: Token):
    if token.kind == "end":
        return _l("the expression ends too early")
    text = "${" + token.text + "}" if token.kind == "ref" else token.text
    return _l("unexpected “%(token)s”", token=text)
