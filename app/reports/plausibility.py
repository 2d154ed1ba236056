"""Values a methodologist should check before she signs: impossible by a question's or an
indicator's bounds, or far from the other schools of the report.

Each rule is a small function of plain values; ``suspects`` reads every numeric answer of the
report's responses in one statement and applies them. Outliers use the modified z-score of
Iglewicz and Hoaglin (0.6745·|x − median| / MAD > 3.5): the median and the median absolute
deviation are not pulled by the outliers themselves, as a mean and a standard deviation are.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from statistics import median

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.accounts.models import User
from app.campaigns.models import Answer, Campaign, Response
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.conditions import to_number
from app.questionnaires.definition import reported_definition
from app.questionnaires.evaluation import empty_context, is_true
from app.questionnaires.expressions import references
from app.questionnaires.spec import NUMERIC_TYPES
from app.reports.aggregates import ReportFilter, responses_clause
from app.reports.formula import STANDARD_INDICATORS, parse
from app.reports.models import CheckedValue, Indicator
from app.reports.rounding import PERCENT_UNITS, figure_text, measure_places, value_places

INDICATOR = "indicator:"
CONSISTENCY = Decimal("0.6745")
OUTLIER_SCORE = Decimal("3.5")
MIN_VALUES = 5
STORED_PLACES = Decimal("0.000001")
STORED_LENGTH = 80  # CheckedValue.value
WIDE = Context(prec=200)
STANDARD_RANGES = {
    spec["key"]: (spec.get("plausible_min"), spec.get("plausible_max"))
    for spec in STANDARD_INDICATORS
}


@dataclass(frozen=True)
class Suspect:
    """One suspicious value of one school's response.

    ``key`` is a question's key, or ``indicator:<key>`` for an indicator; ``reason`` says in
    Russian why the value is suspicious; ``checked`` is true once staff marked it as confirmed by
    the school (and the value has not changed since). ``value_text`` writes the value with its
    ``places`` and ``unit`` (175,0 %); ``comment`` is the return for revision's pre-filled
    comment."""

    response_id: int
    organization: str
    key: str
    label: str
    value: Decimal
    reason: str
    checked: bool = False
    places: int = 2
    unit: str = ""
    status: str = ""  # the response's, to offer a return only where one is possible
    checked_by: str = ""  # who confirmed it, and when
    checked_at: datetime | None = None

    @property
    def value_text(self) -> str:
        text = figure_text(self.value, self.places)
        return f"{text} {self.unit}" if self.unit else text

    @property
    def comment(self) -> str:
        """The comment a return for revision of this value starts with."""
        if self.key.startswith(INDICATOR):
            return _(
                "Check the answers the indicator «%(label)s» is computed from: %(value)s — "
                "%(reason)s. Correct them or confirm them.",
                label=self.label,
                value=self.value_text,
                reason=self.reason,
            )
        return _(
            "Check the answer to the question «%(label)s»: %(value)s — %(reason)s. "
            "Correct it or confirm it.",
            label=self.label,
            value=self.value_text,
            reason=self.reason,
        )


# The rules


def bounds_reason(value: Decimal, low, high) -> str | None:
    """Why ``value`` lies outside ``low``..``high`` (either may be None), or None."""
    return bounds_rule(low, high)(value)


def bounds_rule(low, high):
    """``bounds_reason`` for many values, the bounds written once."""
    below = None if low is None else _("less than possible (%(bound)s)", bound=_bound(low))
    above = None if high is None else _("more than possible (%(bound)s)", bound=_bound(high))

    def reason(value: Decimal) -> str | None:
        if below is not None and value < low:
            return below
        if above is not None and value > high:
            return above
        return None

    return reason


def _bound(bound) -> str:
    """A bound as it was set: 100, 0,5."""
    exponent = Decimal(bound).normalize().as_tuple().exponent
    return figure_text(bound, min(max(-exponent, 0), 6))


def question_reason(question: dict, value: Decimal) -> str | None:
    """Why a stored answer breaks its question's min, max or constraint, or None (it may have
    been imported, or entered under another version of the rules)."""
    return question_rule(question)(value)


def question_rule(question: dict):
    """``question_reason`` of one question, its bounds read once (for many answers)."""
    bounds = bounds_rule(*(_question_bound(question, name) for name in ("min", "max")))
    constrained = question.get("constraint") is not None

    def reason(value: Decimal) -> str | None:
        found = bounds(value)
        return found or (constraint_reason(question, value) if constrained else None)

    return reason


def _question_bound(question: dict, name: str) -> Decimal | None:
    raw = question.get(name)
    return None if raw is None or raw == "" else to_number(raw)


def constraint_reason(question: dict, value: Decimal) -> str | None:
    """Why ``value`` breaks its question's constraint; a constraint reading other answers is
    not judged here (those answers are checked as themselves)."""
    constraint, key = question.get("constraint"), question["key"]
    if constraint is None or references(constraint) - {key}:
        return None
    answer = int(value) if question["type"] != "decimal" else format(value.normalize(), "f")
    if is_true(constraint, {key: answer}, empty_context(), current=key):
        return None
    message = question.get("constraint_message")
    if message:
        return _("breaks the condition of the question: %(message)s", message=message)
    return _("breaks the condition of the question")


def plausible_range(indicator: Indicator) -> tuple[Decimal | None, Decimal | None]:
    """The indicator's own plausible range; where it sets none, its standard one, and 0–100 for
    a percentage."""
    low, high = STANDARD_RANGES.get(indicator.key, (None, None))
    if indicator.unit.strip().lower() in PERCENT_UNITS:
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
    return (
        low if indicator.plausible_min is None else indicator.plausible_min,
        high if indicator.plausible_max is None else indicator.plausible_max,
    )


def outliers(values: dict, places: int = 2) -> dict:
    """{id: reason} for the values of ``values`` ({id: Decimal}) far from the others: a modified
    z-score above 3.5, judged only among at least five values that are not nearly all equal."""
    if len(values) < MIN_VALUES:
        return {}
    middle = median(values.values())
    spread = median(abs(value - middle) for value in values.values())
    if spread == 0:
        return {}
    farthest = OUTLIER_SCORE * spread / CONSISTENCY  # the score's bound as a distance
    shown = figure_text(middle, places)
    return {
        item: outlier_reason(value, middle, places, shown)
        for item, value in values.items()
        if abs(value - middle) > farthest
    }


def outlier_reason(value: Decimal, middle: Decimal, places: int = 2, shown: str = "") -> str:
    shown = shown or figure_text(middle, places)
    if value > middle:
        times = _times(value, middle)
        if times:
            return ngettext(
                "%(num)s time more than the median of the schools (%(median)s)",
                "%(num)s times more than the median of the schools (%(median)s)",
                times,
                median=shown,
            )
        return _("much more than at the other schools (median %(median)s)", median=shown)
    times = _times(middle, value)
    if times:
        return ngettext(
            "%(num)s time less than the median of the schools (%(median)s)",
            "%(num)s times less than the median of the schools (%(median)s)",
            times,
            median=shown,
        )
    return _("much less than at the other schools (median %(median)s)", median=shown)


def _times(larger: Decimal, smaller: Decimal) -> int | None:
    """How many times ``larger`` is ``smaller``, in whole times from two up; None otherwise."""
    if smaller <= 0 or larger < 2 * smaller:
        return None
    return int((larger / smaller).to_integral_value(ROUND_HALF_UP))


# The report's suspects


def suspects(
    viewer: User, campaign: Campaign, report_filter: ReportFilter | None = None
) -> list[Suspect]:
    """The suspicious values of the responses the report counts, in the order of the form
    (questions, then indicators) and of the schools' names; each checked or not."""
    report_filter = report_filter or ReportFilter()
    questions = _numeric_questions(campaign)
    indicators = _indicators(campaign)
    keys = set(questions).union(*(formula.keys for _indicator, formula in indicators))
    schools, answers = _answers(viewer, campaign, report_filter, keys)
    checked = _checked(campaign)
    found: list[Suspect] = []
    for key, question in questions.items():
        values = {rid: got[key] for rid, got in answers.items() if key in got}
        reasons = _question_reasons(question, values)
        for response_id, reason in reasons.items():
            value = values[response_id]
            found.append(
                Suspect(
                    response_id=response_id,
                    organization=schools[response_id][0],
                    key=key,
                    label=question["label"] or key,
                    value=value,
                    reason=reason,
                    places=value_places(value, 2),
                    status=schools[response_id][1],
                )
            )
    for indicator, formula in indicators:
        key = INDICATOR + indicator.key
        values = {
            rid: value
            for rid, got in answers.items()
            if (value := formula.evaluate(got)) is not None
        }
        places = measure_places(_mean(values), indicator.unit)
        for response_id, reason in _indicator_reasons(indicator, values, places).items():
            value = values[response_id]
            found.append(
                Suspect(
                    response_id=response_id,
                    organization=schools[response_id][0],
                    key=key,
                    label=indicator.title,
                    value=value,
                    reason=reason,
                    places=places,
                    unit=indicator.unit,
                    status=schools[response_id][1],
                )
            )
    order = {key: position for position, key in enumerate(questions)}
    order.update({INDICATOR + i.key: len(order) + n for n, (i, _f) in enumerate(indicators)})
    found = [_with_confirmation(suspect, checked) for suspect in found]
    return sorted(found, key=lambda s: (order[s.key], s.organization, s.response_id))


