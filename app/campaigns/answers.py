"""Typed answer rows from clean answer values, so that reports are SQL aggregates."""

from datetime import date
from decimal import Decimal

from app.campaigns.models import Answer
from app.questionnaires.conditions import to_number
from app.questionnaires.spec import NUMBER_BOUND

TEXT_TYPES = ("text", "textarea", "email", "phone")
NUMBER_TYPES = ("integer", "decimal", "scale")
CHOICE_TYPES = ("single", "yesno")


def _cells(kind: str, value) -> list[dict]:
    """The typed columns of one value; a multiple choice gives one per option."""
    if kind in TEXT_TYPES:
        return [{"value_text": str(value)}]
    if kind in NUMBER_TYPES:
        # a calculation may give a text or a number beyond what the column stores: no row
        number = to_number(value)
        return [] if number is None or abs(number) > NUMBER_BOUND else [{"value_number": number}]
    if kind in CHOICE_TYPES:
        return [{"value_choice": value}]
    if kind == "multiple":
        # none ticked is an answer too: one row without a choice, so that SQL counts the school
        return [{"value_choice": code} for code in value] or [{}]
    if kind == "date":
        return [{"value_date": date.fromisoformat(value)}]
    if kind == "file":
        return [{"value_text": value["name"], "value_number": Decimal(value["id"])}]
    return []


def answer_rows(questions: list[dict], answers: dict) -> list[Answer]:
    """The typed rows of clean answers; ``questions`` as definition.as_reported gives them."""
    rows = []
    for question in questions:
        key, kind = question["key"], question["type"]
        value = answers.get(key)
        if value in (None, "", {}) or (value == [] and kind != "multiple"):
            continue
        if kind == "matrix":
            for row_code, choice in value.items():
                rows.append(Answer(question_key=key, part=row_code, value_choice=choice))
        elif kind == "table":
            columns = {column["key"]: column["type"] for column in question["columns"]}
            for index, table_row in enumerate(value):
                for column_key, cell in table_row.items():
                    if cell in (None, "", []) or column_key not in columns:
                        continue
                    for typed in _cells(columns[column_key], cell):
                        rows.append(
                            Answer(question_key=key, row_index=index, part=column_key, **typed)
                        )
        else:
            rows.extend(Answer(question_key=key, **typed) for typed in _cells(kind, value))
    return rows
