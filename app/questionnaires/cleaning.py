"""Cleaning one answer as people type it (validation.py checks whole responses).

Values come from HTML forms (strings, lists of strings) or from JSON; clean values have the
shapes of ``spec.py``. Messages are shown to the person filling in or building the form.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.core.numbers import grouped
from app.questionnaires.conditions import is_unanswered, to_iso_date, to_number
from app.questionnaires.spec import (
    DEFAULT_NUMBER_RANGE,
    DEFAULT_SCALE,
    NO,
    NUMBER_BOUND,
    OTHER,
    YES,
)

INVALID = _l("The value is not valid.")
CHOOSE = _l("Choose from the listed options.")
REQUIRED = _l("Answer this question.")
FILL_CELL = _l("Fill in this cell.")
EVERY_ROW = _l("Answer every row.")
WHOLE_NUMBER = _l("Enter a whole number.")
NUMBER = _l("Enter a number.")
YES_OR_NO = _l("Answer yes or no.")
DATE = _l("Enter a date as DD.MM.YYYY.")
EMAIL = _l("Enter a valid email address.")
PHONE = _l("Enter a phone number: 5 to 20 digits, spaces, +, - and parentheses.")

TOO_LOW = {
    "value": lambda bound: _l("The value must be at least %(min)s.", min=bound),
    "date": lambda bound: _l("The date must not be earlier than %(min)s.", min=bound),
    "length": lambda bound: _l("Enter at least %(min)s characters.", min=bound),
    "count": lambda bound: _l("Choose at least %(min)s options.", min=bound),
    "rows": lambda bound: _l("Add at least %(min)s rows.", min=bound),
}
TOO_HIGH = {
    "value": lambda bound: _l("The value must be at most %(max)s.", max=bound),
    "date": lambda bound: _l("The date must not be later than %(max)s.", max=bound),
    "length": lambda bound: _l("Enter at most %(max)s characters.", max=bound),
    "count": lambda bound: _l("Choose at most %(max)s options.", max=bound),
    "rows": lambda bound: _l("Add at most %(max)s rows.", max=bound),
}

_INTEGER = re.compile(r"[+-]?\d+")
# Digits in groups of three as Russians write them: a space, a no-break space (U+00A0), a
# narrow or thin one (U+202F, U+2009) between groups: 5 400, 1 000 000,5.
_GROUPED = re.compile(r"([+-]?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+)([.,]\d*)?")
_GROUP_SPACE = re.compile(r"[ \u00a0\u202f\u2009]")
_RUSSIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_PHONE = re.compile(r"[0-9 +()\-]+")
KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_KEY_LENGTH = 64


class AnswerError(Exception):
    """A value was refused; ``message`` is shown beside the question.

    For a table, ``rows`` maps the index of a submitted row to {column key: message}, and
    ``message`` is None when only cells are wrong.
    """

    def __init__(self, message=None, rows: dict[int, dict[str, object]] | None = None):
        super().__init__(message)
        self.message = message
        self.rows = rows or {}


# Bounds


def bound_value(question: dict, name: str, parse):
    raw = question.get(name)
    return None if raw is None or raw == "" else parse(raw)


def _limit(question: dict, measure, kind: str, low, high, show=str) -> None:
    custom = question.get("constraint_message")
    if low is not None and measure < low:
        raise AnswerError(custom or TOO_LOW[kind](show(low)))
    if high is not None and measure > high:
        raise AnswerError(custom or TOO_HIGH[kind](show(high)))


def number_bounds(question: dict) -> tuple:
    """The least and the greatest answer of a number or scale question: its min and max, or the
    default range where it sets none; never beyond what the answer table stores (a version
    published before bounds were checked)."""
    default = DEFAULT_SCALE if question["type"] == "scale" else DEFAULT_NUMBER_RANGE
    low = bound_value(question, "min", to_number)
    high = bound_value(question, "max", to_number)
    low = default[0] if low is None else max(low, -NUMBER_BOUND)
    high = default[1] if high is None else min(high, NUMBER_BOUND)
    return low, high


def bound_messages(question: dict) -> tuple[str, str]:
    """What the school is told of a number below and above ``number_bounds`` (the filling page
    says it as the school types, the server on save)."""
    low, high = number_bounds(question)
    custom = question.get("constraint_message")
    return (
        str(custom or TOO_LOW["value"](grouped(low))),
        str(custom or TOO_HIGH["value"](grouped(high))),
    )


def _limit_number(question: dict, number) -> None:
    _limit(question, number, "value", *number_bounds(question), show=grouped)


def _limit_size(question: dict, size: int, kind: str) -> None:
    low, high = bound_value(question, "min", to_number), bound_value(question, "max", to_number)
    _limit(question, size, kind, low, high, show=format_decimal)


# Parsing single values


def format_decimal(number: Decimal) -> str:
    """A decimal as plain digits with a dot, without exponent or trailing zeros."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(raw) -> str:
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        return str(raw)
    raise AnswerError(INVALID)


