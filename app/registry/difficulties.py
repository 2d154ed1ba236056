"""The map of professional difficulties (roadmap item 5): a district keeps the list of topics,
each person marks theirs, the district counts them per topic and per school to plan its
seminars (item 11). The map holds counts only, so viewers may read it too."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.audit import services as audit
from app.core.errors import DomainError, Forbidden, NotFound
from app.extensions import db
from app.organizations.models import Organization, OrganizationKind
from app.organizations.scope import subtree_clause
from app.registry.models import DifficultyTopic, LibrarianRecord, record_difficulty


def _ancestor_ids(organization: Organization) -> list[int]:
    return [int(part) for part in organization.path.strip("/").split("/") if part]


def topics_for(organization: Organization, *, active_only: bool = True) -> list[DifficultyTopic]:
    """The topics kept by the organization or the offices above it, in their order."""
    statement = sa.select(DifficultyTopic).where(
        DifficultyTopic.organization_id.in_(_ancestor_ids(organization))
    )
    if active_only:
        statement = statement.where(DifficultyTopic.is_active.is_(True))
    return db.session.scalars(
        statement.order_by(DifficultyTopic.position, DifficultyTopic.id)
    ).all()


def managed_topics(user: User) -> list[DifficultyTopic]:
    """The topics the user's office keeps, hidden ones included."""
    return db.session.scalars(
        sa.select(DifficultyTopic)
        .where(DifficultyTopic.organization_id == user.organization_id)
        .order_by(DifficultyTopic.position, DifficultyTopic.id)
    ).all()


def _require_staff(user: User) -> None:
    if user.role != Role.ADMIN:
        raise Forbidden(_l("The district office keeps the list of topics."))


def get_managed_topic(user: User, topic_id: int) -> DifficultyTopic:
    _require_staff(user)
    topic = db.session.get(DifficultyTopic, topic_id)
    if topic is None or topic.organization_id != user.organization_id:
        raise NotFound(_l("Topic not found."))
    return topic


def _check_title(user: User, title: str, topic: DifficultyTopic | None = None) -> str:
    """The title with single spaces; unique in the office whatever the case (compared here:
    SQLite's lower() knows only Latin letters)."""
    title = " ".join(title.split())
    clashes = [
        other
        for other in managed_topics(user)
        if other.title.casefold() == title.casefold() and other is not topic
    ]
    if clashes:
        raise DomainError(_l("There is already a topic with this title."), "title")
    return title


def add_topic(user: User, title: str) -> DifficultyTopic:
    _require_staff(user)
    last = db.session.scalar(
        sa.select(sa.func.max(DifficultyTopic.position)).where(
            DifficultyTopic.organization_id == user.organization_id
        )
    )
    topic = DifficultyTopic(
        organization_id=user.organization_id,
        title=_check_title(user, title),
        position=(last or 0) + 1,
    )
    db.session.add(topic)
    db.session.flush()
    audit.record("create", topic, actor=user, object_type="difficulty_topic",
                 label=topic.title, organization=user.organization)  # fmt: skip
    return topic


def update_topic(user: User, topic: DifficultyTopic, title: str, active: bool) -> None:
    before = audit.snapshot(topic, ("title", "is_active"))
    topic.title = _check_title(user, title, topic)
    topic.is_active = active
    before, after = audit.changed(before, audit.snapshot(topic, ("title", "is_active")))
    if after:
        audit.record("update", topic, actor=user, object_type="difficulty_topic",
                     label=topic.title, organization=user.organization, before=before,
                     after=after)  # fmt: skip


def set_difficulties(record: LibrarianRecord, topic_ids: list[int], note: str) -> None:
    """The person's difficulties: topics offered to their school, and their own words."""
    offered = {topic.id: topic for topic in topics_for(record.organization, active_only=False)}
    unknown = [topic_id for topic_id in topic_ids if topic_id not in offered]
    if unknown:
        raise DomainError(_l("Choose topics from the list."), "difficulties")
    record.difficulties = [offered[topic_id] for topic_id in topic_ids]
    record.difficulties_note = note


def difficulty_map(user: User) -> dict:
    """Counts of the people working now in the user's subtree who marked each topic, in all and
    per school: {"topics", "total", "people", "schools": [(school, people, {topic_id: n})]}."""
    topics = topics_for(user.organization)
    working = sa.and_(
        LibrarianRecord.is_active.is_(True), subtree_clause(user),
        Organization.kind == OrganizationKind.SCHOOL,
    )  # fmt: skip
    marks = db.session.execute(
        sa.select(Organization.id, record_difficulty.c.topic_id, sa.func.count())
        .select_from(LibrarianRecord)
        .join(LibrarianRecord.organization)
        .join(record_difficulty, record_difficulty.c.record_id == LibrarianRecord.id)
        .where(working)
        .group_by(Organization.id, record_difficulty.c.topic_id)
    ).all()
    people = db.session.execute(
        sa.select(Organization, sa.func.count(LibrarianRecord.id))
        .select_from(LibrarianRecord)
        .join(LibrarianRecord.organization)
        .where(working)
        .group_by(Organization.id)
        .order_by(Organization.sort_key)
    ).all()
    per_school: dict[int, dict[int, int]] = {}
    for school_id, topic_id, count in marks:
        per_school.setdefault(school_id, {})[topic_id] = count
    total = {topic.id: sum(s.get(topic.id, 0) for s in per_school.values()) for topic in topics}
    return {
        "topics": topics,
        "total": total,
        "people": sum(count for _school, count in people),
        "schools": [(school, count, per_school.get(school.id, {})) for school, count in people],
    }