def _question_reasons(question: dict, values: dict) -> dict:
    places = measure_places(_mean(values))
    reasons = outliers(values, places) if question["type"] != "scale" else {}
    rule = question_rule(question)
    for response_id, value in values.items():
        if reason := rule(value):
            reasons[response_id] = reason
    return reasons


def _indicator_reasons(indicator: Indicator, values: dict, places: int) -> dict:
    reasons = outliers(values, places)
    bounds = bounds_rule(*plausible_range(indicator))
    for response_id, value in values.items():
        if reason := bounds(value):
            reasons[response_id] = reason
    return reasons


def _mean(values: dict) -> Decimal | None:
    """The mean the report gives its figures' decimals by (rounding.measure_places)."""
    return sum(values.values()) / len(values) if values else None


def stored_text(value: Decimal) -> str:
    """A value as a confirmation keeps it: six decimals, as answers are stored; an indicator
    too large for that (a product of large answers) in exponent form."""
    text = format(value.quantize(STORED_PLACES, ROUND_HALF_UP, WIDE), "f")
    return text if len(text) <= STORED_LENGTH else format(value, ".20e")


def _numeric_questions(campaign: Campaign) -> dict[str, dict]:
    definition = reported_definition(campaign.form_version)
    return {
        question["key"]: question
        for section in definition["sections"]
        for question in section["questions"]
        if question["type"] in NUMERIC_TYPES
    }


