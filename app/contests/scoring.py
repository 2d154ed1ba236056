"""Judging: a juror's assignments, the score sheet (draft, then complete), locks and progress."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.audit import services as audit
from app.contests.access import can_score, can_see_contest
from app.contests.models import (
    Assignment,
    Contest,
    Criterion,
    Entry,
    EntryStatus,
    Juror,
    Phase,
    Score,
)
from app.contests.services import criteria_of
from app.core.errors import Conflict, DomainError, NotFound
from app.db import utcnow
from app.extensions import db
from app.notices import services as notices


def _active(statement: sa.Select) -> sa.Select:
    return statement.join(Assignment.entry).where(
        Assignment.conflict_at.is_(None), Entry.status == EntryStatus.SUBMITTED
    )


def juror_contests(user: User) -> list[Contest]:
    statement = (
        sa.select(Contest)
        .join(Juror, Juror.contest_id == Contest.id)
        .where(Juror.user_id == user.id)
        .order_by(Contest.judging_close_at.desc())
    )
    return list(db.session.scalars(statement))


def juror_assignments(user: User, contest: Contest) -> list[Assignment]:
    """The juror's entries, those not completed first, then by number."""
    statement = _active(
        sa.select(Assignment)
        .join(Assignment.juror)
        .where(Juror.user_id == user.id, Juror.contest_id == contest.id)
    ).order_by(Assignment.completed_at.is_not(None), Entry.number)
    statement = statement.options(
        contains_eager(Assignment.entry), contains_eager(Assignment.juror)
    )
    return [a for a in db.session.scalars(statement) if can_score(user, a)]


def juror_overview(user: User) -> list[tuple[Contest, "Progress"]]:
    """The contests the user judges, each with their own progress."""
    return [
        (contest, progress_of(juror_assignments(user, contest))) for contest in juror_contests(user)
    ]


def scores_withheld(user: User, contest: Contest) -> bool:
    """A juror (the chair too) sees nobody else's scores, totals or places while a score sheet of
    their own is still to be completed, so that nobody anchors on the others: on the results
    page, in the protocol and the certificates, beside their own sheet. A sheet of a finalized
    nomination can no longer change and does not count. Staff and observers, and everybody once
    the results are published, are never held back."""
    if can_see_contest(user, contest) or contest.phase == Phase.PUBLISHED:
        return False
    return any(
        not a.is_completed and not a.entry.nomination.is_finalized
        for a in juror_assignments(user, contest)
    )


def check_scores_shown(user: User, contest: Contest) -> None:
    """Refuses (409) what carries others' scores while ``scores_withheld``."""
    if scores_withheld(user, contest):
        raise Conflict(
            _l("Complete your own score sheets first: the results show the other jurors' scores.")
        )


def get_assignment(user: User, assignment_id: int) -> Assignment:
    """Only the juror's own, active assignment of a submitted entry: anything else is 404, so
    that a juror cannot learn about entries by guessing numbers."""
    assignment = db.session.get(Assignment, assignment_id)
    if (
        assignment is None
        or not can_score(user, assignment)
        or assignment.entry.status != EntryStatus.SUBMITTED
    ):
        raise NotFound(_l("Entry not found."))
    return assignment


def next_assignment(user: User, assignment: Assignment) -> Assignment | None:
    """The next entry to score: the first not completed after this one, else before it."""
    others = juror_assignments(user, assignment.entry.contest)
    waiting = [a for a in others if not a.is_completed and a.id != assignment.id]
    later = [a for a in waiting if a.entry.number > assignment.entry.number]
    return (later or waiting or [None])[0]


def criteria_for(assignment: Assignment) -> list[Criterion]:
    return criteria_of(assignment.entry.contest, assignment.entry.nomination_id)


@dataclass
class Mark:
    value: str  # as typed: "" for none
    comment: str = ""


def check_open(assignment: Assignment) -> None:
    entry = assignment.entry
    if entry.contest.phase != Phase.JUDGING:
        raise Conflict(_l("Scores can be changed only while the jury is judging."))
    if utcnow() > entry.contest.judging_close_at:
        raise Conflict(
            _l("The judging period is over; ask the district office to extend it to change scores.")
        )
    if entry.nomination.is_finalized:
        raise Conflict(_l("The results of this nomination are finalized; scores are locked."))


def parse_value(criterion: Criterion, raw: str) -> Decimal | None:
    """The score typed for a criterion, or None if left empty; refused outside the scale."""
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return None
    field = f"c{criterion.id}"
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise DomainError(_l("Enter a number."), field) from None
    if not value.is_finite() or not criterion.min_score <= value <= criterion.max_score:
        raise DomainError(
            _l("From %(low)s to %(high)s.", low=_plain(criterion.min_score),
               high=_plain(criterion.max_score)),
            field,
        )  # fmt: skip
    if (value - criterion.min_score) % criterion.step:
        raise DomainError(_l("In steps of %(step)s.", step=_plain(criterion.step)), field)
    return value


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}".replace(".", ",")


