"""Monitoring campaigns, the response of each organization, and its answers."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.errors import Conflict
from app.db import JSONType, TimestampMixin, UTCDateTime, utcnow
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.models import FormVersion


class Campaign(TimestampMixin, db.Model):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    form_version_id: Mapped[int] = mapped_column(sa.ForeignKey("form_version.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    instructions: Mapped[str] = mapped_column(sa.Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # Closed early by staff (schools can no longer change answers) until reopened.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Cancelled: answers are kept for staff, schools no longer owe it.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Filled by district staff visiting the libraries: schools do not get it as a task.
    filled_on_visits: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    organization: Mapped[Organization] = relationship()
    form_version: Mapped[FormVersion] = relationship()
    responses: Mapped[list["Response"]] = relationship(back_populates="campaign")

    def is_open(self, moment: datetime | None = None) -> bool:
        return self.opens_at <= (moment or utcnow())

    @property
    def is_stopped(self) -> bool:
        """Closed early or cancelled: no school may change its answers."""
        return self.closed_at is not None or self.cancelled_at is not None

    def close(self) -> None:
        if self.is_stopped:
            raise Conflict(_l("The monitoring is already closed or cancelled."))
        self.closed_at = utcnow()

    def reopen(self, closes_at: datetime) -> None:
        if not self.is_stopped:
            raise Conflict(_l("The monitoring is open."))
        self.closed_at = self.cancelled_at = None
        self.closes_at = closes_at

    def cancel(self) -> None:
        if self.cancelled_at is not None:
            raise Conflict(_l("The monitoring is already cancelled."))
        self.cancelled_at = utcnow()


class ResponseStatus(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    ResponseStatus.NOT_STARTED: _l("Not started"),
    ResponseStatus.DRAFT: _l("Draft"),
    ResponseStatus.SUBMITTED: _l("Submitted"),
    ResponseStatus.RETURNED: _l("Returned for revision"),
    ResponseStatus.ACCEPTED: _l("Accepted"),
}

EDITABLE = (ResponseStatus.NOT_STARTED, ResponseStatus.DRAFT, ResponseStatus.RETURNED)


class Response(db.Model):
    """The answer of one organization to one campaign; created when the campaign is sent."""

    __tablename__ = "response"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    status: Mapped[ResponseStatus] = mapped_column(
        sa.Enum(
            ResponseStatus,
            native_enum=False,
            length=20,
            values_callable=lambda kinds: [kind.value for kind in kinds],
        ),
        default=ResponseStatus.NOT_STARTED,
        index=True,
    )
    # The answers as last saved, including a draft's unfinished ones (spec.py shapes).
    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    # Grows with every save: a save based on an older revision would overwrite newer answers.
    revision: Mapped[int] = mapped_column(default=0)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")
    review_keys: Mapped[list] = mapped_column(JSONType, default=list)
    # What to correct in each flagged question: {question key: comment}.
    review_notes: Mapped[dict] = mapped_column(JSONType, default=dict)
    prefilled_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("response.id"))
    prefilled_keys: Mapped[list] = mapped_column(JSONType, default=list)
    # The school said no to taking over earlier answers: the offer is not made again.
    prefill_declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Filled by district staff on the school's behalf during a visit to its library.
    visited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    visited_on: Mapped[date | None]
    # The school's remark on answers given on its behalf, read by staff on the review page.
    school_comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    campaign: Mapped[Campaign] = relationship(back_populates="responses")
    organization: Mapped[Organization] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    visited_by: Mapped[User | None] = relationship(foreign_keys=[visited_by_id])
    prefilled_from: Mapped["Response | None"] = relationship(remote_side=[id])
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )

    @property
    def closes_at(self) -> datetime:
        return self.deadline or self.campaign.closes_at

    def is_overdue(self, moment: datetime | None = None) -> bool:
        return self.status in EDITABLE and (moment or utcnow()) > self.closes_at

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE and not self.campaign.is_stopped

    @property
    def awaits_school(self) -> bool:
        """The school is to fill it in (a monitoring filled during visits is not its task)."""
        return self.is_editable and not self.campaign.filled_on_visits

    @property
    def is_visited(self) -> bool:
        return self.visited_by_id is not None

    def _move(self, allowed: tuple, target: ResponseStatus) -> ResponseStatus:
        if self.status not in allowed:
            raise Conflict(_l("This cannot be done with a response in its current state."))
        before, self.status = self.status, target
        self.updated_at = utcnow()
        return before

    def start(self) -> None:
        self._move((ResponseStatus.NOT_STARTED,), ResponseStatus.DRAFT)
        self.started_at = utcnow()

    def submit(self) -> None:
        self._move((ResponseStatus.DRAFT, ResponseStatus.RETURNED), ResponseStatus.SUBMITTED)
        self.submitted_at = utcnow()

    def recall(self) -> None:
        self._move((ResponseStatus.SUBMITTED,), ResponseStatus.DRAFT)

    def return_for_revision(self, comment: str, notes: dict[str, str]) -> None:
        self._move((ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED), ResponseStatus.RETURNED)
        self.review_comment, self.review_keys, self.review_notes = comment, list(notes), notes
        self.accepted_at = None

    def accept(self) -> None:
        self._move((ResponseStatus.SUBMITTED,), ResponseStatus.ACCEPTED)
        self.accepted_at = utcnow()


class Answer(db.Model):
    """One answered value, typed so that SQL can aggregate it.

    A multiple choice has a row per chosen option, or one row without a choice when the school
    saw it and ticked none (so that it counts among the respondents); a matrix a row per row
    (``part`` is the row code); a table a row per cell (``row_index`` and ``part``, the column
    key).
    """

    __tablename__ = "answer"
    __table_args__ = (
        sa.Index("ix_answer_question_key_value_choice", "question_key", "value_choice"),
        # Reports read one question's answers of one campaign's responses.
        sa.Index("ix_answer_response_id_question_key", "response_id", "question_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(sa.String(64))
    row_index: Mapped[int | None]
    part: Mapped[str | None] = mapped_column(sa.String(64))
    value_text: Mapped[str | None] = mapped_column(sa.Text)
    value_number: Mapped[Decimal | None] = mapped_column(sa.Numeric(20, 6))
    value_date: Mapped[date | None]
    value_choice: Mapped[str | None] = mapped_column(sa.String(64))

    response: Mapped[Response] = relationship(back_populates="answers")


class ResponseFile(db.Model):
    """A file attached as an answer; stored under instance/uploads with a random name."""

    __tablename__ = "response_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id"), index=True)
    question_key: Mapped[str] = mapped_column(sa.String(64))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    response: Mapped[Response] = relationship()
