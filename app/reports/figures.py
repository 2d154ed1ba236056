"""The SQL behind the report: one statement per kind of figure for all the questions asked.

Each function takes the questions' keys and returns the rows of one GROUP BY question_key over
the answers of the responses counted (``Counted``), so a report of 150 questions is a handful of
statements whatever the size of the form. Where the stored rows guarantee it the cheaper
aggregate is used: a choice question has one row per respondent and chosen option, so
``count(*)`` counts respondents per option.
"""

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import Pagination

from app.campaigns.models import Answer, Response
from app.extensions import db
from app.organizations.models import Organization

MEDIAN_ABOVE = 0.5 + 1e-9  # percentile_disc at this fraction is the upper middle value


@dataclass
class Counted:
    """The answers counted: those of the responses that ``condition`` (on ``Response`` joined to
    its ``Organization``) lets through."""

    condition: sa.ColumnElement[bool]

    def answers(self, keys: list[str], *columns) -> sa.Select:
        return (
            sa.select(*columns)
            .select_from(Answer)
            .join(Answer.response)
            .join(Response.organization)
            .where(Answer.question_key.in_(keys), self.condition)
        )

    def rows(self, keys: list[str], *columns, group_by=()) -> list[sa.Row]:
        if not keys:
            return []
        statement = self.answers(keys, Answer.question_key, *columns).group_by(
            Answer.question_key, *group_by
        )
        return db.session.execute(statement).all()


def prepare_session() -> None:
    """On PostgreSQL, enough memory for the report's sorts, for this transaction only
    (``REPORT_WORK_MEM_MB``): with the default 4 MB a national report sorts on disk, four
    times slower at 40,000 schools."""
    megabytes = int(current_app.config["REPORT_WORK_MEM_MB"])
    if megabytes > 0 and _dialect() == "postgresql":
        db.session.execute(sa.text(f"SET LOCAL work_mem = '{megabytes}MB'"))


def numbers(counted: Counted, keys: list[str]) -> dict[str, tuple]:
    """(count, sum, min, max, median) per numeric question."""
    value = Answer.value_number
    columns = [sa.func.count(value), sa.func.sum(value), sa.func.min(value), sa.func.max(value)]
    if _dialect() != "postgresql":
        medians = _medians(counted, keys)
        return {key: (*figures, medians.get(key)) for key, *figures in counted.rows(keys, *columns)}
    # percentile_disc keeps the stored decimals (percentile_cont would turn them to floats)
    lower = sa.func.percentile_disc(0.5).within_group(value)
    upper = sa.func.percentile_disc(MEDIAN_ABOVE).within_group(value)
    return {
        key: (*figures, None if low is None else (low + high) / 2)
        for key, *figures, low, high in counted.rows(keys, *columns, lower, upper)
    }


def _medians(counted: Counted, keys: list[str]) -> dict[str, Decimal]:
    """The mean of the one or two middle values of each question, by numbering its sorted values
    (SQLite has no ordered-set aggregates)."""
    if not keys:
        return {}
    ranked = (
        counted.answers(
            keys,
            Answer.question_key,
            Answer.value_number.label("value"),
            sa.func.row_number()
            .over(partition_by=Answer.question_key, order_by=Answer.value_number)
            .label("position"),
            sa.func.count().over(partition_by=Answer.question_key).label("total"),
        )
        .where(Answer.value_number.is_not(None))
        .subquery()
    )
    middle = ((ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2)
    statement = (
        sa.select(ranked.c.question_key, sa.func.sum(ranked.c.value), sa.func.count())
        .where(ranked.c.position.in_(middle))
        .group_by(ranked.c.question_key)
    )
    return {
        key: Decimal(total) / count for key, total, count in db.session.execute(statement) if count
    }


def cells(counted: Counted, keys: list[str]) -> dict[str, dict[tuple, tuple]]:
    """{(part, choice): (rows, sum of numbers)} per question: the options of choice questions,
    the rows × options of matrices, the cells of tables' columns."""
    found: dict[str, dict[tuple, tuple]] = {}
    columns = (Answer.part, Answer.value_choice, sa.func.count(), sa.func.sum(Answer.value_number))
    for key, part, choice, count, total in counted.rows(
        keys, *columns, group_by=(Answer.part, Answer.value_choice)
    ):
        found.setdefault(key, {})[(part, choice)] = (count, total)
    return found


def respondents(counted: Counted, keys: list[str]) -> dict[str, int]:
    """The responses answering each question, where one response may give it several rows."""
    return dict(counted.rows(keys, sa.func.count(sa.distinct(Answer.response_id))))


def dates(counted: Counted, keys: list[str]) -> dict[str, tuple]:
    """(count, earliest, latest) per date question."""
    value = Answer.value_date
    rows = counted.rows(keys, sa.func.count(value), sa.func.min(value), sa.func.max(value))
    return {key: tuple(figures) for key, *figures in rows}


def table_rows(counted: Counted, keys: list[str]) -> dict[str, tuple[int, int]]:
    """(rows in all, responses with rows) per table question."""
    if not keys:
        return {}
    rows = counted.answers(keys, Answer.question_key, Answer.response_id, Answer.row_index)
    rows = rows.distinct().subquery()
    statement = sa.select(
        rows.c.question_key, sa.func.count(), sa.func.count(sa.distinct(rows.c.response_id))
    ).group_by(rows.c.question_key)
    return {key: (total, schools) for key, total, schools in db.session.execute(statement)}


@dataclass
class TextAnswer:
    id: int
    value_text: str
    organization: Organization


class TextPage(Pagination):
    """A page of text answers already fetched; it works with the ``pager`` macro."""

    def _query_items(self) -> list:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]