def save_scores(
    user: User, assignment: Assignment, marks: dict[int, Mark], comment: str, complete: bool
) -> None:
    """Stores the sheet; ``complete`` (or a sheet completed before) needs every criterion.
    Every changed value goes to the audit log with the old and the new one."""
    if not can_score(user, assignment):
        raise NotFound(_l("Entry not found."))
    check_open(assignment)
    criteria = criteria_for(assignment)
    values = {c.id: parse_value(c, marks.get(c.id, Mark("")).value) for c in criteria}
    if complete or assignment.is_completed:
        missing = [c for c in criteria if values[c.id] is None]
        if missing:
            raise DomainError(_l("Score every criterion to complete."), f"c{missing[0].id}")
    stored = {score.criterion_id: score for score in assignment.scores}
    before, after = {}, {}
    for criterion in criteria:
        mark = marks.get(criterion.id, Mark(""))
        score = stored.get(criterion.id)
        if score is None:
            score = Score(criterion=criterion)
            assignment.scores.append(score)
        if score.value != values[criterion.id]:
            before[str(criterion.id)] = _text(score.value)
            after[str(criterion.id)] = _text(values[criterion.id])
        score.value, score.comment = values[criterion.id], mark.comment.strip()
    assignment.comment = comment.strip()
    assignment.updated_at = utcnow()
    if complete and not assignment.is_completed:
        assignment.completed_at = utcnow()
        after["completed"] = True
    if after:
        _log(user, assignment, before, after)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _log(user: User, assignment: Assignment, before: dict, after: dict) -> None:
    contest = assignment.entry.contest
    audit.record(
        "score",
        assignment,
        actor=user,
        object_type="assignment",
        label=f"{contest.title} — № {assignment.entry.number}",
        organization=contest.organization,
        before=before,
        after=after,
    )


def others_sheets(user: User, assignment: Assignment) -> list[Assignment]:
    """Other jurors' completed sheets of the entry, if the contest allows it: only after the
    juror completed this sheet and every other one still open (no anchoring)."""
    contest = assignment.entry.contest
    if not assignment.is_completed or not contest.show_scores_after_completion:
        return []
    if scores_withheld(user, contest):
        return []
    statement = sa.select(Assignment).where(
        Assignment.entry_id == assignment.entry_id,
        Assignment.id != assignment.id,
        Assignment.conflict_at.is_(None),
        Assignment.completed_at.is_not(None),
    )
    return list(db.session.scalars(statement))


# Progress, for staff


@dataclass
class Progress:
    assigned: int = 0
    completed: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.assigned) if self.assigned else 0


def progress_of(assignments: list[Assignment]) -> Progress:
    return Progress(assigned=len(assignments), completed=sum(a.is_completed for a in assignments))


def sheet_state(assignment: Assignment) -> str:
    if assignment.is_completed:
        return "completed"
    started = assignment.comment or any(
        score.value is not None or score.comment for score in assignment.scores
    )
    return "draft" if started else "not_started"


def progress(contest: Contest) -> tuple[dict[int, Progress], dict[int, Progress]]:
    """(per juror id, per entry id): assignments and completed ones."""
    statement = _active(
        sa.select(Assignment.juror_id, Assignment.entry_id, Assignment.completed_at)
    ).where(Entry.contest_id == contest.id)
    jurors: dict[int, Progress] = {j.id: Progress() for j in contest.jurors}
    entries: dict[int, Progress] = {}
    for juror_id, entry_id, completed_at in db.session.execute(statement):
        for row in (
            jurors.setdefault(juror_id, Progress()),
            entries.setdefault(entry_id, Progress()),
        ):
            row.assigned += 1
            row.completed += completed_at is not None
    return jurors, entries


def remind(actor: User, juror: Juror, link: str) -> None:
    """An in-app notice to the juror (and an e-mail when mail is set up)."""
    jurors, _entries = progress(juror.contest)
    left = jurors[juror.id].assigned - jurors[juror.id].completed
    if left <= 0:
        raise Conflict(_l("This juror has scored every entry."))
    text = _l(
        'Contest "%(title)s": %(left)s entries are waiting for your scores.',
        title=juror.contest.title,
        left=left,
    )
    notices.notify_user(juror.user, str(text), link, sender=actor)
    audit.record(
        "remind",
        juror,
        actor=actor,
        object_type="juror",
        label=juror.contest.title,
        organization=juror.contest.organization,
        after={"user": juror.user.full_name, "left": left},
    )
