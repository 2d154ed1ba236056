"""Contests judged by a jury: nominations, criteria, jurors, entries, assignments and scores."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.errors import Conflict
from app.db import JSONType, TimestampMixin, UTCDateTime, string_enum, utcnow
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.models import FormVersion

SCORE = sa.Numeric(8, 2)
SCALE_LIMIT = Decimal(1000)  # no criterion scale or weight beyond ±1000: the arithmetic stays exact


class Phase(StrEnum):
    """The contest's stage, moved forward by staff; the server allows only what the stage
    allows (entries while accepting, scores while judging)."""

    DRAFT = "draft"
    ACCEPTING = "accepting"
    JUDGING = "judging"
    RESULTS = "results"
    PUBLISHED = "published"

    @property
    def label(self):
        return PHASE_LABELS[self]


PHASE_LABELS = {
    Phase.DRAFT: _l("Being prepared"),
    Phase.ACCEPTING: _l("Accepting entries"),
    Phase.JUDGING: _l("Judging"),
    Phase.RESULTS: _l("Results being finalized"),
    Phase.PUBLISHED: _l("Results published"),
}
PHASE_ORDER = list(Phase)


class AssignmentMode(StrEnum):
    ALL = "all"  # every juror scores every entry of their nominations
    BALANCED = "balanced"  # each entry gets k jurors, the load balanced


class Contest(TimestampMixin, db.Model):
    __tablename__ = "contest"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    form_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("form_version.id"))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    rules_text: Mapped[str] = mapped_column(sa.Text, default="")
    phase: Mapped[Phase] = mapped_column(string_enum(Phase), default=Phase.DRAFT)
    entries_open_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entries_close_at: Mapped[datetime] = mapped_column(UTCDateTime)
    judging_close_at: Mapped[datetime] = mapped_column(UTCDateTime)
    results_at: Mapped[datetime] = mapped_column(UTCDateTime)
    open_to_all: Mapped[bool] = mapped_column(default=True)  # else only the named organizations
    blind: Mapped[bool] = mapped_column(default=False)
    hidden_keys: Mapped[list] = mapped_column(JSONType, default=list)  # hidden from the jury
    assignment_mode: Mapped[AssignmentMode] = mapped_column(
        string_enum(AssignmentMode), default=AssignmentMode.ALL
    )
    jurors_per_entry: Mapped[int] = mapped_column(default=3)
    show_scores_after_completion: Mapped[bool] = mapped_column(default=False)
    show_juror_names: Mapped[bool] = mapped_column(default=False)
    min_entries: Mapped[int] = mapped_column(default=2)
    laureates: Mapped[int] = mapped_column(default=0)
    laureate_share: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 2))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    organization: Mapped[Organization] = relationship()
    form_version: Mapped[FormVersion | None] = relationship()
    rules_file: Mapped["ContestFile | None"] = relationship(
        primaryjoin="and_(ContestFile.contest_id == Contest.id, ContestFile.entry_id.is_(None))",
        viewonly=True,
        uselist=False,
    )
    nominations: Mapped[list["Nomination"]] = relationship(
        back_populates="contest", order_by="Nomination.position, Nomination.id"
    )
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="contest", order_by="Criterion.position, Criterion.id"
    )
    jurors: Mapped[list["Juror"]] = relationship(back_populates="contest")
    eligible: Mapped[list[Organization]] = relationship(secondary="contest_eligible")

    def move_to(self, phase: Phase) -> Phase:
        """One step forward or back, never from published back (results are out)."""
        before = self.phase
        step = PHASE_ORDER.index(phase) - PHASE_ORDER.index(before)
        if abs(step) != 1 or before == Phase.PUBLISHED:
            raise Conflict(_l("The contest cannot move to this stage from its current one."))
        self.phase = phase
        self.published_at = utcnow() if phase == Phase.PUBLISHED else None
        return before

    def accepts_entries(self, moment: datetime | None = None) -> bool:
        moment = moment or utcnow()
        return (
            self.phase == Phase.ACCEPTING
            and self.entries_open_at <= moment <= self.entries_close_at
        )

    @property
    def in_setup(self) -> bool:
        """Before judging: the form, nominations and criteria may still change."""
        return self.phase in (Phase.DRAFT, Phase.ACCEPTING)

    @property
    def results_final(self) -> bool:
        """Every nomination finalized: the results can be published, the protocol is no draft."""
        return bool(self.nominations) and all(n.is_finalized for n in self.nominations)

    @property
    def chair(self) -> "Juror | None":
        return next((juror for juror in self.jurors if juror.is_chair), None)


contest_eligible = sa.Table(
    "contest_eligible",
    db.metadata,
    sa.Column("contest_id", sa.ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organization_id", sa.ForeignKey("organization.id"), primary_key=True),
)


class ContestFile(db.Model):
    """A stored upload of a contest: the rules (Положение) or an entry's material."""

    __tablename__ = "contest_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id"), index=True)
    entry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("entry.id"), index=True)
    question_key: Mapped[str] = mapped_column(sa.String(64), default="")
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    entry: Mapped["Entry | None"] = relationship()


