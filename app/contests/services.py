"""Setting a contest up: its settings and stages, nominations, criteria and jury."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.audit import services as audit
from app.contests.access import can_manage_contest, can_see_contest
from app.contests.assignment import assign_entries
from app.contests.models import (
    SCALE_LIMIT,
    AssignmentMode,
    Contest,
    Criterion,
    Entry,
    Nomination,
    Phase,
    Score,
)
from app.core.errors import Conflict, DomainError, Forbidden, NotFound
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import can_manage
from app.questionnaires.definition import version_definition
from app.questionnaires.models import FormVersion, VersionStatus
from app.questionnaires.services import can_see as can_see_form

# The scales Russian contests use: (min, max, step).
PRESETS = {
    "present": (Decimal(0), Decimal(1), Decimal(1)),
    "0-3": (Decimal(0), Decimal(3), Decimal(1)),
    "0-5": (Decimal(0), Decimal(5), Decimal(1)),
    "0-10": (Decimal(0), Decimal(10), Decimal(1)),
}
STEPS = (Decimal(1), Decimal("0.5"))


def visible_query(user: User) -> sa.Select:
    return (
        sa.select(Contest)
        .join(Contest.organization)
        .where(Organization.path.startswith(user.organization.path))
        .order_by(Contest.entries_close_at.desc(), Contest.id.desc())
    )


def get_visible(user: User, contest_id: int) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None or not can_see_contest(user, contest):
        raise NotFound(_l("Contest not found."))
    return contest


def get_manageable(user: User, contest_id: int) -> Contest:
    contest = get_visible(user, contest_id)
    if not can_manage_contest(user, contest):
        raise Forbidden(_l("Observers cannot change contests."))
    return contest


def log(actor: User, contest: Contest, action: str, obj=None, **after) -> None:
    audit.record(
        action,
        obj or contest,
        actor=actor,
        object_type=type(obj or contest).__name__.lower(),
        label=contest.title,
        organization=contest.organization,
        after=after or None,
    )


# The contest itself


@dataclass
class ContestSettings:
    title: str
    entries_open_at: datetime
    entries_close_at: datetime
    judging_close_at: datetime
    results_at: datetime
    form_version_id: int | None = None
    description: str = ""
    rules_text: str = ""
    open_to_all: bool = True
    eligible_ids: list[int] = field(default_factory=list)
    blind: bool = False
    hidden_keys: list[str] = field(default_factory=list)
    assignment_mode: str = AssignmentMode.ALL
    jurors_per_entry: int = 3
    show_scores_after_completion: bool = False
    show_juror_names: bool = False
    min_entries: int = 2
    laureates: int = 0
    laureate_share: Decimal | None = None


def create_contest(actor: User, settings: ContestSettings) -> Contest:
    if actor.role != Role.ADMIN:
        raise Forbidden(_l("Only district staff create contests."))
    contest = Contest(organization=actor.organization, created_by_id=actor.id)
    _apply(actor, contest, settings)
    db.session.add(contest)
    db.session.flush()
    log(actor, contest, "create")
    return contest


def update_contest(actor: User, contest: Contest, settings: ContestSettings) -> None:
    if not contest.in_setup and settings.form_version_id != contest.form_version_id:
        raise Conflict(_l("The application form cannot change once judging has started."))
    if any(getattr(settings, name) != getattr(contest, name) for name in RESULT_RULES):
        check_open(contest.nominations)
    _apply(actor, contest, settings)
    log(actor, contest, "update")


# The settings the places and titles are computed with.
RESULT_RULES = ("min_entries", "laureates", "laureate_share")


def check_open(nominations) -> None:
    """None of the nominations has finalized results (Nomination.check_open for each)."""
    for nomination in nominations:
        nomination.check_open()


def _apply(actor: User, contest: Contest, settings: ContestSettings) -> None:
    _check_dates(settings)
    version = _form_version(actor, settings.form_version_id)
    if settings.form_version_id != contest.form_version_id and _has_entries(contest):
        raise Conflict(_l("Entries have been made on this form; it can no longer change."))
    keys = _question_keys(version)
    if unknown := [key for key in settings.hidden_keys if key not in keys]:
        message = _l("Unknown questions: %(keys)s.", keys=", ".join(unknown))
        raise DomainError(message, "hidden_keys")
    if settings.laureate_share is not None and not Decimal(0) < settings.laureate_share <= 1:
        raise DomainError(_l("The share is a number above 0 and at most 1."), "laureate_share")
    for name in ("jurors_per_entry", "min_entries"):
        if getattr(settings, name) < 1:
            raise DomainError(_l("The number must be at least 1."), name)
    for name, value in vars(settings).items():
        if name != "eligible_ids":
            setattr(contest, name, value.strip() if isinstance(value, str) else value)
    contest.form_version = version
    contest.eligible = [] if settings.open_to_all else _eligible(actor, settings.eligible_ids)


def _check_dates(settings: ContestSettings) -> None:
    order = [
        ("entries_open_at", settings.entries_open_at),
        ("entries_close_at", settings.entries_close_at),
        ("judging_close_at", settings.judging_close_at),
        ("results_at", settings.results_at),
    ]
    for (_earlier, before), (later, after) in zip(order, order[1:], strict=False):
        if after < before:
            raise DomainError(_l("The stages must follow one another in time."), later)


def _form_version(actor: User, version_id: int | None) -> FormVersion | None:
    if version_id is None:
        return None
    version = db.session.get(FormVersion, version_id)
    if version is None or version.status != VersionStatus.PUBLISHED:
        raise DomainError(_l("Choose a published form."), "form_version_id")
    if not can_see_form(actor, version.form):
        raise DomainError(_l("Choose a published form."), "form_version_id")
    return version


def _question_keys(version: FormVersion | None) -> set[str]:
    if version is None:
        return set()
    sections = version_definition(version)["sections"]
    return {question["key"] for section in sections for question in section["questions"]}


def _eligible(actor: User, organization_ids: list[int]) -> list[Organization]:
    organizations = db.session.scalars(
        sa.select(Organization).where(Organization.id.in_(organization_ids))
    ).all()
    if not organizations:
        raise DomainError(_l("Choose at least one organization."), "eligible_ids")
    if any(not can_manage(actor, organization) for organization in organizations):
        raise DomainError(_l("Choose organizations from your own."), "eligible_ids")
    return list(organizations)


def _has_entries(contest: Contest) -> bool:
    if contest.id is None:
        return False
    return exists(sa.select(Entry.id).where(Entry.contest_id == contest.id))


def exists(statement: sa.Select) -> bool:
    return db.session.scalar(sa.select(statement.exists())) or False


def _has_scores(contest: Contest) -> bool:
    return exists(
        sa.select(Score.id).join(Score.criterion).where(Criterion.contest_id == contest.id)
    )


# Stages


def move_phase(actor: User, contest: Contest, phase: Phase) -> None:
    """Next or previous stage; opening the judging assigns the entries to the jury."""
    if phase == Phase.ACCEPTING and contest.phase == Phase.DRAFT:
        _check_ready_to_accept(contest)
    if phase == Phase.JUDGING and contest.phase == Phase.ACCEPTING:
        _check_ready_to_judge(contest)
    if phase == Phase.PUBLISHED and not contest.results_final:
        raise Conflict(_l("Finalize the results of every nomination before publishing them."))
    if phase == Phase.ACCEPTING:  # new entries would join finalized results
        check_open(contest.nominations)
    if phase == Phase.ACCEPTING and contest.phase == Phase.JUDGING and _has_scores(contest):
        raise Conflict(_l("The jury has started scoring; the entries can no longer reopen."))
    before = contest.move_to(phase)
    if phase == Phase.JUDGING:
        assign_entries(contest)
    log(actor, contest, "phase", before=before.value, after=phase.value)


def _check_ready_to_accept(contest: Contest) -> None:
    if contest.form_version is None:
        raise Conflict(_l("Choose the application form first."))
    if not contest.nominations:
        raise Conflict(_l("Add at least one nomination first."))
    for nomination in contest.nominations:
        if not criteria_of(contest, nomination.id):
            raise Conflict(
                _l('Add criteria for the nomination "%(title)s" first.', title=nomination.title)
            )


def _check_ready_to_judge(contest: Contest) -> None:
    if not contest.jurors:
        raise Conflict(_l("Add the jury first."))
    if contest.chair is None:
        raise Conflict(_l("Name the chair of the jury first."))


# Nominations


def add_nomination(actor: User, contest: Contest, title: str, description: str = "") -> Nomination:
    _check_setup(contest)
    position = max((n.position for n in contest.nominations), default=0) + 1
    nomination = Nomination(
        contest=contest, title=title.strip(), description=description.strip(), position=position
    )
    db.session.add(nomination)
    db.session.flush()
    log(actor, contest, "add_nomination", nomination, title=nomination.title)
    return nomination


def update_nomination(actor: User, nomination: Nomination, title: str, description: str) -> None:
    nomination.title, nomination.description = title.strip(), description.strip()
    log(actor, nomination.contest, "update_nomination", nomination, title=nomination.title)


def delete_nomination(actor: User, nomination: Nomination) -> None:
    contest = nomination.contest
    _check_setup(contest)
    if exists(sa.select(Entry.id).where(Entry.nomination_id == nomination.id)):
        raise Conflict(_l("The nomination has entries and cannot be deleted."))
    for criterion in [c for c in contest.criteria if c.nomination_id == nomination.id]:
        db.session.delete(criterion)
    for juror in contest.jurors:
        if nomination in juror.nominations:
            juror.nominations.remove(nomination)
    log(actor, contest, "delete_nomination", nomination, title=nomination.title)
    db.session.delete(nomination)


def get_nomination(contest: Contest, nomination_id: int) -> Nomination:
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or nomination.contest_id != contest.id:
        raise NotFound(_l("Nomination not found."))
    return nomination


def _check_setup(contest: Contest) -> None:
    if not contest.in_setup:
        raise Conflict(_l("Nominations and criteria cannot change once judging has started."))


# Criteria


@dataclass
class CriterionSettings:
    name: str
    max_score: Decimal
    min_score: Decimal = Decimal(0)
    step: Decimal = Decimal(1)
    weight: Decimal = Decimal(1)
    description: str = ""
    nomination_id: int | None = None
    tie_priority: int | None = None


def criteria_of(contest: Contest, nomination_id: int) -> list[Criterion]:
    return [criterion for criterion in contest.criteria if criterion.applies_to(nomination_id)]


def _check_criterion_open(contest: Contest, *nomination_ids: int | None) -> None:
    """A criterion of one nomination, or (None) of every one, changes their results."""
    check_open(n for n in contest.nominations if None in nomination_ids or n.id in nomination_ids)


def add_criterion(actor: User, contest: Contest, settings: CriterionSettings) -> Criterion:
    _check_criterion_open(contest, settings.nomination_id)
    _check_setup(contest)
    position = max((c.position for c in contest.criteria), default=0) + 1
    criterion = Criterion(contest=contest, position=position)
    _apply_criterion(contest, criterion, settings)
    db.session.add(criterion)
    db.session.flush()
    log(actor, contest, "add_criterion", criterion, name=criterion.name)
    return criterion


def update_criterion(actor: User, criterion: Criterion, settings: CriterionSettings) -> None:
    _check_criterion_open(criterion.contest, criterion.nomination_id, settings.nomination_id)
    _check_setup(criterion.contest)
    _apply_criterion(criterion.contest, criterion, settings)
    log(actor, criterion.contest, "update_criterion", criterion, name=criterion.name)


def delete_criterion(actor: User, criterion: Criterion) -> None:
    _check_criterion_open(criterion.contest, criterion.nomination_id)
    _check_setup(criterion.contest)
    log(actor, criterion.contest, "delete_criterion", criterion, name=criterion.name)
    db.session.delete(criterion)


def get_criterion(contest: Contest, criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.contest_id != contest.id:
        raise NotFound(_l("Criterion not found."))
    return criterion


def _apply_criterion(contest: Contest, criterion: Criterion, settings: CriterionSettings) -> None:
    for name in ("min_score", "max_score", "weight"):
        value = getattr(settings, name)
        if not value.is_finite() or abs(value) > SCALE_LIMIT:
            message = _l("From %(low)s to %(high)s.", low=-SCALE_LIMIT, high=SCALE_LIMIT)
            raise DomainError(message, name)
    if settings.max_score <= settings.min_score:
        raise DomainError(_l("The maximum must be greater than the minimum."), "max_score")
    if settings.step not in STEPS:
        raise DomainError(_l("Scores go in whole or half points."), "step")
    if (settings.max_score - settings.min_score) % settings.step:
        message = _l("The maximum must be reachable in steps from the minimum.")
        raise DomainError(message, "max_score")
    if settings.weight <= 0:
        raise DomainError(_l("The weight must be greater than zero."), "weight")
    if settings.nomination_id is not None:
        get_nomination(contest, settings.nomination_id)
    criterion.name = settings.name.strip()
    criterion.description = settings.description.strip()
    criterion.min_score, criterion.max_score = settings.min_score, settings.max_score
    criterion.step, criterion.weight = settings.step, settings.weight
    criterion.nomination_id = settings.nomination_id
    criterion.tie_priority = settings.tie_priority
