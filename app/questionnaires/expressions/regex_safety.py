"""The subset of regular expressions regex() accepts, the same in Python's re and the browser.

The subset is what both engines read alike and what cannot backtrack without end: characters,
classes `[...]`, `.`, `\\d \\D \\w \\W` (ASCII in both), `\\b`, `^ $`, groups, alternatives and
quantifiers `* + ? {n} {n,} {n,m}` (lazy too). Refused: `(?` in any form (lookaround, flags,
named groups), backreferences, `\\p`, `\\s \\S` (the engines disagree on what a space is),
`\\B` (they disagree on the empty text), a quantified group holding a quantifier or
alternatives (the classic catastrophic backtracking), and anything one of the engines would
read differently. A pattern is checked when it is a literal at parse time, and again when it
is computed at evaluation time.

For Python the pattern is rewritten so that it means what the browser's RegExp (flag "u")
means: `$` is the very end (`\\Z`), `.` is any character but a line terminator.
"""

import re
from functools import lru_cache

from flask_babel import lazy_gettext as _l

MAX_PATTERN = 200
MAX_TEXT = 10_000
MAX_REPEAT = 1000
# A search over n characters may backtrack through up to P·n^(k+1) steps, with k open
# repetitions (`*`, `+`, `{n,}`, `{n,m}` wider than WIDE_REPEAT) and P the product of the
# groups' numbers of alternatives. The text a pattern is matched against is the longest of
# TEXT_LADDER within STEP_BUDGET for its k and P (a longer text does not match); a pattern
# that fits none is refused. Measured in CPython, 10^8 steps of the worst patterns take about
# half a second.
STEP_BUDGET = 10**8
TEXT_LADDER = (MAX_TEXT, 5000, 2000, 1000, 500, 300, 200, 100, 50)
WIDE_REPEAT = 20
_SYNTAX = set("^$\\.*+?()[]{}|/")
_CLASS_ESCAPES = set("dDwW")
_CONTROL = {"n": "\\n", "t": "\\t", "r": "\\r"}
_DOT = "[^\\n\\r\\u2028\\u2029]"
_BRACES = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")


def check_pattern(pattern: str):
    """The reason the pattern is refused (a lazy Russian text), or None."""
    return _scan(pattern)[1]


def python_pattern(pattern: str) -> tuple[re.Pattern, int] | None:
    """The compiled Python equivalent of an accepted pattern and the longest text it is
    matched against; None for a refused pattern."""
    return _scan(pattern)[0]


@lru_cache(maxsize=256)
def _scan(pattern: str):
    if len(pattern) > MAX_PATTERN:
        return None, _l("longer than %(limit)s characters", limit=MAX_PATTERN)
    scanner = _Scanner(pattern)
    try:
        text = scanner.run()
    except _Refused as refused:
        return None, refused.reason
    limit = text_limit(scanner.open_repetitions, scanner.alternatives)
    if limit is None:
        return None, _l(
            "it could take too long to match: use fewer repetitions (*, +, {n,}) "
            "or alternatives (|)"
        )
    try:
        return (re.compile(text, re.ASCII), limit), None
    except re.error:
        return None, _l("the pattern is not a valid regular expression")


def text_limit(open_repetitions: int, alternatives: int) -> int | None:
    """The longest text of TEXT_LADDER a search stays within STEP_BUDGET on, if any."""
    for length in TEXT_LADDER:
        steps = alternatives
        for _ in range(open_repetitions + 1):
            steps *= length
            if steps > STEP_BUDGET:
                break
        if steps <= STEP_BUDGET:
            return length
    return None


class _Refused(Exception):
    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


class _Group:
    def __init__(self):
        self.risky = False  # holds a quantifier or alternatives
        self.branches = 1


