"""What to look at before publishing: mistakes a form may hold that do not stop it working
(check_definition refuses what would), each pointing at its question or section.

A condition or formula reading a later question (or, for a formula, itself) is found here too,
so that a definition from anywhere gets the same list; the builder's own edits are refused
earlier, by check_definition.
"""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.questionnaires.conditions import GROUPS, to_number
from app.questionnaires.definition import section_name
from app.questionnaires.expressions import references
from app.questionnaires.spec import NUMERIC_TYPES, OTHER

# The settings holding a condition or an expression, as the builder's page names them.
SETTINGS = {
    "condition": _l("Show the question if"),
    "required": _l("Required if"),
    "constraint": _l("Check condition"),
    "calculation": _l("Formula"),
    "default": _l("Default value"),
    "choice_filter": _l("Option filter"),
    "repeat_count": _l("Number of rows"),
}


@dataclass(frozen=True)
class Problem:
    anchor: str  # the id of the question or section on the builder's page
    name: str  # the question's label or the section's name
    message: str


def form_problems(definition: dict) -> list[Problem]:
    """The problems of the form, in the order of the form."""
    problems: list[Problem] = []
    questions = {q["key"]: q for s in definition["sections"] for q in s["questions"]}
    seen: set[str] = set()
    for number, section in enumerate(definition["sections"], start=1):
        anchor, name = f"section-{section['key']}", section_name(section, number)
        if not section["questions"]:
            problems.append(Problem(anchor, name, str(_l("The section has no questions."))))
        for message in _reference_problems(section, "condition", seen, None):
            problems.append(Problem(anchor, name, message))
        section_never = _never_holds(section.get("condition"), questions)
        for question in section["questions"]:
            problems += _question_problems(question, questions, seen, section_never)
            seen.update(_own_keys(question))
    return problems


def _question_problems(question: dict, questions: dict, seen: set, section_never: bool):
    anchor = f"question-{question['key']}"
    name = question.get("label") or question["key"]
    messages = []
    for setting in SETTINGS:
        messages += _reference_problems(question, setting, seen, question["key"])
    messages += _duplicate_labels(question)
    if question.get("required") is True and (
        section_never or _never_holds(question.get("condition"), questions)
    ):
        messages.append(
            str(_l("The question is required but its condition can never hold: it is never shown."))
        )
    return [Problem(anchor, name, message) for message in messages]


def _own_keys(question: dict) -> list[str]:
    keys = [question["key"], *(column["key"] for column in question.get("columns") or ())]
    return [*keys, f"{question['key']}_{OTHER}"] if question.get("other") else keys


def _reference_problems(owner: dict, setting: str, seen: set, own_key: str | None) -> list[str]:
    """A setting reading the question it belongs to, or a question that comes later."""
    value = owner.get(setting)
    if not isinstance(value, (dict, list)):
        return []
    keys = _condition_keys(value) if isinstance(value, dict) else references(value)
    messages = []
    for key in sorted(keys - seen):
        if key == own_key:
            messages.append(
                str(_l("«%(setting)s» refers to the question itself.", setting=SETTINGS[setting]))
            )
        else:
            messages.append(
                str(
                    _l(
                        "«%(setting)s» refers to ${%(key)s}, which does not come earlier.",
                        setting=SETTINGS[setting],
                        key=key,
                    )
                )
            )
    return messages


def _condition_keys(condition: dict) -> set[str]:
    keys = set()
    for group in GROUPS:
        for part in condition.get(group) or ():
            keys |= _condition_keys(part)
    if "not" in condition:
        keys |= _condition_keys(condition["not"])
    if "expr" in condition:
        keys |= references(condition["expr"])
    if "key" in condition:
        keys.add(condition["key"])
    return keys


def _duplicate_labels(question: dict) -> list[str]:
    messages = []
    for name, message in (
        ("choices", _l("The option «%(label)s» is in the list more than once.")),
        ("rows", _l("The row «%(label)s» is in the matrix more than once.")),
    ):
        for label in _repeated(question.get(name)):
            messages.append(str(message % {"label": label}))
    for column in question.get("columns") or ():
        for label in _repeated(column.get("choices")):
            messages.append(
                str(
                    _l(
                        "Column «%(column)s»: the option «%(label)s» is in the list "
                        "more than once.",
                        column=column.get("label") or column["key"],
                        label=label,
                    )
                )
            )
    return messages


def _repeated(options) -> list[str]:
    """The labels (as first written) that more than one option has, case and spaces aside."""
    first: dict[str, str] = {}
    repeated = []
    for option in options or ():
        label = " ".join(str(option.get("label", "")).split())
        folded = label.casefold()
        if folded in first and first[folded] not in repeated:
            repeated.append(first[folded])
        first.setdefault(folded, label)
    return [label for label in repeated if label]


def _never_holds(condition, questions: dict) -> bool:
    """True when the condition can be seen never to hold: a choice compared with a code it
    does not offer, a number compared beyond the question's bounds (and "all" of such, or
    "any" made only of such)."""
    if not isinstance(condition, dict):
        return False
    if "all" in condition:
        return any(_never_holds(part, questions) for part in condition["all"])
    if "any" in condition:
        return bool(condition["any"]) and all(_never_holds(p, questions) for p in condition["any"])
    if "expr" in condition:
        return _expression_never_holds(condition["expr"], questions)
    if "key" not in condition or condition["key"] not in questions:
        return False
    return _comparison_never_holds(questions[condition["key"]], condition)


def _expression_never_holds(ast, questions: dict) -> bool:
    """The simple expressions the menus cannot make: ${q} = 'code', selected(${q}, 'code')."""
    if ast[0] == "op" and ast[1] == "and":
        return any(_expression_never_holds(part, questions) for part in ast[2:])
    if ast[0] == "op" and ast[1] == "=" and ast[2][0] == "ref" and ast[3][0] in ("str", "num"):
        value = ast[3][1]
        value = int(value) if isinstance(value, float) and value.is_integer() else value
        comparison = {"op": "eq", "value": value}
    elif ast[0] == "call" and ast[1] == "selected" and len(ast[2]) == 2:
        (ref, value) = ast[2]
        if ref[0] != "ref" or value[0] != "str":
            return False
        comparison, ast = {"op": "contains", "value": value[1]}, ["op", "=", ref, value]
    else:
        return False
    question = questions.get(ast[2][1])
    return question is not None and _comparison_never_holds(question, comparison)


def _comparison_never_holds(question: dict, comparison: dict) -> bool:
    op, value = comparison.get("op"), comparison.get("value")
    if question["type"] in ("single", "multiple") and op in ("eq", "in", "contains"):
        codes = {option["code"] for option in question.get("choices") or ()}
        codes |= {OTHER} if question.get("other") else set()
        values = value if op == "in" and isinstance(value, list) else [value]
        return not any(str(item) in codes for item in values)
    if question["type"] in NUMERIC_TYPES and op in ("eq", "gt", "ge", "lt", "le"):
        return _beyond_bounds(op, to_number(value), question)
    return False


def _beyond_bounds(op: str, value: Decimal | None, question: dict) -> bool:
    low, high = to_number(question.get("min")), to_number(question.get("max"))
    if value is None:
        return False
    above = high is not None and (value > high if op in ("eq", "ge") else value >= high)
    below = low is not None and (value < low if op in ("eq", "le") else value <= low)
    return {"eq": above or below, "gt": above, "ge": above, "lt": below, "le": below}[op]
