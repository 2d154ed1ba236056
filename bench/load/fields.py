"""What a browser posts for given answers: the filling page's field names (app.campaigns.formdata
reads them back), and a school's answers as the load generator types them."""

import random

from app.campaigns.formdata import SHOWN, field_name
from bench.form import fake_answers


def typed_answers(definition: dict, school: int, rng: random.Random) -> dict:
    """Answers a school types: the bench's plausible ones, without attached files (schools in
    the load scenario attach none)."""
    questions = {q["key"]: q for s in definition["sections"] for q in s["questions"]}
    answers = fake_answers(definition, rng, school)
    return {key: value for key, value in answers.items() if questions[key]["type"] != "file"}


def form_fields(definition: dict, answers: dict) -> list[tuple[str, str]]:
    """The (name, value) pairs of the filling page for ``answers``."""
    fields = []
    for section in definition["sections"]:
        for question in section["questions"]:
            key, kind = question["key"], question["type"]
            value = answers.get(key)
            if kind == "multiple":
                fields.append((field_name(key, SHOWN), "1"))
            if value is None:
                continue
            if kind == "multiple":
                fields.extend((field_name(key), code) for code in value)
            elif kind == "matrix":
                fields.extend((field_name(key, row), choice) for row, choice in value.items())
            elif kind == "table":
                for index, row in enumerate(value):
                    fields.extend(
                        (field_name(key, index, column), str(cell)) for column, cell in row.items()
                    )
            else:
                fields.append((field_name(key), str(value)))
    return fields
