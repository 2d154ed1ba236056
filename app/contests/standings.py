"""Results of a contest from its stored scores (results.py does the arithmetic), finalizing a
nomination (which locks its scores) and what participants see once results are published."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User
from app.contests import results
from app.contests.access import can_manage_contest, can_see_contest, juror_of
from app.contests.models import (
    Assignment,
    Contest,
    Criterion,
    Entry,
    EntryStatus,
    Juror,
    Nomination,
    Phase,
)
from app.contests.services import criteria_of, log
from app.core.errors import Conflict, DomainError, Forbidden, NotFound
from app.db import utcnow
from app.extensions import db
from app.notices import services as notices


@dataclass
class Standing:
    """One nomination's results with the objects behind them."""

    nomination: Nomination
    criteria: list[Criterion]
    entries: dict[int, Entry]
    sheets: dict[int, list[Assignment]]  # entry id -> the completed sheets counted
    result: results.NominationResult

    @property
    def jurors(self) -> list:
        found = {a.juror.id: a.juror for sheets in self.sheets.values() for a in sheets}
        return sorted(found.values(), key=lambda juror: juror.user.full_name)


def rules_of(contest: Contest) -> results.Rules:
    return results.Rules(
        min_entries=contest.min_entries,
        laureates=contest.laureates,
        laureate_share=contest.laureate_share,
    )


def standings(contest: Contest) -> list[Standing]:
    return [standing(contest, nomination) for nomination in contest.nominations]


def standing(contest: Contest, nomination: Nomination) -> Standing:
    entries = {
        entry.id: entry
        for entry in db.session.scalars(
            sa.select(Entry)
            .where(Entry.nomination_id == nomination.id, Entry.status == EntryStatus.SUBMITTED)
            .options(selectinload(Entry.organization))
        )
    }
    assignments = db.session.scalars(
        sa.select(Assignment)
        .where(Assignment.entry_id.in_(list(entries)), Assignment.conflict_at.is_(None))
        .options(
            selectinload(Assignment.scores),
            selectinload(Assignment.juror).selectinload(Juror.user),
        )
    ).all()
    assigned = dict.fromkeys(entries, 0)
    sheets: dict[int, list[Assignment]] = {entry_id: [] for entry_id in entries}
    for assignment in assignments:
        assigned[assignment.entry_id] += 1
        if assignment.is_completed:
            sheets[assignment.entry_id].append(assignment)
    criteria = criteria_of(contest, nomination.id)
    result = results.nomination_results(
        [_criterion(c) for c in criteria],
        assigned,
        [_sheet(a) for group in sheets.values() for a in group],
        rules_of(contest),
    )
    return Standing(nomination, criteria, entries, sheets, result)


def _criterion(criterion: Criterion) -> results.Criterion:
    return results.Criterion(
        id=criterion.id,
        max_score=criterion.max_score,
        min_score=criterion.min_score,
        weight=criterion.weight,
        tie_priority=criterion.tie_priority,
    )


def _sheet(assignment: Assignment) -> results.Sheet:
    return results.Sheet(
        juror_id=assignment.juror_id,
        entry_id=assignment.entry_id,
        scores={s.criterion_id: s.value for s in assignment.scores if s.value is not None},
    )


def can_finalize(user: User, contest: Contest) -> bool:
    """Staff of the contest, or the chair of its jury."""
    if can_manage_contest(user, contest):
        return True
    juror = juror_of(user, contest)
    return juror is not None and juror.is_chair


def get_for_results(user: User, contest_id: int) -> Contest:
    """The contest whose results the user may read: its staff and observers, its jury's chair."""
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        raise NotFound(_l("Contest not found."))
    juror = juror_of(user, contest)
    if not can_see_contest(user, contest) and not (juror is not None and juror.is_chair):
        raise NotFound(_l("Contest not found."))
    return contest


def names_hidden(user: User, contest: Contest) -> bool:
    """A blind contest keeps participants unnamed for its jury (the chair included) until its
    results are published, on every page and in every document the jury gets: no entry's title,
    school or answers the contest hides, nor a juror's organization beside the entries they sat
    out. Staff and observers always see them."""
    return contest.blind and not can_see_contest(user, contest) and contest.phase != Phase.PUBLISHED


