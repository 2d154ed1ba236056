"""The builder's menus for conditions and checks: what they offer and which stored ones they show.

A condition («Показывать, если», «Обязателен, если», a section's condition) shows as rows of
question, operator and value joined by one connector (all or any); a check (constraint) as rows
comparing the answer with a value or with an earlier question's answer. Anything else — an
``{"expr"}``, "and" mixed with "or", a question the menus do not offer, a value its menu lacks —
gets None, and the page shows the XLSForm text to edit instead. The browser writes the rows back
as the text ``to_relevant`` writes (static/js/condition-menus.js, held to it by
tests/fixtures/condition_menus.json), so the server reads the menus as it reads typed text.
"""

import re

from flask_babel import gettext as _

from app.core.errors import DomainError
from app.questionnaires.builder import all_keys
from app.questionnaires.definition_check import own_keys
from app.questionnaires.expression_check import reference_problem
from app.questionnaires.expressions import parse, to_text
from app.questionnaires.relevant import COMPARISONS, ISO_DATE, parse_condition
from app.questionnaires.spec import NO, NUMERIC_TYPES, OTHER, YES

ORDERINGS = ("gt", "lt", "ge", "le")
PRESENCE = ("answered", "empty")
COMPARED = ("eq", "ne")
TEXT_TYPES = ("text", "textarea", "email", "phone")
# The operators offered for an earlier question, by its type; any type not named (file, matrix,
# table, calculate) is only answered or not, as conditions.py allows.
OPERATORS = {
    **dict.fromkeys((*NUMERIC_TYPES, "date"), (*COMPARED, *ORDERINGS, *PRESENCE)),
    **dict.fromkeys(("single", "yesno", *TEXT_TYPES), (*COMPARED, *PRESENCE)),
    "multiple": ("contains", "not_contains", *PRESENCE),
}
# The input a value is typed or picked in, by the type of the question it compares with.
INPUTS = {
    **dict.fromkeys(NUMERIC_TYPES, "number"),
    "date": "date",
    **dict.fromkeys(("single", "multiple", "yesno"), "choice"),
    **dict.fromkeys(TEXT_TYPES, "text"),
}
# Question types whose check the menus edit; a check compares with earlier questions of these.
CHECKED_TYPES = (*NUMERIC_TYPES, "date")
CHECK_WITH = {"number": (*NUMERIC_TYPES, "calculate"), "date": ("date",)}
LABEL_LENGTH = 80
# A decimal as conditions keep it (relevant.number_value): "2.5", never "2.50" or "02.5".
DECIMAL_TEXT = re.compile(r"-?(0|[1-9]\d*)\.\d*[1-9]")
EMPTY = {"join": "all", "rows": []}


def earlier_questions(
    definition: dict, key: str | None, section_key: str | None, after: str | None = None
) -> list[dict]:
    """The questions before question ``key`` (notes aside); for a new question, those before
    the place it is added: after question ``after`` of section ``section_key`` (at its top for
    an empty ``after``, at its end without one)."""
    earlier = []
    for section in definition["sections"]:
        placing = key is None and section["key"] == section_key
        if placing and after == "":
            break
        for question in section["questions"]:
            if key is not None and question["key"] == key:
                return earlier
            if question["type"] != "note":
                earlier.append(question)
            if placing and question["key"] == after:
                return earlier
        if placing:
            break
    return earlier


def questions_before_section(definition: dict, key: str | None) -> list[dict]:
    """The questions a section's condition may read: those of the sections before it."""
    earlier = []
    for section in definition["sections"]:
        if section["key"] == key:
            break
        earlier += [question for question in section["questions"] if question["type"] != "note"]
    return earlier


def question_menus(earlier: list[dict], fields: dict) -> dict:
    """What the question editor's menus need, from its fields as shown (or as posted)."""
    questions = [menu_question(question) for question in earlier]
    page = {
        "questions": questions,
        "texts": texts(),
        "checkedTypes": CHECKED_TYPES,
        "checkWith": CHECK_WITH,
    }
    return {
        "page": page,
        "condition": rows_of_text(fields.get("condition"), questions),
        "required_if": rows_of_text(fields.get("required_if"), questions),
        "constraint": check_rows_of_text(fields.get("constraint"), fields.get("type"), questions),
    }


