"""The report page's figures kept in the database, per campaign, filter and viewer's scope.

The first view of a filter computes its figures and stores them with the campaign's revision
(app.reports.revisions); for a large campaign it is queued on huey while the page waits
(app.reports.first_view). A later view at the same revision is served from the store. When
the revision moved on, the stored figures are served at once, the page says when they were
computed and that newer answers are being counted, and a recomputation is queued on huey.
A commit that bumps a campaign's revision queues one too, at most one per campaign every
``REFRESH_DELAY`` seconds however many saves come in: the task recomputes the filters someone
viewed in the last ``RECENT`` days.

The key holds the viewer's scope (the subtree of their organization, the one rule of
app.organizations.scope), never the person: two people of one district share their entry,
a school or another district never does.
"""

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.campaigns.models import Campaign, ResponseStatus
from app.db import utcnow
from app.extensions import db
from app.organizations.scope import SUBTREE_ROLES
from app.reports import (
    aggregates,
    breakdowns,
    charts,
    histograms,
    indicators,
    jobs,
    plausibility,
    revisions,
)
from app.reports.figures import TextAnswer, TextPage
from app.reports.models import Indicator, ReportCache

log = logging.getLogger(__name__)

REFRESH_DELAY = 10  # seconds a campaign's changes are gathered before its figures are recomputed
RECENT = timedelta(days=7)  # filters viewed this recently are recomputed in the background
FORGOTTEN = timedelta(days=30)  # entries not viewed for this long are deleted by the next run
CLAIM_EXPIRES = 600  # seconds after which a queued recomputation that never ran is queued again
VIEW_NOTED = timedelta(hours=1)  # how stale ``viewed_at`` may get before a view writes it
FORMAT = 1  # of the payload; entries of another format are computed again


@dataclass
class Figures:
    report: dict
    indicators: list
    bins: dict
    suspects: list
    cross: list | None
    computed_at: datetime
    current: bool  # False: newer answers are being counted


@dataclass(frozen=True)
class Request:
    """What a view asks for besides the filter: a page of text answers, a breakdown."""

    page: int = 1
    breakdown: str = ""
    by: str = ""


def scope_of(viewer: User) -> str:
    if viewer.role in SUBTREE_ROLES:
        return f"tree:{viewer.organization.path}"
    return f"organization:{viewer.organization_id}"


def request_fields(report_filter: aggregates.ReportFilter, request: Request) -> dict:
    fields_ = asdict(report_filter)
    fields_["statuses"] = sorted(str(status) for status in report_filter.statuses)
    return {"filter": fields_, **asdict(request), "format": FORMAT}


