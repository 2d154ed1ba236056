"""Values a methodologist should check before she signs: impossible by a question's or an
indicator's bounds, or far from the other schools of the report.

Each rule is a small function of plain values; ``suspects`` reads every numeric answer of the
report's responses, table cells included, in one statement (plausibility_numbers.py) and applies
them to each question, table column and indicator. Outliers use the modified z-score of
Iglewicz and Hoaglin (0.6745·|x − median| / MAD > 3.5): the median and the median absolute
deviation are not pulled by the outliers themselves, as a mean and a standard deviation are.
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.accounts.models import User
from app.campaigns.models import Campaign
from app.questionnaires.conditions import to_number
from app.questionnaires.evaluation import empty_context, is_true
from app.questionnaires.expressions import references
from app.questionnaires.spec import NUMERIC_TYPES
from app.reports import plausibility_numbers as reading
from app.reports.aggregates import ReportFilter
from app.reports.formula import STANDARD_INDICATORS
from app.reports.models import Indicator
from app.reports.rounding import PERCENT_UNITS, figure_text, measure_places, value_places

INDICATOR = "indicator:"
CELL_KEY = re.compile(
    r"(?P<table>[A-Za-z_][A-Za-z0-9_]*)\.(?P<column>[A-Za-z_][A-Za-z0-9_]*)#(?P<row>[1-9][0-9]*)"
)
CONSISTENCY = Decimal("0.6745")
OUTLIER_SCORE = Decimal("3.5")
# 0.6745·|x − m| / MAD > 3.5, with 0.6745 = a/b and 3.5 = c/d, multiplied out for twice each
# deviation (2·|x − m|) and four times the MAD: 2·a·d · 2·|x − m| > c·b · 4·MAD. No division,
# so whole millionths and Decimals are compared exactly.
DEVIATION_FACTOR = 2 * CONSISTENCY.as_integer_ratio()[0] * OUTLIER_SCORE.as_integer_ratio()[1]
SPREAD_FACTOR = OUTLIER_SCORE.as_integer_ratio()[0] * CONSISTENCY.as_integer_ratio()[1]
MIN_VALUES = 5
STORED_PLACES = Decimal("0.000001")
STORED_LENGTH = 80  # CheckedValue.value
WIDE = Context(prec=200)
COMMENTS = {  # of a return for revision, by whether the value is an indicator's
    True: _l(
        "Check the answers the indicator «%(label)s» is computed from: %(value)s — %(reason)s. "
        "Correct them or confirm them."
    ),
    False: _l(
        "Check the answer to the question «%(label)s»: %(value)s — %(reason)s. "
        "Correct it or confirm it."
    ),
}
STANDARD_RANGES = {
    spec["key"]: (spec.get("plausible_min"), spec.get("plausible_max"))
    for spec in STANDARD_INDICATORS
}


@dataclass(frozen=True)
class Suspect:
    """One suspicious value of one school's response.

    ``key`` is a question's key, ``<table>.<column>#<row>`` for a table cell (rows from 1), or
    ``indicator:<key>`` for an indicator; ``reason`` says in Russian why the value is suspicious;
    ``checked`` is true once staff marked it as confirmed by the school (and the value has not
    changed since). ``value_text`` writes the value with its ``places`` and ``unit`` (175,0 %);
    ``comment`` is the return for revision's pre-filled comment."""

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
        comment = COMMENTS[self.key.startswith(INDICATOR)]
        return str(comment) % {"label": self.label, "value": self.value_text, "reason": self.reason}


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
    items = list(values)
    series = _Series("", "", items, list(values.values()), in_millionths=False)
    return {items[i]: reason for i, reason in _outlier_reasons(series, places).items()}


def far_positions(numbers: list) -> tuple[list[int], object] | None:
    """The positions of the numbers far from the others and twice their median, or None when
    fewer than five or nearly all equal. Exact for whole numbers (an answer's millionths) and
    Decimals alike: twice the median and twice each deviation keep the halves whole."""
    count = len(numbers)
    if count < MIN_VALUES:
        return None
    low, high = (count - 1) // 2, count // 2
    ordered = sorted(numbers)
    twice_median = ordered[low] + ordered[high]
    deviations = [abs(2 * number - twice_median) for number in numbers]  # twice each
    ordered = sorted(deviations)
    four_spreads = ordered[low] + ordered[high]  # four times the median absolute deviation
    if not four_spreads:
        return None
    bound = SPREAD_FACTOR * four_spreads
    far = [i for i, deviation in enumerate(deviations) if DEVIATION_FACTOR * deviation > bound]
    return far, twice_median


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


