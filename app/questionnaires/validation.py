"""Checking whole responses (cleaning.py cleans one value; definition_check.py checks whole
definitions).

The form is walked in order. Each question sees the clean answers of the visible questions
before it: its condition, its required-if, its choice filter, its constraint and its
calculation are evaluated over them, so a later calculation can use an earlier one.
"""

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.answer_rules import (
    default_value,
    fill_row,
    other_text,
    row_count,
    value_problem,
)
from app.questionnaires.cleaning import (
    KEY,
    MAX_KEY_LENGTH,
    REQUIRED,
    TOO_LOW,
    AnswerError,
    bound_value,
    clean_value,
    entered,
    format_decimal,
    option_codes,
)
from app.questionnaires.conditions import (
    all_questions,
    holds,
    is_required,
    is_unanswered,
    other_key,
)
from app.questionnaires.evaluation import Context, computed, context_of

__all__ = [
    "KEY",
    "MAX_KEY_LENGTH",
    "AnswerError",
    "bound_value",
    "clean_value",
    "default_answers",
    "draft_answers",
    "format_decimal",
    "option_codes",
    "sanitize_answers",
    "validate_answers",
]

MAX_ANSWERS_BYTES = 2 * 1024 * 1024


def answer_keys(definition: dict) -> set[str]:
    """The keys a response may hold: its questions' and the texts of their options "other"."""
    keys = set()
    for question in all_questions(definition):
        keys.update(key for key in (question["key"], other_key(question)) if key)
    return keys


def sanitize_answers(definition: dict, answers: dict) -> dict:
    """Only the keys of the form's questions, and not more data than a form could hold (a
    draft is stored as typed, before cleaning)."""
    if not isinstance(answers, dict):
        raise DomainError(_l("The answers could not be read."))
    keys = answer_keys(definition)
    clean = {key: value for key, value in answers.items() if key in keys}
    if len(repr(clean).encode()) > MAX_ANSWERS_BYTES:
        raise DomainError(_l("The answers are too large to be saved."))
    return clean


def validate_answers(
    definition: dict, raw_answers: dict, *, complete: bool, today=None
) -> tuple[dict, dict]:
    """Cleans the answers of a response: returns (clean answers, errors).

    Only visible questions count: their valid, non-empty values are the clean answers; hidden
    questions lose their values and are never required. A visible multiple choice with nothing
    ticked is answered with the empty selection ``[]`` (the school saw it and chose none), unless
    it is required; a hidden one has no answer at all ("not shown"). Conditions see clean
    values, so an invalid answer is unanswered for them. ``complete`` (a submission) also
    reports required visible questions left unanswered; a draft reports only values that cannot
    be accepted. Calculate questions get the value of their calculation (what was typed for
    them is ignored); ``today`` is the date today() gives, by default the district's today.

    ``errors`` maps a question key (or the key of an "other" text) to a message, in the order of
    the form; for a table the entry is always a dict ``{"rows": {row index: {column key:
    message}}, "message": message}``: "rows" is always there (possibly empty; a row index counts
    the submitted rows, empty ones included), "message" only when the table as a whole is wrong
    (row count, required, shape).
    """
    check = _Check(raw_answers, complete, context_of(definition, today))
    for section in definition.get("sections") or ():
        if holds(section.get("condition"), check.answers, check.context):
            for question in section.get("questions") or ():
                if holds(question.get("condition"), check.answers, check.context):
                    check.question(question)
    return check.answers, check.errors


