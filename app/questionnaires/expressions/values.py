"""The values an expression computes and the XPath conversions between them.

A value is a number (float), a string, a boolean, a date (``datetime.date``) or a nodeset (a
list of values: the cells of a table column, the rows of a table). Negative zero never
appears: every number made here passes through ``number``, so that the browser, where it
could show up in other places, computes the same ``1 div x``.
"""

import math
import re
from datetime import date as Date
from datetime import timedelta

from app.questionnaires.expressions.numbers import format_number

NAN = math.nan
EPOCH = Date(1970, 1, 1)
FIRST_DAY = (Date.min - EPOCH).days
LAST_DAY = (Date.max - EPOCH).days
_NUMERIC = re.compile(r"[ \t\n\r]*(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)[ \t\n\r]*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SPACES = re.compile(r"[ \t\n\r]+")


def number(value: float) -> float:
    return 0.0 if value == 0 else float(value)


def is_numeric(text: str) -> bool:
    return _NUMERIC.fullmatch(text) is not None


def as_number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        match = _NUMERIC.fullmatch(value)
        return number(float(match.group(1))) if match else NAN
    if isinstance(value, Date):
        return float((value - EPOCH).days)
    if isinstance(value, list):
        return as_number(value[0]) if value else NAN
    return NAN


def as_string(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Date):
        return value.isoformat()
    if isinstance(value, list):
        return as_string(value[0]) if value else ""
    return ""


def as_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    if isinstance(value, str | list):
        return len(value) > 0
    return isinstance(value, Date)


def stored_value(value) -> str | float | int | None:
    """What a calculate stores: None for '' and for NaN/±Infinity, an int when integral."""
    if isinstance(value, list):
        return stored_value(value[0]) if value else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, Date):
        return value.isoformat()
    return value or None


def typed(value) -> dict:
    """The value as JSON with its type, as the conformance table writes it."""
    if isinstance(value, list):
        return {"type": "nodeset", "value": [typed(item)["value"] for item in value]}
    if isinstance(value, bool):
        return {"type": "boolean", "value": value}
    if isinstance(value, float):
        return {"type": "number", "value": value if math.isfinite(value) else format_number(value)}
    if isinstance(value, Date):
        return {"type": "date", "value": value.isoformat()}
    return {"type": "string", "value": value}


def split_codes(value) -> list[str]:
    """The codes of a multiple choice: its text split on spaces."""
    return [code for code in _SPACES.split(as_string(value)) if code]


def read_answer(value):
    """An answer as spec.py stores it, as an expression reads it."""
    if value is None:
        return ""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list):
        return " ".join(_code(item) for item in value if _code(item) is not None)
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"]
    return ""


def _code(item) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, int | float) and not isinstance(item, bool):
        return format_number(number(item))
    return None


# Dates


def iso_date(text: str) -> Date | None:
    if _ISO_DATE.fullmatch(text) is None:
        return None
    try:
        return Date.fromisoformat(text)
    except ValueError:
        return None


def date_from_days(days: float) -> Date | None:
    if not math.isfinite(days) or not FIRST_DAY <= math.floor(days) <= LAST_DAY:
        return None
    return EPOCH + timedelta(days=math.floor(days))


def to_date(value) -> Date | None:
    """A date from a date, an ISO string or a number of days since 1970-01-01; None if none."""
    if isinstance(value, list):
        return to_date(value[0]) if value else None
    if isinstance(value, Date):
        return value
    if isinstance(value, str) and (found := iso_date(value)) is not None:
        return found
    if isinstance(value, bool):
        return None
    return date_from_days(as_number(value))


def day_number(value) -> float:
    """A value on the line of days: a date or an ISO string as its day, anything else as a
    number."""
    if isinstance(value, str) and (found := iso_date(value)) is not None:
        return float((found - EPOCH).days)
    return as_number(value)