def section_menus(earlier: list[dict], condition_text: str | None) -> dict:
    questions = [menu_question(question) for question in earlier]
    return {
        "page": {"questions": questions, "texts": texts()},
        "condition": rows_of_text(condition_text, questions),
    }


def menu_question(question: dict) -> dict:
    kind = question["type"]
    label = re.sub(r"\s+", " ", question.get("label") or "").strip() or question["key"]
    if len(label) > LABEL_LENGTH:
        label = label[: LABEL_LENGTH - 1].rstrip() + "…"
    return {
        "key": question["key"],
        "label": label,
        "type": kind,
        "input": INPUTS.get(kind),
        "operators": list(OPERATORS.get(kind, PRESENCE)),
        "choices": _choices(question),
    }


def _choices(question: dict) -> list[dict]:
    if question["type"] == "yesno":
        return [{"code": YES, "label": _("Yes")}, {"code": NO, "label": _("No")}]
    if question["type"] not in ("single", "multiple"):
        return []
    choices = [{"code": c["code"], "label": c["label"]} for c in question.get("choices") or ()]
    if question.get("other") is True:
        choices.append({"code": OTHER, "label": _("Other")})
    return choices


def rows_of_text(text: str | None, questions: list[dict]) -> dict | None:
    try:
        condition = parse_condition(text or "")
    except DomainError:
        return None
    return condition_rows(condition, questions)


def condition_rows(condition: dict | None, questions: list[dict]) -> dict | None:
    """The menus' rows of a condition, ``{"join": "all" | "any", "rows": [{key, op, value}]}``,
    or None when they cannot show it. ``questions`` are those menu_question describes."""
    if condition is None:
        return EMPTY
    join, items = next(
        ((join, condition[join]) for join in ("all", "any") if join in condition),
        ("all", [condition]),
    )
    offered = {question["key"]: question for question in questions}
    rows = [_row(item, offered) for item in items]
    return None if None in rows else {"join": join, "rows": rows}


def _row(condition, offered: dict) -> dict | None:
    if not isinstance(condition, dict):
        return None
    if set(condition) == {"not"}:
        inner = condition["not"]
        if not (isinstance(inner, dict) and inner.get("op") == "contains"):
            return None
        condition = {**inner, "op": "not_contains"}
    question, op = offered.get(condition.get("key")), condition.get("op")
    if question is None or op not in question["operators"]:
        return None
    if op in PRESENCE:
        return {"key": question["key"], "op": op, "value": ""}
    value = _shown_value(condition.get("value"), question)
    return None if value is None else {"key": question["key"], "op": op, "value": value}


def _shown_value(value, question: dict) -> str | None:
    """The value as the menus' input holds it, if that input can hold it."""
    kind = question["input"]
    if kind == "number" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        return None
    if kind == "choice":
        return value if value in {choice["code"] for choice in question["choices"]} else None
    if kind == "number":
        return value if DECIMAL_TEXT.fullmatch(value) else None
    if kind == "date":
        return value if ISO_DATE.match(value) else None
    return value if value == value.strip() else None  # the menus trim what is typed


def check_rows_of_text(text: str | None, kind: str | None, questions: list[dict]) -> dict | None:
    if not (text or "").strip():
        return EMPTY
    try:
        tree = parse(text)
    except DomainError:
        return None
    return check_rows(tree, kind, questions)


def check_rows(tree: list, kind: str | None, questions: list[dict]) -> dict | None:
    """The menus' rows of a check on a question of type ``kind``: ``{"join", "rows": [{op, key,
    value}]}`` comparing the answer (".") with a value (key "") or question ``key``'s answer
    (value ""); None when they cannot show it."""
    join, items = _chain(tree)
    measure = "date" if kind == "date" else "number"
    offered = {q["key"] for q in questions if q["type"] in CHECK_WITH[measure]}
    rows = [_check_row(item, measure, offered) for item in items]
    return None if None in rows else {"join": join, "rows": rows}