class _Check:
    def __init__(self, raw_answers: dict, complete: bool, context: Context):
        self.raw, self.complete, self.context = raw_answers, complete, context
        self.answers: dict = {}
        self.errors: dict = {}

    def question(self, question: dict) -> None:
        key, kind = question["key"], question["type"]
        if kind == "calculate":
            value = computed(question["calculation"], self.answers, self.context)
            if value is not None:
                self.answers[key] = value
            return
        required = is_required(question, self.answers, self.context)
        rules = _TableRules(question, self.answers, self.context) if kind == "table" else None
        try:
            value = self._value(question, required, rules)
        except AnswerError as error:
            self.errors[key] = _error_entry(question, error)
            return
        if value is not None:
            self.answers[key] = value
            self._other(question, value)
        elif self.complete and rules and rules.count:
            self.errors[key] = _error_entry(question, AnswerError(TOO_LOW["rows"](rules.count)))
        elif self.complete and required:
            self.errors[key] = _error_entry(question, AnswerError(REQUIRED))
        elif kind == "multiple":
            self.answers[key] = []  # none ticked

    def _value(self, question: dict, required: bool, rules):
        raw = self.raw.get(question["key"])
        value = clean_value(question, raw, complete=self.complete, required=required, rules=rules)
        problem = rules is None and value_problem(question, value, self.answers, self.context)
        if problem:
            raise AnswerError(problem)
        return value

    def _other(self, question: dict, value) -> None:
        text, missing = other_text(question, value, self.raw)
        if text:
            self.answers[other_key(question)] = text
        elif missing and self.complete:
            self.errors[other_key(question)] = REQUIRED


class _TableRules:
    """The rules of a table's expressions, given the answers before it (cleaning.TableRules)."""

    def __init__(self, question: dict, answers: dict, context: Context):
        self.question, self.answers, self.context = question, answers, context
        self.count = row_count(question, answers, context)

    def fill(self, rows: list[dict], position: int) -> dict:
        return fill_row(self.question, rows, position, self.answers, self.context)


def _error_entry(question: dict, error: AnswerError):
    if question["type"] != "table":
        return error.message
    entry = {"rows": error.rows}
    if error.message is not None:
        entry["message"] = error.message
    return entry


# What a draft stores


def default_answers(definition: dict, today=None) -> dict:
    """The initial answers of a new response: the defaults of its questions, in form order (a
    default may read an earlier one)."""
    context = context_of(definition, today)
    answers: dict = {}
    for question in all_questions(definition):
        value = default_value(question, answers, context)
        if value is not None:
            answers[question["key"]] = value
    return answers


def draft_answers(definition: dict, raw_answers: dict, stored: dict, *, today=None):
    """What a draft stores, and its problems (validate_answers of a draft).

    The answers are kept as typed, except what the school cannot type: a read-only answer keeps
    its ``stored`` value (its default), and the values of calculate questions and of computed
    table cells are the server's, whatever the browser sent.
    """
    raw = dict(raw_answers)
    for question in all_questions(definition):
        key = question["key"]
        if question["type"] == "calculate" or question.get("read_only"):
            raw.pop(key, None)
            if question["type"] != "calculate" and key in stored:
                raw[key] = stored[key]
        elif question["type"] == "table" and isinstance(raw.get(key), list):
            raw[key] = _typed_cells(question, raw[key])
    clean, errors = validate_answers(definition, raw, complete=False, today=today)
    for question in all_questions(definition):
        key = question["key"]
        if question["type"] == "calculate" and key in clean:
            raw[key] = clean[key]
        elif question["type"] == "table" and key in clean:
            raw[key] = _with_computed_cells(question, raw[key], clean[key])
    return raw, errors


def _typed_cells(question: dict, rows: list) -> list:
    computed_keys = {column["key"] for column in question["columns"] if not entered(column)}
    return [
        {key: value for key, value in row.items() if key not in computed_keys}
        if isinstance(row, dict)
        else row
        for row in rows
    ]


def _with_computed_cells(question: dict, rows: list, clean_rows: list) -> list:
    """The typed rows with the computed cells of their clean rows (one clean row for each typed
    row that has a typed cell, in order)."""
    computed_keys = [column["key"] for column in question["columns"] if not entered(column)]
    typed_keys = [column["key"] for column in question["columns"] if entered(column)]
    clean = iter(clean_rows)
    result = []
    for row in rows:
        if isinstance(row, dict) and not all(is_unanswered(row.get(key)) for key in typed_keys):
            cells = next(clean, {})
            row = {**row, **{key: cells[key] for key in computed_keys if key in cells}}
        result.append(row)
    return result