def _indicators(campaign: Campaign) -> list:
    statement = sa.select(Indicator).where(Indicator.form_id == campaign.form_version.form_id)
    rows = db.session.scalars(statement.order_by(Indicator.position, Indicator.id))
    return [(indicator, parse(indicator.formula)) for indicator in rows]


def _answers(viewer, campaign, report_filter, keys) -> tuple[dict, dict]:
    """({response id: (school, status)}, {response id: {key: number}}) of the counted
    responses and their numeric answers to ``keys``: two statements."""
    counted = responses_clause(viewer, campaign, report_filter)
    named = (
        sa.select(Response.id, Organization.name, Response.status)
        .join(Organization, Organization.id == Response.organization_id)
        .where(counted)
    )
    numbers = (
        sa.select(Answer.response_id, Answer.question_key, Answer.value_number)
        .join(Response, Response.id == Answer.response_id)
        .join(Organization, Organization.id == Response.organization_id)
        .where(
            counted,
            Answer.question_key.in_(keys),
            Answer.row_index.is_(None),
            Answer.value_number.is_not(None),
        )
    )
    connection = db.session.connection()
    schools = {rid: (name, str(status)) for rid, name, status in connection.execute(named)}
    answers: dict[int, dict] = {}
    for response_id, key, value in connection.execute(numbers):
        answers.setdefault(response_id, {})[key] = value
    return schools, answers


def _checked(campaign: Campaign) -> dict[tuple[int, str], tuple]:
    """{(response id, key): (value, who, when)} of the campaign's confirmations."""
    statement = (
        sa.select(
            CheckedValue.response_id,
            CheckedValue.key,
            CheckedValue.value,
            User.full_name,
            CheckedValue.checked_at,
        )
        .outerjoin(User, User.id == CheckedValue.checked_by_id)
        .where(CheckedValue.campaign_id == campaign.id)
    )
    rows = db.session.execute(statement)
    return {(rid, key): (value, who or "", when) for rid, key, value, who, when in rows}


def _with_confirmation(suspect: Suspect, checked: dict) -> Suspect:
    """The suspect marked checked when its value is the one confirmed."""
    value, who, when = checked.get((suspect.response_id, suspect.key), (None, "", None))
    if value != stored_text(suspect.value):
        return suspect
    return replace(suspect, checked=True, checked_by=who, checked_at=when)
