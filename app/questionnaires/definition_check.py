"""Checking whole form definitions (spec.py) before they are stored, exported or used."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.numbers import grouped
from app.questionnaires.cleaning import KEY, MAX_KEY_LENGTH, bound_value, option_codes
from app.questionnaires.conditions import (
    ConditionError,
    check_condition,
    comparisons,
    to_iso_date,
    to_number,
)
from app.questionnaires.feature_check import FeatureError, Scope, check_features
from app.questionnaires.languages import TranslationError, check_translations
from app.questionnaires.spec import (
    CHOICE_TYPES,
    COLUMN_TYPES,
    DEFAULT_SCALE,
    MAX_SCALE_POINTS,
    NUMBER_BOUND,
    NUMERIC_TYPES,
    OTHER,
    QUESTION_TYPES,
    STYLE_LENGTH,
)


class DefinitionError(DomainError):
    """A form definition is refused; ``path`` says where, e.g. "sections[1].questions[3].choices".

    Indexes in the path count from 0.
    """

    def __init__(self, message, path: str = ""):
        super().__init__(message)
        self.path = path


def check_definition(definition: dict, *, max_questions: int | None = None) -> None:
    """Refuses a definition that the forms engine could not show, clean or export, or that has
    more than ``max_questions`` questions and table columns."""
    if not isinstance(definition, dict) or not isinstance(definition.get("sections"), list):
        raise DefinitionError(_l("The structure is invalid."), "sections")
    sections = definition["sections"]
    if max_questions is not None:
        check_size(sections, max_questions)
    form_keys = _question_keys(sections)
    names = _readable_keys(sections)
    ambiguous = _ambiguous_columns(sections)
    _check_length(definition.get("form_id"), FORM_ID_LENGTH, "form_id")
    _check_length(definition.get("title"), TITLE_LENGTH, "title")
    _check_length(definition.get("style"), STYLE_LENGTH, "style")
    used: set[str] = set()
    earlier = Earlier(form_keys, names, ambiguous)
    for index, section in enumerate(sections):
        path = f"sections[{index}]"
        _check_dict(section, path)
        _check_length(section.get("title"), TITLE_LENGTH, f"{path}.title")
        _check_key(section.get("key"), used, f"{path}.key")
        _check_condition(section.get("condition"), earlier, f"{path}.condition", section["key"])
        questions = section.get("questions", [])
        if not isinstance(questions, list):
            raise DefinitionError(_l("The structure is invalid."), f"{path}.questions")
        for number, question in enumerate(questions):
            question_path = f"{path}.questions[{number}]"
            _check_question(question, question_path, QUESTION_TYPES, used)
            condition_path = f"{question_path}.condition"
            _check_condition(question.get("condition"), earlier, condition_path, question["key"])
            _check_required(question, earlier, f"{question_path}.required")
            _check_question_features(question, earlier, question_path, used)
            earlier.add(question)
    try:
        check_translations(definition, TITLE_LENGTH)
    except TranslationError as error:
        raise DefinitionError(error.message, error.path) from None


# The lengths of the columns that store them.
TITLE_LENGTH = 300
FORM_ID_LENGTH = 64


def _check_length(text, length: int, path: str) -> None:
    if isinstance(text, str) and len(text) > length:
        message = (
            _l("The form identifier is longer than %(length)s characters.", length=length)
            if path == "form_id"
            else _l("The title is longer than %(length)s characters.", length=length)
        )
        raise DefinitionError(message, path)


class Earlier:
    """The questions that come before the one being checked, their types and the keys their
    expressions may read, kept as the check walks the form (rebuilding them for every question
    made big forms quadratic)."""

    def __init__(self, form_keys: set[str], names: set[str], ambiguous: set[str]):
        self.questions: dict[str, dict] = {}
        self.types: dict[str, str] = {}
        self.readable: set[str] = set()
        self.form_keys, self.names, self.ambiguous = form_keys, names, ambiguous

    def add(self, question: dict) -> None:
        self.questions[question["key"]] = question
        self.types[question["key"]] = question["type"]
        self.readable.update(own_keys(question))

    def scope(self, row: list[str] | None = None) -> Scope:
        return Scope(self.readable, self.names, self.ambiguous, row or [])


def own_keys(question: dict) -> list[str]:
    """The keys of a question's answers an expression may read: its own, its "other" text and
    its table columns (malformed keys aside: the full check refuses them)."""
    key = question.get("key")
    if not isinstance(key, str):
        return []
    keys = [key, f"{key}_{OTHER}"] if question.get("other") is True else [key]
    columns = question.get("columns") if question.get("type") == "table" else None
    if isinstance(columns, list):
        keys += [column.get("key") for column in columns if isinstance(column, dict)]
    return [key for key in keys if isinstance(key, str)]


def _all_questions(sections: list):
    for section in sections:
        questions = section.get("questions") if isinstance(section, dict) else None
        for question in questions if isinstance(questions, list) else ():
            if isinstance(question, dict):
                yield question


def _readable_keys(sections: list) -> set:
    return {key for question in _all_questions(sections) for key in own_keys(question)}


def _ambiguous_columns(sections: list) -> set:
    """Column keys that are also the key of a question or of another table's column: an
    expression cannot tell which one it reads."""
    seen, ambiguous = set(), set()
    for question in _all_questions(sections):
        keys = own_keys(question)
        if not keys:
            continue
        for key in keys[1:] if question.get("type") == "table" else keys[:1]:
            (ambiguous if key in seen else seen).add(key)
        if question.get("type") == "table" and keys[0] in seen:
            ambiguous.add(keys[0])
        seen.add(keys[0])
    return ambiguous


def check_size(sections: list, max_questions: int) -> None:
    """Refuses more than ``max_questions`` questions and table columns (malformed parts aside:
    the full check judges them)."""
    count = 0
    for section in sections:
        questions = section.get("questions") if isinstance(section, dict) else None
        for question in questions if isinstance(questions, list) else ():
            columns = question.get("columns") if isinstance(question, dict) else None
            count += 1 + (len(columns) if isinstance(columns, list) else 0)
    if count > max_questions:
        raise DefinitionError(
            _l(
                "The form has more than %(count)s questions and table columns: that is the limit.",
                count=max_questions,
            ),
            "sections",
        )


def _question_keys(sections: list) -> set:
    return {
        question.get("key")
        for section in sections
        if isinstance(section, dict) and isinstance(section.get("questions"), list)
        for question in section["questions"]
        if isinstance(question, dict) and isinstance(question.get("key"), str)
    }


def _check_dict(value, path: str) -> None:
    if not isinstance(value, dict):
        raise DefinitionError(_l("The structure is invalid."), path)


def _check_key(key, used: set[str], path: str) -> None:
    if not isinstance(key, str) or not KEY.fullmatch(key) or len(key) > MAX_KEY_LENGTH:
        raise DefinitionError(
            _l(
                'The key "%(key)s" is invalid: use Latin letters, digits and "_", '
                "not a digit first, at most %(length)s characters.",
                key=key,
                length=MAX_KEY_LENGTH,
            ),
            path,
        )
    if key in used:
        raise DefinitionError(_l('The key "%(key)s" is used more than once.', key=key), path)
    used.add(key)


def _check_question(question, path: str, types: tuple[str, ...], used: set[str]) -> None:
    _check_dict(question, path)
    _check_key(question.get("key"), used, f"{path}.key")
    kind = question.get("type")
    if kind not in types:
        raise DefinitionError(
            _l('The question type "%(type)s" is not allowed here.', type=kind), f"{path}.type"
        )
    if kind in CHOICE_TYPES:
        _check_options(question.get("choices"), f"{path}.choices", _l("Add at least one option."))
    if kind == "matrix":
        _check_options(question.get("rows"), f"{path}.rows", _l("Add at least one row."))
    if kind == "table":
        _check_columns(question.get("columns"), f"{path}.columns")
    _check_bounds(question, path)


def _check_options(options, path: str, missing_message) -> None:
    if not isinstance(options, list) or not options:
        raise DefinitionError(missing_message, path)
    codes: set[str] = set()
    for index, option in enumerate(options):
        code = option.get("code") if isinstance(option, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise DefinitionError(_l("Every option needs a code."), f"{path}[{index}].code")
        if code in codes:
            raise DefinitionError(
                _l('The code "%(code)s" is used more than once.', code=code),
                f"{path}[{index}].code",
            )
        codes.add(code)


def _check_columns(columns, path: str) -> None:
    if not isinstance(columns, list) or not columns:
        raise DefinitionError(_l("Add at least one column."), path)
    keys: set[str] = set()
    for index, column in enumerate(columns):
        column_path = f"{path}[{index}]"
        _check_dict(column, column_path)
        if any(column.get(name) for name in ("condition", "rows", "columns")) or not isinstance(
            column.get("required", False), bool
        ):
            raise DefinitionError(
                _l("A table column cannot have a condition, rows or columns."), column_path
            )
        _check_question(column, column_path, COLUMN_TYPES, keys)


def _check_required(question: dict, earlier: Earlier, path: str) -> None:
    required = question.get("required")
    if isinstance(required, dict):
        _check_condition(required, earlier, path, question["key"])
    elif required is not None and not isinstance(required, bool):
        raise DefinitionError(_l("The structure is invalid."), path)


def _check_question_features(question: dict, earlier: Earlier, path: str, used: set) -> None:
    """The XLSForm features of a question and of its table columns (feature_check.py)."""
    _check_features(question, earlier.scope(), path)
    if question.get("other") is True:
        other = f"{question['key']}_{OTHER}"
        if other in earlier.form_keys or other in used:
            raise DefinitionError(
                _l(
                    'Question "%(key)s": the key "%(other)s" of its "other" answer is the key '
                    "of another question.",
                    key=question["key"],
                    other=other,
                ),
                f"{path}.other",
            )
        if len(other) > MAX_KEY_LENGTH:  # the length answer rows store
            raise DefinitionError(
                _l(
                    'Question "%(key)s": the key "%(other)s" of its "other" answer is longer '
                    "than %(length)s characters.",
                    key=question["key"],
                    other=other,
                    length=MAX_KEY_LENGTH,
                ),
                f"{path}.other",
            )
        used.add(other)
    if question["type"] == "table":
        row: list[str] = []
        for index, column in enumerate(question["columns"]):
            _check_features(column, earlier.scope(row), f"{path}.columns[{index}]", column=True)
            row.append(column["key"])


def _check_features(question: dict, scope: Scope, path: str, *, column: bool = False) -> None:
    try:
        check_features(question, scope, column=column)
    except FeatureError as error:
        raise DefinitionError(error.message, f"{path}.{error.setting}") from None


BOUND_PARSERS = {
    **dict.fromkeys(("integer", "decimal"), to_number),
    "scale": lambda raw: _whole(raw, minimum=None),
    "date": to_iso_date,
    **dict.fromkeys(("text", "textarea", "multiple", "table"), lambda raw: _whole(raw, 0)),
}


def _whole(raw, minimum) -> Decimal | None:
    number = to_number(raw)
    if number is None or number != number.to_integral_value():
        return None
    return None if minimum is not None and number < minimum else number


def _check_bounds(question: dict, path: str) -> None:
    parse = BOUND_PARSERS.get(question["type"])
    if parse is None:
        return
    bounds = []
    for name in ("min", "max"):
        raw = question.get(name)
        bound = bound_value(question, name, parse)
        if bound is None and raw not in (None, ""):
            raise DefinitionError(
                _l('"%(value)s" is not a valid bound.', value=raw), f"{path}.{name}"
            )
        bounds.append(bound)
    low, high = bounds
    if question["type"] in NUMERIC_TYPES:
        _check_storable(bounds, path)
    if question["type"] == "scale":
        low = Decimal(DEFAULT_SCALE[0]) if low is None else low
        high = Decimal(DEFAULT_SCALE[1]) if high is None else high
    if low is not None and high is not None and low > high:
        raise DefinitionError(_l("The minimum is greater than the maximum."), f"{path}.min")
    if question["type"] == "scale" and high - low + 1 > MAX_SCALE_POINTS:
        # the filling page shows a button per point
        raise DefinitionError(
            _l("A scale has at most %(count)s points.", count=MAX_SCALE_POINTS), f"{path}.max"
        )


def _check_storable(bounds: list, path: str) -> None:
    """A number bound within what the answer table stores, so no accepted answer overflows it."""
    for name, bound in zip(("min", "max"), bounds, strict=True):
        if bound is not None and abs(bound) > NUMBER_BOUND:
            raise DefinitionError(
                _l(
                    "A bound must lie between %(min)s and %(max)s.",
                    min=grouped(-NUMBER_BOUND),
                    max=grouped(NUMBER_BOUND),
                ),
                f"{path}.{name}",
            )


def _check_condition(condition, earlier: Earlier, path: str, owner: str) -> None:
    try:
        check_condition(
            condition,
            earlier.types,
            form_keys=earlier.names,
            expression_scope=earlier.readable,
            ambiguous=earlier.ambiguous,
            owner=owner,
        )
    except ConditionError as error:
        raise DefinitionError(error.message, path) from None
    for comparison in comparisons(condition):
        question = earlier.questions[comparison["key"]]
        if question["type"] in ("single", "multiple") and comparison["op"] in (
            "eq",
            "ne",
            "in",
            "contains",
        ):
            _check_codes(comparison, question, path)


def _check_codes(comparison: dict, question: dict, path: str) -> None:
    value = comparison.get("value")
    codes = set(option_codes(question))
    for item in value if comparison["op"] == "in" else [value]:
        if str(item) not in codes:
            raise DefinitionError(
                _l(
                    'The value "%(value)s" does not suit question "%(key)s".',
                    value=item,
                    key=comparison["key"],
                ),
                path,
            )
