"""Filling and reviewing a response: save a draft, submit, recall, return, accept."""

import functools

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.campaigns.access import (
    can_enter,
    can_fill,
    can_manage_campaign,
    can_see_response,
    can_visit,
    is_own_school,
)
from app.campaigns.answers import answer_rows
from app.campaigns.models import Answer, Campaign, Response, ResponseFile, ResponseStatus
from app.core import revisions
from app.core.errors import Conflict, DomainError, Forbidden, NotFound
from app.db import utcnow
from app.extensions import db
from app.notices import services as notices
from app.questionnaires.attachments import Uploaded, check_own_files
from app.questionnaires.conditions import all_questions
from app.questionnaires.definition import as_reported, version_definition
from app.questionnaires.validation import (
    default_answers,
    draft_answers,
    sanitize_answers,
    validate_answers,
)


class StaleSave(Conflict):
    """A save based on an older revision than the stored one; carries the newer answers."""

    def __init__(self, response: Response):
        super().__init__(
            _l(
                "These answers were changed elsewhere (another tab or another person) after"
                " you opened them. Your save was refused so as not to overwrite them; reload"
                " the page to see the newer answers."
            )
        )
        self.response = response


class AlreadySubmitted(Conflict):
    """The submission was recorded already (a repeated request: a double click, or a retry
    after the reply was lost); nothing is recorded twice."""

    def __init__(self):
        super().__init__(
            _l(
                "The questionnaire was already submitted to the district office; the repeated"
                " submission changed nothing."
            )
        )


class InvalidAnswers(DomainError):
    """Submission refused; ``errors`` maps question keys to messages (validation.py shape)."""

    def __init__(self, errors: dict):
        super().__init__(_l("The questionnaire has errors; they are marked beside the answers."))
        self.errors = errors


@functools.cache
def _response_with_form() -> sa.Select:
    """A response's every page and save reads its campaign and form version: one query for the
    three, built once."""
    return (
        sa.select(Response)
        .where(Response.id == sa.bindparam("response_id"))
        .options(sa.orm.joinedload(Response.campaign).joinedload(Campaign.form_version))
    )


def get_visible(user: User, response_id: int) -> Response:
    response = db.session.scalars(_response_with_form(), {"response_id": response_id}).first()
    if response is None or not can_see_response(user, response):
        raise NotFound(_l("Response not found."))
    return response


def get_fillable(user: User, response_id: int) -> Response:
    response = get_visible(user, response_id)
    _check_filler(user, response, can_fill)
    return response


def _check_filler(user: User, response: Response, rule) -> None:
    if rule(user, response):
        return
    if is_own_school(user, response):
        raise Forbidden(_l("District staff fill in this questionnaire during their visits."))
    raise Forbidden(_l("Only the school itself fills in its questionnaire."))


def definition_of(response: Response) -> dict:
    return version_definition(response.campaign.form_version)


def offered_for_change(user: User, response: Response) -> bool:
    """Whether the page offers the answers for changing (past the deadline it does, and a save
    says why it is refused)."""
    return response.is_editable and response.campaign.is_open() and can_enter(user, response)


def check_can_change(user: User, response: Response) -> None:
    """The school, or staff visiting it, may change the answers now. Staff are not held to the
    deadline: they set it, and answers of a visit may arrive after it."""
    _check_filler(user, response, can_enter)
    if response.campaign.is_stopped:
        raise Conflict(_l("The monitoring is closed; answers can no longer be changed."))
    if not response.is_editable:
        raise Conflict(_l("The questionnaire has been submitted and can no longer be changed."))
    if not response.campaign.is_open():
        raise Conflict(_l("The monitoring has not opened yet."))
    if response.is_overdue() and response.status != ResponseStatus.RETURNED:
        if can_visit(user, response):
            return
        raise Conflict(
            _l("The deadline has passed. Ask the district office to extend it for your school.")
        )


