"""The сборник's rules: who keeps and reads it, its sections and their order, the practices
added from a contest (its winners and prize-winners, or chosen entries) or a monitoring
(chosen submitted or accepted responses), their order and what each prints."""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.audit import services as audit
from app.campaigns.models import Response
from app.compendium.answers import questions, text_questions
from app.compendium.models import Compendium, CompendiumSection, Practice
from app.contests.models import Entry
from app.core.errors import Conflict, DomainError, Forbidden, NotFound
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import can_manage, can_see, subtree_clause

READERS = (Role.ADMIN, Role.VIEWER)
TITLE = "Сборник инновационных практик педагогов-библиотекарей"
TITLE_WORDS = ("назван", "тема")
AUTHOR_WORDS = ("автор", "фио")
DISTRICT = re.compile(r"\b[А-ЯЁ][а-яё]+ского (?:района|улуса|округа)\b")


# Who keeps and reads it


def visible_query(user: User) -> sa.Select:
    if user.role not in READERS:
        raise Forbidden(_l("Collections of practices are kept by the district office."))
    return (
        sa.select(Compendium)
        .join(Compendium.organization)
        .where(subtree_clause(user))
        .order_by(Compendium.year.desc(), Compendium.id.desc())
    )


def get_visible(user: User, compendium_id: int) -> Compendium:
    if user.role not in READERS:
        raise Forbidden(_l("Collections of practices are kept by the district office."))
    compendium = db.session.get(Compendium, compendium_id)
    if compendium is None or not can_see(user, compendium.organization):
        raise NotFound(_l("Collection not found."))
    return compendium


def can_edit(user: User, compendium: Compendium) -> bool:
    return can_manage(user, compendium.organization)


def get_editable(user: User, compendium_id: int) -> Compendium:
    compendium = get_visible(user, compendium_id)
    if not can_edit(user, compendium):
        raise Forbidden(_l("Only district staff compile collections of practices."))
    return compendium


def _log(user: User, action: str, compendium: Compendium, **changes) -> None:
    audit.record(action, compendium, actor=user, object_type="compendium",
                 label=compendium.title, organization=compendium.organization,
                 **changes)  # fmt: skip


def default_title(organization: Organization) -> str:
    """«Сборник … Нюрбинского района» when the office's name says whose district it is."""
    found = DISTRICT.search(organization.name)
    return f"{TITLE} {found.group(0)}" if found else TITLE


# The сборник itself


@dataclass
class Settings:
    title: str
    year: int
    introduction: str = ""


def _apply(compendium: Compendium, settings: Settings) -> None:
    title = " ".join(settings.title.split())
    if not title:
        raise DomainError(_l("Fill in this field."), "title")
    if not 2000 <= settings.year <= 2100:
        raise DomainError(_l("Enter a year such as 2024."), "year")
    compendium.title, compendium.year = title, settings.year
    compendium.introduction = settings.introduction.strip()


def create_compendium(user: User, settings: Settings) -> Compendium:
    if user.role != Role.ADMIN:
        raise Forbidden(_l("Only district staff compile collections of practices."))
    compendium = Compendium(organization=user.organization, created_by=user)
    _apply(compendium, settings)
    db.session.add(compendium)
    db.session.flush()
    _log(user, "create", compendium)
    return compendium


def update_compendium(user: User, compendium: Compendium, settings: Settings) -> None:
    before = audit.snapshot(compendium, ("title", "year"))
    _apply(compendium, settings)
    before, after = audit.changed(before, audit.snapshot(compendium, ("title", "year")))
    _log(user, "update", compendium, before=before, after=after)


def delete_compendium(user: User, compendium: Compendium) -> None:
    _log(user, "delete", compendium, before={"practices": len(compendium.items)})
    db.session.delete(compendium)


# Sections


def get_section(compendium: Compendium, section_id) -> CompendiumSection:
    section = db.session.get(CompendiumSection, section_id) if section_id else None
    if section is None or section.compendium_id != compendium.id:
        raise NotFound(_l("Section not found."))
    return section


def add_section(user: User, compendium: Compendium, title: str) -> CompendiumSection:
    title = " ".join(title.split())
    if not title:
        raise DomainError(_l("Fill in this field."), "title")
    position = max((s.position for s in compendium.sections), default=0) + 1
    section = CompendiumSection(compendium=compendium, title=title, position=position)
    db.session.add(section)
    db.session.flush()
    _log(user, "add_section", compendium, after={"section": title})
    return section


def rename_section(user: User, section: CompendiumSection, title: str) -> None:
    title = " ".join(title.split())
    if not title:
        raise DomainError(_l("Fill in this field."), "title")
    before, section.title = section.title, title
    _log(user, "rename_section", section.compendium, before={"section": before},
         after={"section": title})  # fmt: skip


def delete_section(user: User, section: CompendiumSection) -> None:
    compendium = section.compendium
    _log(user, "delete_section", compendium,
         before={"section": section.title, "practices": len(section.items)})  # fmt: skip
    compendium.sections.remove(section)


def _swap(siblings: list, moved, step: int) -> bool:
    """Swaps ``moved`` with its neighbour ``step`` away, renumbering the list; False at an end."""
    index = siblings.index(moved)
    other = index + step
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, 1):
        sibling.position = position
    return True


def move_section(user: User, section: CompendiumSection, step: int) -> None:
    compendium = section.compendium
    if not _swap(list(compendium.sections), section, step):
        raise Conflict(_l("The section is already at the edge."))
    db.session.expire(compendium, ["sections"])
    _log(user, "move_section", compendium, after={"section": section.title, "step": step})


# Adding practices


