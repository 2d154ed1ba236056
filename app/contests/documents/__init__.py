"""The contest's documents: the jury protocol (.docx and .xlsx) and the certificates (.docx).

This module decides who may download them and gathers what they print, once, so that the page,
the protocol and the workbook show the same figures: every figure comes from
``standings.standings`` (the arithmetic of results.py), formatted here in one way.

Staff and observers of the contest download at any time (a protocol whose nominations are not all
finalized is a draft, marked «ПРОЕКТ»). The chair of the jury downloads too, but, being a juror,
only after completing their own score sheets (no anchoring on the others' scores), and in a blind
contest without the participants' organizations until a nomination is finalized.
"""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.contests.access import can_see_contest
from app.contests.assignment import conflicts
from app.contests.models import Assignment, Contest, Criterion, Entry, Juror, Nomination
from app.contests.results import EntryResult, format_score, rounded
from app.contests.scoring import juror_assignments
from app.contests.standings import Standing, names_hidden, standing, standings
from app.core.errors import Conflict

DASH = "—"
TITLE_WORDS = {
    "winner": "Победитель",
    "prize_winner": "Призёр",
    "laureate": "Лауреат",
    "participant": "Участник",
}
AGREEMENT_WORDS = {
    "poor": "слабая согласованность",
    "moderate": "умеренная согласованность",
    "good": "хорошая согласованность",
    "excellent": "высокая согласованность",
}
ROMAN = {1: "I", 2: "II", 3: "III"}
AWARDED = ("winner", "prize_winner", "laureate")


# Numbers and names


def score_text(value: Decimal | None) -> str:
    """A score as documents print it: two places and a decimal comma, «18,50»."""
    return DASH if value is None else format_score(value)


def score_number(value: Decimal | None) -> Decimal | None:
    """A score for a spreadsheet cell: the same two places, as a number."""
    return rounded(None if value is None else Decimal(value))


def criterion_label(criterion: Criterion) -> str:
    """«Оформление (×2)»: the weight is named when it is not 1."""
    if criterion.weight == 1:
        return criterion.name
    return f"{criterion.name} (×{Decimal(criterion.weight).normalize():f})".replace(".", ",")


def sheet_total(assignment: Assignment, criteria: list[Criterion]) -> Decimal | None:
    """One juror's total for the entry: the weighted sum of their scores, as results.py adds
    them."""
    values = {score.criterion_id: score.value for score in assignment.scores}
    parts = [c.weight * values[c.id] for c in criteria if values.get(c.id) is not None]
    return score_number(sum(parts, Decimal(0))) if parts else None


def entry_notes(result: EntryResult) -> list[str]:
    """Short remarks on one entry's result, for the workbook."""
    notes = []
    if result.tie_note == "shared":
        notes.append("место разделено")
    elif result.tie_note == "priority":
        notes.append("место определено по приоритетному критерию")
    if result.incomplete:
        notes.append(f"оценили {result.jurors} из {result.assigned}")
    if result.outliers:
        notes.append("расхождение оценок вынесено на обсуждение")
    return notes


# What the documents print


@dataclass
class Protocol:
    contest: Contest
    standings: list[Standing]
    conflicts: list[Assignment]
    reader: User

    @property
    def is_draft(self) -> bool:
        return not self.contest.results_final

    def organization(self, nomination: Nomination, entry: Entry) -> str:
        if names_hidden(self.reader, self.contest, nomination):
            return ""
        return entry.organization.name

    def jurors(self) -> list[Juror]:
        """The jury, the chair first, then by name."""
        return sorted(self.contest.jurors, key=lambda j: (not j.is_chair, j.user.full_name, j.id))


@dataclass
class Award:
    nomination: Nomination
    entry: Entry
    result: EntryResult


def protocol(user: User, contest: Contest) -> Protocol:
    """The figures of the protocol for ``user``, who passed ``standings.get_for_results``."""
    chair = not can_see_contest(user, contest)
    if chair and any(not a.is_completed for a in juror_assignments(user, contest)):
        raise Conflict(
            _l("Complete your own score sheets first: the protocol shows the other jurors' scores.")
        )
    return Protocol(
        contest=contest,
        standings=standings(contest),
        conflicts=conflicts(contest),
        reader=user,
    )


def awards(contest: Contest) -> list[Award]:
    """The winners, prize-winners and laureates of the finalized nominations that were held,
    nomination by nomination, best first."""
    finalized = [n for n in contest.nominations if n.is_finalized]
    if not finalized:
        raise Conflict(_l("Certificates are made once the results of a nomination are finalized."))
    found = []
    for nomination in finalized:
        current = standing(contest, nomination)
        if not current.result.held:
            continue
        for result in current.result.entries:
            if result.title in AWARDED:
                found.append(Award(nomination, current.entries[result.entry_id], result))
    if not found:
        raise Conflict(_l("The finalized nominations have no winners, prize-winners or laureates."))
    return found
