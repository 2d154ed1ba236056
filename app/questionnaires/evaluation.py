"""Expressions of a definition evaluated over the answers of a response.

The environment is the one of the expression language (app.questionnaires.expressions): the
answers as spec.py stores them, which keys are table columns, the labels of the choices, and
the district's today. A ``Context`` holds what does not change while one response is checked.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.core.timefmt import local_today
from app.questionnaires.expressions import as_boolean, evaluate, stored_value
from app.questionnaires.spec import OTHER

OTHER_LABEL = _l("Other")


@dataclass(frozen=True)
class Context:
    tables: dict[str, list[str]]
    choices: dict[str, dict[str, str]]
    today: str


def _questions_and_columns(definition: dict):
    for section in definition.get("sections") or ():
        for question in section.get("questions") or ():
            yield question
            yield from question.get("columns") or ()


def choice_labels(question: dict) -> dict[str, str]:
    """Code -> label of a question's options, the option "other" included when it has one."""
    labels = {option["code"]: option["label"] for option in question.get("choices") or ()}
    if question.get("other"):
        labels[OTHER] = str(OTHER_LABEL)
    return labels


def context_of(definition: dict, today: date | None = None) -> Context:
    items = list(_questions_and_columns(definition))
    return Context(
        tables={
            item["key"]: [column["key"] for column in item.get("columns") or ()]
            for item in items
            if item.get("type") == "table"
        },
        choices={item["key"]: choice_labels(item) for item in items if item.get("choices")},
        today=(today or local_today()).isoformat(),
    )


def empty_context() -> Context:
    return Context(tables={}, choices={}, today=local_today().isoformat())


def value_of(ast, answers: dict, context: Context, *, current=None, row=None, choice=None):
    """The value of ``ast``; ``current`` is the key "." stands for, ``row`` the table row
    ({"table": key, "index": 0-based}) evaluated in, ``choice`` the choices row of a filter."""
    env = {
        "answers": answers,
        "current": current,
        "row": row,
        "tables": context.tables,
        "choices": context.choices,
        "choice": choice,
        "today": context.today,
    }
    return evaluate(ast, env)


def is_true(ast, answers: dict, context: Context, **where) -> bool:
    return as_boolean(value_of(ast, answers, context, **where))


def computed(ast, answers: dict, context: Context, **where):
    """What a calculation stores: int, float or str; None when it has no value (empty, NaN)."""
    return stored_value(value_of(ast, answers, context, **where))
