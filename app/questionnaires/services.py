"""Verbs on forms: create, import, edit the draft, publish, copy. Flush, never commit."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.audit import services as audit
from app.core.errors import DomainError, Forbidden, NotFound
from app.db import utcnow
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires import builder
from app.questionnaires.definition import version_definition, write_definition
from app.questionnaires.definition_check import check_definition
from app.questionnaires.models import Form, FormVersion, VersionStatus


def can_see(user: User, form: Form) -> bool:
    """Staff see the forms of their subtree and those of the offices above them."""
    if user.role != Role.ADMIN:
        return False
    own = user.organization
    return form.organization.is_within(own) or own.is_within(form.organization)


def can_edit(user: User, form: Form) -> bool:
    return user.role == Role.ADMIN and form.organization.is_within(user.organization)


def visible_query(user: User, *, archived: bool = False) -> sa.Select:
    own = user.organization
    ancestors = [int(part) for part in own.path.strip("/").split("/") if part]
    return (
        sa.select(Form)
        .join(Form.organization)
        .where(
            sa.or_(Organization.path.startswith(own.path), Organization.id.in_(ancestors)),
            Form.is_archived.is_(archived),
        )
        .order_by(Form.updated_at.desc(), Form.id.desc())
    )


def get_visible(user: User, form_id: int) -> Form:
    form = db.session.get(Form, form_id)
    if form is None or not can_see(user, form):
        raise NotFound(_l("Form not found."))
    return form


def get_editable(user: User, form_id: int) -> Form:
    form = get_visible(user, form_id)
    check_editable(user, form)
    return form


def check_editable(actor: User, form: Form) -> None:
    if not can_edit(actor, form):
        raise Forbidden(_l("This form belongs to another office; copy it to change it."))


def _log(action: str, actor: User, form: Form, after: dict | None = None) -> None:
    audit.record(
        action,
        form,
        actor=actor,
        object_type="form",
        label=form.latest.title,
        organization=form.organization,
        after=after,
    )


def create_form(actor: User, definition: dict) -> Form:
    """A new form whose first version is a draft holding ``definition``."""
    check_definition(definition)
    form = Form(
        organization=actor.organization, slug=definition.get("form_id") or "", created_by=actor
    )
    version = FormVersion(form=form, number=1, title=definition["title"])
    db.session.add(form)
    db.session.flush()
    write_definition(version, definition)
    _log("create", actor, form)
    return form


def create_empty_form(actor: User, title: str, description: str = "") -> Form:
    return create_form(actor, builder.empty_definition(title, description))


def published_keys(form: Form) -> set[str]:
    """The section and question keys of the form's published versions: answers are stored and
    exported under them, so the builder no longer lets them change."""
    keys = set()
    for version in form.versions:
        if version.status == VersionStatus.PUBLISHED:
            keys.update(section.key for section in version.sections)
            keys.update(question.key for question in version.questions)
    return keys


def draft_of(actor: User, form: Form) -> FormVersion:
    """The version to edit: the draft if there is one, else a new draft copied from the latest
    published version, so that answered versions never change."""
    check_editable(actor, form)
    latest = form.latest
    if latest.is_draft:
        return latest
    version = FormVersion(form=form, number=latest.number + 1, title=latest.title)
    db.session.add(version)
    db.session.flush()
    write_definition(version, version_definition(latest))
    _log("new_version", actor, form, after={"version": version.number})
    return version


def change_definition(actor: User, form: Form, edit) -> FormVersion:
    """Applies ``edit(definition) -> definition`` to the form's draft, checking the result."""
    version = draft_of(actor, form)
    definition = edit(version_definition(version))
    check_definition(definition, max_questions=current_app.config["FORM_MAX_QUESTIONS"])
    write_definition(version, definition)
    form.updated_at = utcnow()
    return version


def publish(actor: User, form: Form) -> FormVersion:
    version = form.latest
    check_editable(actor, form)
    if not version.is_draft:
        raise DomainError(_l("This version is already published."))
    definition = version_definition(version)
    check_definition(definition)
    if not version.questions:
        raise DomainError(_l("Add at least one question before publishing."))
    version.status = VersionStatus.PUBLISHED
    version.published_at = utcnow()
    _log("publish", actor, form, after={"version": version.number})
    return version


def copy_form(actor: User, form: Form) -> Form:
    if not can_see(actor, form):
        raise NotFound(_l("Form not found."))
    definition = version_definition(form.latest)
    definition["title"] = str(_l("Copy of %(title)s", title=definition["title"]))[:300]
    return create_form(actor, definition)


def set_archived(actor: User, form: Form, archived: bool) -> None:
    check_editable(actor, form)
    form.is_archived = archived
    _log("archive" if archived else "unarchive", actor, form)