def incomplete_entries(contest: Contest, nomination: Nomination) -> list[tuple[Entry, object]]:
    """The entries fewer jurors completed a sheet of than were assigned, with their results."""
    found = standing(contest, nomination)
    return [(found.entries[e.entry_id], e) for e in found.result.entries if e.incomplete]


def finalize(user: User, contest: Contest, nomination: Nomination, reason: str = "") -> None:
    """Locks the nomination's results: nothing can change them until staff reopen them. With
    incomplete entries the one who finalizes says why (the protocol prints it)."""
    if not can_finalize(user, contest):
        raise Forbidden(_l("Only the chair of the jury or district staff finalize results."))
    if contest.phase not in (Phase.JUDGING, Phase.RESULTS, Phase.PUBLISHED):
        raise Conflict(_l("Results are finalized after the judging has started."))
    if nomination.is_finalized:
        raise Conflict(_l("The results of this nomination are already finalized."))
    incomplete = incomplete_entries(contest, nomination)
    if incomplete and not reason.strip():
        raise DomainError(
            _l("Some entries were scored by fewer jurors than assigned: say why the results are "
               "finalized without the missing sheets."),
            "reason",
        )  # fmt: skip
    nomination.finalized_at, nomination.finalized_by_id = utcnow(), user.id
    nomination.incomplete_reason = reason.strip() if incomplete else ""
    log(user, contest, "finalize", nomination, title=nomination.title,
        incomplete=[entry.number for entry, _result in incomplete],
        reason=nomination.incomplete_reason)  # fmt: skip


def can_reopen(user: User, contest: Contest) -> bool:
    """District staff of the contest only: the chair alone cannot undo finalized results."""
    return can_manage_contest(user, contest)


@dataclass
class Links:
    """Where the notices of revised results lead: the school's and the juror's page."""

    participants: str
    jury: str


def reopen(user: User, contest: Contest, nomination: Nomination, reason: str, links: Links):
    """Finalized results open again for a written reason. Published ones are marked as revised
    and their participants and jury told through in-app notices."""
    if not can_reopen(user, contest):
        raise Forbidden(_l("Only district staff reopen finalized results."))
    if not reason.strip():
        raise DomainError(_l("Say why the results are reopened."), "reason")
    published = contest.phase == Phase.PUBLISHED
    nomination.reopen(reason.strip())
    log(user, contest, "reopen_results", nomination, title=nomination.title,
        reason=reason.strip(), published=published)  # fmt: skip
    if published:
        _tell_revised(user, contest, nomination, links)


def _tell_revised(user: User, contest: Contest, nomination: Nomination, links: Links) -> None:
    text = str(
        _l('The results of the contest "%(contest)s" in the nomination "%(nomination)s" are '
           "being revised: %(reason)s",
           contest=contest.title, nomination=nomination.title, reason=nomination.revision_reason)
    )  # fmt: skip
    participants = db.session.scalars(
        sa.select(Entry.organization_id)
        .where(Entry.nomination_id == nomination.id, Entry.status != EntryStatus.DRAFT)
        .distinct()
    )
    notices.notify(list(participants), text, links.participants, sender=user)
    for juror in contest.jurors:
        if juror.judges(nomination.id):
            notices.notify_user(juror.user, text, links.jury, sender=user)


def published_results(user: User, contest: Contest) -> dict[int, tuple[Standing, object]]:
    """A school's entries with their results (entry id -> (standing, EntryResult)), once the
    contest's results are published; empty before, and for a nomination reopened since."""
    if user.role != Role.SCHOOL or contest.phase != Phase.PUBLISHED:
        return {}
    found = {}
    for nomination_standing in standings(contest):
        for entry_result in nomination_standing.result.entries:
            entry = nomination_standing.entries[entry_result.entry_id]
            if entry.organization_id == user.organization_id and entry.nomination.is_finalized:
                found[entry.id] = (nomination_standing, entry_result)
    return found
