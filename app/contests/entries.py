"""Entries: a school (or staff on its behalf) fills the application form, attaches materials,
submits before the deadline, may withdraw or edit until then; staff may reject with a reason."""

from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, selectinload

from app.accounts.models import Role, User
from app.audit import services as audit
from app.campaigns.responses import StaleSave
from app.contests.access import can_enter, can_manage_contest, can_read_rules, can_see_entry
from app.contests.models import Contest, ContestFile, Entry, EntryStatus, Phase
from app.contests.services import get_nomination
from app.core import revisions
from app.core.errors import Conflict, DomainError, Forbidden, NotFound
from app.core.text import fold
from app.core.uploads import store_upload, upload_folder
from app.db import utcnow
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.attachments import Uploaded, check_own_files
from app.questionnaires.conditions import all_questions
from app.questionnaires.definition import version_definition
from app.questionnaires.validation import (
    default_answers,
    draft_answers,
    sanitize_answers,
    validate_answers,
)


class InvalidEntry(DomainError):
    def __init__(self, errors: dict):
        super().__init__(_l("The application has errors; they are marked beside the answers."))
        self.errors = errors


class AlreadySubmitted(Conflict):
    """The entry was submitted already by this very revision (a double click, or a retry after
    the reply was lost); nothing is recorded twice."""

    def __init__(self):
        super().__init__(
            _l("The entry was already submitted to the contest; the repeated submission changed"
               " nothing.")
        )  # fmt: skip


def definition_of(entry: Entry) -> dict:
    return version_definition(entry.contest.form_version)


def open_contests(user: User) -> list[Contest]:
    """The contests a school may enter or has entered, newest first."""
    statement = (
        sa.select(Contest)
        .join(Contest.organization)
        .where(
            sa.literal(user.organization.path).startswith(Organization.path),
            Contest.phase != Phase.DRAFT,
        )
        .order_by(Contest.entries_close_at.desc())
    )
    return [contest for contest in db.session.scalars(statement) if can_enter(user, contest)]


def school_entries(user: User, contest: Contest | None = None) -> list[Entry]:
    statement = sa.select(Entry).where(Entry.organization_id == user.organization_id)
    if contest is not None:
        statement = statement.where(Entry.contest_id == contest.id)
    return list(db.session.scalars(statement.order_by(Entry.created_at.desc())))


def entries_query(
    contest: Contest, *, nomination_id: int | None = None, status: str = "", search: str = ""
) -> sa.Select:
    """The contest's entries by nomination and number; ``search`` finds the organization."""
    statement = (
        sa.select(Entry)
        .join(Entry.organization)
        .where(Entry.contest_id == contest.id)
        .order_by(Entry.nomination_id, Entry.number)
        .options(contains_eager(Entry.organization), selectinload(Entry.nomination))
    )
    if nomination_id is not None:
        statement = statement.where(Entry.nomination_id == nomination_id)
    if status:
        statement = statement.where(Entry.status == status)
    if search.strip():
        statement = statement.where(Organization.search_key.contains(fold(search), autoescape=True))
    return statement


def counts_by_status(contest: Contest) -> dict[str, int]:
    statement = (
        sa.select(Entry.status, sa.func.count())
        .where(Entry.contest_id == contest.id)
        .group_by(Entry.status)
    )
    return {status.value: count for status, count in db.session.execute(statement)}


def get_contest_to_enter(user: User, contest_id: int) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None or not can_enter(user, contest):
        raise NotFound(_l("Contest not found."))
    return contest


def get_visible(user: User, entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id)
    if entry is None or not can_see_entry(user, entry):
        raise NotFound(_l("Entry not found."))
    return entry


def _can_act_for(user: User, entry: Entry) -> bool:
    if user.role == Role.SCHOOL:
        return entry.organization_id == user.organization_id
    return can_manage_contest(user, entry.contest)


