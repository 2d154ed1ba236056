"""Conditions of sections and questions: checking their structure and evaluating them.

A condition is data (see ``spec.py``); it is walked here, never turned into code. Answers are
compared by their values alone: two values that both read as numbers compare as numbers (an
integer answer ``12``, a decimal answer ``"66.5"``, a condition value ``"12"``), two ISO dates
compare as dates, anything else compares as text. So a ``yes``/``no`` question, a choice code and
a date need no knowledge of the question's type at evaluation time. (The price: choice codes
"1" and "01" are equal.) For a multiple choice, ``eq`` and ``in`` hold for an answer of exactly
one option, as spec.py says of ``eq``; ``contains`` finds one option among several.
An ``{"expr": AST}`` condition holds when its expression is true (evaluation.py).
"""

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.evaluation import Context, context_of, empty_context, is_true
from app.questionnaires.expression_check import expression_problem
from app.questionnaires.spec import NO, NUMERIC_TYPES, OPERATORS, OTHER, YES

GROUPS = ("all", "any")
ORDERINGS = ("gt", "lt", "ge", "le")
EQUALITIES = ("eq", "ne", "in")
PRESENCE = ("answered", "empty")
# Question types whose answers can be compared with a single value.
COMPARABLE_TYPES = (
    *NUMERIC_TYPES,
    "text",
    "textarea",
    "email",
    "phone",
    "single",
    "multiple",
    "yesno",
    "date",
)
# Levels of all/any/not (brackets in XLSForm) a condition may nest: past any real form, well
# within the recursion of the walkers below.
MAX_DEPTH = 20
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ConditionError(DomainError):
    """A condition is malformed or does not fit the questions it refers to."""


# Reading values


def is_unanswered(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | dict | tuple) and not value


