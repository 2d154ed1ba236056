"""The builder's plain-text fields: options as "code | label" lines, table columns as
"key | type | label | * | a=Label; b=Label" lines."""

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.spec import COLUMN_TYPES

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


def parse_columns(text: str, field: str) -> list[dict]:
    columns = []
    for number, line in enumerate(_lines(text), start=1):
        parts = [part.strip() for part in line.split(SEPARATOR)] + ["", "", "", ""]
        key, kind, label, required, options = parts[:5]
        if kind not in COLUMN_TYPES:
            raise DomainError(
                _l('Line %(line)s: unknown column type "%(type)s".', line=number, type=kind),
                field=field,
            )
        column = {"key": key, "type": kind, "label": label or key, "required": required == "*"}
        if kind in ("single", "multiple"):
            column["choices"] = _inline_options(options)
        columns.append(column)
    return columns


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
        ]
        lines.append(f" {SEPARATOR} ".join(parts).rstrip(f" {SEPARATOR}"))
    return "\n".join(lines)


def _bound(text: str):
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def question_from_fields(fields: dict) -> dict:
    """A question dict from the builder's fields; only the settings its type uses are kept."""
    kind = fields["type"]
    question = {
        "key": fields["key"].strip(),
        "type": kind,
        "label": fields["label"].strip(),
        "help": (fields.get("help") or "").strip(),
        "required": bool(fields.get("required")) and kind != "note",
        "condition": fields.get("condition"),
    }
    if kind not in ("note", "file", "yesno", "single", "matrix", "email", "phone"):
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
    return question


def fields_from_question(question: dict) -> dict:
    return {
        **{name: question.get(name) for name in ("key", "type", "label", "help", "required")},
        "min": "" if question.get("min") is None else str(question["min"]),
        "max": "" if question.get("max") is None else str(question["max"]),
        "constraint_message": question.get("constraint_message") or "",
        "choices": format_options(question.get("choices")),
        "rows": format_options(question.get("rows")),
        "columns": format_columns(question.get("columns")),
        "display": question.get("display") or "radio",
    }
