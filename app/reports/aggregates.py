"""Per-question aggregates of a campaign, computed by the database over the typed answer rows.

Every figure is a GROUP BY over ``answer`` joined to the responses counted (responses_clause);
Python only shapes the few rows that come back. Numbers stay ``Decimal``; means and medians are
given to the six places the answers are stored with, percents to one place.
"""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.campaigns.answers import TEXT_TYPES
from app.campaigns.models import Answer, Campaign, Response, ResponseStatus
from app.core.text import sort_key
from app.db import UTCDateTime
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import subtree_clause
from app.questionnaires.definition import version_definition
from app.questionnaires.spec import NO, NUMERIC_TYPES, YES

COUNTED = (ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED)
CHOICE_QUESTIONS = ("single", "yesno", "multiple")
BREAKDOWN_TYPES = (*CHOICE_QUESTIONS, *NUMERIC_TYPES)
PER_PAGE = 20
PLACES = Decimal("0.000001")
PERCENT_PLACES = Decimal("0.1")
RESPONDENTS = sa.func.count(sa.distinct(Answer.response_id))


@dataclass
class ReportFilter:
    statuses: tuple[str, ...] = tuple(COUNTED)
    locality: str = ""
    kind: str = ""  # OrganizationKind value
    organization_ids: list[int] | None = None


def responses_clause(
    viewer: User, campaign: Campaign, report_filter: ReportFilter
) -> sa.ColumnElement[bool]:
    """The responses counted, as a condition on ``Response`` joined to its ``Organization``."""
    conditions = [
        Response.campaign_id == campaign.id,
        Response.status.in_(report_filter.statuses),
        subtree_clause(viewer),
    ]
    if report_filter.locality:
        conditions.append(Organization.locality == report_filter.locality)
    if report_filter.kind:
        conditions.append(Organization.kind == report_filter.kind)
    if report_filter.organization_ids is not None:
        conditions.append(Response.organization_id.in_(report_filter.organization_ids))
    return sa.and_(*conditions)


@dataclass
class _Scope:
    viewer: User
    campaign: Campaign
    report_filter: ReportFilter

    def answers(self, key: str, *columns) -> sa.Select:
        """``columns`` over the answers to question ``key`` of the responses counted."""
        return (
            sa.select(*columns)
            .select_from(Answer)
            .join(Answer.response)
            .join(Response.organization)
            .where(
                Answer.question_key == key,
                responses_clause(self.viewer, self.campaign, self.report_filter),
            )
        )

    def respondents(self, key: str) -> int:
        return db.session.scalar(self.answers(key, RESPONDENTS))


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(PLACES)


def _ratio(total, count: int) -> Decimal | None:
    return _decimal(Decimal(total) / count) if count else None


def _percent(count: int, respondents: int) -> Decimal | None:
    if not respondents:
        return None
    return (Decimal(count * 100) / respondents).quantize(PERCENT_PLACES, ROUND_HALF_UP)


# Completion


def completion(viewer: User, campaign: Campaign, report_filter: ReportFilter | None = None) -> dict:
    """Responses by status (whatever the filter's statuses), and how many of the submitted and
    accepted ones came by their deadline (the school's own, else the campaign's)."""
    every_status = replace(report_filter or ReportFilter(), statuses=tuple(ResponseStatus))
    deadline = sa.func.coalesce(Response.deadline, sa.literal(campaign.closes_at, UTCDateTime()))
    on_time = sa.case((Response.submitted_at <= deadline, 1), else_=0)
    statement = (
        sa.select(Response.status, sa.func.count(), sa.func.sum(on_time))
        .join(Response.organization)
        .where(responses_clause(viewer, campaign, every_status))
        .group_by(Response.status)
    )
    statuses, in_time, late = dict.fromkeys(ResponseStatus, 0), 0, 0
    for status, count, punctual in db.session.execute(statement):
        statuses[status] = count
        if status in COUNTED:
            in_time, late = in_time + punctual, late + count - punctual
    return {"statuses": statuses, "total": sum(statuses.values()), "on_time": in_time, "late": late}


# One question


