"""The revision of what a campaign's report counts, so cached figures know when they are old.

A campaign's revision is four counters (``ReportRevision``): its own, its form's, the
organizations' and the one for answer rows written without a known campaign. Every commit
that changes something a report reads bumps the counters it touches, inside the same
transaction, just before COMMIT — so a revision never runs ahead of the data, a bump is never
lost, and the row lock is held only for the commit itself. Nothing in the save paths calls this
module: it listens to the ORM session (flushes and DML statements).

A draft's autosave changes only the response's ``data``, ``revision`` and ``updated_*``, which
no report reads (figures come from the answer rows written on submission), so it bumps nothing.
"""

from functools import cache

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators, visitors

from app.campaigns.models import Answer, Campaign, Response
from app.extensions import db
from app.organizations.models import Organization
from app.reports.models import CheckedValue, Indicator, ReportRevision

PENDING = "report_revision_scopes"  # session.info: scopes to bump at commit
RESPONSES = "report_revision_responses"  # session.info: response ids whose campaign to bump
CLEARED = "report_revision_cleared"  # session.info: the counters themselves were deleted
BUMPED = "report_revision_bumped"  # session.info: campaigns bumped by the last commit
ORGANIZATIONS = "organizations"
UNKNOWN_ANSWERS = "responses"

# Columns of a response no report reads: an autosave changes only these.
UNREAD_RESPONSE_FIELDS = frozenset(
    {
        "data",
        "revision",
        "updated_at",
        "updated_by_id",
        "school_comment",
        "prefilled_keys",
        "prefilled_from_id",
        "prefill_declined_at",
        "review_comment",
        "review_keys",
        "review_notes",
    }
)


def campaign_scope(campaign_id: int) -> str:
    return f"campaign:{campaign_id}"


def form_scope(form_id: int) -> str:
    return f"form:{form_id}"


def scopes_of(campaign: Campaign) -> list[str]:
    return [
        campaign_scope(campaign.id),
        form_scope(campaign.form_version.form_id),
        ORGANIZATIONS,
        UNKNOWN_ANSWERS,
    ]


def revision_of(campaign: Campaign) -> str:
    """The campaign's revision as text (``c3.f0.o1.r0``): equal texts, equal figures."""
    scopes = scopes_of(campaign)
    statement = sa.select(ReportRevision.scope, ReportRevision.revision).where(
        ReportRevision.scope.in_(scopes)
    )
    found = dict(db.session.execute(statement).all())
    return ".".join(f"{scope[0]}{found.get(scope, 0)}" for scope in scopes)


def _pending(session: Session) -> set[str]:
    return session.info.setdefault(PENDING, set())


def _changed(instance, names) -> bool:
    state = sa.inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in names)


@cache
def _response_fields() -> tuple[str, ...]:
    columns = sa.inspect(Response).column_attrs
    return tuple(c.key for c in columns if c.key not in UNREAD_RESPONSE_FIELDS)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    scopes, responses = _pending(session), session.info.setdefault(RESPONSES, set())
    for instance in session.new | session.deleted:
        _note(instance, scopes, responses)
    for instance in session.dirty:
        if isinstance(instance, Response) and not _changed(instance, _response_fields()):
            continue
        _note(instance, scopes, responses)


def _note(instance, scopes: set[str], responses: set[int]) -> None:
    if isinstance(instance, Response | CheckedValue):
        scopes.add(campaign_scope(instance.campaign_id))
    elif isinstance(instance, Answer):
        if instance.response_id is None:
            scopes.add(UNKNOWN_ANSWERS)
        else:
            responses.add(instance.response_id)
    elif isinstance(instance, Campaign) and instance.id is not None:
        scopes.add(campaign_scope(instance.id))
    elif isinstance(instance, Indicator):
        scopes.add(form_scope(instance.form_id))
    elif isinstance(instance, Organization):
        scopes.add(ORGANIZATIONS)


@event.listens_for(Session, "do_orm_execute")
def _statement(state) -> None:
    """INSERT, UPDATE and DELETE statements bypass the flush: their rows are read off the
    statement (``WHERE response_id = …`` and the like), else every campaign is bumped."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    session = state.session
    if name == ReportRevision.__tablename__:
        if state.is_delete:
            session.info[CLEARED] = True
    elif name == Organization.__tablename__:
        _pending(session).add(ORGANIZATIONS)
    elif name in (Answer.__tablename__, Response.__tablename__, CheckedValue.__tablename__):
        _note_rows(state, table, name)
    elif name == Indicator.__tablename__:
        _pending(session).add(ORGANIZATIONS)  # no form known: every report


def _note_rows(state, table, name: str) -> None:
    session = state.session
    column = "response_id" if name == Answer.__tablename__ else "campaign_id"
    values = (_inserted_values if state.is_insert else _where_values)(state, table.c[column])
    if name == Response.__tablename__ and values is None:
        ids = _where_values(state, table.c.id)
        if ids is not None:
            session.info.setdefault(RESPONSES, set()).update(ids)
            return
    if values is None:
        _pending(session).add(UNKNOWN_ANSWERS)
    elif column == "response_id":
        session.info.setdefault(RESPONSES, set()).update(values)
    else:
        _pending(session).update(campaign_scope(value) for value in values)


def _inserted_values(state, column) -> set | None:
    """The values of ``column`` in the rows an INSERT is given as parameters, or None."""
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters]
    values = {row.get(column.key) for row in rows if isinstance(row, dict)}
    return None if not values or None in values else values


def _where_values(state, column) -> set | None:
    """The values ``column`` is compared with (``=`` or ``IN``) in the statement's WHERE, or
    None when the statement does not name them."""
    where = getattr(state.statement, "whereclause", None)
    if where is None:
        return None
    for element in visitors.iterate(where):
        if not isinstance(element, sa.BinaryExpression):
            continue
        left, right = element.left, element.right
        if not (isinstance(left, sa.Column) and left.compare(column)):
            continue
        if element.operator is operators.eq and isinstance(right, sa.BindParameter):
            return {right.effective_value}
        if element.operator is operators.in_op and isinstance(right, sa.BindParameter):
            return set(right.effective_value or ())
    return None


@event.listens_for(Session, "before_commit")
def _bump(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this event: its changes count too
    scopes = session.info.pop(PENDING, set())
    responses = session.info.pop(RESPONSES, set())
    if not scopes and not responses:
        session.info.pop(CLEARED, None)
        return
    if session.info.pop(CLEARED, False):
        return
    if responses:
        campaigns = session.scalars(
            sa.select(Response.campaign_id).where(Response.id.in_(responses)).distinct()
        )
        scopes.update(campaign_scope(campaign_id) for campaign_id in campaigns)
    for scope in sorted(scopes):  # one order in every transaction: no deadlock between two
        session.execute(_upsert(session, scope))
    session.info[BUMPED] = {
        int(scope.split(":")[1]) for scope in scopes if scope.startswith("campaign:")
    }


def _upsert(session: Session, scope: str):
    dialect = session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(ReportRevision)
    statement = insert.values(scope=scope, revision=1)
    return statement.on_conflict_do_update(
        index_elements=[ReportRevision.scope],
        set_={"revision": ReportRevision.revision + 1},
    )


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous) -> None:
    for name in (PENDING, RESPONSES, CLEARED, BUMPED):
        session.info.pop(name, None)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(CLEARED, None)


def bumped_campaigns(session: Session) -> set[int]:
    """The campaigns whose revision the commit just made bumped (read once)."""
    return session.info.pop(BUMPED, set())