class Nomination(db.Model):
    __tablename__ = "nomination"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finalized_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # why the chair finalized with entries that fewer jurors scored than were assigned
    incomplete_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # published results reopened by staff ("пересмотрены"): when last, and why
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revision_reason: Mapped[str] = mapped_column(sa.Text, default="")

    contest: Mapped[Contest] = relationship(back_populates="nominations")
    finalized_by: Mapped[User | None] = relationship()

    @property
    def is_finalized(self) -> bool:
        return self.finalized_at is not None

    def check_open(self) -> None:
        """The one rule every verb that could change the nomination's results asks first:
        finalized results change only after staff reopen them with a reason."""
        if self.is_finalized:
            raise Conflict(
                _l(
                    'The results of the nomination "%(title)s" are finalized; this would change '
                    "them. District staff can reopen the results, giving a reason.",
                    title=self.title,
                )
            )

    def reopen(self, reason: str) -> None:
        """Finalized results open again; published ones are marked as revised."""
        if not self.is_finalized:
            raise Conflict(_l("The results of this nomination are not finalized."))
        if self.contest.phase == Phase.PUBLISHED:
            self.revised_at, self.revision_reason = utcnow(), reason
        self.finalized_at = self.finalized_by_id = None
        self.incomplete_reason = ""


class Criterion(db.Model):
    """What earns points: a scale from ``min_score`` to ``max_score`` in steps of ``step``,
    weighted; ``nomination_id`` empty means every nomination. ``tie_priority`` 1, 2, … names
    the criteria that break ties on the total, in that order."""

    __tablename__ = "criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(sa.ForeignKey("nomination.id"))
    name: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    min_score: Mapped[Decimal] = mapped_column(SCORE, default=Decimal(0))
    max_score: Mapped[Decimal] = mapped_column(SCORE)
    step: Mapped[Decimal] = mapped_column(SCORE, default=Decimal(1))
    weight: Mapped[Decimal] = mapped_column(SCORE, default=Decimal(1))
    position: Mapped[int] = mapped_column(default=0)
    tie_priority: Mapped[int | None]

    contest: Mapped[Contest] = relationship(back_populates="criteria")
    nomination: Mapped[Nomination | None] = relationship()

    def applies_to(self, nomination_id: int) -> bool:
        return self.nomination_id is None or self.nomination_id == nomination_id


juror_nomination = sa.Table(
    "juror_nomination",
    db.metadata,
    sa.Column("juror_id", sa.ForeignKey("juror.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("nomination_id", sa.ForeignKey("nomination.id"), primary_key=True),
)


class Juror(db.Model):
    """A user with the jury role on one contest; no nominations named means all of them."""

    __tablename__ = "juror"
    __table_args__ = (sa.UniqueConstraint("contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    is_chair: Mapped[bool] = mapped_column(default=False)

    contest: Mapped[Contest] = relationship(back_populates="jurors")
    user: Mapped[User] = relationship()
    nominations: Mapped[list[Nomination]] = relationship(secondary=juror_nomination)

    def judges(self, nomination_id: int) -> bool:
        return not self.nominations or any(n.id == nomination_id for n in self.nominations)


class EntryStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"

    @property
    def label(self):
        return ENTRY_STATUS_LABELS[self]


ENTRY_STATUS_LABELS = {
    EntryStatus.DRAFT: _l("Draft"),
    EntryStatus.SUBMITTED: _l("Submitted"),
    EntryStatus.WITHDRAWN: _l("Withdrawn"),
    EntryStatus.REJECTED: _l("Rejected"),
}


class Entry(db.Model):
    """A participant's application (answers to the contest's form) and materials."""

    __tablename__ = "entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nomination.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    number: Mapped[int]  # "Работа № 3": what a blind jury sees instead of names
    title: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[EntryStatus] = mapped_column(string_enum(EntryStatus), default=EntryStatus.DRAFT)
    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    revision: Mapped[int] = mapped_column(default=0)
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    contest: Mapped[Contest] = relationship()
    nomination: Mapped[Nomination] = relationship()
    organization: Mapped[Organization] = relationship()
    files: Mapped[list[ContestFile]] = relationship(
        foreign_keys=[ContestFile.entry_id], viewonly=True
    )

    def _move(self, allowed: tuple, target: EntryStatus) -> None:
        if self.status not in allowed:
            raise Conflict(_l("This cannot be done with an entry in its current state."))
        self.status = target
        self.updated_at = utcnow()

    def submit(self) -> None:
        self._move((EntryStatus.DRAFT,), EntryStatus.SUBMITTED)
        self.submitted_at = utcnow()

    def withdraw(self) -> None:
        self._move((EntryStatus.DRAFT, EntryStatus.SUBMITTED), EntryStatus.WITHDRAWN)

    def edit(self) -> None:
        """Back to a draft, so that a submitted entry can be changed before the deadline."""
        self._move((EntryStatus.SUBMITTED, EntryStatus.WITHDRAWN), EntryStatus.DRAFT)

    def reject(self, reason: str) -> None:
        self._move((EntryStatus.SUBMITTED,), EntryStatus.REJECTED)
        self.rejection_reason = reason

    @property
    def is_editable(self) -> bool:
        return self.status == EntryStatus.DRAFT


class Assignment(db.Model):
    """A juror's task to score an entry; declining for a conflict of interest ends it."""

    __tablename__ = "assignment"
    __table_args__ = (sa.UniqueConstraint("entry_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entry.id"), index=True)
    juror_id: Mapped[int] = mapped_column(sa.ForeignKey("juror.id"), index=True)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    conflict_reason: Mapped[str] = mapped_column(sa.Text, default="")
    conflict_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[Entry] = relationship()
    juror: Mapped[Juror] = relationship()
    scores: Mapped[list["Score"]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.conflict_at is None

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class Score(db.Model):
    __tablename__ = "score"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignment.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criterion.id"), index=True)
    value: Mapped[Decimal | None] = mapped_column(SCORE)
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    assignment: Mapped[Assignment] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()