def section_for(user: User, compendium: Compendium, section_id, new_title: str):
    """The chosen section, or a new one of ``new_title`` when none is chosen."""
    if section_id:
        return get_section(compendium, section_id)
    if not new_title.strip():
        raise DomainError(_l("Type the title of the new section."), "new_section")
    return add_section(user, compendium, new_title)


def _default_keys(practice: Practice) -> None:
    """What a new practice prints until staff choose: the first long text as its annotation and
    every other worded answer, except the questions that give its title and names its authors.
    A response has no title of its own nor a marked authors question: the first line question
    whose label speaks of a title, and of authors, stands in."""
    worded = text_questions(practice)
    taken = {q["key"] for q in questions(practice) if q.get("authors")}
    if practice.response is not None:
        practice.title_key = _labelled(worded, TITLE_WORDS, taken)
        taken.add(practice.title_key)
        practice.authors_key = _labelled(worded, AUTHOR_WORDS, taken)
        taken.add(practice.authors_key)
    practice.annotation_key = next(
        (q["key"] for q in worded if q["type"] == "textarea" and q["key"] not in taken), ""
    )
    taken.add(practice.annotation_key)
    practice.answer_keys = [q["key"] for q in worded if q["key"] not in taken]


def _labelled(worded: list[dict], words: tuple[str, ...], taken: set[str]) -> str:
    return next((q["key"] for q in worded if q["key"] not in taken
                 and any(word in q["label"].casefold() for word in words)), "")  # fmt: skip


def _append(section: CompendiumSection, **source) -> Practice:
    practice = Practice(**source)
    position = max((p.position for p in section.items), default=0) + 1
    practice.position = position
    section.items.append(practice)
    _default_keys(practice)
    return practice


def add_entries(user: User, compendium: Compendium, section: CompendiumSection,
                entries: list[Entry]) -> list[Practice]:  # fmt: skip
    return _add_sources(user, compendium, section, "entry", entries)


def add_responses(user: User, compendium: Compendium, section: CompendiumSection,
                  responses: list[Response]) -> list[Practice]:  # fmt: skip
    return _add_sources(user, compendium, section, "response", responses)


def _add_sources(user: User, compendium: Compendium, section: CompendiumSection, kind: str,
                 sources: list) -> list[Practice]:  # fmt: skip
    """Practices of the entries or responses (``kind``) not in the сборник yet, in the given
    order."""
    present = {getattr(practice, f"{kind}_id") for practice in compendium.items}
    added = [_append(section, **{kind: source}) for source in sources if source.id not in present]
    db.session.flush()
    _log(user, "add_practices", compendium, after={kind: [p.source.id for p in added]})
    return added


# One practice


def get_practice(compendium: Compendium, practice_id: int) -> Practice:
    practice = db.session.get(Practice, practice_id)
    if practice is None or practice.section.compendium_id != compendium.id:
        raise NotFound(_l("Practice not found."))
    return practice


@dataclass
class Printing:
    title: str = ""
    title_key: str = ""
    annotation_key: str = ""
    annotation: str = ""
    authors_key: str = ""
    authors: str = ""
    answer_keys: tuple = ()
    with_pictures: bool = True


def set_printing(user: User, practice: Practice, printing: Printing) -> None:
    """What the practice prints; every key must be a question of its form."""
    known = {q["key"] for q in questions(practice)}
    worded = {q["key"] for q in text_questions(practice)}
    for field in ("title_key", "annotation_key", "authors_key"):
        if getattr(printing, field) and getattr(printing, field) not in worded:
            raise DomainError(_l("Choose from the list."), field)
    if not set(printing.answer_keys) <= known:
        raise DomainError(_l("Choose from the list."), "answer_keys")
    if not (printing.title.strip() or printing.title_key or practice.entry is not None):
        raise DomainError(_l("Type the title or choose the question that holds it."), "title")
    for name, value in vars(printing).items():
        setattr(practice, name, value.strip() if isinstance(value, str) else value)
    practice.answer_keys = [k for k in (q["key"] for q in questions(practice))
                            if k in set(printing.answer_keys)]  # fmt: skip
    _log(user, "update_practice", practice.section.compendium, after={"practice": practice.id})


def move_practice(user: User, practice: Practice, step: int) -> None:
    """One place up (-1) or down (+1); past the edge of its section, to the neighbouring
    section's end or start."""
    section = practice.section
    if _swap(list(section.items), practice, step):
        db.session.expire(section, ["items"])
    else:
        sections = list(section.compendium.sections)
        index = sections.index(section) + step
        if not 0 <= index < len(sections):
            raise Conflict(_l("The practice is already at the edge."))
        _into(practice, sections[index], first=step > 0)
    _log(user, "move_practice", section.compendium, after={"practice": practice.id, "step": step})


def move_to_section(user: User, practice: Practice, target: CompendiumSection) -> None:
    if target.id != practice.section_id:
        _into(practice, target, first=False)
    _log(user, "move_practice", target.compendium,
         after={"practice": practice.id, "section": target.title})  # fmt: skip


def _into(practice: Practice, target: CompendiumSection, *, first: bool) -> None:
    source = practice.section
    with db.session.no_autoflush:
        items = [item for item in target.items if item is not practice]
        items.insert(0 if first else len(items), practice)
        left = [item for item in source.items if item is not practice]
        practice.section = target
        for ordered in (items, left):
            for position, item in enumerate(ordered, 1):
                item.position = position
    db.session.flush()
    db.session.expire(source, ["items"])
    db.session.expire(target, ["items"])


def remove_practice(user: User, practice: Practice) -> None:
    section = practice.section
    _log(user, "remove_practice", section.compendium, before={"practice": practice.id})
    section.items.remove(practice)
