"""The supported functions. Each takes the evaluation and its arguments' values; if(),
coalesce(), position() and indexed-repeat() take the argument nodes instead and evaluate what
they need themselves."""

import math
import re

from app.questionnaires.expressions.dates import format_date
from app.questionnaires.expressions.regex_safety import python_pattern
from app.questionnaires.expressions.values import (
    NAN,
    as_boolean,
    as_number,
    as_string,
    day_number,
    number,
    read_answer,
    split_codes,
    to_date,
)

_KEY_IN_TEXT = re.compile(r"\$\{([^}]*)\}")
# round(x, digits): powers of ten are exact as floats up to 10^22; past 15 digits a double
# has nothing left to round.
_MAX_DIGITS = 15
_POWERS_OF_TEN = [float(10**power) for power in range(_MAX_DIGITS + 1)]


def call(evaluation, name: str, args: list):
    if name in _LAZY:
        return _LAZY[name](evaluation, args)
    return _EAGER[name](evaluation, *[evaluation.value(arg) for arg in args])


def _round(x, digits=0.0) -> float:
    value, places = as_number(x), as_number(digits)
    if not math.isfinite(value) or math.isnan(places):
        return value
    places = math.trunc(max(-_MAX_DIGITS, min(_MAX_DIGITS, places)))
    scale = _POWERS_OF_TEN[abs(places)]
    scaled = value * scale if places >= 0 else value / scale
    if not math.isfinite(scaled):
        return value
    rounded = math.floor(scaled + 0.5)
    return number(rounded / scale if places >= 0 else rounded * scale)


def _whole(value, rounding) -> float:
    """int/floor/ceiling: infinities and NaN stay as they are."""
    number_value = as_number(value)
    if not math.isfinite(number_value):
        return number_value
    return number(float(rounding(number_value)))


def _index(value, length: int) -> int | None:
    """A 0-based position from a number, clamped into the text; None for NaN."""
    position = as_number(value)
    if math.isnan(position):
        return None
    if math.isinf(position):
        return 0 if position < 0 else length
    return max(0, min(length, math.trunc(position)))


def _substr(_evaluation, text, start, end=None) -> str:
    characters = as_string(text)
    first = _index(start, len(characters))
    last = len(characters) if end is None else _index(end, len(characters))
    if first is None or last is None:
        return ""
    return characters[first:last]


def _selected_at(_evaluation, codes, position) -> str:
    found, index = split_codes(codes), as_number(position)
    if not math.isfinite(index) or not 0 <= math.trunc(index) < len(found):
        return ""
    return found[math.trunc(index)]


def _choice_name(evaluation, code, question) -> str:
    match = _KEY_IN_TEXT.fullmatch(as_string(question))
    labels = (evaluation.env.get("choices") or {}).get(match.group(1)) if match else None
    label = (labels or {}).get(as_string(code))
    return label if isinstance(label, str) else ""


def _regex(_evaluation, text, pattern) -> bool:
    subject, accepted = as_string(text), python_pattern(as_string(pattern))
    if accepted is None or len(subject) > accepted[1]:
        return False
    return accepted[0].search(subject) is not None


def _items(value) -> list:
    return value if isinstance(value, list) else [value]


def _extreme(_evaluation, *values, smaller: bool) -> float:
    numbers = [as_number(item) for value in values for item in _items(value)]
    if not numbers:
        return NAN
    best = numbers[0]
    for candidate in numbers[1:]:
        if math.isnan(candidate) or math.isnan(best):
            return NAN
        if (candidate < best) if smaller else (candidate > best):
            best = candidate
    return best


def _sum(_evaluation, value) -> float:
    total = 0.0
    for item in _items(value):
        total += as_number(item)
    return number(total)


def _today(evaluation):
    found = to_date(evaluation.env.get("today") or "")
    return "" if found is None else found


def _date(_evaluation, value):
    found = to_date(value)
    return "" if found is None else found


def _format_date(_evaluation, value, pattern) -> str:
    found = to_date(value)
    return "" if found is None else format_date(found, as_string(pattern))


def _position(evaluation, _args) -> float:
    row = evaluation.env.get("row")
    index = row.get("index") if row else None
    return float(index + 1) if isinstance(index, int) and not isinstance(index, bool) else NAN


def _indexed_repeat(evaluation, args):
    column, table = args[0][1], args[1][1]
    position = as_number(evaluation.value(args[2]))
    rows = evaluation.rows(table)
    if not math.isfinite(position) or not 1 <= math.trunc(position) <= len(rows):
        return ""
    return read_answer(rows[math.trunc(position) - 1].get(column))


def _if(evaluation, args):
    chosen = args[1] if as_boolean(evaluation.value(args[0])) else args[2]
    return evaluation.value(chosen)


def _coalesce(evaluation, args):
    first = evaluation.value(args[0])
    return first if as_string(first) != "" else evaluation.value(args[1])


_LAZY = {
    "if": _if,
    "coalesce": _coalesce,
    "position": _position,
    "indexed-repeat": _indexed_repeat,
}

_EAGER = {
    "true": lambda _e: True,
    "false": lambda _e: False,
    "not": lambda _e, x: not as_boolean(x),
    "boolean": lambda _e, x: as_boolean(x),
    "string": lambda _e, x: as_string(x),
    "number": lambda _e, x: as_number(x),
    "int": lambda _e, x: _whole(x, math.trunc),
    "round": lambda _e, *args: _round(*args),
    "abs": lambda _e, x: number(abs(as_number(x))),
    "floor": lambda _e, x: _whole(x, math.floor),
    "ceiling": lambda _e, x: _whole(x, math.ceil),
    "selected": lambda _e, codes, code: as_string(code) in split_codes(codes),
    "count-selected": lambda _e, codes: float(len(split_codes(codes))),
    "selected-at": _selected_at,
    "jr:choice-name": _choice_name,
    "string-length": lambda _e, text: float(len(as_string(text))),
    "concat": lambda _e, *parts: "".join(as_string(part) for part in parts),
    "substr": _substr,
    "contains": lambda _e, text, part: as_string(part) in as_string(text),
    "starts-with": lambda _e, text, part: as_string(text).startswith(as_string(part)),
    "ends-with": lambda _e, text, part: as_string(text).endswith(as_string(part)),
    "regex": _regex,
    "min": lambda e, *values: _extreme(e, *values, smaller=True),
    "max": lambda e, *values: _extreme(e, *values, smaller=False),
    "sum": _sum,
    "count": lambda _e, value: float(len(_items(value))),
    "today": _today,
    "date": _date,
    "decimal-date-time": lambda _e, value: day_number(value),
    "format-date": _format_date,
}