def check_can_change(user: User, entry: Entry) -> None:
    """The entrant until the deadline; staff (registering on the entrant's behalf) while the
    contest accepts entries."""
    if not _can_act_for(user, entry):
        raise Forbidden(_l("Only the participant or the district office changes an entry."))
    entry.nomination.check_open()
    contest = entry.contest
    if user.role == Role.SCHOOL and not contest.accepts_entries():
        raise Conflict(_l("The contest does not accept entries now."))
    if contest.phase != Phase.ACCEPTING:
        raise Conflict(_l("The contest does not accept entries now."))


def create_entry(
    user: User, contest: Contest, nomination_id: int, title: str, organization_id: int | None = None
) -> Entry:
    """A school's new draft; staff name the participant organization."""
    if user.role == Role.SCHOOL:
        if not can_enter(user, contest):
            raise Forbidden(_l("Your organization cannot enter this contest."))
        organization = user.organization
    else:
        organization = _participant(user, contest, organization_id)
    nomination = get_nomination(contest, nomination_id)
    number = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Entry.number), 0)).where(
            Entry.contest_id == contest.id
        )
    )
    entry = Entry(
        contest=contest,
        nomination=nomination,
        organization=organization,
        number=number + 1,
        title=title.strip(),
        created_by_id=user.id,
    )
    if not entry.title:
        raise DomainError(_l("Give the entry a title."), "title")
    db.session.add(entry)
    db.session.flush()
    check_can_change(user, entry)  # the caller rolls back the new entry if refused
    _log(user, entry, "create")
    return entry


def _participant(user: User, contest: Contest, organization_id: int | None) -> Organization:
    if not can_manage_contest(user, contest):
        raise Forbidden(_l("Only district staff register entries for participants."))
    organization = db.session.get(Organization, organization_id or 0)
    if organization is None or not organization.is_within(contest.organization):
        raise DomainError(_l("Choose the participant organization."), "organization_id")
    if not contest.open_to_all and organization not in contest.eligible:
        raise DomainError(_l("This organization is not among the contest's participants."),
                          "organization_id")  # fmt: skip
    return organization


def _entry_files(entry: Entry, keys: list[str]) -> dict[int, Uploaded]:
    """The files uploaded to this entry for these questions."""
    statement = sa.select(
        ContestFile.id, ContestFile.question_key, ContestFile.original_name
    ).where(ContestFile.entry_id == entry.id, ContestFile.question_key.in_(keys))
    return {
        row.id: Uploaded(row.question_key, row.original_name)
        for row in db.session.execute(statement)
    }


def save_draft(user: User, entry: Entry, answers: dict, revision: int, title: str = "") -> dict:
    """Stores the answers as typed, with the server's calculations and read-only values (see
    ``draft_answers``); returns the problems found so far (not blocking)."""
    check_can_change(user, entry)
    if not entry.is_editable:
        raise Conflict(_l("The entry is submitted; take it back to edit it."))
    if revision != entry.revision:
        raise StaleSave(entry)
    definition = definition_of(entry)
    answers = sanitize_answers(definition, answers)
    answers = check_own_files(definition, answers, lambda keys: _entry_files(entry, keys))
    stored = entry.data or {}
    if not stored:  # the first save: the defaults under what was typed
        stored = default_answers(definition)
        answers = {**stored, **answers}
    entry.data, errors = draft_answers(definition, answers, stored)
    if title.strip():
        entry.title = title.strip()[:300]
    entry.revision += 1
    entry.updated_at = utcnow()
    return errors


def submit(user: User, entry: Entry, revision: int) -> None:
    """Submits the answers of ``revision``; raises ``AlreadySubmitted`` when exactly that
    revision was submitted already (a submission moves the revision on by one)."""
    _check_not_submitted(entry, revision)
    check_can_change(user, entry)
    if revision != entry.revision:
        raise StaleSave(entry)
    clean, errors = validate_answers(definition_of(entry), entry.data or {}, complete=True)
    if errors:
        raise InvalidEntry(errors)
    _claim_revision(entry, revision)
    entry.data = clean
    entry.submit()
    _log(user, entry, "submit")


