"""Definitions as JSON files, and the one normalised shape every reader returns.

A normalised definition has every key of spec.py that has a meaning for it: a form its title,
description, form_id and version; a section its key, title, description, condition and
questions; a question its key, type, label, help, required and condition (table columns have no
condition), plus its settings (min, max, choices, rows, columns, display, constraint_message,
constraint, calculation, default, read_only, choice_filter, other, repeat_count) only when they
are set, as the database stores them. Defaults are filled in: a single choice is shown as
"radio", a scale runs 1..5. Numbers follow the conditions' rule: int when integral, otherwise
text with a dot ("0.25"). Conditions are normalised by relevant.normalize_condition, except those
holding an expression, which are kept as they are; expressions (ASTs) are kept as they are.
"required" is a bool, or the condition under which the question is required.
"""

import json
import math
import re

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.definition_check import check_definition, check_size
from app.questionnaires.languages import normalize_languages
from app.questionnaires.relevant import normalize_condition, number_value
from app.questionnaires.spec import DEFAULT_SCALE

# Containers nested in a definition: a form with conditions nested MAX_DEPTH levels (two
# containers a level) stays well within it.
MAX_NESTING = 64
SETTINGS = (
    "min", "max", "choices", "rows", "columns", "display", "constraint_message", "constraint",
    "calculation", "default", "read_only", "choice_filter", "other", "repeat_count", "authors",
)  # fmt: skip
FLAGS = ("read_only", "other", "authors")
NUMBER_TEXT = re.compile(r"-?\d+(?:\.\d+)?\Z")


class JsonFormError(DomainError):
    status_code = 400


def read_json(data: bytes | str, *, max_questions: int | None = None) -> dict:
    """A checked, normalised definition from the text of a JSON export, with at most
    ``max_questions`` questions and table columns when given."""
    try:
        definition = json.loads(data)
    except ValueError:  # not UTF-8, not JSON, or an integer of more than 4,300 digits
        raise JsonFormError(_l("The file is not valid JSON."), field="file") from None
    except RecursionError:
        raise _too_deep() from None
    if _nesting(definition) > MAX_NESTING:
        raise _too_deep()
    _check_shape(definition)
    if max_questions is not None:
        check_size(definition["sections"], max_questions)
    definition = normalize_definition(definition)
    check_definition(definition)
    return definition


def write_json(definition: dict) -> bytes:
    text = json.dumps(normalize_definition(definition), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def _too_deep() -> JsonFormError:
    return JsonFormError(
        _l("The file is nested too deeply: at most %(depth)s levels.", depth=MAX_NESTING),
        field="file",
    )


def _nesting(value) -> int:
    """How many lists and objects nest in a JSON value, counted without recursion; a value that
    cannot be stored (NUL and NaN, which PostgreSQL refuses; a lone surrogate, which is no
    UTF-8; Infinity) is refused on the way."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            if not _storable(item):
                raise JsonFormError(
                    _l("The file contains values that cannot be stored."), field="file"
                )
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def _storable(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if not isinstance(value, str):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\0" not in value


def _check_shape(definition) -> None:
    if not isinstance(definition, dict) or not isinstance(definition.get("sections"), list):
        raise JsonFormError(_l("The file does not describe a form: no list of sections."))
    for section in definition["sections"]:
        if not isinstance(section, dict) or not isinstance(section.get("questions", []), list):
            raise JsonFormError(_l("The file does not describe a form: a section is malformed."))
        if not all(isinstance(question, dict) for question in section.get("questions", [])):
            raise JsonFormError(_l("The file does not describe a form: a question is malformed."))


def normalize_definition(definition: dict) -> dict:
    """The normalised shape of a definition (see the module docstring); the input is kept."""
    known = {
        "title": _text(definition.get("title")),
        "description": _text(definition.get("description")),
        "form_id": _text(definition.get("form_id")),
        "version": _text(definition.get("version")),
        **({"style": _text(definition["style"])} if definition.get("style") else {}),
        "sections": [_section(section) for section in definition.get("sections") or []],
    }
    return normalize_languages(_with_extras(known, definition, skip=("style",)))


def _section(section: dict) -> dict:
    known = {
        "key": section.get("key"),
        "title": _text(section.get("title")),
        "description": _text(section.get("description")),
        "condition": _condition(section.get("condition")),
        "questions": [question_dict(question) for question in section.get("questions") or []],
    }
    return _with_extras(known, section)


def question_dict(question: dict, *, column: bool = False) -> dict:
    """A question (or a table column) in the normalised shape."""
    known = {
        "key": question.get("key"),
        "type": question.get("type"),
        "label": _text(question.get("label")),
        "help": _text(question.get("help")),
        "required": _required(question.get("required")),
    }
    if not column or question.get("condition") is not None:
        known["condition"] = _condition(question.get("condition"))
    result = _with_extras(known, question, skip=("condition", *SETTINGS))
    result.update(_settings(question))
    return result


def _condition(condition):
    return condition if _holds_expression(condition) else normalize_condition(condition)


def _holds_expression(condition) -> bool:
    stack = [condition]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "expr" in item:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _required(required):
    return _condition(required) if isinstance(required, dict) else bool(required)


def _with_extras(known: dict, original: dict, skip=()) -> dict:
    """``known`` followed by the keys it does not name, left for check_definition to judge."""
    extras = {key: value for key, value in original.items() if key not in known and key not in skip}
    return {**known, **extras}


def _settings(question: dict) -> dict:
    settings = {name: question.get(name) for name in SETTINGS}
    if question.get("type") == "single":
        settings["display"] = settings["display"] or "radio"
    if question.get("type") == "scale":
        settings["min"] = DEFAULT_SCALE[0] if settings["min"] in (None, "") else settings["min"]
        settings["max"] = DEFAULT_SCALE[1] if settings["max"] in (None, "") else settings["max"]
    settings["min"], settings["max"] = _bound(settings["min"]), _bound(settings["max"])
    settings["constraint_message"] = _text(settings["constraint_message"])
    for name in FLAGS:
        settings[name] = None if settings[name] is False else settings[name]
    settings["choices"] = _options(settings["choices"])
    settings["rows"] = _options(settings["rows"])
    if isinstance(settings["columns"], list):
        settings["columns"] = [
            question_dict(item, column=True) if isinstance(item, dict) else item
            for item in settings["columns"]
        ]
    return {name: value for name, value in settings.items() if value not in (None, "", [])}


def _bound(value):
    if isinstance(value, float):
        return number_value(repr(value))
    if isinstance(value, str) and NUMBER_TEXT.match(value.strip()):
        return number_value(value.strip())
    return value.strip() if isinstance(value, str) else value


def _options(options):
    if not isinstance(options, list):
        return options
    return [
        {**option, "code": _text(option.get("code")), "label": _text(option.get("label"))}
        if isinstance(option, dict)
        else option
        for option in options
    ]


def _text(value) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)