def _code(raw) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    raise AnswerError(CHOOSE)


def option_codes(question: dict, name: str = "choices") -> list[str]:
    """The codes of a question's options (or matrix rows), "other" last when it is offered."""
    codes = [option["code"] for option in question.get(name) or ()]
    return [*codes, OTHER] if name == "choices" and question.get("other") else codes


def number_text(text: str) -> str:
    """A typed number without its group spaces and with a dot for the decimal comma
    ("5 400,5" -> "5400.5"); other text is returned stripped, as it was."""
    text = text.strip()
    if _GROUPED.fullmatch(text):
        text = _GROUP_SPACE.sub("", text)
    return text.replace(",", ".")


def typed_number(value) -> str:
    """A stored number as a school types it back (5 400,25): groups split by no-break spaces,
    a decimal comma, every digit kept; a value that is no number is returned as it is."""
    number = to_number(value)
    if number is None:
        return "" if value is None else str(value)
    text = format_decimal(number)
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.removeprefix("-").partition(".")
    # grouped as text: int() refuses more than 4,300 digits, and a draft keeps what was typed
    head = len(whole) % 3 or 3
    groups = [whole[:head], *(whole[at : at + 3] for at in range(head, len(whole), 3))]
    return sign + "\u00a0".join(groups) + (f",{fraction}" if fraction else "")


def _integer(raw) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INTEGER.fullmatch(text := number_text(raw)):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts
            pass
    raise AnswerError(WHOLE_NUMBER)


def _date(raw) -> str:
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, str):
        text = raw.strip()
        if match := _RUSSIAN_DATE.fullmatch(text):
            day, month, year = match.groups()
            text = f"{year}-{int(month):02}-{int(day):02}"
        if iso := to_iso_date(text):
            return iso
    raise AnswerError(DATE)


def _russian_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


# Cleaning by type


def _clean_text(question: dict, raw) -> str | None:
    text = _text(raw)
    if question["type"] == "textarea":
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _limit_size(question, len(text), "length")
    return text or None


def _clean_integer(question: dict, raw) -> int:
    number = _integer(raw)
    _limit_number(question, number)
    return number


def _clean_decimal(question: dict, raw) -> str:
    number = to_number(number_text(raw) if isinstance(raw, str) else raw)
    if number is None:
        raise AnswerError(NUMBER)
    _limit_number(question, number)
    return format_decimal(number)


def _clean_scale(question: dict, raw) -> int:
    number = _integer(raw)
    _limit_number(question, number)
    return number


def _clean_single(question: dict, raw) -> str:
    code = _code(raw)
    if code not in option_codes(question):
        raise AnswerError(CHOOSE)
    return code


def _clean_multiple(question: dict, raw) -> list[str] | None:
    if not isinstance(raw, list | tuple):
        raw = [raw]
    chosen = {_code(item) for item in raw if not is_unanswered(item)}
    codes = option_codes(question)
    if not chosen <= set(codes):
        raise AnswerError(CHOOSE)
    if not chosen:
        return None
    _limit_size(question, len(chosen), "count")
    return [code for code in codes if code in chosen]


def _clean_yesno(_question: dict, raw) -> str:
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, str) and raw.strip().lower() in (YES, NO):
        return raw.strip().lower()
    raise AnswerError(YES_OR_NO)


def _clean_date(question: dict, raw) -> str:
    iso = _date(raw)
    low, high = bound_value(question, "min", to_iso_date), bound_value(question, "max", to_iso_date)
    _limit(question, iso, "date", low, high, show=_russian_date)
    return iso


def _clean_email(_question: dict, raw) -> str:
    try:
        return validate_email(_text(raw), check_deliverability=False).normalized
    except EmailNotValidError:
        raise AnswerError(EMAIL) from None


def _clean_phone(_question: dict, raw) -> str:
    text = " ".join(_text(raw).split())
    digits = sum(char.isdigit() for char in text)
    if not _PHONE.fullmatch(text) or not 5 <= digits <= 20:
        raise AnswerError(PHONE)
    return text


