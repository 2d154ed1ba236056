"""Taking over a school's answers of an earlier monitoring to the same questions, offered once
and never over answers already given."""

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.campaigns.models import Response, ResponseStatus
from app.campaigns.responses import check_can_change, definition_of, record_change
from app.core.errors import Conflict, NotFound
from app.db import utcnow
from app.extensions import db
from app.questionnaires.conditions import all_questions
from app.questionnaires.spec import OTHER


@functools.cache
def _earlier_answers() -> sa.Select:
    """Built once: the page of every response the school may change asks it."""
    return (
        sa.select(Response.id, Response.data)
        .where(
            Response.organization_id == sa.bindparam("organization_id"),
            Response.id != sa.bindparam("response_id"),
            Response.status.in_((ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED)),
        )
        .order_by(Response.submitted_at.desc())
    )


def previous_response(response: Response) -> Response | None:
    """The organization's latest submitted answer to another campaign sharing question keys."""
    keys = None
    earlier = db.session.execute(
        _earlier_answers(),
        {"organization_id": response.organization_id, "response_id": response.id},
    )
    for candidate_id, data in earlier:
        if keys is None:
            keys = {question["key"] for question in all_questions(definition_of(response))}
        if keys & set(data or {}):
            return db.session.get(Response, candidate_id)
    return None


@dataclass(frozen=True)
class PrefillPlan:
    """What taking over ``source``'s answers would do: the keys taken over, and the keys the
    source also answers but which keep the answers already given."""

    source: Response
    taken: list[str]
    kept: list[str]


def _given(question: dict, value) -> bool:
    """An answer is given unless empty; ticking none of a multiple choice is an answer."""
    if value is None or value == "" or value == {}:
        return False
    return value != [] or question["type"] == "multiple"


def _transferable(question: dict, old_types: dict, source_data: dict) -> bool:
    """A question the school types itself (a read-only or calculated answer is the form's own),
    of the same type then, and answered then."""
    key = question["key"]
    return (
        old_types.get(key) == question["type"]
        and question["type"] != "calculate"
        and not question.get("read_only")
        and _given(question, source_data.get(key))
    )


def prefill_plan(response: Response, source: Response) -> PrefillPlan:
    """Which answers of ``source`` would be taken over. An answer already given stays: those of
    a response not started yet are only its questions' defaults, so none is given."""
    old_types = {q["key"]: q["type"] for q in all_questions(definition_of(source))}
    questions = [
        question
        for question in all_questions(definition_of(response))
        if _transferable(question, old_types, source.data or {})
    ]
    started = response.status != ResponseStatus.NOT_STARTED
    data = response.data or {}
    kept = [q["key"] for q in questions if started and _given(q, data.get(q["key"]))]
    taken = [q["key"] for q in questions if q["key"] not in kept]
    return PrefillPlan(source, sorted(taken), sorted(kept))


def prefill_offer(response: Response) -> PrefillPlan | None:
    """The offer to take over the school's latest earlier answers: made while the response can
    change, nothing was taken over or declined yet, and it would take over something."""
    if not response.is_editable or response.prefilled_from_id or response.prefill_declined_at:
        return None
    source = previous_response(response)
    if source is None:
        return None
    plan = prefill_plan(response, source)
    return plan if plan.taken else None


def _check_prefill_open(user: User, response: Response) -> None:
    check_can_change(user, response)
    if response.prefilled_from_id or response.prefill_declined_at:
        raise Conflict(
            _l("Taking over earlier answers was already decided for this questionnaire.")
        )


def prefill(user: User, response: Response, source: Response) -> list[str]:
    """Takes over the answers of ``source``, an earlier submitted response of the same
    organization, to the questions not answered yet (prefill_plan); once per response."""
    _check_prefill_open(user, response)
    if (
        source.organization_id != response.organization_id
        or source.id == response.id
        or source.status not in (ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED)
    ):
        raise NotFound(_l("Response not found."))
    plan = prefill_plan(response, source)
    taken = {key: source.data[key] for key in plan.taken}
    taken |= {
        f"{key}_{OTHER}": source.data[f"{key}_{OTHER}"]
        for key in plan.taken
        if f"{key}_{OTHER}" in source.data
    }
    if response.status == ResponseStatus.NOT_STARTED:
        response.start()
    response.data = {**(response.data or {}), **taken}
    response.prefilled_from_id = source.id
    response.prefilled_keys = plan.taken
    response.revision += 1
    response.updated_at = utcnow()
    response.updated_by_id = user.id
    after = {"from": source.id, "keys": plan.taken, "kept": plan.kept}
    record_change(user, response, "prefill", after)
    return plan.taken


def decline_prefill(user: User, response: Response) -> None:
    """The school does not want its earlier answers taken over: the offer is not made again."""
    _check_prefill_open(user, response)
    response.prefill_declined_at = utcnow()  # the answers stay as they are: no new revision
    record_change(user, response, "decline_prefill")
