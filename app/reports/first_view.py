"""The first view of a filter of a large campaign: its figures are computed on huey while the
page says so and asks ``status`` every few seconds until they are stored.

Computed inside the request, a campaign of 40,000 schools takes 42–59 s on PostgreSQL against
gunicorn's 60 s timeout. A view counting more than ``REPORT_SYNC_RESPONSES`` responses and
finding nothing stored (app.reports.cache) therefore queues the computation and answers at
once; smaller ones are computed in the request as before. However many people open the same
filter meanwhile, the claim of app.reports.cache lets one computation be queued. One that fails
leaves a mark for ``CLAIM_EXPIRES`` seconds: the page says so and offers to try again.
"""

import logging
import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from app.accounts.models import User
from app.campaigns.models import Campaign, Response
from app.extensions import db
from app.reports import aggregates, cache, jobs, revisions

log = logging.getLogger(__name__)

PENDING, FAILED, READY = "pending", "failed", "ready"


@dataclass(frozen=True)
class Pending:
    """A view whose figures are not stored yet: being computed (PENDING) or failed."""

    status: str
    responses: int


def page_figures(
    viewer: User,
    campaign: Campaign,
    report_filter: aggregates.ReportFilter,
    request: cache.Request,
    question: dict | None = None,
) -> cache.Figures | Pending:
    """The page's figures (app.reports.cache.page_figures), or Pending for the first view of a
    large campaign."""
    if cache.stored(viewer, campaign, report_filter, request) is None:
        responses = counted_responses(viewer, campaign, report_filter)
        if responses > current_app.config["REPORT_SYNC_RESPONSES"]:
            state = status(viewer, campaign, report_filter, request)["status"]
            if state != READY:  # an immediate queue has computed them by now
                return Pending(state, responses)
    return cache.page_figures(viewer, campaign, report_filter, request, question)


def counted_responses(
    viewer: User, campaign: Campaign, report_filter: aggregates.ReportFilter
) -> int:
    statement = (
        sa.select(sa.func.count())
        .select_from(Response)
        .join(Response.organization)
        .where(aggregates.responses_clause(viewer, campaign, report_filter))
    )
    return db.session.scalar(statement)


def status(
    viewer: User, campaign: Campaign, report_filter: aggregates.ReportFilter, request: cache.Request
) -> dict:
    """READY with when the stored figures were computed and whether they are current; else
    FAILED, or PENDING with the computation queued unless it already is."""
    entry = cache.stored(viewer, campaign, report_filter, request)
    if entry is None:
        key = cache.request_key(viewer, report_filter, request)
        if _failed(campaign.id, key):
            return {"status": FAILED, "computed_at": None, "current": False}
        _queue(viewer, campaign, report_filter, request, key)
        entry = cache.stored(viewer, campaign, report_filter, request)
    if entry is None:
        return {"status": PENDING, "computed_at": None, "current": False}
    current = entry.revision == revisions.revision_of(campaign)
    return {"status": READY, "computed_at": entry.computed_at.isoformat(), "current": current}


def try_again(
    viewer: User, campaign: Campaign, report_filter: aggregates.ReportFilter, request: cache.Request
) -> None:
    """Forgets a failed computation and queues it again."""
    key = cache.request_key(viewer, report_filter, request)
    jobs.huey.get(_failure_key(campaign.id, key))
    _queue(viewer, campaign, report_filter, request, key)


def _queue(viewer, campaign, report_filter, request, key) -> None:
    if not cache.claim(_claim_key(campaign.id, key)):
        return
    fields_ = cache.request_fields(report_filter, request)
    db.session.commit()  # an immediate queue computes in a session of its own
    jobs.compute_report_figures(campaign.id, viewer.id, fields_, key)


def compute(campaign_id: int, viewer_id: int, fields_: dict, key: str) -> None:
    """Computes and stores one view's figures; run by the huey task. A failure is logged and
    marked for the page."""
    try:
        campaign, viewer = db.session.get(Campaign, campaign_id), db.session.get(User, viewer_id)
        if campaign is not None and viewer is not None:
            report_filter, request = cache.from_fields(fields_)
            question = cache.question_of(campaign, request.breakdown)
            cache.compute_and_store(viewer, campaign, report_filter, request, question)
    except Exception:
        db.session.rollback()
        log.exception("could not compute the report figures of campaign %s", campaign_id)
        jobs.huey.put(_failure_key(campaign_id, key), time.time())
    finally:
        jobs.huey.get(_claim_key(campaign_id, key))


def _failed(campaign_id: int, key: str) -> bool:
    failed_at = jobs.huey.get(_failure_key(campaign_id, key), peek=True)
    return failed_at is not None and time.time() - failed_at < cache.CLAIM_EXPIRES


def _claim_key(campaign_id: int, key: str) -> str:
    return f"report-first:{campaign_id}:{key}"


def _failure_key(campaign_id: int, key: str) -> str:
    return f"report-failed:{campaign_id}:{key}"