@dataclass
class _Series:
    """The values of one checked quantity across the counted responses: a question's answers,
    a table column's cells (``rows``: their row indexes), or an indicator's values.

    ``numbers`` are whole millionths for answers (stored with six decimals, so ints are exact
    and fast) and Decimals for indicators."""

    key: str
    label: str
    response_ids: list[int]
    numbers: list
    bounds: tuple = (None, None)
    question: dict | None = None  # whose own constraint the answers must meet
    judged: bool = True  # looked at for outliers (not the points of a scale)
    rows: list[int] | None = None
    indicator: Indicator | None = None
    in_millionths: bool = True

    def decimal(self, number) -> Decimal:
        return Decimal(number).scaleb(-reading.MILLIONTHS) if self.in_millionths else number

    def mean(self) -> Decimal | None:
        """The mean the report gives its figures' decimals by (rounding.measure_places)."""
        return self.decimal(sum(self.numbers)) / len(self.numbers) if self.numbers else None

    def scaled(self, bound: Decimal | None, rounding: str):
        """A bound in the series' numbers: whole millionths rounded inwards for answers."""
        if bound is None or not self.in_millionths:
            return bound
        return int(Decimal(bound).scaleb(reading.MILLIONTHS).to_integral_value(rounding))

    def row_of(self, item: tuple) -> int:
        """The row of a (position, reason): a school's cells are listed row by row."""
        return self.rows[item[0]] if self.rows else 0

    def key_and_label(self, position: int) -> tuple[str, str]:
        if self.rows is None:
            return self.key, self.label
        return cell_key(self.key, self.rows[position]), cell_label(self.label, self.rows[position])


def column_label(table: dict, column: dict) -> str:
    """Сотрудники: Ставка."""
    return f"{table['label'] or table['key']}: {column['label'] or column['key']}"


def cell_key(column_key: str, row_index: int) -> str:
    """A table cell's key (``staff.rate#2``) from its column's (``staff.rate``), rows from 1."""
    return f"{column_key}#{row_index + 1}"


def cell_label(label: str, row_index: int) -> str:
    return _("%(column)s (row %(row)s)", column=label, row=row_index + 1)


def cell_of(key: str) -> tuple[str, str, int] | None:
    """(table key, column key, row index) of a cell's key; None for any other key."""
    found = CELL_KEY.fullmatch(key)
    return (found["table"], found["column"], int(found["row"]) - 1) if found else None


def suspects(
    viewer: User, campaign: Campaign, report_filter: ReportFilter | None = None
) -> list[Suspect]:
    """The suspicious values of the responses the report counts, in the order of the form
    (questions and table columns, then indicators) and of the schools' names; each checked or
    not. One statement reads every number the checks need."""
    questions, indicators = reading.checked_questions(campaign), reading.indicators_of(campaign)
    schools, read = reading.read(viewer, campaign, report_filter or ReportFilter(), questions)
    series = [*_question_series(questions, read), *_indicator_series(indicators, read)]
    checked = reading.confirmations(campaign)
    found = [
        (order, _with_confirmation(suspect, checked))
        for order, one in enumerate(series)
        for suspect in _suspects_of(one, schools)
    ]
    found.sort(key=lambda item: (item[0], item[1].organization, item[1].response_id))
    return [suspect for _order, suspect in found]


def _question_series(questions: dict, read: dict) -> list[_Series]:
    """A series per numeric question and per numeric table column, in the order of the form."""
    series = []
    for key, question in questions.items():
        if question["type"] != "table":
            series.append(_answer_series(key, question["label"] or key, question, read))
            continue
        for column in question["columns"]:
            if column["type"] in NUMERIC_TYPES:
                label = column_label(question, column)
                series.append(_answer_series(key, label, column, read))
    return series


def _answer_series(key: str, label: str, question: dict, read: dict) -> _Series:
    """The answers to a question, or the cells of a column (``question``) of table ``key``."""
    part = None if question["key"] == key else question["key"]
    ids, rows, numbers = read.get((key, part), ([], [], []))
    constrained = question.get("constraint") is not None
    return _Series(
        key if part is None else f"{key}.{part}",
        label,
        ids,
        numbers,
        bounds=tuple(_question_bound(question, name) for name in ("min", "max")),
        question=question if constrained else None,
        judged=question["type"] != "scale",
        rows=None if part is None else rows,
    )


