"""Texts of a form with ``${key}`` in them (a note, a label) filled in with the answers, as the
filling page shows them (``shown`` in static/js/fill-logic.js): choice labels for codes, numbers
and dates the Russian way, nothing for an unanswered question."""

import re

from flask_babel import gettext as _

from app.core.numbers import grouped
from app.questionnaires.conditions import all_questions, is_unanswered, to_iso_date, to_number
from app.questionnaires.spec import NO, OTHER, YES

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill_in(text: str | None, definition: dict, answers: dict) -> str:
    if not text or "${" not in text:
        return text or ""
    questions = {question["key"]: question for question in all_questions(definition)}

    def answer(match: re.Match) -> str:
        question = questions.get(match[1])
        return answer_words(question, answers.get(match[1])) if question else match[0]

    return REFERENCE.sub(answer, text)


def answer_words(question: dict, value) -> str:
    """A scalar or multiple-choice answer as plain words; tables, matrices and files give ""."""
    if is_unanswered(value) or isinstance(value, dict):
        return ""
    labels = _labels(question)
    if isinstance(value, list):
        if not all(isinstance(code, str) for code in value):
            return ""
        return ", ".join(labels.get(code, code) for code in value)
    number = to_number(value)
    if number is not None and question["type"] in ("integer", "decimal", "scale", "calculate"):
        return grouped(number)
    iso = to_iso_date(value)
    if iso and question["type"] in ("date", "calculate"):
        return f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}"
    return labels.get(str(value), str(value))


def _labels(question: dict) -> dict[str, str]:
    labels = {choice["code"]: choice["label"] for choice in question.get("choices") or ()}
    if question["type"] == "yesno":
        labels.update({YES: _("Yes"), NO: _("No")})
    if question.get("other"):
        labels.setdefault(OTHER, _("Other"))
    return labels
