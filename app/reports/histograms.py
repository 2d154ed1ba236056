"""Histograms of numeric questions: how many schools gave a value in each interval.

The intervals have a round width (1, 2 or 5 times a power of ten; whole for whole-number
questions) and start at a multiple of it, so a reader sees «10–19» rather than «9,37–18,74»;
the database counts the schools in them (figures.histogram) — no school's row is fetched.
"""

import math
from decimal import ROUND_FLOOR, Decimal

from app.accounts.models import User
from app.campaigns.models import Campaign
from app.reports import figures
from app.reports.aggregates import ReportFilter, responses_clause
from app.reports.rounding import figure_text

MAX_BINS = 10
STEPS = (1, 2, 5, 10)


def bin_plan(low: Decimal, high: Decimal, n: int, whole: bool) -> tuple[Decimal, Decimal, int]:
    """(start, width, number of bins) for ``n`` values from ``low`` to ``high``: about
    log2(n) + 1 bins (Sturges), at most MAX_BINS."""
    low, high = Decimal(low), Decimal(high)
    if high == low:
        return low, Decimal(1), 1
    target = min(MAX_BINS, max(2, math.ceil(math.log2(n)) + 1)) if n > 1 else 1
    raw = (high - low) / target
    exponent = raw.adjusted()
    mantissa = raw.scaleb(-exponent)
    step = next(step for step in STEPS if step >= mantissa)
    width = Decimal(step).scaleb(exponent)
    if whole:
        width = max(width.to_integral_value(), Decimal(1))
    start = (low / width).to_integral_value(ROUND_FLOOR) * width
    count = int(((high - start) / width).to_integral_value(ROUND_FLOOR)) + 1
    return start, width, count


def bin_label(start: Decimal, width: Decimal, whole: bool) -> str:
    """«10–19» for whole numbers (the upper edge is the next bin's), «0,5–1» for decimals."""
    if whole:
        first, last = figure_text(start, 0), figure_text(start + width - 1, 0)
        return first if width == 1 else f"{first}–{last}"
    places = max(0, -width.normalize().as_tuple().exponent)
    return f"{figure_text(start, places)}–{figure_text(start + width, places)}"


def histograms(
    viewer: User,
    campaign: Campaign,
    questions: list[tuple[dict, dict]],
    report_filter: ReportFilter | None = None,
) -> dict[str, list[dict]]:
    """The bins of each (numeric question, its numbers report) answered at least once:
    [{"label", "start", "width", "count"}] in order, empty bins included."""
    plans = {}
    for question, report in questions:
        if report["n"] and report["min"] is not None:
            whole = question["type"] != "decimal"
            plan = bin_plan(report["min"], report["max"], report["n"], whole)
            plans[question["key"]] = (*plan, whole)
    counted = figures.Counted(responses_clause(viewer, campaign, report_filter or ReportFilter()))
    found = figures.histogram(counted, {key: plan[:2] for key, plan in plans.items()})
    return {
        key: [
            {
                "label": bin_label(start + number * width, width, whole),
                "start": start + number * width,
                "width": width,
                "count": found[key].get(number, 0),
            }
            for number in range(count)
        ]
        for key, (start, width, count, whole) in plans.items()
    }