def cache_key(scope: str, fields_: dict) -> str:
    text = json.dumps({"scope": scope, **fields_}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def compute(
    viewer: User,
    campaign: Campaign,
    report_filter: aggregates.ReportFilter,
    request: Request,
    question: dict | None = None,
) -> dict:
    """Every figure of the report page that comes from the answers."""
    report = aggregates.campaign_report(viewer, campaign, report_filter, page=request.page)
    cross = None
    if question is not None:
        cross = breakdowns.breakdown(
            viewer, campaign, question, request.by or "locality", report_filter
        )
    return {
        "report": report,
        "indicators": indicators.indicator_report(viewer, campaign, report_filter),
        "bins": histograms.histograms(
            viewer, campaign, charts.numeric_entries(report), report_filter
        ),
        "suspects": plausibility.suspects(viewer, campaign, report_filter),
        "cross": cross,
    }


def page_figures(
    viewer: User,
    campaign: Campaign,
    report_filter: aggregates.ReportFilter,
    request: Request,
    question: dict | None = None,
) -> Figures:
    """The page's figures: stored ones when current, else stored ones marked as not current
    (and a recomputation queued), else computed now and stored."""
    revision = revisions.revision_of(campaign)
    key = request_key(viewer, report_filter, request)
    entry = _entry(campaign.id, key)
    if entry is not None and entry.revision != revision:
        schedule_refresh(campaign.id)
        db.session.commit()
        entry = _entry(campaign.id, key)  # with an immediate queue it is current by now
    if entry is not None:
        figures = _figures(entry, campaign, current=entry.revision == revision)
        _note_view(entry, viewer)
        return figures
    return compute_and_store(viewer, campaign, report_filter, request, question)


def request_key(viewer: User, report_filter: aggregates.ReportFilter, request: Request) -> str:
    return cache_key(scope_of(viewer), request_fields(report_filter, request))


def stored(
    viewer: User, campaign: Campaign, report_filter: aggregates.ReportFilter, request: Request
) -> ReportCache | None:
    """The entry of this view's figures, whatever its revision."""
    return _entry(campaign.id, request_key(viewer, report_filter, request))


def compute_and_store(
    viewer: User,
    campaign: Campaign,
    report_filter: aggregates.ReportFilter,
    request: Request,
    question: dict | None = None,
) -> Figures:
    scope, fields_ = scope_of(viewer), request_fields(report_filter, request)
    revision, computed_at = revisions.revision_of(campaign), utcnow()
    figures = compute(viewer, campaign, report_filter, request, question)
    payload = encode(figures)
    key = cache_key(scope, fields_)
    _store(campaign.id, key, scope, fields_, viewer, revision, computed_at, payload)
    return Figures(**decode(payload, campaign), computed_at=computed_at, current=True)


def _entry(campaign_id: int, key: str) -> ReportCache | None:
    statement = sa.select(ReportCache).where(
        ReportCache.campaign_id == campaign_id, ReportCache.key == key
    )
    return db.session.scalar(statement)


def _note_view(entry: ReportCache, viewer: User) -> None:
    if entry.viewed_at > utcnow() - VIEW_NOTED and entry.viewer_id is not None:
        return
    entry.viewed_at, entry.viewer_id = utcnow(), viewer.id
    db.session.commit()


def _figures(entry: ReportCache, campaign: Campaign, current: bool) -> Figures:
    return Figures(
        **decode(entry.payload, campaign), computed_at=entry.computed_at, current=current
    )


def _store(campaign_id, key, scope, fields_, viewer, revision, computed_at, payload) -> None:
    """Writes the entry, or overwrites one another process stored meanwhile."""
    values = {
        "scope": scope,
        "request": fields_,
        "viewer_id": viewer.id,
        "revision": revision,
        "computed_at": computed_at,
        "viewed_at": utcnow(),
        "payload": payload,
    }
    try:
        with db.session.begin_nested():
            db.session.add(ReportCache(campaign_id=campaign_id, key=key, **values))
    except IntegrityError:
        db.session.execute(
            sa.update(ReportCache)
            .where(ReportCache.campaign_id == campaign_id, ReportCache.key == key)
            .values(**values)
        )
    db.session.commit()


# Background recomputation


def schedule_refresh(campaign_id: int) -> None:
    """Queues the recomputation of the campaign's viewed figures, unless one is already
    queued. With huey in immediate mode (no worker to run a task later) it runs now."""
    delay = 0 if jobs.huey.immediate else REFRESH_DELAY
    if delay and time.monotonic() - _queued.get(campaign_id, -delay) < delay:
        return
    _queued[campaign_id] = time.monotonic()
    try:
        if not _claim(campaign_id):
            return
        if delay:
            jobs.refresh_reports.schedule((campaign_id,), delay=delay)
        else:
            jobs.refresh_reports(campaign_id)
    except Exception:  # a queue that is down must not fail the save; the next view asks again
        log.exception("could not queue the report recomputation of campaign %s", campaign_id)
        _queued.pop(campaign_id, None)


_queued: dict[int, float] = {}  # campaign id: when this process last queued its recomputation


def _claim_key(campaign_id: int) -> str:
    return f"report-refresh:{campaign_id}"


def _claim(campaign_id: int) -> bool:
    """True when no recomputation of the campaign is queued (or the one queued is lost)."""
    return claim(_claim_key(campaign_id))


def claim(name: str) -> bool:
    """True when no task under this name is queued (or the one queued is lost): the caller
    queues it, and the task frees the name with ``jobs.huey.get(name)``."""
    now = time.time()
    if jobs.huey.put_if_empty(name, now):
        return True
    queued = jobs.huey.get(name, peek=True)
    if queued is None or now - queued > CLAIM_EXPIRES:
        jobs.huey.put(name, now)
        return True
    return False


def refresh(campaign_id: int) -> int:
    """Recomputes the campaign's entries viewed in the last RECENT days that are not at its
    revision (and forgets those not viewed for FORGOTTEN); returns how many. Run by the huey
    task."""
    jobs.huey.get(_claim_key(campaign_id))  # changes from now on queue another run
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        return 0
    db.session.execute(
        sa.delete(ReportCache).where(
            ReportCache.campaign_id == campaign_id, ReportCache.viewed_at < utcnow() - FORGOTTEN
        )
    )
    db.session.commit()
    done = 0
    statement = sa.select(ReportCache.id).where(
        ReportCache.campaign_id == campaign_id, ReportCache.viewed_at >= utcnow() - RECENT
    )
    for entry_id in db.session.scalars(statement).all():
        revision = revisions.revision_of(campaign)
        entry = db.session.get(ReportCache, entry_id)
        if entry is None or entry.revision == revision or entry.viewer is None:
            continue
        viewer = entry.viewer
        if scope_of(viewer) != entry.scope:
            continue  # the person moved: their old scope waits for its next viewer
        report_filter, request = from_fields(entry.request)
        question = question_of(campaign, request.breakdown)
        computed_at = utcnow()
        figures = compute(viewer, campaign, report_filter, request, question)
        entry.payload, entry.revision, entry.computed_at = encode(figures), revision, computed_at
        db.session.commit()
        done += 1
    return done


def from_fields(fields_: dict) -> tuple[aggregates.ReportFilter, Request]:
    found = dict(fields_["filter"])
    found["statuses"] = tuple(found["statuses"])
    request = Request(page=fields_["page"], breakdown=fields_["breakdown"], by=fields_["by"])
    return aggregates.ReportFilter(**found), request


def question_of(campaign: Campaign, key: str) -> dict | None:
    if not key:
        return None
    from app.questionnaires.definition import reported_definition

    for section in reported_definition(campaign.form_version)["sections"]:
        for question in section["questions"]:
            if question["key"] == key and question["type"] in aggregates.BREAKDOWN_TYPES:
                return question
    return None


@event.listens_for(Session, "after_commit")
def _queue_after_commit(session: Session) -> None:
    for campaign_id in revisions.bumped_campaigns(session):
        schedule_refresh(campaign_id)


# The payload: JSON with Decimals, dates, statuses, text pages, suspects and indicators tagged


def encode(figures: dict) -> str:
    return json.dumps(_encode(figures), ensure_ascii=False, separators=(",", ":"))


def _encode(value):
    if isinstance(value, ResponseStatus):
        return {"$status": value.value}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        if all(type(key) is str and not key.startswith("$") for key in value):
            return {key: _encode(item) for key, item in value.items()}
        return {"$map": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, tuple):
        return {"$t": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, TextPage):
        return {"$page": {
            "page": value.page, "per_page": value.per_page, "total": value.total,
            "items": [_encode(item) for item in value.items],
        }}  # fmt: skip
    if isinstance(value, TextAnswer):
        organization = value.organization.display_name
        return {"$text": [value.id, value.value_text, organization]}
    if isinstance(value, plausibility.Suspect):
        return {"$suspect": {f.name: _encode(getattr(value, f.name)) for f in fields(value)}}
    if isinstance(value, Indicator):
        return {"$indicator": value.id}
    if hasattr(value, "__html__") or type(value).__name__ == "LazyString":
        return str(value)
    raise TypeError(f"cannot keep {type(value).__name__} in the report cache")


def decode(payload: str, campaign: Campaign) -> dict:
    indicators_by_id = {
        indicator.id: indicator
        for indicator in indicators.indicators_of(campaign.form_version.form)
    }
    figures = _decode(json.loads(payload), indicators_by_id)
    figures["indicators"] = [
        item for item in figures["indicators"] if item["indicator"] is not None
    ]  # an indicator deleted since: its row goes (the revision says the figures are old)
    return figures


def _decode(value, indicators_by_id: dict):
    if isinstance(value, list):
        return [_decode(item, indicators_by_id) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, inner),) = value.items()
        if tag in _TAGS:
            return _TAGS[tag](inner, indicators_by_id)
    return {key: _decode(item, indicators_by_id) for key, item in value.items()}


