"""Organizations (ОО) form a tree: region → district office → schools."""

from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import SearchableMixin, TimestampMixin, binary_string
from app.extensions import db


class OrganizationKind(StrEnum):
    REGION = "region"
    DISTRICT = "district"
    SCHOOL = "school"
    OTHER = "other"

    @property
    def label(self):
        return KIND_LABELS[self]


KIND_LABELS = {
    OrganizationKind.REGION: _l("Region"),
    OrganizationKind.DISTRICT: _l("District education office"),
    OrganizationKind.SCHOOL: _l("School"),
    OrganizationKind.OTHER: _l("Other organization"),
}


class Organization(SearchableMixin, TimestampMixin, db.Model):
    __tablename__ = "organization"
    __table_args__ = (sa.UniqueConstraint("parent_id", "name"),)
    __search_fields__ = ("name", "short_name", "locality")
    __sort_field__ = "name"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    # "/1/4/17/": the ids from the root down to this node, so a subtree is one prefix match.
    path: Mapped[str] = mapped_column(binary_string(255), default="", index=True)
    kind: Mapped[OrganizationKind] = mapped_column(
        sa.Enum(
            OrganizationKind,
            native_enum=False,
            length=20,
            values_callable=lambda kinds: [kind.value for kind in kinds],
        )
    )
    name: Mapped[str] = mapped_column(sa.String(300))
    short_name: Mapped[str] = mapped_column(sa.String(120), default="")
    locality: Mapped[str] = mapped_column(sa.String(120), default="", index=True)
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped["Organization | None"] = relationship(
        remote_side=[id], back_populates="children"
    )
    children: Mapped[list["Organization"]] = relationship(back_populates="parent")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def is_within(self, ancestor: "Organization") -> bool:
        return self.path.startswith(ancestor.path)

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"
