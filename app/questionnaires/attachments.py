"""File answers name only files the answering organization uploaded for that question.

One check for monitorings and contest entries alike: each supplies the files its holder
uploaded, and a file answer naming any other file (another school's, another question's, an id
that does not exist) is refused. The name shown with the answer is the uploaded file's own, so a
crafted display name cannot relabel a file.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.conditions import all_questions, is_unanswered


@dataclass(frozen=True)
class Uploaded:
    question_key: str
    name: str


def file_keys(definition: dict) -> list[str]:
    return [question["key"] for question in all_questions(definition) if question["type"] == "file"]


def check_own_files(
    definition: dict, answers: dict, uploaded: Callable[[list[str]], Mapping[int, Uploaded]]
) -> dict:
    """The answers with every file answer checked against ``uploaded(question keys)`` (file id →
    Uploaded, called only when there is a file answer) and named as uploaded."""
    keys = [key for key in file_keys(definition) if not is_unanswered(answers.get(key))]
    if not keys:
        return answers
    files = uploaded(keys)
    checked = dict(answers)
    for key in keys:
        value = answers[key]
        file_id = value.get("id") if isinstance(value, dict) else None
        own = files.get(file_id) if type(file_id) is int else None
        if own is None or own.question_key != key:
            raise DomainError(_l("Attach the file again."), key)
        checked[key] = {"id": file_id, "name": own.name}
    return checked
