"""Cross-tables: a question's figures per locality or per organization."""

import sqlalchemy as sa

from app.accounts.models import User
from app.campaigns.models import Answer, Campaign
from app.core.text import sort_key
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.spec import NUMERIC_TYPES
from app.reports.aggregates import (
    CHOICE_QUESTIONS,
    ReportFilter,
    _decimal,
    _percent,
    _ratio,
    options_of,
    responses_clause,
)
from app.reports.figures import Counted

RESPONDENTS = sa.func.count(sa.distinct(Answer.response_id))


def breakdown(
    viewer: User,
    campaign: Campaign,
    question: dict,
    by: str,
    report_filter: ReportFilter | None = None,
) -> list[dict]:
    """One row per locality or organization (``key``, ``label``), in alphabetical order.

    A choice question gives ``respondents``, ``counts`` and ``percents`` per option; a numeric
    one ``n``, ``sum`` and ``mean``. Groups without answers are left out.
    """
    counted = Counted(responses_clause(viewer, campaign, report_filter or ReportFilter()))
    if question["type"] in CHOICE_QUESTIONS:
        rows = _choice_breakdown(counted, question, _grouping(by))
    elif question["type"] in NUMERIC_TYPES:
        rows = _number_breakdown(counted, question, _grouping(by))
    else:
        raise ValueError(f"no breakdown for {question['type']!r} questions")
    return sorted(rows, key=lambda row: sort_key(row["label"]))


def _grouping(by: str) -> tuple:
    """The key and label columns of the groups."""
    if by == "locality":
        return Organization.locality.label("key"), Organization.locality.label("label")
    if by == "organization":
        name = sa.func.coalesce(sa.func.nullif(Organization.short_name, ""), Organization.name)
        return Organization.id.label("key"), name.label("label")
    raise ValueError(f"unknown breakdown {by!r}")


def _choice_breakdown(counted: Counted, question: dict, grouping: tuple) -> list[dict]:
    """Counts per group and option, and (the rows without a code) respondents per group, in
    one UNION ALL statement."""
    per_option = (
        counted.answers(
            [question["key"]], *grouping, Answer.value_choice.label("code"), RESPONDENTS
        )
        .where(Answer.value_choice.is_not(None))  # the row of "none ticked" is no option
        .group_by(*grouping, Answer.value_choice)
    )
    per_group = counted.answers(
        [question["key"]], *grouping, sa.null().label("code"), RESPONDENTS
    ).group_by(*grouping)
    codes = [option["code"] for option in options_of(question)]
    groups: dict = {}
    for key, label, code, count in db.session.execute(sa.union_all(per_option, per_group)):
        group = groups.setdefault(
            key, {"key": key, "label": label, "respondents": 0, "counts": dict.fromkeys(codes, 0)}
        )
        if code is None:
            group["respondents"] = count
        elif code in group["counts"]:
            group["counts"][code] = count
    for group in groups.values():
        group["percents"] = {
            code: _percent(count, group["respondents"]) for code, count in group["counts"].items()
        }
    return list(groups.values())


def _number_breakdown(counted: Counted, question: dict, grouping: tuple) -> list[dict]:
    value = Answer.value_number
    statement = counted.answers(
        [question["key"]], *grouping, sa.func.count(value), sa.func.sum(value)
    ).group_by(*grouping)
    return [
        {"key": key, "label": label, "n": count, "sum": _decimal(total or 0),
         "mean": _ratio(total, count)}
        for key, label, count, total in db.session.execute(statement)
    ]  # fmt: skip
