"""The roadmap's rules: who reads and keeps it, activities with their periods read as dates,
statuses (overdue computed in the district's timezone), evidence, progress, a copy for the next
academic year."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.audit import services as audit
from app.campaigns.models import Campaign
from app.compendium.models import Compendium
from app.contests.models import Contest
from app.core.errors import DomainError, Forbidden, NotFound
from app.core.uploads import store_upload, upload_folder
from app.extensions import db
from app.organizations.scope import can_manage, can_see, subtree_clause
from app.roadmap.models import Activity, Evidence, EvidenceKind, Roadmap, RoadmapSection, Status
from app.roadmap.periods import impossible_date, next_year_text, period_dates

READERS = (Role.ADMIN, Role.VIEWER)
ITEM_FIELDS = ("number", "title", "period", "responsible", "document_type", "expected_results")


# Who reads and keeps a roadmap


def visible_query(user: User) -> sa.Select:
    if user.role not in READERS:
        raise Forbidden(_l("The roadmap is kept by the district office."))
    return (
        sa.select(Roadmap)
        .join(Roadmap.organization)
        .where(subtree_clause(user))
        .order_by(Roadmap.year.desc(), Roadmap.id.desc())
    )


def get_visible(user: User, roadmap_id: int) -> Roadmap:
    if user.role not in READERS:
        raise Forbidden(_l("The roadmap is kept by the district office."))
    roadmap = db.session.get(Roadmap, roadmap_id)
    if roadmap is None or not can_see(user, roadmap.organization):
        raise NotFound(_l("Roadmap not found."))
    return roadmap


def can_edit(user: User, roadmap: Roadmap) -> bool:
    return can_manage(user, roadmap.organization)


def get_editable(user: User, roadmap_id: int) -> Roadmap:
    roadmap = get_visible(user, roadmap_id)
    if not can_edit(user, roadmap):
        raise Forbidden(_l("Only district staff keep the roadmap."))
    return roadmap


def get_item(roadmap: Roadmap, item_id: int) -> Activity:
    item = db.session.get(Activity, item_id)
    if item is None or item.roadmap_id != roadmap.id:
        raise NotFound(_l("Activity not found."))
    return item


def _log(user: User, action: str, roadmap: Roadmap, label: str = "", **changes) -> None:
    audit.record(action, roadmap, actor=user, object_type="roadmap",
                 label=label or roadmap.title, organization=roadmap.organization,
                 **changes)  # fmt: skip


# Building a roadmap


def create_roadmap(user: User, title: str, year: int) -> Roadmap:
    if user.role != Role.ADMIN:
        raise Forbidden(_l("Only district staff keep the roadmap."))
    if not 2000 <= year <= 2100:
        raise DomainError(_l("Enter the first year of the academic year, such as 2024."), "year")
    roadmap = Roadmap(organization=user.organization, title=" ".join(title.split()), year=year)
    db.session.add(roadmap)
    db.session.flush()
    _log(user, "create", roadmap)
    return roadmap


def section_named(roadmap: Roadmap, title: str) -> RoadmapSection:
    """The roadmap's section of that title, made when missing."""
    title = " ".join(title.split())
    for section in roadmap.sections:
        if section.title.casefold() == title.casefold():
            return section
    section = RoadmapSection(roadmap=roadmap, title=title, position=len(roadmap.sections) + 1)
    db.session.add(section)
    return section


def _set_item(roadmap: Roadmap, item: Activity, fields: dict, section_title: str) -> None:
    clash = next(
        (
            other
            for other in roadmap.items
            if other.number == fields["number"] and other is not item
        ),
        None,
    )
    if clash is not None:
        raise DomainError(_l("Activity No. %(number)s already exists.", number=clash.number),
                          "number")  # fmt: skip
    if wrong := impossible_date(fields["period"]):
        raise DomainError(_l("The period names a date that does not exist: %(date)s.",
                             date=wrong), "period")  # fmt: skip
    for name in ITEM_FIELDS:
        setattr(item, name, fields[name])
    item.starts_on, item.ends_on = period_dates(item.period, roadmap.year)
    item.section = section_named(roadmap, section_title) if section_title else None


def add_item(user: User, roadmap: Roadmap, fields: dict, section_title: str) -> Activity:
    item = Activity()
    with db.session.no_autoflush:
        _set_item(roadmap, item, fields, section_title)
        item.roadmap = roadmap
    db.session.add(item)
    db.session.flush()
    _log(user, "add_activity", roadmap, after={"number": item.number, "title": item.title[:200]})
    return item


def update_item(user: User, roadmap: Roadmap, item: Activity, fields: dict, section: str) -> None:
    before = audit.snapshot(item, ("number", "period", "responsible", "document_type"))
    _set_item(roadmap, item, fields, section)
    after = audit.snapshot(item, ("number", "period", "responsible", "document_type"))
    before, after = audit.changed(before, after)
    if after:
        _log(user, "update_activity", roadmap, before=before, after=after)


