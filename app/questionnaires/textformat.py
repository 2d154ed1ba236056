"""The builder's plain-text fields: options as "code | label" lines, table columns as
"key | type | label | * | a=Label; b=Label" lines, expressions as XLSForm text."""

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.expressions import ExpressionError, parse, to_text
from app.questionnaires.keys import key_from_text, unique_key
from app.questionnaires.relevant import parse_condition, to_relevant
from app.questionnaires.spec import COLUMN_TYPES, SIMPLE_TYPES
from app.questionnaires.xlsform_columns import RowError
from app.questionnaires.xlsform_expressions import read_default, write_default

SEPARATOR = "|"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_options(text: str, field: str) -> list[dict]:
    """Options from lines; a line without a code gets the next free number as its code."""
    options, codes = [], set()
    for line in _lines(text):
        code, _, label = (part.strip() for part in line.partition(SEPARATOR))
        if not label:
            code, label = "", code
        options.append({"code": code, "label": label})
        codes.add(code)
    number = 1
    for option in options:
        if not option["code"]:
            while str(number) in codes:
                number += 1
            option["code"] = str(number)
            codes.add(option["code"])
    return options


def format_options(options: list[dict] | None) -> str:
    return "\n".join(f"{option['code']} {SEPARATOR} {option['label']}" for option in options or [])


def _inline_options(text: str) -> list[dict]:
    options = []
    for item in text.split(";"):
        code, _, label = (part.strip() for part in item.partition("="))
        if code:
            options.append({"code": code, "label": label or code})
    return options


BOUNDS_SEPARATOR = ".."


def parse_columns(text: str, field: str) -> list[dict]:
    """Columns from lines "key | type | title | * | options | min..max"; a line without a key
    gets one made from its title, and a line of a title alone is a text column."""
    lines = _lines(text)
    columns = []
    taken = {line.split(SEPARATOR)[0].strip() for line in lines if SEPARATOR in line}
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in line.split(SEPARATOR)]
        if len(parts) == 1:
            parts = ["", "text", parts[0]]
        key, kind, label, required, options, bounds = (parts + [""] * 5)[:6]
        if kind not in COLUMN_TYPES:
            raise DomainError(
                _l('Line %(line)s: unknown column type "%(type)s".', line=number, type=kind),
                field=field,
            )
        if not key:
            key = unique_key(key_from_text(label, "col"), taken)
            taken.add(key)
        # a calculated column is not shown to the school, so it may go without a title
        title = label or ("" if kind == "calculate" else key)
        column = {"key": key, "type": kind, "label": title, "required": required == "*"}
        if kind in ("single", "multiple"):
            column["choices"] = _inline_options(options)
        if kind in BOUNDED_TYPES and bounds:
            low, _, high = bounds.partition(BOUNDS_SEPARATOR)
            column.update(
                (name, value)
                for name, value in (("min", _bound(low)), ("max", _bound(high)))
                if value is not None
            )
        columns.append(column)
    return columns


def _format_bounds(column: dict) -> str:
    low, high = column.get("min"), column.get("max")
    if low is None and high is None:
        return ""
    return f"{'' if low is None else low}{BOUNDS_SEPARATOR}{'' if high is None else high}"


def format_columns(columns: list[dict] | None) -> str:
    lines = []
    for column in columns or []:
        options = "; ".join(f"{o['code']}={o['label']}" for o in column.get("choices") or [])
        parts = [
            column["key"],
            column["type"],
            column.get("label", ""),
            "*" if column.get("required") else "",
            options,
            _format_bounds(column),
        ]
        lines.append(f" {SEPARATOR} ".join(parts).rstrip(f" {SEPARATOR}"))
    return "\n".join(lines)


BOUNDED_TYPES = ("integer", "decimal", "scale", "date", "text", "textarea", "multiple", "table")
OTHER_TYPES = ("single", "multiple")
AUTHORS_TYPES = ("text", "textarea")  # the answer names a contest entry's authors
# The settings of a question the builder's page shows: those of every question, then those it
# shows for some types only. Saving replaces these; any other setting of a stored question
# is kept (builder.update_question).
ALWAYS_SHOWN = ("key", "type", "label", "help", "required", "condition", "constraint_message")
SHOWN_FOR = {
    "min": BOUNDED_TYPES,
    "max": BOUNDED_TYPES,
    "constraint": SIMPLE_TYPES,
    "default": SIMPLE_TYPES,
    "read_only": SIMPLE_TYPES,
    "choices": ("single", "multiple", "matrix"),
    "display": ("single",),
    "rows": ("matrix",),
    "columns": ("table",),
    "other": OTHER_TYPES,
    "choice_filter": OTHER_TYPES,
    "authors": AUTHORS_TYPES,
    "calculation": ("calculate",),
}
COLUMN_FORM_KEYS = ("key", "type", "label", "required", "choices", "min", "max")


