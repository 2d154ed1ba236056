"""Who scores which entry: every juror of a nomination, or k jurors per entry with the load
balanced; never a juror from the entry's own organization, nor one who declared a conflict."""

from collections import Counter
from itertools import combinations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.contests.models import (
    Assignment,
    AssignmentMode,
    Contest,
    Entry,
    EntryStatus,
    Juror,
    Phase,
)
from app.core.errors import Conflict, DomainError
from app.db import utcnow
from app.extensions import db


def submitted_entries(contest: Contest, nomination_id: int | None = None) -> list[Entry]:
    statement = sa.select(Entry).where(
        Entry.contest_id == contest.id, Entry.status == EntryStatus.SUBMITTED
    )
    if nomination_id is not None:
        statement = statement.where(Entry.nomination_id == nomination_id)
    statement = statement.options(selectinload(Entry.organization), selectinload(Entry.nomination))
    return list(db.session.scalars(statement.order_by(Entry.number, Entry.id)))


def _assignments(contest: Contest) -> list[Assignment]:
    statement = sa.select(Assignment).join(Assignment.entry).where(Entry.contest_id == contest.id)
    return list(db.session.scalars(statement))


def eligible_jurors(contest: Contest, entry: Entry, declined: set[int]) -> list[Juror]:
    """Jurors of the entry's nomination, not of its organization, who have not declined it."""
    return [
        juror
        for juror in sorted(contest.jurors, key=lambda juror: juror.id)
        if juror.judges(entry.nomination_id)
        and juror.user.organization_id != entry.organization_id
        and juror.id not in declined
    ]


def assign_entries(contest: Contest) -> int:
    """Adds the assignments the submitted entries still lack; keeps every existing one (and its
    scores). Returns how many were added."""
    existing = _assignments(contest)
    load = Counter(a.juror_id for a in existing if a.is_active)
    pairs = Counter()
    by_entry: dict[int, list[Assignment]] = {}
    for assignment in existing:
        by_entry.setdefault(assignment.entry_id, []).append(assignment)
    for group in by_entry.values():
        pairs.update(_pairs([a.juror_id for a in group if a.is_active]))
    added = 0
    for entry in submitted_entries(contest):
        if entry.nomination.is_finalized:  # its jury is fixed with its results
            continue
        taken = by_entry.get(entry.id, [])
        declined = {a.juror_id for a in taken}
        active = [a.juror_id for a in taken if a.is_active]
        candidates = eligible_jurors(contest, entry, declined)
        wanted = len(candidates)
        if contest.assignment_mode == AssignmentMode.BALANCED:
            wanted = min(max(contest.jurors_per_entry - len(active), 0), len(candidates))
        for juror in _choose(candidates, wanted, active, load, pairs):
            db.session.add(Assignment(entry=entry, juror=juror))
            load[juror.id] += 1
            pairs.update(tuple(sorted((juror.id, other))) for other in active)
            active.append(juror.id)
            added += 1
    db.session.flush()
    return added


def _pairs(juror_ids: list[int]) -> list[tuple[int, int]]:
    return [tuple(sorted(pair)) for pair in combinations(juror_ids, 2)]


def _choose(candidates, wanted, chosen, load, pairs) -> list[Juror]:
    """``wanted`` jurors one by one: the least loaded first, then the one who has judged least
    often with those already chosen (so that no pair covers more entries than needed), then
    by id, so that the same data always gives the same assignment."""
    picked: list[Juror] = []
    chosen = list(chosen)
    pool = list(candidates)
    while len(picked) < wanted and pool:

        def cost(juror: Juror) -> tuple:
            together = sum(pairs[tuple(sorted((juror.id, other)))] for other in chosen)
            return (load[juror.id], together, juror.id)

        best = min(pool, key=cost)
        pool.remove(best)
        picked.append(best)
        chosen.append(best.id)
    return picked


def declare_conflict(user: User, assignment: Assignment, reason: str) -> Assignment | None:
    """The juror steps back from the entry; the entry goes to another juror when the contest
    gives each entry k jurors. Returns the new assignment, if one was made."""
    if assignment.juror.user_id != user.id or not assignment.is_active:
        raise Conflict(_l("This entry is not assigned to you."))
    assignment.entry.nomination.check_open()
    if assignment.entry.contest.phase != Phase.JUDGING:
        raise Conflict(_l("Conflicts are declared while the jury is judging."))
    if not reason.strip():
        raise DomainError(_l("Say what the conflict of interest is."), "reason")
    if assignment.is_completed:
        raise Conflict(_l("You have completed this scoring; ask the district office instead."))
    assignment.conflict_reason, assignment.conflict_at = reason.strip(), utcnow()
    assignment.updated_at = utcnow()
    for score in list(assignment.scores):
        db.session.delete(score)
    contest = assignment.entry.contest
    audit.record(
        "conflict",
        assignment,
        actor=user,
        object_type="assignment",
        label=f"{contest.title} — № {assignment.entry.number}",
        organization=contest.organization,
        after={"reason": assignment.conflict_reason},
    )
    db.session.flush()
    if contest.assignment_mode != AssignmentMode.BALANCED:
        return None
    before = {a.id for a in _assignments(contest)}
    assign_entries(contest)
    return next((a for a in _assignments(contest) if a.id not in before), None)


def conflicts(contest: Contest) -> list[Assignment]:
    statement = (
        sa.select(Assignment)
        .join(Assignment.entry)
        .where(Entry.contest_id == contest.id, Assignment.conflict_at.is_not(None))
        .order_by(Assignment.conflict_at)
    )
    return list(db.session.scalars(statement))