def set_status(user: User, roadmap: Roadmap, item: Activity, status: Status, done_on: date | None,
               note: str, today: date) -> None:  # fmt: skip
    if status == Status.DONE:
        done_on = done_on or today
        if done_on > today:
            raise DomainError(_l("The date cannot be in the future."), "done_on")
    else:
        done_on = None
    before = {"status": item.status.value}
    item.status, item.done_on, item.result_note = status, done_on, note
    _log(user, "activity_status", roadmap, label=f"{roadmap.title}: {item.number}",
         before=before, after={"status": status.value})  # fmt: skip


# Evidence


def add_evidence(
    user: User, roadmap: Roadmap, item: Activity, kind: EvidenceKind, fields: dict
) -> Evidence:
    """``fields``: campaign_id, contest_id, compendium_id, url, upload (a file) and note, as
    the kind needs."""
    note = fields.get("note", "")
    evidence = Evidence(kind=kind, note=note, added_by=user)
    if kind == EvidenceKind.CAMPAIGN:
        evidence.campaign = _owned(user, Campaign, fields.get("campaign_id"), "campaign_id")
    elif kind == EvidenceKind.CONTEST:
        evidence.contest = _owned(user, Contest, fields.get("contest_id"), "contest_id")
    elif kind == EvidenceKind.COMPENDIUM:
        found = _owned(user, Compendium, fields.get("compendium_id"), "compendium_id")
        evidence.compendium = found
    elif kind == EvidenceKind.URL:
        url = fields.get("url", "")
        if not url.startswith(("https://", "http://")):
            raise DomainError(_l("Enter a link that begins with https://."), "url")
        evidence.url = url
    else:
        upload = fields.get("upload")
        if upload is None:
            raise DomainError(_l("Choose a file."), "file")
        stored = store_upload(upload, "file")
        evidence.stored_name, evidence.original_name = stored.stored_name, stored.original_name
    evidence.item = item
    db.session.add(evidence)
    db.session.flush()
    _log(user, "add_evidence", roadmap, label=f"{roadmap.title}: {item.number}",
         after={"kind": kind.value, "note": note})  # fmt: skip
    return evidence


def _owned(user: User, model, object_id, field: str):
    found = db.session.get(model, object_id) if object_id else None
    if found is None or not can_see(user, found.organization):
        raise DomainError(_l("Choose from the list."), field)
    return found


def evidence_choices(user: User) -> tuple[list[Campaign], list[Contest], list[Compendium]]:
    """The monitorings, contests and сборники an activity may point to: those the user can
    see."""
    campaigns = db.session.scalars(
        sa.select(Campaign).join(Campaign.organization).where(subtree_clause(user))
        .order_by(Campaign.id.desc())
    ).all()  # fmt: skip
    contests = db.session.scalars(
        sa.select(Contest).join(Contest.organization).where(subtree_clause(user))
        .order_by(Contest.id.desc())
    ).all()  # fmt: skip
    compendia = db.session.scalars(
        sa.select(Compendium).join(Compendium.organization).where(subtree_clause(user))
        .order_by(Compendium.id.desc())
    ).all()  # fmt: skip
    return campaigns, contests, compendia


def get_evidence(item: Activity, evidence_id: int) -> Evidence:
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.item_id != item.id:
        raise NotFound(_l("Evidence not found."))
    return evidence


def delete_evidence(user: User, roadmap: Roadmap, item: Activity, evidence: Evidence) -> None:
    if evidence.stored_name:
        (upload_folder() / evidence.stored_name).unlink(missing_ok=True)
    _log(user, "delete_evidence", roadmap, label=f"{roadmap.title}: {item.number}",
         before={"kind": evidence.kind.value, "note": evidence.note})  # fmt: skip
    db.session.delete(evidence)


# Progress


@dataclass
class Progress:
    title: str
    total: int
    done: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(roadmap: Roadmap, today: date) -> tuple[Progress, list[Progress]]:
    """Done and overdue activities in all and per section."""
    per_section: dict[str, list[Activity]] = defaultdict(list)
    for item in roadmap.items:
        per_section[item.section.title if item.section else ""].append(item)

    def count(title: str, items: list[Activity]) -> Progress:
        done = sum(item.status == Status.DONE for item in items)
        return Progress(title, len(items), done, sum(item.overdue(today) for item in items))

    sections = [
        count(s.title, per_section[s.title]) for s in roadmap.sections if per_section[s.title]
    ]
    return count(roadmap.title, list(roadmap.items)), sections


def due_this_month(roadmap: Roadmap, today: date) -> list[Activity]:
    """Activities not done whose period ends this calendar month and has not ended yet."""
    return [
        item for item in roadmap.items
        if item.status != Status.DONE and (item.ends_on.year, item.ends_on.month)
        == (today.year, today.month) and item.ends_on >= today
    ]  # fmt: skip


# The next year


def copy_to_next_year(user: User, roadmap: Roadmap) -> Roadmap:
    """The same sections and activities for the next academic year, periods read again for
    it, statuses planned and no evidence."""
    title = roadmap.title.replace(roadmap.year_label, f"{roadmap.year + 1}–{roadmap.year + 2}")
    copy = create_roadmap(user, title, roadmap.year + 1)
    for item in roadmap.items:
        fields = {name: getattr(item, name) for name in ITEM_FIELDS}
        fields["period"] = next_year_text(item.period)
        add_item(user, copy, fields, item.section.title if item.section else "")
    return copy