def _chain(tree: list) -> tuple[str, list]:
    """The parts of a chain of one connector: ``a and b and c`` -> ("all", [a, b, c])."""
    joins = {"and": "all", "or": "any"}
    if not (tree[0] == "op" and tree[1] in joins):
        return "all", [tree]
    items, stack = [], [tree]
    while stack:
        node = stack.pop()
        if node[0] == "op" and node[1] == tree[1]:
            stack += [node[3], node[2]]
        else:
            items.append(node)
    return joins[tree[1]], items


def _check_row(node: list, measure: str, offered: set) -> dict | None:
    if not (node[0] == "op" and node[1] in COMPARISONS and node[2] == ["cur"]):
        return None
    op, operand = COMPARISONS[node[1]], node[3]
    if operand[0] == "ref":
        return {"op": op, "key": operand[1], "value": ""} if operand[1] in offered else None
    value = _date_value(operand) if measure == "date" else _number_value(operand)
    return None if value is None else {"op": op, "key": "", "value": value}


def _date_value(node: list) -> str | None:
    if node[0] == "call" and node[1] == "date" and len(node[2]) == 1:
        argument = node[2][0]
        if argument[0] == "str" and ISO_DATE.match(argument[1]):
            return argument[1]
    return None


def _number_value(node: list) -> str | None:
    number = node[1] if node[0] == "neg" else node
    return to_text(node) if number[0] == "num" else None


def formula_problem(text: str, earlier: list[dict], definition: dict) -> str:
    """Why a formula would be refused on saving (its syntax, or a question it may not read);
    "" when it would not, or when it is empty."""
    if not (text or "").strip():
        return ""
    try:
        tree = parse(text)
    except DomainError as error:
        return str(error.message)
    readable = {key for question in earlier for key in own_keys(question)}
    problem = reference_problem(tree, readable, all_keys(definition))
    return str(problem) if problem else ""


def texts() -> dict:
    """The menus' words, for the page's script; {n} stands for a row's number."""
    number = {"number": "{n}"}
    return {
        "operators": {
            "eq": _("equals"),
            "ne": _("does not equal"),
            "gt": _("is greater than"),
            "lt": _("is less than"),
            "ge": _("is at least"),
            "le": _("is at most"),
            "contains": _("has the option ticked"),
            "not_contains": _("has the option not ticked"),
            "answered": _("is answered"),
            "empty": _("is not answered"),
        },
        "dateOperators": {
            "gt": _("is later than"),
            "lt": _("is earlier than"),
            "ge": _("is not earlier than"),
            "le": _("is not later than"),
        },
        "joinLabel": _("Must hold"),
        "all": _("all conditions (AND)"),
        "any": _("any of the conditions (OR)"),
        "and": _("and"),
        "or": _("or"),
        "pickQuestion": _("— question —"),
        "pickOption": _("— option —"),
        "question": _("Question of condition %(number)s", **number),
        "operator": _("Comparison of condition %(number)s", **number),
        "value": _("Value of condition %(number)s", **number),
        "remove": _("Delete condition %(number)s", **number),
        "add": _("Add a condition"),
        "none": _("No conditions."),
        "noQuestions": _("There are no earlier questions to choose from."),
        "asText": _("Advanced: the condition as text (XLSForm)"),
        "editAsText": _("Edit as text"),
        "cannotShow": _("This condition cannot be shown in the menus; it can be changed as text."),
        "answer": _("The answer"),
        "checkOperator": _("Comparison of check %(number)s", **number),
        "checkWith": _("Compared with, check %(number)s", **number),
        "checkValue": _("Value of check %(number)s", **number),
        "checkRemove": _("Delete check %(number)s", **number),
        "checkAdd": _("Add a check"),
        "aValue": _("a value"),
        "answerTo": _("the answer to: %(question)s", question="{q}"),
        "noChecks": _("No checks beyond the minimum and maximum."),
        "checkAsText": _("Advanced: the check as text (XLSForm)"),
        "checkCannotShow": _("This check cannot be shown in the menus; it can be changed as text."),
        "insert": _("Insert a question"),
        "insertPick": _("Insert a question…"),
        "insertButton": _("Insert"),
        "formulaFine": _("The formula reads well."),
    }
