"""The contest's documents: the jury protocol (.docx and .xlsx) and the certificates (.docx).

This module decides who may download them and gathers what they print, once, so that the page,
the protocol and the workbook show the same figures: every figure comes from
``standings.standings`` (the arithmetic of results.py), formatted here in one way.

Staff and observers of the contest download at any time (a protocol whose nominations are not all
finalized is a draft, marked «ПРОЕКТ»). The chair of the jury downloads too, but, being a juror,
only after completing their own score sheets (``standings.scores_withheld``), and in a blind
contest, until the results are published, without anything the jury pages hide
(``standings.names_hidden``): entries are numbers, jurors have no organization printed (beside
the entries a juror sat out it would name the entry's school), and there are no certificates.
"""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.contests.assignment import conflicts
from app.contests.models import Assignment, Contest, Criterion, Entry, Juror, Nomination
from app.contests.results import EntryResult, NominationResult, format_score, rounded
from app.contests.scoring import check_scores_shown
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


def title_word(nomination: NominationResult, result: EntryResult) -> str:
    """«Победитель» … «Участник» for an entry with a place in a nomination that was held, as
    the results page shows it; nothing for the others."""
    return TITLE_WORDS[result.title] if nomination.held and result.place else ""


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


def method_notes(protocol: "Protocol") -> list[str]:
    """How the figures are made, so that a reader who re-adds the rounded means can tell why the
    total may differ from their sum by a hundredth; and what a blind protocol leaves out."""
    notes = [
        "Средний балл по критерию — среднее арифметическое баллов членов жюри, завершивших "
        "оценку работы. Итоговый балл — сумма средних баллов по критериям с учётом весов, "
        "вычисленная по неокруглённым средним и только затем округлённая до сотых, поэтому он "
        "может на 0,01 отличаться от суммы округлённых средних. «Ст. откл.» — выборочное "
        "стандартное отклонение итоговых оценок членов жюри (с делением на n − 1).",
    ]
    if protocol.blind:
        notes.append(
            "Оценивание слепое: до публикации итогов работы указаны только номерами, "
            "организации участников и членов жюри не указываются."
        )
    return notes


# What the documents print


@dataclass
class SatOut:
    """A juror of the nomination who did not score an entry, and why."""

    juror: Juror
    entry: Entry
    own_organization: bool  # else a declared conflict of interest
    reason: str = ""
    declared_at: object = None
    blind: bool = False  # the reason would tell whose entry it is: «the juror's own school»

    @property
    def why(self) -> str:
        if self.blind:
            return "конфликт интересов"
        if self.own_organization:
            return "работа организации, в которой работает член жюри"
        return f"заявлен конфликт интересов: {self.reason}"


@dataclass
class Protocol:
    contest: Contest
    standings: list[Standing]
    conflicts: list[Assignment]
    reader: User
    blind: bool = False  # ``names_hidden`` for the reader: entries are numbers only

    @property
    def is_draft(self) -> bool:
        return not self.contest.results_final

    def entry_title(self, entry: Entry) -> str:
        return "" if self.blind else entry.title

    def organization(self, entry: Entry) -> str:
        return "" if self.blind else entry.organization.name

    def juror_organization(self, juror: Juror) -> str:
        return "" if self.blind else juror.user.organization.name

    def sat_out(self, current: Standing) -> list[SatOut]:
        """Per entry of the nomination, in number order: the jurors of the nomination from the
        entry's own organization (never assigned) and those who declared a conflict."""
        declared = {(a.entry_id, a.juror_id): a for a in self.conflicts}
        found = []
        for entry in sorted(current.entries.values(), key=lambda e: e.number):
            for juror in self.jurors():
                conflict = declared.get((entry.id, juror.id))
                if conflict is not None:
                    found.append(
                        SatOut(
                            juror,
                            entry,
                            False,
                            conflict.conflict_reason,
                            conflict.conflict_at,
                            self.blind,
                        )
                    )
                elif juror.judges(current.nomination.id) and (
                    juror.user.organization_id == entry.organization_id
                ):
                    found.append(SatOut(juror, entry, True, blind=self.blind))
        return found

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
    check_scores_shown(user, contest)
    return Protocol(
        contest=contest,
        standings=standings(contest),
        conflicts=conflicts(contest),
        reader=user,
        blind=names_hidden(user, contest),
    )


def awards(user: User, contest: Contest) -> list[Award]:
    """The winners, prize-winners and laureates of the finalized nominations that were held,
    nomination by nomination, best first. A certificate names the school: in a blind contest the
    jury gets them once the results are published."""
    check_scores_shown(user, contest)
    if names_hidden(user, contest):
        raise Conflict(
            _l("In a blind contest the jury gets the certificates once the results are published.")
        )
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
