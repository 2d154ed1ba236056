"""Cleaning answers as people type them, and checking whole form definitions.

Values come from HTML forms (strings, lists of strings) or from JSON; clean values have the
shapes of ``spec.py``. Messages are shown to the person filling in or building the form.
"""

import re
from datetime import date, datetime
from decimal import Decimal

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.conditions import (
    ConditionError,
    all_questions,
    check_condition,
    comparisons,
    is_unanswered,
    to_iso_date,
    to_number,
    visible_keys,
)
from app.questionnaires.spec import (
    CHOICE_TYPES,
    COLUMN_TYPES,
    DEFAULT_SCALE,
    NO,
    QUESTION_TYPES,
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


def _bound(question: dict, name: str, parse):
    raw = question.get(name)
    return None if raw is None or raw == "" else parse(raw)


def _limit(question: dict, measure, kind: str, low, high, show=str) -> None:
    custom = question.get("constraint_message")
    if low is not None and measure < low:
        raise AnswerError(custom or TOO_LOW[kind](show(low)))
    if high is not None and measure > high:
        raise AnswerError(custom or TOO_HIGH[kind](show(high)))


def _limit_number(question: dict, number, default=(None, None)) -> None:
    low = _bound(question, "min", to_number)
    high = _bound(question, "max", to_number)
    low, high = default[0] if low is None else low, default[1] if high is None else high
    _limit(question, number, "value", low, high, show=lambda bound: format_decimal(Decimal(bound)))


def _limit_size(question: dict, size: int, kind: str) -> None:
    low, high = _bound(question, "min", to_number), _bound(question, "max", to_number)
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


def _codes(question: dict, name: str = "choices") -> list[str]:
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
    if code not in _codes(question):
        raise AnswerError(CHOOSE)
    return code


def _clean_multiple(question: dict, raw) -> list[str] | None:
    if not isinstance(raw, list | tuple):
        raw = [raw]
    chosen = {_code(item) for item in raw if not is_unanswered(item)}
    codes = _codes(question)
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
    low, high = _bound(question, "min", to_iso_date), _bound(question, "max", to_iso_date)
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
    rows, choices = _codes(question, "rows"), _codes(question, "choices")
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


def validate_answers(definition: dict, raw_answers: dict, *, complete: bool) -> tuple[dict, dict]:
    """Cleans the answers of a response: returns (clean answers, errors).

    Only visible questions count: their valid, non-empty values are the clean answers; hidden
    questions lose their values and are never required. Conditions see clean values, so an
    invalid answer is unanswered for them. ``complete`` (a submission) also reports required
    visible questions left unanswered; a draft reports only values that cannot be accepted.

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
    return answers, errors


def _error_entry(question: dict, error: AnswerError):
    if question["type"] != "table":
        return error.message
    entry = {"rows": error.rows}
    if error.message is not None:
        entry["message"] = error.message
    return entry


# Definitions


class DefinitionError(DomainError):
    """A form definition is refused; ``path`` says where, e.g. "sections[1].questions[3].choices".

    Indexes in the path count from 0.
    """

    def __init__(self, message, path: str = ""):
        super().__init__(message)
        self.path = path


def check_definition(definition: dict) -> None:
    """Refuses a definition that the forms engine could not show, clean or export."""
    if not isinstance(definition, dict) or not isinstance(definition.get("sections"), list):
        raise DefinitionError(_l("The structure is invalid."), "sections")
    sections = definition["sections"]
    form_keys = _question_keys(sections)
    used: set[str] = set()
    earlier: dict[str, dict] = {}
    for index, section in enumerate(sections):
        path = f"sections[{index}]"
        _check_dict(section, path)
        _check_key(section.get("key"), used, f"{path}.key")
        _check_condition(section.get("condition"), earlier, form_keys, f"{path}.condition")
        questions = section.get("questions", [])
        if not isinstance(questions, list):
            raise DefinitionError(_l("The structure is invalid."), f"{path}.questions")
        for number, question in enumerate(questions):
            question_path = f"{path}.questions[{number}]"
            _check_question(question, question_path, QUESTION_TYPES, used)
            condition_path = f"{question_path}.condition"
            _check_condition(question.get("condition"), earlier, form_keys, condition_path)
            earlier[question["key"]] = question


def _question_keys(sections: list) -> set:
    return {
        question.get("key")
        for section in sections
        if isinstance(section, dict) and isinstance(section.get("questions"), list)
        for question in section["questions"]
        if isinstance(question, dict)
    }


def _check_dict(value, path: str) -> None:
    if not isinstance(value, dict):
        raise DefinitionError(_l("The structure is invalid."), path)


def _check_key(key, used: set[str], path: str) -> None:
    if not isinstance(key, str) or not KEY.fullmatch(key) or len(key) > MAX_KEY_LENGTH:
        raise DefinitionError(
            _l(
                'The key "%(key)s" is invalid: use Latin letters, digits and "_", '
                "not a digit first, at most %(length)s characters.",
                key=key,
                length=MAX_KEY_LENGTH,
            ),
            path,
        )
    if key in used:
        raise DefinitionError(_l('The key "%(key)s" is used more than once.', key=key), path)
    used.add(key)


def _check_question(question, path: str, types: tuple[str, ...], used: set[str]) -> None:
    _check_dict(question, path)
    _check_key(question.get("key"), used, f"{path}.key")
    kind = question.get("type")
    if kind not in types:
        raise DefinitionError(
            _l('The question type "%(type)s" is not allowed here.', type=kind), f"{path}.type"
        )
    if kind in CHOICE_TYPES:
        _check_options(question.get("choices"), f"{path}.choices", _l("Add at least one option."))
    if kind == "matrix":
        _check_options(question.get("rows"), f"{path}.rows", _l("Add at least one row."))
    if kind == "table":
        _check_columns(question.get("columns"), f"{path}.columns")
    _check_bounds(question, path)


def _check_options(options, path: str, missing_message) -> None:
    if not isinstance(options, list) or not options:
        raise DefinitionError(missing_message, path)
    codes: set[str] = set()
    for index, option in enumerate(options):
        code = option.get("code") if isinstance(option, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise DefinitionError(_l("Every option needs a code."), f"{path}[{index}].code")
        if code in codes:
            raise DefinitionError(
                _l('The code "%(code)s" is used more than once.', code=code),
                f"{path}[{index}].code",
            )
        codes.add(code)


def _check_columns(columns, path: str) -> None:
    if not isinstance(columns, list) or not columns:
        raise DefinitionError(_l("Add at least one column."), path)
    keys: set[str] = set()
    for index, column in enumerate(columns):
        column_path = f"{path}[{index}]"
        _check_dict(column, column_path)
        if any(column.get(name) for name in ("condition", "rows", "columns")):
            raise DefinitionError(
                _l("A table column cannot have a condition, rows or columns."), column_path
            )
        _check_question(column, column_path, COLUMN_TYPES, keys)


BOUND_PARSERS = {
    **dict.fromkeys(("integer", "decimal"), to_number),
    "scale": lambda raw: _whole(raw, minimum=None),
    "date": to_iso_date,
    **dict.fromkeys(("text", "textarea", "multiple", "table"), lambda raw: _whole(raw, 0)),
}


def _whole(raw, minimum) -> Decimal | None:
    number = to_number(raw)
    if number is None or number != number.to_integral_value():
        return None
    return None if minimum is not None and number < minimum else number


def _check_bounds(question: dict, path: str) -> None:
    parse = BOUND_PARSERS.get(question["type"])
    if parse is None:
        return
    bounds = []
    for name in ("min", "max"):
        raw = question.get(name)
        bound = _bound(question, name, parse)
        if bound is None and raw not in (None, ""):
            raise DefinitionError(
                _l('"%(value)s" is not a valid bound.', value=raw), f"{path}.{name}"
            )
        bounds.append(bound)
    low, high = bounds
    if question["type"] == "scale":
        low = Decimal(DEFAULT_SCALE[0]) if low is None else low
        high = Decimal(DEFAULT_SCALE[1]) if high is None else high
    if low is not None and high is not None and low > high:
        raise DefinitionError(_l("The minimum is greater than the maximum."), f"{path}.min")


def _check_condition(condition, earlier: dict[str, dict], form_keys: set, path: str) -> None:
    known = {key: question["type"] for key, question in earlier.items()}
    try:
        check_condition(condition, known, form_keys=form_keys)
    except ConditionError as error:
        raise DefinitionError(error.message, path) from None
    for comparison in comparisons(condition):
        question = earlier[comparison["key"]]
        if question["type"] in ("single", "multiple") and comparison["op"] in (
            "eq",
            "ne",
            "in",
            "contains",
        ):
            _check_codes(comparison, question, path)


def _check_codes(comparison: dict, question: dict, path: str) -> None:
    value = comparison.get("value")
    codes = _codes(question)
    for item in value if comparison["op"] == "in" else [value]:
        if str(item) not in codes:
            raise DefinitionError(
                _l(
                    'The value "%(value)s" does not suit question "%(key)s".',
                    value=item,
                    key=comparison["key"],
                ),
                path,
            )
