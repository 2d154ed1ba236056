"""The rules of a question written as expressions (spec.py), applied to clean answers:
constraints, filtered choices, calculated values, the row count of a table, the text of
"other".

``answers`` are the clean answers of the visible questions before the one checked (the server
walks the form in order, as check_definition makes every expression read earlier questions).
"""

from flask_babel import lazy_gettext as _l

from app.questionnaires.cleaning import CHOOSE, AnswerError, clean_value
from app.questionnaires.conditions import is_unanswered
from app.questionnaires.evaluation import Context, choice_labels, computed, is_true, value_of
from app.questionnaires.expressions import as_number
from app.questionnaires.spec import OTHER

CONSTRAINT = _l("The value does not meet the condition set for this question.")


def constraint_problem(question: dict, value, answers: dict, context: Context, **where):
    """The message for a value its question's constraint refuses, or None; ``where`` places a
    table cell ({"row": {"table": key, "index": i}})."""
    constraint = question.get("constraint")
    if constraint is None or is_unanswered(value):
        return None
    key = question["key"]
    here = answers if where.get("row") else {**answers, key: value}
    if is_true(constraint, here, context, current=key, **where):
        return None
    return question.get("constraint_message") or CONSTRAINT


def offered_codes(question: dict, answers: dict, context: Context, **where) -> set[str]:
    """The codes of the options the choice filter keeps ("other" is always offered)."""
    labels = choice_labels(question)
    condition = question.get("choice_filter")
    if condition is None:
        return set(labels)
    extras = {option["code"]: option.get("extra") or {} for option in question["choices"]}
    offered = {OTHER} & set(labels)
    for code, label in labels.items():
        row = {**extras.get(code, {}), "name": code, "label": label}
        if code != OTHER and is_true(condition, answers, context, choice=row, **where):
            offered.add(code)
    return offered


def filter_problem(question: dict, value, answers: dict, context: Context, **where):
    if question.get("choice_filter") is None or is_unanswered(value):
        return None
    chosen = set(value) if isinstance(value, list) else {value}
    return None if chosen <= offered_codes(question, answers, context, **where) else CHOOSE


def value_problem(question: dict, value, answers: dict, context: Context, **where):
    """Why a type-clean value breaks its question's choice filter or constraint, or None."""
    return filter_problem(question, value, answers, context, **where) or constraint_problem(
        question, value, answers, context, **where
    )


def row_count(question: dict, answers: dict, context: Context) -> int | None:
    """The number of rows a table's repeat_count asks for; None without one or when it has no
    whole, non-negative value (e.g. the answer it reads is not given yet)."""
    if question.get("repeat_count") is None:
        return None
    number = as_number(value_of(question["repeat_count"], answers, context))
    if number != number or number < 0 or number != int(number) or number > 10**6:
        return None
    return int(number)


def fill_row(question: dict, rows: list, position: int, answers: dict, context: Context) -> dict:
    """Computes the calculated cells of row ``position`` (in column order, in place) and returns
    {column key: message} for the cells its rules refuse."""
    key, row = question["key"], rows[position]
    here = {**answers, key: rows}
    where = {"row": {"table": key, "index": position}}
    problems = {}
    for column in question["columns"]:
        name = column["key"]
        if column["type"] == "calculate":
            _put(row, name, computed(column["calculation"], here, context, current=name, **where))
        elif column.get("read_only"):
            _put(row, name, default_value(column, here, context, current=name, **where))
        elif message := value_problem(column, row.get(name), here, context, **where):
            problems[name] = message
    return problems


def _put(row: dict, key: str, value) -> None:
    if value is None:
        row.pop(key, None)
    else:
        row[key] = value


def default_value(question: dict, answers: dict, context: Context, **where):
    """The clean value of a question's default; None without one or when it does not suit the
    question (a default is never an error the school could not correct)."""
    if question.get("default") is None:
        return None
    value = computed(question["default"], answers, context, **where)
    if question["type"] == "multiple" and isinstance(value, str):
        value = value.split()
    try:
        return clean_value(question, value)
    except AnswerError:
        return None


def other_text(question: dict, value, raw_answers: dict) -> tuple[str | None, bool]:
    """The text of the option "other" when it is chosen, and whether it is missing."""
    if not question.get("other") or is_unanswered(value):
        return None, False
    chosen = value if isinstance(value, list) else [value]
    if OTHER not in chosen:
        return None, False
    raw = raw_answers.get(f"{question['key']}_{OTHER}")
    text = raw.strip() if isinstance(raw, str) else None
    return (text or None), not text
