"""Computed indicators of a form: arithmetic over numeric answers, with an optional norm."""

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import TimestampMixin
from app.extensions import db
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

    form: Mapped[Form] = relationship()