class _Scanner:
    def __init__(self, pattern: str):
        self.pattern = pattern
        self.at = 0
        self.out: list[str] = []
        self.groups = [_Group()]
        self.last = None  # None, "atom", "anchor", "quantified", or a closed _Group
        self.open_repetitions = 0
        self.alternatives = 1  # the product of every group's number of alternatives

    def run(self) -> str:
        while self.at < len(self.pattern):
            self.step(self.pattern[self.at])
        if len(self.groups) > 1:
            raise _Refused(_l("a bracket ( is not closed"))
        self.count_alternatives(self.groups[0])
        return "".join(self.out)

    def count_alternatives(self, group: _Group) -> None:
        self.alternatives = min(self.alternatives * group.branches, STEP_BUDGET + 1)

    def step(self, char: str) -> None:
        if char == "\\":
            self.escape()
        elif char == "(":
            if self.pattern.startswith("(?", self.at):
                raise _Refused(_l("“(?” (lookaround, flags, named groups) is not supported"))
            self.groups.append(_Group())
            self.emit("(", None, 1)
        elif char == ")":
            self.close_group()
        elif char == "|":
            self.groups[-1].risky = True
            self.groups[-1].branches += 1
            self.emit("|", None, 1)
        elif char == "[":
            self.character_class()
        elif char in "*+?":
            self.quantifier(char, 1, open_ended=char != "?")
        elif char == "{":
            match = _BRACES.match(self.pattern, self.at)
            if match is None:
                raise _Refused(_l("“{” is not a repetition {n,m}; write \\{ for the character"))
            self.quantifier(match.group(), len(match.group()), open_ended=self.wide(match))
        elif char in "}]":
            raise _Refused(_l("“%(char)s” has no opening pair; write \\%(char)s", char=char))
        elif char in "^$":
            self.emit("^" if char == "^" else "\\Z", "anchor", 1)
        elif char == ".":
            self.emit(_DOT, "atom", 1)
        else:
            self.emit(re.escape(char), "atom", 1)

    def emit(self, text: str, last, width: int) -> None:
        self.out.append(text)
        self.last = last
        self.at += width

    def escape(self) -> None:
        char = self.pattern[self.at + 1 : self.at + 2]
        if char == "b":
            self.emit("\\b", "anchor", 2)
        elif char in _CLASS_ESCAPES:
            self.emit("\\" + char, "atom", 2)
        elif char in _CONTROL:
            self.emit(_CONTROL[char], "atom", 2)
        elif char and char in _SYNTAX:
            self.emit(re.escape(char), "atom", 2)
        else:
            raise _Refused(self.bad_escape(char))

    @staticmethod
    def bad_escape(char: str):
        if not char:
            return _l("the pattern ends with \\")
        if char.isdigit():
            return _l("backreferences (\\1…) are not supported")
        return _l("“\\%(char)s” is not supported", char=char)

    def close_group(self) -> None:
        if len(self.groups) == 1:
            raise _Refused(_l("a bracket ) has no opening pair"))
        group = self.groups.pop()
        self.count_alternatives(group)
        self.groups[-1].risky |= group.risky
        self.emit(")", group, 1)

    def quantifier(self, text: str, width: int, open_ended: bool) -> None:
        if self.last is None or self.last in ("anchor", "quantified"):
            raise _Refused(_l("a repetition “%(text)s” follows nothing to repeat", text=text))
        if isinstance(self.last, _Group) and self.last.risky and text != "?":
            raise _Refused(
                _l("a repeated group with a repetition or alternatives inside is not supported")
            )
        if open_ended:
            self.open_repetitions = min(self.open_repetitions + 1, MAX_PATTERN)
        self.groups[-1].risky = True
        self.emit(text, "quantified", width)
        if self.pattern.startswith("?", self.at):
            self.out.append("?")
            self.at += 1

    @staticmethod
    def wide(match: re.Match) -> bool:
        """Checks {n}, {n,} or {n,m}; whether it is open (no end, or wider than WIDE_REPEAT)."""
        low, comma, high = match.group(1), match.group(2), match.group(3)
        numbers = [int(low)] + ([int(high)] if high else [])
        if max(numbers) > MAX_REPEAT:
            raise _Refused(_l("a repetition above %(limit)s", limit=MAX_REPEAT))
        if comma and high and int(high) < int(low):
            raise _Refused(_l("a repetition {n,m} with m below n"))
        return bool(comma) and (not high or int(high) - int(low) > WIDE_REPEAT)

    def character_class(self) -> None:
        end = self.at + 1
        if self.pattern.startswith("^", end):
            end += 1
        if self.pattern.startswith("]", end):
            raise _Refused(_l("an empty class [] is not supported"))
        items: list[str | None] = []  # a character, or None for \d-like escapes
        while True:
            if end >= len(self.pattern):
                raise _Refused(_l("a class [ is not closed"))
            char = self.pattern[end]
            if char == "]":
                break
            if char == "[" or self.pattern[end : end + 2] in ("--", "&&", "~~", "||"):
                raise _Refused(_l("“%(text)s” inside a class; escape it", text=char))
            if char == "\\":
                items.append(self.class_escape(self.pattern[end + 1 : end + 2]))
                end += 2
            else:
                items.append(char)
                end += 1
        self.check_ranges(self.pattern[self.at : end + 1], items)
        self.emit(self.pattern[self.at : end + 1], "atom", end + 1 - self.at)

    def class_escape(self, char: str) -> str | None:
        if char in _CLASS_ESCAPES:
            return None
        if char in _CONTROL:
            return {"n": "\n", "t": "\t", "r": "\r"}[char]
        if char and (char in _SYNTAX or char == "-"):
            return "\\" + char
        raise _Refused(self.bad_escape(char))

    @staticmethod
    def check_ranges(text: str, items: list) -> None:
        index = 0
        while index < len(items) - 2:
            if items[index + 1] != "-":
                index += 1
                continue
            low, high = items[index], items[index + 2]
            if low is None or high is None:
                raise _Refused(_l("a range with \\d or \\w in %(text)s", text=text))
            if low[-1] > high[-1]:
                raise _Refused(_l("a range in reverse order in %(text)s", text=text))
            if index + 4 < len(items) and items[index + 3] == "-":
                raise _Refused(_l("“-” right after a range in %(text)s; escape it", text=text))
            index += 3