def save_draft(user: User, response: Response, answers: dict, revision: int) -> dict:
    """Stores the answers as they are and returns the problems found so far (not blocking).

    Refused with ``StaleSave`` when the response changed since ``revision`` was read, unless
    the save would store exactly what is stored: that is a save repeated after its reply was
    lost (a dropped connection, a restarted worker), and it succeeds without writing.
    """
    check_can_change(user, response)
    definition = definition_of(response)
    answers = sanitize_answers(definition, answers)
    answers = check_own_files(definition, answers, lambda keys: _school_files(response, keys))
    stored = response.data or {}
    if response.status == ResponseStatus.NOT_STARTED and not stored:  # the page was not opened
        stored = default_answers(definition)
        answers = {**stored, **answers}
    data, errors = draft_answers(definition, answers, stored)
    if revision != response.revision:
        if response.status != ResponseStatus.NOT_STARTED and data == response.data:
            return errors
        raise StaleSave(response)
    if response.status == ResponseStatus.NOT_STARTED:
        response.start()
        audit.record(
            "start",
            response,
            actor=user,
            object_type="response",
            label=response_label(response),
            organization=response.organization,
        )
    response.data = data
    response.revision += 1
    response.updated_at = utcnow()
    response.updated_by_id = user.id
    return errors


def open_response(user: User, response: Response) -> bool:
    """The school (or staff visiting it) opens its response: a new one gets the defaults of its
    questions (today() is the district's date of this first opening), never overwriting an
    answer. Says whether the response changed."""
    if response.data or not can_enter(user, response):
        return False
    if response.status != ResponseStatus.NOT_STARTED or not response.campaign.is_open():
        return False
    defaults = default_answers(definition_of(response))
    if defaults:
        response.data = defaults
    return bool(defaults)


def _school_files(response: Response, keys: list[str]) -> dict[int, Uploaded]:
    """The files the response's school uploaded for these questions, in any of its responses
    (prefilled answers keep the files of the earlier one)."""
    statement = (
        sa.select(ResponseFile.id, ResponseFile.question_key, ResponseFile.original_name)
        .join(ResponseFile.response)
        .where(
            Response.organization_id == response.organization_id,
            ResponseFile.question_key.in_(keys),
        )
    )
    return {
        row.id: Uploaded(row.question_key, row.original_name)
        for row in db.session.execute(statement)
    }


def submit(user: User, response: Response, revision: int) -> None:
    """Submits the answers of ``revision``; raises ``AlreadySubmitted`` when exactly that
    revision was submitted already (a submission moves the revision on by one)."""
    _check_not_submitted(response, revision)
    check_can_change(user, response)
    if revision != response.revision:
        raise StaleSave(response)
    definition = definition_of(response)
    clean, errors = validate_answers(definition, response.data or {}, complete=True)
    if errors:
        raise InvalidAnswers(errors)
    _claim_revision(response, revision)
    before = response.status
    if response.status == ResponseStatus.NOT_STARTED:
        response.start()
    response.data = clean
    _replace_answers(response, definition, clean)
    response.submit()
    response.updated_by_id = user.id
    audit.record(
        "submit",
        response,
        actor=user,
        object_type="response",
        label=response_label(response),
        organization=response.organization,
        before={"status": before.value},
        after={"status": response.status.value},
    )


def _check_not_submitted(response: Response, revision: int) -> None:
    submitted = response.status in (ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED)
    if submitted and revision == response.revision - 1:
        raise AlreadySubmitted()


def _claim_revision(response: Response, revision: int) -> None:
    if not revisions.claim(response, revision):
        _check_not_submitted(response, revision)
        raise StaleSave(response)


def _replace_answers(response: Response, definition: dict, clean: dict) -> None:
    db.session.execute(sa.delete(Answer).where(Answer.response_id == response.id))
    for row in answer_rows(all_questions(as_reported(definition)), clean):
        row.response_id = response.id
        db.session.add(row)


def recall(user: User, response: Response) -> None:
    """A school takes back its submission before the deadline, while it is not accepted."""
    if not can_fill(user, response):
        raise Forbidden(_l("Only the school itself fills in its questionnaire."))
    if utcnow() > response.closes_at:
        raise Conflict(_l("The deadline has passed; the submission can no longer be recalled."))
    response.recall()
    response.revision += 1
    _log_transition(user, response, "recall", ResponseStatus.SUBMITTED)