def to_number(value) -> Decimal | None:
    """The value as a finite Decimal when it is a number or a numeric string with a dot."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = Decimal(value.strip())
    else:
        return None
    return number if number.is_finite() else None


def to_iso_date(value) -> str | None:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _scalar(value):
    if isinstance(value, bool):
        return YES if value else NO
    return value


# Evaluating


def holds(condition, answers: dict, context: Context | None = None) -> bool:
    """Whether the condition holds for these answers; no condition always holds.

    ``context`` (evaluation.context_of the definition) is what an expression reads besides the
    answers; without it an expression sees no tables and no choice labels.
    """
    if condition is None:
        return True
    if not isinstance(condition, dict):
        raise ConditionError(_l("The condition is malformed."))
    if "all" in condition:
        return all(holds(part, answers, context) for part in _parts(condition, "all"))
    if "any" in condition:
        return any(holds(part, answers, context) for part in _parts(condition, "any"))
    if "not" in condition:
        return not holds(condition["not"], answers, context)
    if "expr" in condition:
        return is_true(condition["expr"], answers, context or empty_context())
    return _compare(condition, answers.get(condition.get("key")))


def is_required(question: dict, answers: dict, context: Context | None = None) -> bool:
    """Whether the question must be answered, given the answers before it."""
    required = question.get("required")
    if question.get("type") in ("note", "calculate"):
        return False
    if isinstance(required, dict):
        return holds(required, answers, context)
    return required is True


def _parts(condition: dict, group: str) -> list:
    parts = condition[group]
    if not isinstance(parts, list):
        raise ConditionError(_l("The condition is malformed."))
    return parts


def _compare(condition: dict, answer) -> bool:
    op, value = condition.get("op"), condition.get("value")
    if op not in OPERATORS:
        raise ConditionError(_l('Unknown operator "%(op)s".', op=op))
    if op in PRESENCE:
        return is_unanswered(answer) == (op == "empty")
    if is_unanswered(answer):
        return op == "ne"
    if op == "eq":
        return _equals(answer, value)
    if op == "ne":
        return not _equals(answer, value)
    if op == "in":
        return isinstance(value, list) and any(_equals(answer, item) for item in value)
    if op == "contains":
        return isinstance(answer, list) and any(_same(item, value) for item in answer)
    return _ordered(answer, op, value)


def _equals(answer, value) -> bool:
    """Equality of an answer with a condition value; a multiple choice equals one option."""
    if isinstance(answer, list):
        return len(answer) == 1 and _same(answer[0], value)
    return _same(answer, value)


def _same(left, right) -> bool:
    left, right = _scalar(left), _scalar(right)
    if isinstance(left, dict | list) or isinstance(right, dict | list) or right is None:
        return False
    if str(left) == str(right):
        return True
    left_number, right_number = to_number(left), to_number(right)
    return left_number is not None and left_number == right_number


def _ordered(answer, op: str, value) -> bool:
    left, right = to_number(answer), to_number(value)
    if left is None or right is None:
        left, right = to_iso_date(answer), to_iso_date(value)
    if left is None or right is None:
        return False
    return {"gt": left > right, "lt": left < right, "ge": left >= right, "le": left <= right}[op]


# Visibility


def other_key(question: dict) -> str | None:
    """The key of the text answer of the option "other", for a question that offers it."""
    return f"{question['key']}_{OTHER}" if question.get("other") else None


def all_questions(definition: dict) -> Iterator[dict]:
    for section in definition.get("sections") or ():
        yield from section.get("questions") or ()


def visible_keys(definition: dict, answers: dict, context: Context | None = None) -> set[str]:
    """Keys of the visible questions and of the visible sections (keys are unique across both).

    The form is walked in order and each condition sees only the answers of visible questions,
    so a question that depends on a hidden one sees it unanswered. A condition that refers to a
    later question sees it unanswered too (check_definition refuses such conditions).
    """
    context = context or context_of(definition)
    visible: set[str] = set()
    seen: dict = {}
    for section in definition.get("sections") or ():
        if not holds(section.get("condition"), seen, context):
            continue
        visible.add(section["key"])
        for question in section.get("questions") or ():
            if holds(question.get("condition"), seen, context):
                visible.add(question["key"])
                for key in (question["key"], other_key(question)):
                    if key and key in answers:
                        seen[key] = answers[key]
    return visible


def prune_hidden(definition: dict, answers: dict) -> dict:
    """The answers without the values of hidden questions; keys of no question are kept."""
    visible = visible_keys(definition, answers)
    hidden = {question["key"] for question in all_questions(definition)} - visible
    return {key: value for key, value in answers.items() if key not in hidden}


# Checking


def too_deep(condition, limit: int = MAX_DEPTH) -> bool:
    """Whether all/any/not nest more than ``limit`` levels; walked without recursion, so any
    input can be measured."""
    stack = [(condition, 0)]
    while stack:
        item, level = stack.pop()
        if not isinstance(item, dict):
            continue
        parts = [item["not"]] if "not" in item else []
        parts += [
            part for name in GROUPS if isinstance(item.get(name), list) for part in item[name]
        ]
        if parts and level >= limit:
            return True
        stack.extend((part, level + 1) for part in parts)
    return False


def depth_error() -> ConditionError:
    return ConditionError(
        _l("The condition is nested too deeply: at most %(depth)s levels.", depth=MAX_DEPTH)
    )


def check_condition(
    condition,
    known: dict[str, str],
    *,
    form_keys: Collection[str] = (),
    expression_scope: Collection[str] | None = None,
    ambiguous: Collection[str] = (),
    owner: str = "",
) -> None:
    """Refuses a condition that is malformed or does not fit the questions it refers to.

    ``known`` maps the keys of the questions that come earlier in the form to their types.
    ``form_keys`` (all question keys of the form, when given) only sharpens the message for a
    key that exists but does not come earlier. An expression may read the keys of
    ``expression_scope`` (by default those of ``known``) except the ``ambiguous`` ones; its
    refusal names ``owner``, the question or section the condition belongs to.
    """
    if condition is None:
        return
    if too_deep(condition):
        raise depth_error()
    scope = ExpressionScope(
        known if expression_scope is None else expression_scope, ambiguous, owner
    )
    _check_structure(condition, known, form_keys, scope)


@dataclass(frozen=True)
class ExpressionScope:
    keys: Collection[str]
    ambiguous: Collection[str]
    owner: str


def _check_structure(condition, known, form_keys, scope: ExpressionScope) -> None:
    if not isinstance(condition, dict):
        raise ConditionError(_l("The condition is malformed."))
    group = next((name for name in GROUPS if name in condition), None)
    if group:
        parts = condition[group]
        if len(condition) != 1 or not isinstance(parts, list) or not parts:
            raise ConditionError(_l("The condition is malformed."))
        for part in parts:
            _check_structure(part, known, form_keys, scope)
    elif "not" in condition:
        if len(condition) != 1 or condition["not"] is None:
            raise ConditionError(_l("The condition is malformed."))
        _check_structure(condition["not"], known, form_keys, scope)
    elif "expr" in condition:
        if len(condition) != 1:
            raise ConditionError(_l("The condition is malformed."))
        problem = expression_problem(
            condition["expr"], scope.keys, form_keys, ambiguous=scope.ambiguous
        )
        if problem:
            raise ConditionError(
                _l('The condition of "%(owner)s": %(problem)s.', owner=scope.owner, problem=problem)
            )
    else:
        _check_comparison(condition, known, form_keys)


def _check_comparison(condition: dict, known: dict[str, str], form_keys: Collection[str]) -> None:
    key, op = condition.get("key"), condition.get("op")
    if not {"key", "op"} <= set(condition) <= {"key", "op", "value"} or not isinstance(key, str):
        raise ConditionError(_l("The condition is malformed."))
    if key not in known:
        if key in form_keys:
            raise ConditionError(
                _l('The condition refers to "%(key)s", which does not come earlier.', key=key)
            )
        raise ConditionError(_l('The condition refers to an unknown question "%(key)s".', key=key))
    if op not in OPERATORS:
        raise ConditionError(_l('Unknown operator "%(op)s".', op=op))
    if not _applies(op, known[key]):
        raise ConditionError(
            _l('The operator "%(op)s" does not apply to question "%(key)s".', op=op, key=key)
        )
    if op in PRESENCE:
        return
    value = condition.get("value")
    if op == "in" and not (isinstance(value, list) and value):
        raise ConditionError(_l('The operator "in" needs a list of values.'))
    for item in value if op == "in" else [value]:
        if not _suits(item, known[key]):
            raise ConditionError(
                _l('The value "%(value)s" does not suit question "%(key)s".', value=item, key=key)
            )


def _applies(op: str, question_type: str) -> bool:
    if question_type == "note":
        return False
    if op in PRESENCE:
        return True
    if op == "contains":
        return question_type == "multiple"
    if op in ORDERINGS:
        return question_type in (*NUMERIC_TYPES, "date")
    return question_type in COMPARABLE_TYPES


def _suits(value, question_type: str) -> bool:
    if question_type in NUMERIC_TYPES:
        return to_number(value) is not None
    if question_type == "date":
        return to_iso_date(value) is not None
    if question_type == "yesno":
        return _scalar(value) in (YES, NO)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    return bool(str(value).strip())


def comparisons(condition) -> Iterator[dict]:
    """The comparisons ({"key", "op", "value"}) inside a well-formed condition."""
    if not isinstance(condition, dict):
        return
    for group in GROUPS:
        for part in condition.get(group) or ():
            yield from comparisons(part)
    if "not" in condition:
        yield from comparisons(condition["not"])
    if "key" in condition:
        yield condition
