"""Cleaning answers as people type them (definition_check.py checks whole definitions).

Values come from HTML forms (strings, lists of strings) or from JSON; clean values have the
shapes of ``spec.py``. Messages are shown to the person filling in or building the form.
"""

import re
from datetime import date, datetime
from decimal import Decimal

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.numbers import grouped
from app.questionnaires.conditions import (
    all_questions,
    is_unanswered,
    to_iso_date,
    to_number,
    visible_keys,
)
from app.questionnaires.spec import (
    DEFAULT_NUMBER_RANGE,
    DEFAULT_SCALE,
    NO,
    NUMBER_BOUND,
    YES,
)

INVALID = _l("The value is not valid.")
REQUIRED = _l("Answer this question.")
FILL_CELL = _l("Fill in this cell.")
EVERY_ROW = _l("Answer every row.")
WHOLE_NUMBER = _l("Enter a whole number.")
NUMBER = _l("Enter a number.")
CHOOSE = _l("Choose from the listed options.")
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


def _limit_number(question: dict, number, default=DEFAULT_NUMBER_RANGE) -> None:
    """Within the question's min and max, or the default range where it sets none; never beyond
    what the answer table stores (a version published before bounds were checked)."""
    low = bound_value(question, "min", to_number)
    high = bound_value(question, "max", to_number)
    low = default[0] if low is None else max(low, -NUMBER_BOUND)
    high = default[1] if high is None else min(high, NUMBER_BOUND)
    _limit(question, number, "value", low, high, show=grouped)


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
    return [option["code"] for option in question.get(name) or ()]


def _integer(raw) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
        try:
            return int(raw.strip())
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
    number = to_number(raw.strip().replace(",", ".") if isinstance(raw, str) else raw)
    if number is None:
        raise AnswerError(NUMBER)
    _limit_number(question, number)
    return format_decimal(number)


def _clean_scale(question: dict, raw) -> int:
    number = _integer(raw)
    _limit_number(question, number, DEFAULT_SCALE)
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


def _clean_matrix(question: dict, raw, complete: bool) -> dict | None:
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
    if complete and question.get("required") and len(answers) < len(rows):
        raise AnswerError(EVERY_ROW)
    return {row: answers[row] for row in rows if row in answers}


def _clean_table(question: dict, raw, complete: bool) -> list[dict] | None:
    if not isinstance(raw, list | tuple) or not all(isinstance(row, dict) for row in raw):
        raise AnswerError(INVALID)
    columns = question.get("columns") or []
    rows, problems = [], {}
    for index, raw_row in enumerate(raw):
        if all(is_unanswered(raw_row.get(column["key"])) for column in columns):
            continue
        row, row_problems = _clean_row(columns, raw_row, complete)
        rows.append(row)
        if row_problems:
            problems[index] = row_problems
    message = None
    if rows:
        try:
            _limit_size(question, len(rows), "rows")
        except AnswerError as error:
            message = error.message
    if message or problems:
        raise AnswerError(message, problems)
    return rows or None


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


def clean_value(question: dict, raw, *, complete: bool = True):
    """The clean value of one answer, None when it is empty; raises AnswerError.

    An empty answer is never an error here: whether a question must be answered is decided by
    validate_answers. ``complete`` makes an answered required matrix need every row and a table
    row need its required cells; a draft passes False.
    """
    kind = question["type"]
    if kind == "note" or is_unanswered(raw):
        return None
    if kind == "matrix":
        return _clean_matrix(question, raw, complete)
    if kind == "table":
        return _clean_table(question, raw, complete)
    if kind not in SIMPLE_CLEANERS:
        raise ValueError(f"unknown question type {kind!r}")
    return SIMPLE_CLEANERS[kind](question, raw)


# Whole responses


MAX_ANSWERS_BYTES = 2 * 1024 * 1024


def sanitize_answers(definition: dict, answers: dict) -> dict:
    """Only the keys of the form's questions, and not more data than a form could hold (a
    draft is stored as typed, before cleaning)."""
    if not isinstance(answers, dict):
        raise DomainError(_l("The answers could not be read."))
    keys = {question["key"] for question in all_questions(definition)}
    clean = {key: value for key, value in answers.items() if key in keys}
    if len(repr(clean).encode()) > MAX_ANSWERS_BYTES:
        raise DomainError(_l("The answers are too large to be saved."))
    return clean


def validate_answers(definition: dict, raw_answers: dict, *, complete: bool) -> tuple[dict, dict]:
    """Cleans the answers of a response: returns (clean answers, errors).

    Only visible questions count: their valid, non-empty values are the clean answers; hidden
    questions lose their values and are never required. A visible multiple choice with nothing
    ticked is answered with the empty selection ``[]`` (the school saw it and chose none), unless
    it is required; a hidden one has no answer at all ("not shown"). Conditions see clean
    values, so an invalid answer is unanswered for them. ``complete`` (a submission) also
    reports required visible questions left unanswered; a draft reports only values that cannot
    be accepted.

    ``errors`` maps a question key to a message, in the order of the form; for a table the
    entry is always a dict ``{"rows": {row index: {column key: message}}, "message": message}``:
    "rows" is always there (possibly empty; a row index counts the submitted rows, empty ones
    included), "message" only when the table as a whole is wrong (row count, required, shape).
    """
    outcomes = {}
    for question in all_questions(definition):
        try:
            outcomes[question["key"]] = clean_value(
                question, raw_answers.get(question["key"]), complete=complete
            )
        except AnswerError as error:
            outcomes[question["key"]] = error
    clean = {key: value for key, value in outcomes.items() if not isinstance(value, AnswerError)}
    visible = visible_keys(definition, clean)
    answers, errors = {}, {}
    for question in all_questions(definition):
        key, outcome = question["key"], outcomes[question["key"]]
        if key not in visible:
            continue
        if isinstance(outcome, AnswerError):
            errors[key] = _error_entry(question, outcome)
        elif outcome is not None:
            answers[key] = outcome
        elif complete and question.get("required") and question["type"] != "note":
            errors[key] = _error_entry(question, AnswerError(REQUIRED))
        elif question["type"] == "multiple":
            answers[key] = []  # none ticked
    return answers, errors


def _error_entry(question: dict, error: AnswerError):
    if question["type"] != "table":
        return error.message
    entry = {"rows": error.rows}
    if error.message is not None:
        entry["message"] = error.message
    return entry