def _page(inner: dict, indicators_by_id: dict) -> TextPage:
    items = [_decode(item, indicators_by_id) for item in inner["items"]]
    return TextPage(
        page=inner["page"], per_page=inner["per_page"], max_per_page=200, error_out=False,
        count=True, items=items, total=inner["total"],
    )  # fmt: skip


def _text(inner: list, _indicators: dict) -> TextAnswer:
    answer_id, text, organization = inner
    return TextAnswer(answer_id, text, SimpleNamespace(display_name=organization))


def _suspect(inner: dict, indicators_by_id: dict) -> plausibility.Suspect:
    return plausibility.Suspect(
        **{name: _decode(item, indicators_by_id) for name, item in inner.items()}
    )


_TAGS = {
    "$d": lambda inner, _i: Decimal(inner),
    "$dt": lambda inner, _i: datetime.fromisoformat(inner),
    "$date": lambda inner, _i: date.fromisoformat(inner),
    "$status": lambda inner, _i: ResponseStatus(inner),
    "$map": lambda inner, i: {_decode(k, i): _decode(v, i) for k, v in inner},
    "$t": lambda inner, i: tuple(_decode(item, i) for item in inner),
    "$page": _page,
    "$text": _text,
    "$suspect": _suspect,
    "$indicator": lambda inner, i: i.get(inner),
}
