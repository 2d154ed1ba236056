"""Checking the XLSForm features of a question (spec.py): constraint, calculation, default,
read_only, choice_filter, other, repeat_count and the extra columns of choices.

Every refusal names the question and the XLSForm column at fault.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.questionnaires.expression_check import expression_problem
from app.questionnaires.spec import OTHER, SIMPLE_TYPES

# Expression settings and the question types they apply to.
EXPRESSIONS = {
    "constraint": SIMPLE_TYPES,
    "calculation": ("calculate",),
    "default": SIMPLE_TYPES,
    "choice_filter": ("single", "multiple"),
    "repeat_count": ("table",),
}
FLAGS = {"read_only": None, "other": ("single", "multiple"), "authors": ("text", "textarea")}
NOT_IN_COLUMNS = ("other", "repeat_count")


class FeatureError(DomainError):
    """A feature of a question is refused; ``setting`` is the key at fault."""

    def __init__(self, message, setting: str):
        super().__init__(message)
        self.setting = setting


@dataclass
class Scope:
    """The keys an expression of the question being checked may read."""

    earlier: set[str]
    form_keys: set[str]
    ambiguous: set[str] = field(default_factory=set)
    row: list[str] = field(default_factory=list)  # earlier columns of the same table row


def check_features(question: dict, scope: Scope, *, column: bool = False) -> None:
    key, kind = question["key"], question["type"]
    for name in NOT_IN_COLUMNS if column else ():
        if question.get(name) not in (None, False):
            raise FeatureError(_setting_refused(key, name), name)
    for name, kinds in FLAGS.items():
        value = question.get(name)
        if value is None or value is False:
            continue
        if value is not True:
            raise FeatureError(
                _l('Question "%(key)s": %(setting)s must be yes or no.', key=key, setting=name),
                name,
            )
        if kinds is not None and kind not in kinds:
            raise FeatureError(_setting_refused(key, name), name)
    if question.get("other") is True and OTHER in _codes(question):
        raise FeatureError(
            _l(
                'Question "%(key)s": the option code "%(code)s" is kept for "other".',
                key=key,
                code=OTHER,
            ),
            "choices",
        )
    if kind == "calculate" and question.get("calculation") is None:
        raise FeatureError(
            _l('Question "%(key)s": a calculate question needs a calculation.', key=key),
            "calculation",
        )
    for name, kinds in EXPRESSIONS.items():
        if question.get(name) is not None:
            if kind not in kinds:
                raise FeatureError(_setting_refused(key, name), name)
            _check_expression(question, name, scope)
    _check_extras(question)


def _codes(question: dict) -> list:
    return [
        option.get("code") for option in question.get("choices") or () if isinstance(option, dict)
    ]


def _setting_refused(key: str, setting: str):
    return _l(
        'Question "%(key)s": %(setting)s does not apply to a question of its type.',
        key=key,
        setting=setting,
    )


def _check_expression(question: dict, name: str, scope: Scope) -> None:
    own = {question["key"]} if name == "constraint" else set()
    readable = _Readable(scope.earlier, set(scope.row) | own)
    problem = expression_problem(
        question[name],
        readable,
        scope.form_keys,
        allow_names=name == "choice_filter",
        ambiguous=scope.ambiguous,
    )
    if problem:
        raise FeatureError(
            _l(
                'Question "%(key)s", %(setting)s: %(problem)s.',
                key=question["key"],
                setting=name,
                problem=problem,
            ),
            name,
        )


class _Readable:
    """The earlier keys (shared, not copied: a copy per question made big forms quadratic) and
    the few more a question may read."""

    def __init__(self, earlier: set[str], more: set[str]):
        self.earlier, self.more = earlier, more

    def __contains__(self, key) -> bool:
        return key in self.earlier or key in self.more


def _check_extras(question: dict) -> None:
    for option in question.get("choices") or ():
        extra = option.get("extra") if isinstance(option, dict) else None
        if extra is None:
            continue
        if not isinstance(extra, dict) or not all(
            isinstance(name, str) and isinstance(text, str) for name, text in extra.items()
        ):
            raise FeatureError(
                _l(
                    'Question "%(key)s": the extra columns of option "%(code)s" must be texts.',
                    key=question["key"],
                    code=option.get("code"),
                ),
                "choices",
            )
