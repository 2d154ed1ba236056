"""Splitting an expression's text into tokens."""

import re
from typing import NamedTuple

from flask_babel import lazy_gettext as _l

from app.questionnaires.expressions.errors import ExpressionError

# A question key inside ${...}: XLSForm names (letters, digits, "_", "-", "."), Cyrillic allowed.
KEY = r"[^\W\d][\w.-]*"
_TOKEN = re.compile(
    rf"""
    (?P<space>[ \t\r\n]+)
  | (?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
  | (?P<ref>\$\{{(?P<key>{KEY})\}})
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<parent>\.\.)
  | (?P<cur>\.)
  | (?P<name>[^\W\d][\w.-]*(?::[^\W\d][\w.-]*)?)
  | (?P<sym>!=|<=|>=|[=<>+\-*(),])
    """,
    re.VERBOSE,
)


class Token(NamedTuple):
    kind: str  # num, ref, str, parent, cur, name, sym, end
    text: str
    at: int


def tokenize(text: str) -> list[Token]:
    tokens, at = [], 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            raise ExpressionError(_unknown(text, at))
        kind = match.lastgroup if match.lastgroup != "key" else "ref"
        if kind == "ref":
            tokens.append(Token("ref", match.group("key"), at))
        elif kind != "space":
            tokens.append(Token(kind, match.group(), at))
        at = match.end()
    tokens.append(Token("end", "", at))
    return tokens


def _unknown(text: str, at: int):
    char = text[at]
    if char in "'\"":
        return _l("a quote %(quote)s is not closed", quote=char)
    if text.startswith("${", at):
        return _l("a reference ${…} is not closed or names no question")
    return _l("unknown symbol “%(symbol)s”", symbol=char)