def _clean_file(_question: dict, raw) -> dict:
    if isinstance(raw, dict):
        file_id, name = raw.get("id"), raw.get("name")
        if isinstance(file_id, int) and not isinstance(file_id, bool) and isinstance(name, str):
            return {"id": file_id, "name": name}
    raise AnswerError(INVALID)


def _clean_matrix(question: dict, raw, complete: bool, required: bool) -> dict | None:
    if not isinstance(raw, dict):
        raise AnswerError(INVALID)
    rows, choices = option_codes(question, "rows"), option_codes(question, "choices")
    answers = {}
    for row, choice in raw.items():
        if row not in rows:
            raise AnswerError(CHOOSE)
        if not is_unanswered(choice):
            answers[row] = _code(choice)
    if not set(answers.values()) <= set(choices):
        raise AnswerError(CHOOSE)
    if not answers:
        return None
    if complete and required and len(answers) < len(rows):
        raise AnswerError(EVERY_ROW)
    return {row: answers[row] for row in rows if row in answers}


class TableRules(Protocol):
    """What the expressions of a table decide (answer_rules.py): how many rows it must have, and
    the calculated cells and refused cells of each row."""

    count: int | None

    def fill(self, rows: list[dict], position: int) -> dict: ...


def entered(column: dict) -> bool:
    """Whether the school types the column's cells (others are computed)."""
    return column["type"] != "calculate" and not column.get("read_only")


def _clean_table(question: dict, raw, complete: bool, rules: TableRules | None):
    if not isinstance(raw, list | tuple) or not all(isinstance(row, dict) for row in raw):
        raise AnswerError(INVALID)
    columns = question.get("columns") or []
    typed = [column for column in columns if entered(column)]
    indexes, rows, problems = [], [], {}
    for index, raw_row in enumerate(raw):
        if all(is_unanswered(raw_row.get(column["key"])) for column in typed):
            continue
        row, row_problems = _clean_row(typed, raw_row, complete)
        indexes.append(index)
        rows.append(row)
        if row_problems:
            problems[index] = row_problems
    for position, index in enumerate(indexes if rules else ()):
        for key, message in rules.fill(rows, position).items():
            problems.setdefault(index, {}).setdefault(key, message)
    message = _row_count_problem(question, len(rows), rules.count if rules else None)
    if message or problems:
        raise AnswerError(message, problems)
    return rows or None


def _row_count_problem(question: dict, count: int, expected: int | None):
    """The message for a wrong number of rows: the table's min and max, or exactly the number
    its repeat_count gives."""
    if not count:
        return None
    if expected is not None:
        question = {**question, "min": expected, "max": expected}
    try:
        _limit_size(question, count, "rows")
    except AnswerError as error:
        return error.message
    return None


def _clean_row(columns: list[dict], raw_row: dict, complete: bool) -> tuple[dict, dict]:
    row, problems = {}, {}
    for column in columns:
        key = column["key"]
        try:
            value = clean_value(column, raw_row.get(key), complete=complete)
        except AnswerError as error:
            problems[key] = error.message
            continue
        if value is not None:
            row[key] = value
        elif complete and column.get("required"):
            problems[key] = FILL_CELL
    return row, problems


SIMPLE_CLEANERS = {
    "text": _clean_text,
    "textarea": _clean_text,
    "integer": _clean_integer,
    "decimal": _clean_decimal,
    "scale": _clean_scale,
    "single": _clean_single,
    "multiple": _clean_multiple,
    "yesno": _clean_yesno,
    "date": _clean_date,
    "email": _clean_email,
    "phone": _clean_phone,
    "file": _clean_file,
}


def clean_value(
    question: dict,
    raw,
    *,
    complete: bool = True,
    required: bool | None = None,
    rules: TableRules | None = None,
):
    """The clean value of one answer, None when it is empty; raises AnswerError.

    An empty answer is never an error here: whether a question must be answered is decided by
    validate_answers. ``complete`` makes an answered ``required`` matrix need every row and a
    table row need its required cells; a draft passes False. ``required`` defaults to the
    question's own flag. A calculate question is never answered by what is typed: its value is
    computed (validation.py). ``rules`` are a table's expressions; without them a table is
    cleaned by its columns' types alone.
    """
    kind = question["type"]
    if kind in ("note", "calculate") or is_unanswered(raw):
        return None
    if kind == "matrix":
        required = question.get("required") is True if required is None else required
        return _clean_matrix(question, raw, complete, required)
    if kind == "table":
        return _clean_table(question, raw, complete, rules)
    if kind not in SIMPLE_CLEANERS:
        raise ValueError(f"unknown question type {kind!r}")
    return SIMPLE_CLEANERS[kind](question, raw)
