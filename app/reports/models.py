"""Computed indicators of a form (arithmetic over numeric answers, with an optional norm), the
suspicious values staff confirmed, and a district's own template of the справка."""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.campaigns.models import Campaign, Response
from app.db import JSONType, TimestampMixin, UTCDateTime, utcnow
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.models import Form


class Indicator(TimestampMixin, db.Model):
    __tablename__ = "indicator"
    __table_args__ = (sa.UniqueConstraint("form_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(sa.ForeignKey("form.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(300))
    formula: Mapped[str] = mapped_column(sa.String(2000))
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    # Schools whose value is below (or above) the threshold are listed as "below the norm".
    threshold: Mapped[Decimal | None] = mapped_column(sa.Numeric(20, 6))
    threshold_direction: Mapped[str] = mapped_column(sa.String(10), default="below")
    # A value outside this range is impossible, so the report lists it for checking.
    plausible_min: Mapped[Decimal | None] = mapped_column(sa.Numeric(20, 6))
    plausible_max: Mapped[Decimal | None] = mapped_column(sa.Numeric(20, 6))

    form: Mapped[Form] = relationship()


class CheckedValue(db.Model):
    """A suspicious value staff confirmed with the school: it holds while the value is this one.

    ``key`` is a question's key, a table cell's ``<table>.<column>#<row>`` or
    ``indicator:<key>``; ``value`` is the value confirmed, written
    with six decimals (an indicator may exceed what a numeric column holds)."""

    __tablename__ = "checked_value"
    __table_args__ = (sa.UniqueConstraint("response_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(80))
    value: Mapped[str] = mapped_column(sa.String(80))
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    campaign: Mapped[Campaign] = relationship()
    response: Mapped[Response] = relationship()
    checked_by: Mapped[User | None] = relationship()


class ReportTemplate(TimestampMixin, db.Model):
    """A district's own .docx for a kind of document — its справка (letterhead, styles,
    signature block), its diploma, certificate or thank-you letter — kept as an upload; the
    nearest one of the kind up the organization tree is used."""

    __tablename__ = "report_template"
    __table_args__ = (sa.UniqueConstraint("organization_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    # "spravka", or a kind of certificate page (app.certificates.documents.KINDS).
    kind: Mapped[str] = mapped_column(sa.String(20), default="spravka", server_default="spravka")
    stored_name: Mapped[str] = mapped_column(sa.String(64))
    original_name: Mapped[str] = mapped_column(sa.String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)

    organization: Mapped[Organization] = relationship()
    uploaded_by: Mapped[User | None] = relationship()


class ReportRevision(db.Model):
    """A counter of changes to what campaign reports count, one per scope of change:
    ``campaign:<id>`` (its responses, answers, confirmations, dates), ``form:<id>`` (its
    indicators), ``organizations`` (names, places, the tree) and ``responses`` (answer rows
    written by a statement whose campaign is not known). Bumped by app.reports.revisions."""

    __tablename__ = "report_revision"

    scope: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    revision: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class ReportCache(db.Model):
    """The figures of one campaign's report page for one filter and one viewer's scope
    (``key``), as of ``revision`` (app.reports.revisions); ``payload`` is their JSON
    (app.reports.cache). ``viewer`` is the last person who viewed them, whose scope a
    background recomputation uses."""

    __tablename__ = "report_cache"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(64))
    scope: Mapped[str] = mapped_column(sa.String(600))
    # The filter's fields, page and breakdown, to compute them again.
    request: Mapped[dict] = mapped_column(JSONType, default=dict)
    viewer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revision: Mapped[str] = mapped_column(sa.String(120))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[str] = mapped_column(sa.Text)

    campaign: Mapped[Campaign] = relationship()
    viewer: Mapped[User | None] = relationship()
