"""The logic of a question in words for the builder's list: «Показывается, если: «Есть ли
библиотека?» равно «Да»», and formulas and checks naming questions by their text instead of
``${key}``, so the list reads without knowing XLSForm."""

import re
from decimal import Decimal

from flask_babel import gettext as _

from app.core.numbers import grouped
from app.questionnaires.condition_menus import condition_rows, menu_question, texts
from app.questionnaires.relevant import to_relevant

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
DIVISION = re.compile(r"(?<=\s)div(?=\s)")


def _questions(definition: dict) -> list[dict]:
    return [
        menu_question(question)
        for section in definition["sections"]
        for question in section["questions"]
    ]


def named(text: str, definition: dict) -> str:
    """``text`` with each ``${key}`` replaced by the question's text in quotes, and ``div``
    written as the division sign."""
    labels = {question["key"]: question["label"] for question in _questions(definition)}
    labels.update(
        (column["key"], column.get("label") or column["key"])
        for section in definition["sections"]
        for question in section["questions"]
        for column in question.get("columns") or ()
    )
    text = REFERENCE.sub(lambda match: f"«{labels.get(match[1], match[1])}»", text)
    return DIVISION.sub("÷", text)


def condition_words(condition: dict | None, definition: dict) -> str:
    """A condition as the menus would say it, or its XLSForm text with questions named."""
    if condition is None:
        return ""
    questions = _questions(definition)
    shown = condition_rows(condition, questions)
    if not shown or not shown["rows"]:
        return named(to_relevant(condition), definition)
    words = texts()
    by_key = {question["key"]: question for question in questions}
    parts = [_row_words(row, by_key[row["key"]], words) for row in shown["rows"]]
    return f" {words['and' if shown['join'] == 'all' else 'or']} ".join(parts)


def _row_words(row: dict, question: dict, words: dict) -> str:
    operators = words["operators"]
    if question["type"] == "date" and row["op"] in words["dateOperators"]:
        operators = words["dateOperators"]
    phrase = f"«{question['label']}» {operators[row['op']]}"
    if not row["value"]:
        return phrase
    return f"{phrase} {_value_words(row['value'], question)}"


def _value_words(value: str, question: dict) -> str:
    if question["input"] == "choice":
        labels = {choice["code"]: choice["label"] for choice in question["choices"]}
        return f"«{labels.get(value, value)}»"
    if question["input"] == "number":
        return grouped(Decimal(value))
    if question["input"] == "date":
        year, month, day = value.split("-")
        return f"{day}.{month}.{year}"
    return f"«{value}»"


def shown_if(condition: dict | None, definition: dict) -> str:
    words = condition_words(condition, definition)
    return _("Shown if: %(condition)s", condition=words) if words else ""