def _check_not_submitted(entry: Entry, revision: int) -> None:
    if entry.status == EntryStatus.SUBMITTED and revision == entry.revision - 1:
        raise AlreadySubmitted()


def _claim_revision(entry: Entry, revision: int) -> None:
    if not revisions.claim(entry, revision):
        _check_not_submitted(entry, revision)
        raise StaleSave(entry)


def withdraw(user: User, entry: Entry) -> None:
    check_can_change(user, entry)
    entry.withdraw()
    entry.revision += 1
    _log(user, entry, "withdraw")


def reopen(user: User, entry: Entry) -> None:
    """A submitted or withdrawn entry back to a draft, to be changed and submitted again."""
    check_can_change(user, entry)
    entry.edit()
    entry.revision += 1
    _log(user, entry, "reopen")


def reject(user: User, entry: Entry, reason: str) -> None:
    if not can_manage_contest(user, entry.contest):
        raise Forbidden(_l("Only district staff reject entries."))
    entry.nomination.check_open()
    if not reason.strip():
        raise DomainError(_l("Say which rule the entry breaks."), "reason")
    entry.reject(reason.strip())
    entry.revision += 1
    _log(user, entry, "reject", reason=reason.strip())


def _log(user: User, entry: Entry, action: str, **after) -> None:
    audit.record(
        action,
        entry,
        actor=user,
        object_type="entry",
        label=f"{entry.contest.title} — № {entry.number} {entry.title}",
        organization=entry.organization,
        after={"status": entry.status.value, **after},
    )


# Materials


def attach(user: User, entry: Entry, question_key: str, upload) -> ContestFile:
    check_can_change(user, entry)
    if not entry.is_editable:
        raise Conflict(_l("The entry is submitted; take it back to edit it."))
    questions = {q["key"]: q for q in all_questions(definition_of(entry))}
    if questions.get(question_key, {}).get("type") != "file":
        raise DomainError(_l("This question does not take files."), field=question_key)
    stored = store_upload(upload, question_key)
    record = ContestFile(
        contest_id=entry.contest_id,
        entry_id=entry.id,
        question_key=question_key,
        uploaded_by_id=user.id,
        **vars(stored),
    )
    db.session.add(record)
    db.session.flush()
    return record


def set_rules_file(user: User, contest: Contest, upload) -> ContestFile:
    if not can_manage_contest(user, contest):
        raise Forbidden(_l("Observers cannot change contests."))
    stored = store_upload(upload, "rules_file")
    old = contest.rules_file
    if old is not None:
        db.session.delete(old)
    record = ContestFile(contest_id=contest.id, uploaded_by_id=user.id, **vars(stored))
    db.session.add(record)
    db.session.flush()
    db.session.expire(contest, ["rules_file"])
    return record


def file_path(record: ContestFile) -> Path:
    return upload_folder() / record.stored_name


def get_entry_file(user: User, file_id: int) -> ContestFile:
    """A material for the entrant and staff; jurors download through their assignments."""
    record = db.session.get(ContestFile, file_id)
    if record is None or record.entry is None or not can_see_entry(user, record.entry):
        raise NotFound(_l("File not found."))
    return record


def get_rules_file(user: User, contest_id: int) -> ContestFile:
    contest = db.session.get(Contest, contest_id)
    if contest is None or contest.rules_file is None or not can_read_rules(user, contest):
        raise NotFound(_l("File not found."))
    return contest.rules_file


def participants(user: User, contest: Contest) -> list[Organization]:
    """The organizations staff may register an entry for."""
    if not contest.open_to_all:
        return sorted(contest.eligible, key=lambda organization: organization.sort_key)
    statement = (
        sa.select(Organization)
        .where(
            Organization.path.startswith(contest.organization.path),
            Organization.id != contest.organization_id,
            Organization.is_active.is_(True),
        )
        .order_by(Organization.sort_key)
    )
    return list(db.session.scalars(statement))