def form_keys(kind: str) -> tuple[str, ...]:
    """The settings the page shows for a question of type ``kind``."""
    return ALWAYS_SHOWN + tuple(name for name, kinds in SHOWN_FOR.items() if kind in kinds)


# Expressions the form edits as text, and the question types each applies to.
EXPRESSION_FIELDS = {
    "calculation": ("calculate",),
    "constraint": SIMPLE_TYPES,
    "choice_filter": OTHER_TYPES,
}


def _bound(text: str):
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def _expression(text: str | None, field: str):
    """The syntax tree of an expression field; None when it is empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse(text, allow_names=field == "choice_filter")
    except ExpressionError as error:
        raise DomainError(error.message, field=field) from None


def _default(text: str | None, kind: str):
    """A default as XLSForm writes it: a literal of the question's type, or an expression."""
    if not (text or "").strip():
        return None
    try:
        return read_default(text, kind)
    except (RowError, ExpressionError) as error:
        raise DomainError(error.message, field="default") from None


def condition_from_text(text: str | None, field: str, stored=None):
    """A condition from XLSForm text: structured when it can be, else an expression; the
    ``stored`` one while the text is left as it was shown (so an expression the menus could
    also say stays as it was written)."""
    if isinstance(stored, dict) and (text or "").strip() == to_relevant(stored):
        return stored
    try:
        return parse_condition(text or "")
    except ExpressionError as error:
        raise DomainError(error.message, field=field) from None


def _required(fields: dict, kind: str, stored):
    if kind in ("note", "calculate"):
        return False
    condition = condition_from_text(fields.get("required_if"), "required_if", stored)
    return condition if condition is not None else bool(fields.get("required"))


def question_from_fields(fields: dict, stored: dict | None = None) -> dict:
    """A question dict from the builder's fields; only the settings its type uses are kept.
    ``stored`` is the question being edited, if any."""
    kind = fields["type"]
    stored = stored or {}
    question = {
        "key": fields["key"].strip(),
        "type": kind,
        "label": (fields.get("label") or "").strip(),
        "help": (fields.get("help") or "").strip(),
        "required": _required(fields, kind, stored.get("required")),
        "condition": condition_from_text(
            fields.get("condition"), "condition", stored.get("condition")
        ),
    }
    if kind in BOUNDED_TYPES:
        question["min"], question["max"] = _bound(fields.get("min")), _bound(fields.get("max"))
    if kind in ("single", "multiple", "matrix"):
        question["choices"] = parse_options(fields.get("choices", ""), "choices")
    if kind == "single":
        question["display"] = fields.get("display") or "radio"
    if kind == "matrix":
        question["rows"] = parse_options(fields.get("rows", ""), "rows")
    if kind == "table":
        question["columns"] = parse_columns(fields.get("columns", ""), "columns")
    if fields.get("constraint_message"):
        question["constraint_message"] = fields["constraint_message"].strip()
    question.update(_features(fields, kind))
    return question


def _features(fields: dict, kind: str) -> dict:
    """The expression settings and flags the question's type takes, those that are set."""
    features = {}
    for name, kinds in EXPRESSION_FIELDS.items():
        if kind in kinds:
            features[name] = _expression(fields.get(name), name)
    if kind in SIMPLE_TYPES:
        features["default"] = _default(fields.get("default"), kind)
        features["read_only"] = bool(fields.get("read_only"))
    if kind in OTHER_TYPES:
        features["other"] = bool(fields.get("other"))
    if kind in AUTHORS_TYPES:
        features["authors"] = bool(fields.get("authors"))
    return {name: value for name, value in features.items() if value not in (None, False)}


def _text(ast) -> str:
    return to_text(ast) if ast is not None else ""


def fields_from_question(question: dict) -> dict:
    required = question.get("required")
    return {
        **{name: question.get(name) for name in ("key", "type", "label", "help")},
        "required": required is True,
        "required_if": to_relevant(required) if isinstance(required, dict) else "",
        "condition": to_relevant(question.get("condition")),
        "min": "" if question.get("min") is None else str(question["min"]),
        "max": "" if question.get("max") is None else str(question["max"]),
        "constraint_message": question.get("constraint_message") or "",
        "choices": format_options(question.get("choices")),
        "rows": format_options(question.get("rows")),
        "columns": format_columns(question.get("columns")),
        "display": question.get("display") or "radio",
        **{name: _text(question.get(name)) for name in EXPRESSION_FIELDS},
        "default": write_default(question),
        "read_only": question.get("read_only") is True,
        "other": question.get("other") is True,
        "authors": question.get("authors") is True,
    }