def question_report(
    viewer: User,
    campaign: Campaign,
    question: dict,
    report_filter: ReportFilter | None = None,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> dict | None:
    """The aggregate of one question, shaped by its type; None for a note.

    ``page`` and ``per_page`` choose the page of answers of a text question.
    """
    scope = _Scope(viewer, campaign, report_filter or ReportFilter())
    if question["type"] in TEXT_TYPES:
        return _texts(scope, question, page, per_page)
    build = _BUILDERS.get(question["type"])
    return build(scope, question) if build else None


def options_of(question: dict) -> list[dict]:
    """The options of a choice question or column: its choices, or yes and no."""
    if question["type"] == "yesno":
        return [{"code": YES, "label": _("Yes")}, {"code": NO, "label": _("No")}]
    return question.get("choices") or []


def _choices(scope: _Scope, question: dict) -> dict:
    """Percents are of the respondents: a multiple choice's may add up to more than 100."""
    respondents = scope.respondents(question["key"])
    statement = scope.answers(question["key"], Answer.value_choice, RESPONDENTS).group_by(
        Answer.value_choice
    )
    counts = dict(db.session.execute(statement).all())
    options = [
        {
            "code": option["code"],
            "label": option["label"],
            "count": counts.get(option["code"], 0),
            "percent": _percent(counts.get(option["code"], 0), respondents),
        }
        for option in options_of(question)
    ]
    return {"kind": "choices", "respondents": respondents, "options": options}


def _numbers(scope: _Scope, question: dict) -> dict:
    value = Answer.value_number
    statement = scope.answers(
        question["key"], sa.func.count(value), sa.func.sum(value), sa.func.min(value),
        sa.func.max(value),
    )  # fmt: skip
    count, total, low, high = db.session.execute(statement).one()
    return {
        "kind": "numbers",
        "n": count,
        "sum": _decimal(total or 0),
        "mean": _ratio(total, count),
        "median": _median(scope, question["key"]),
        "min": _decimal(low),
        "max": _decimal(high),
    }


def _median(scope: _Scope, key: str) -> Decimal | None:
    """The mean of the one or two middle values, found by numbering the sorted values in SQL.

    The same query on both databases; PostgreSQL's percentile_cont would turn the stored
    decimals into floating point.
    """
    ranked = (
        scope.answers(
            key,
            Answer.value_number.label("value"),
            sa.func.row_number().over(order_by=Answer.value_number).label("position"),
            sa.func.count().over().label("total"),
        )
        .where(Answer.value_number.is_not(None))
        .subquery()
    )
    middle = ((ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2)
    statement = sa.select(sa.func.sum(ranked.c.value), sa.func.count()).where(
        ranked.c.position.in_(middle)
    )
    total, count = db.session.execute(statement).one()
    return _ratio(total, count)


def _dates(scope: _Scope, question: dict) -> dict:
    value = Answer.value_date
    statement = scope.answers(
        question["key"], sa.func.count(value), sa.func.min(value), sa.func.max(value)
    )
    count, earliest, latest = db.session.execute(statement).one()
    return {"kind": "dates", "n": count, "earliest": earliest, "latest": latest}


def _matrix(scope: _Scope, question: dict) -> dict:
    statement = scope.answers(
        question["key"], Answer.part, Answer.value_choice, sa.func.count()
    ).group_by(Answer.part, Answer.value_choice)
    counts = {(part, choice): count for part, choice, count in db.session.execute(statement)}
    choices = question.get("choices") or []
    rows = [
        {
            "code": row["code"],
            "label": row["label"],
            "counts": {
                choice["code"]: counts.get((row["code"], choice["code"]), 0) for choice in choices
            },
        }
        for row in question.get("rows") or []
    ]
    respondents = scope.respondents(question["key"])
    return {"kind": "matrix", "respondents": respondents, "rows": rows, "choices": choices}


def _table(scope: _Scope, question: dict) -> dict:
    table_rows = scope.answers(question["key"], Answer.response_id, Answer.row_index).distinct()
    table_rows = table_rows.subquery()
    statement = sa.select(sa.func.count(), sa.func.count(sa.distinct(table_rows.c.response_id)))
    rows_total, schools = db.session.execute(statement).one()
    return {
        "kind": "table",
        "rows_total": rows_total,
        "schools": schools,
        "per_school_mean": _ratio(rows_total, schools),
        "columns": _table_columns(scope, question),
    }


def _table_columns(scope: _Scope, question: dict) -> dict:
    """Numeric columns: n, sum and mean of their cells; choice columns: counts per option;
    other columns: the number of filled cells."""
    statement = scope.answers(
        question["key"], Answer.part, Answer.value_choice, sa.func.count(),
        sa.func.sum(Answer.value_number),
    ).group_by(Answer.part, Answer.value_choice)  # fmt: skip
    cells: dict[str, list] = {}
    for part, choice, count, total in db.session.execute(statement):
        cells.setdefault(part, []).append((choice, count, total))
    return {
        column["key"]: _column_summary(column, cells.get(column["key"], []))
        for column in question["columns"]
    }


def _column_summary(column: dict, groups: list[tuple]) -> dict:
    count = sum(cells for _choice, cells, _total in groups)
    if column["type"] in NUMERIC_TYPES:
        total = sum((value for _choice, _cells, value in groups if value is not None), Decimal(0))
        return {"n": count, "sum": _decimal(total), "mean": _ratio(total, count)}
    if column["type"] in CHOICE_QUESTIONS:
        counts = {choice: cells for choice, cells, _total in groups}
        codes = [option["code"] for option in options_of(column)]
        return {"counts": {code: counts.get(code, 0) for code in codes}}
    return {"n": count}


def _texts(scope: _Scope, question: dict, page: int, per_page: int) -> dict:
    """A page of the answers (``Answer`` rows, each with its response and organization loaded)
    in the order of the organizations; the page works with the ``pager`` macro."""
    statement = (
        scope.answers(question["key"], Answer)
        .options(contains_eager(Answer.response).contains_eager(Response.organization))
        .order_by(Organization.sort_key, Answer.id)
    )
    answers = db.paginate(
        statement, page=page, per_page=per_page, max_per_page=200, error_out=False, count=True
    )
    return {"kind": "texts", "n": answers.total, "page": answers}


def _files(scope: _Scope, question: dict) -> dict:
    return {"kind": "files", "n": scope.respondents(question["key"])}


_BUILDERS = {
    **dict.fromkeys(CHOICE_QUESTIONS, _choices),
    **dict.fromkeys(NUMERIC_TYPES, _numbers),
    "date": _dates,
    "matrix": _matrix,
    "table": _table,
    "file": _files,
}


# The whole campaign


def campaign_report(
    viewer: User, campaign: Campaign, report_filter: ReportFilter | None = None, page: int = 1
) -> dict:
    """Completion, then the sections of the form in order, each with its questions' reports
    (notes left out)."""
    report_filter = report_filter or ReportFilter()
    sections = []
    for section in version_definition(campaign.form_version)["sections"]:
        entries = [
            {"question": question, "report": report}
            for question in section["questions"]
            if (report := question_report(viewer, campaign, question, report_filter, page=page))
            is not None
        ]
        sections.append({"key": section["key"], "title": section["title"], "questions": entries})
    return {"completion": completion(viewer, campaign, report_filter), "sections": sections}


# Cross-tables


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
    scope = _Scope(viewer, campaign, report_filter or ReportFilter())
    if question["type"] in CHOICE_QUESTIONS:
        rows = _choice_breakdown(scope, question, _grouping(by))
    elif question["type"] in NUMERIC_TYPES:
        rows = _number_breakdown(scope, question, _grouping(by))
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


def _choice_breakdown(scope: _Scope, question: dict, grouping: tuple) -> list[dict]:
    """Counts per group and option, and (the rows without a code) respondents per group, in
    one UNION ALL statement."""
    per_option = scope.answers(
        question["key"], *grouping, Answer.value_choice.label("code"), RESPONDENTS
    ).group_by(*grouping, Answer.value_choice)
    per_group = scope.answers(
        question["key"], *grouping, sa.null().label("code"), RESPONDENTS
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


def _number_breakdown(scope: _Scope, question: dict, grouping: tuple) -> list[dict]:
    value = Answer.value_number
    statement = scope.answers(
        question["key"], *grouping, sa.func.count(value), sa.func.sum(value)
    ).group_by(*grouping)
    return [
        {"key": key, "label": label, "n": count, "sum": _decimal(total or 0),
         "mean": _ratio(total, count)}
        for key, label, count, total in db.session.execute(statement)
    ]  # fmt: skip