def return_for_revision(
    actor: User, response: Response, comment: str, notes: dict[str, str], link: str = ""
) -> None:
    """Returns the answers with a general comment and a comment per question to correct
    (at least one of them), and tells the school."""
    _check_reviewer(actor, response)
    if response.campaign.is_stopped:
        raise Conflict(_l("The monitoring is closed; reopen it to return answers for revision."))
    known = {question["key"] for question in all_questions(definition_of(response))}
    notes = {key: text.strip() for key, text in notes.items() if key in known and text.strip()}
    comment = comment.strip()
    if not comment and not notes:
        raise DomainError(_l("Write what the school should correct."), field="comment")
    before = response.status
    response.return_for_revision(comment, notes)
    response.revision += 1
    _log_transition(actor, response, "return", before, comment=comment, notes=notes)
    _tell_school(actor, response, _return_notice(response), link)


def _return_notice(response: Response) -> str:
    """The notice of a return, naming the comment and each question's comment."""
    text = str(
        _l(
            'The district office returned your answers to "%(title)s" for revision.',
            title=response.campaign.title,
        )
    )
    labels = {q["key"]: q["label"] or q["key"] for q in all_questions(definition_of(response))}
    parts = [response.review_comment] if response.review_comment else []
    parts += [f"«{labels[key]}»: {note}" for key, note in response.review_notes.items()]
    return " ".join([text, *parts])


def accept(actor: User, response: Response, link: str = "") -> None:
    _check_reviewer(actor, response)
    response.accept()
    _log_transition(actor, response, "accept", ResponseStatus.SUBMITTED)
    text = _l(
        'The district office accepted your answers to "%(title)s".', title=response.campaign.title
    )
    _tell_school(actor, response, str(text), link)


def accept_many(actor: User, chosen: list[Response], link: str = "") -> int:
    """Accepts every chosen submitted response; refuses all if one cannot be accepted."""
    if not chosen:
        raise DomainError(_l("Choose the responses to accept."))
    waiting = [response for response in chosen if response.status == ResponseStatus.SUBMITTED]
    if len(waiting) != len(chosen):
        raise Conflict(_l("Only submitted responses can be accepted."))
    for response in chosen:
        accept(actor, response, link)
    return len(chosen)


def _tell_school(actor: User, response: Response, text: str, link: str) -> None:
    """A notice to the school, unless staff fill the monitoring in during visits."""
    if response.campaign.filled_on_visits:
        return
    notices.notify([response.organization_id], text, link, sender=actor)
    notices.notify_by_mail([response.organization_id], text, f"{text}\n{link}")


def neighbours(ordered_ids: list[int], response: Response) -> tuple[int | None, int | None]:
    """The responses before and after this one in a (filtered) list of ids."""
    if response.id not in ordered_ids:
        return None, None
    at = ordered_ids.index(response.id)
    before = ordered_ids[at - 1] if at > 0 else None
    after = ordered_ids[at + 1] if at + 1 < len(ordered_ids) else None
    return before, after


def _check_reviewer(actor: User, response: Response) -> None:
    if not can_manage_campaign(actor, response.campaign) or not can_see_response(actor, response):
        raise Forbidden(_l("Only district staff review responses."))


def _log_transition(user, response, action, before, **extra) -> None:
    audit.record(
        action,
        response,
        actor=user,
        object_type="response",
        label=response_label(response),
        organization=response.organization,
        before={"status": before.value},
        after={"status": response.status.value, **extra},
    )


def response_label(response: Response) -> str:
    return f"{response.campaign.title} — {response.organization.display_name}"


def record_change(user: User, response: Response, action: str, after: dict | None = None):
    audit.record(
        action,
        response,
        actor=user,
        object_type="response",
        label=response_label(response),
        organization=response.organization,
        after=after,
    )


def validate_draft(response: Response, definition: dict) -> tuple[dict, dict]:
    """The problems of the stored answers, shown beside the fields when the page opens."""
    if response.status == ResponseStatus.NOT_STARTED:
        return {}, {}
    return validate_answers(definition, response.data or {}, complete=False)