def text_pages(counted: Counted, keys: list[str], page: int, per_page: int) -> dict[str, TextPage]:
    """Page ``page`` of each text question's answers in the order of the organizations."""
    page, per_page = max(page, 1), min(max(per_page, 1), 200)
    if not keys:
        return {}
    ranked = counted.answers(
        keys,
        Answer.question_key,
        Answer.id,
        Answer.value_text,
        Response.organization_id,
        sa.func.row_number()
        .over(partition_by=Answer.question_key, order_by=(Organization.sort_key, Answer.id))
        .label("position"),
        sa.func.count().over(partition_by=Answer.question_key).label("total"),
    ).subquery()
    first = (page - 1) * per_page + 1
    statement = (
        sa.select(ranked)
        .where(ranked.c.position.between(first, first + per_page - 1) | (ranked.c.position == 1))
        .order_by(ranked.c.question_key, ranked.c.position)
    )
    fetched = db.session.execute(statement).all()
    organizations = _organizations({row.organization_id for row in fetched})
    items: dict[str, list[TextAnswer]] = {key: [] for key in keys}
    totals = dict.fromkeys(keys, 0)
    for row in fetched:
        totals[row.question_key] = row.total
        if row.position >= first:
            organization = organizations[row.organization_id]
            items[row.question_key].append(TextAnswer(row.id, row.value_text, organization))
    return {
        key: TextPage(
            page=page, per_page=per_page, max_per_page=200, error_out=False, count=True,
            items=items[key], total=totals[key],
        )
        for key in keys
    }  # fmt: skip


def _organizations(ids: set[int]) -> dict[int, Organization]:
    if not ids:
        return {}
    found = db.session.scalars(sa.select(Organization).where(Organization.id.in_(ids)))
    return {organization.id: organization for organization in found}


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def histogram(counted: Counted, bins: dict[str, tuple[Decimal, Decimal]]) -> dict[str, dict]:
    """{bin number: schools} per numeric question, the bins of ``bins[key] = (start, width)``
    numbered from 0 at ``start``: floor((value − start) / width), counted by the database."""
    if not bins:
        return {}
    value = Answer.value_number

    def by_key(figure: int) -> sa.Case:
        return sa.case(
            {key: sa.literal(plan[figure], sa.Numeric(20, 6)) for key, plan in bins.items()},
            value=Answer.question_key,
        )

    # the epsilon keeps a value on a bin's edge in the bin above where floats are inexact
    position = (value - by_key(0)) / by_key(1) + sa.literal(1e-9, sa.Float())
    if _dialect() == "postgresql":
        number = sa.cast(sa.func.floor(position), sa.Integer)
    else:  # SQLite has no floor() without its math extension; values here are above start
        number = sa.cast(position, sa.Integer)
    found: dict[str, dict] = {key: {} for key in bins}
    rows = counted.rows(
        list(bins),
        number.label("bin_number"),
        sa.func.count(),
        group_by=(sa.literal_column("bin_number"),),
    )
    for key, bin_number, count in rows:
        if bin_number is not None:
            found[key][int(bin_number)] = count
    return found
