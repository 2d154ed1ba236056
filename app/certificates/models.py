"""What a district office prints on its certificates: its emblem, the signature of its head and
the head's name and position. The nearest settings up the organization tree are used."""

from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import TimestampMixin, string_enum
from app.extensions import db
from app.organizations.models import Organization


class DiplomaSigner(StrEnum):
    CHAIR = "chair"
    HEAD = "head"

    @property
    def label(self):
        return SIGNER_LABELS[self]


SIGNER_LABELS = {
    DiplomaSigner.CHAIR: _l("The chair of the jury (signs by hand)"),
    DiplomaSigner.HEAD: _l("The head of the organization (with the signature image)"),
}


class DocumentSettings(TimestampMixin, db.Model):
    __tablename__ = "document_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), unique=True)
    # Stored uploads (instance/uploads), PNG or JPEG checked by Pillow.
    emblem_name: Mapped[str | None] = mapped_column(sa.String(64))
    signature_name: Mapped[str | None] = mapped_column(sa.String(64))
    head_name: Mapped[str] = mapped_column(sa.String(200), default="")
    head_position: Mapped[str] = mapped_column(sa.String(300), default="")
    diplomas_signed_by: Mapped[DiplomaSigner] = mapped_column(
        string_enum(DiplomaSigner), default=DiplomaSigner.CHAIR
    )

    organization: Mapped[Organization] = relationship()