def _indicator_series(indicators: list, read: dict) -> list[_Series]:
    """A series per indicator, its formula evaluated once per response."""
    answers: dict[int, dict] = {}
    for key in set().union(*(formula.keys for _indicator, formula in indicators)):
        ids, _rows, numbers = read.get((key, None), ([], [], []))
        for response_id, number in zip(ids, numbers, strict=True):
            answers.setdefault(response_id, {})[key] = Decimal(number).scaleb(-reading.MILLIONTHS)
    series = []
    for indicator, formula in indicators:
        values = {
            rid: value
            for rid, got in answers.items()
            if (value := formula.evaluate(got)) is not None
        }
        series.append(
            _Series(INDICATOR + indicator.key, indicator.title, list(values),
                    list(values.values()), plausible_range(indicator), indicator=indicator,
                    in_millionths=False)
        )  # fmt: skip
    return series


def _suspects_of(series: _Series, schools: dict) -> list[Suspect]:
    indicator = series.indicator
    places = measure_places(series.mean(), indicator.unit if indicator else "")
    found = []
    for position, reason in sorted(_reasons(series, places).items(), key=series.row_of):
        response_id, value = series.response_ids[position], series.decimal(series.numbers[position])
        organization, status = schools[response_id]
        key, label = series.key_and_label(position)
        found.append(
            Suspect(response_id, organization, key, label, value, reason,
                    places=places if indicator else value_places(value, 2),
                    unit=indicator.unit if indicator else "", status=status)
        )  # fmt: skip
    return found


def _reasons(series: _Series, places: int) -> dict[int, str]:
    """{position: why} of a series' values: beyond its bounds (a question's min and max, an
    indicator's plausible range), breaking its question's constraint, or far from the others.
    Serves questions, table columns and indicators alike."""
    reasons = _outlier_reasons(series, places) if series.judged else {}
    low, high = series.bounds
    below = series.scaled(low, ROUND_CEILING)
    above = series.scaled(high, ROUND_FLOOR)
    if not _may_break(series.numbers, below, above, series.question):
        return reasons
    bound, constraint = bounds_rule(low, high), _constraint_rule(series)
    for position, number in enumerate(series.numbers):
        if (below is not None and number < below) or (above is not None and number > above):
            reasons[position] = bound(series.decimal(number))
        elif constraint and (reason := constraint(number)):
            reasons[position] = reason
    return reasons


def _may_break(numbers: list, below, above, question: dict | None) -> bool:
    """Whether any of ``numbers`` can be out of bounds or break a constraint (most cannot)."""
    if not numbers:
        return False
    outside = (below is not None and min(numbers) < below) or (
        above is not None and max(numbers) > above
    )
    return outside or question is not None


def _constraint_rule(series: _Series):
    """``constraint_reason`` of the series' question, judged once per distinct number."""
    if series.question is None:
        return None
    known: dict = {}

    def reason(number) -> str | None:
        if number not in known:
            known[number] = constraint_reason(series.question, series.decimal(number))
        return known[number]

    return reason


def _outlier_reasons(series: _Series, places: int) -> dict[int, str]:
    far = far_positions(series.numbers)
    if far is None:
        return {}
    positions, twice_median = far
    middle = series.decimal(twice_median) / 2
    shown = figure_text(middle, places)
    return {
        position: outlier_reason(series.decimal(series.numbers[position]), middle, places, shown)
        for position in positions
    }


def stored_text(value: Decimal) -> str:
    """A value as a confirmation keeps it: six decimals, as answers are stored; an indicator
    too large for that (a product of large answers) in exponent form."""
    text = format(value.quantize(STORED_PLACES, ROUND_HALF_UP, WIDE), "f")
    return text if len(text) <= STORED_LENGTH else format(value, ".20e")


def _with_confirmation(suspect: Suspect, checked: dict) -> Suspect:
    """The suspect marked checked when its value is the one confirmed."""
    value, who, when = checked.get((suspect.response_id, suspect.key), (None, "", None))
    if value != stored_text(suspect.value):
        return suspect
    return replace(suspect, checked=True, checked_by=who, checked_at=when)
