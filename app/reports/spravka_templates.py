"""A district's own templates of its documents, one per kind (the справка by default; the kinds
of certificates in app.certificates): uploaded, replaced and removed by its staff, and found
for a campaign or a contest up the organization tree."""

from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.core.errors import DomainError
from app.core.uploads import store_upload, upload_folder
from app.core.views import DOCX_MIMETYPE
from app.extensions import db
from app.organizations.models import Organization
from app.reports.exports.templates import DEFAULT_TEMPLATE, TemplateFailed, check_template
from app.reports.models import ReportTemplate

SPRAVKA = "spravka"


def _of(organization_id: int, kind: str) -> ReportTemplate | None:
    return db.session.scalar(
        sa.select(ReportTemplate).where(
            ReportTemplate.organization_id == organization_id, ReportTemplate.kind == kind
        )
    )


def own_template(user: User, kind: str = SPRAVKA) -> ReportTemplate | None:
    return _of(user.organization_id, kind)


def template_for(organization: Organization, kind: str = SPRAVKA) -> ReportTemplate | None:
    """The template of ``organization`` or of the nearest organization above it."""
    node = organization
    while node is not None:
        found = _of(node.id, kind)
        if found is not None:
            return found
        node = node.parent
    return None


def template_bytes(template: ReportTemplate | None) -> bytes | None:
    return None if template is None else (upload_folder() / template.stored_name).read_bytes()


def default_template() -> bytes:
    return DEFAULT_TEMPLATE.read_bytes()


def save_template(
    user: User,
    upload,
    kind: str = SPRAVKA,
    check: Callable[[bytes], None] = check_template,
) -> ReportTemplate:
    """Checks the upload (a real .docx that ``check`` renders) and makes it the user's
    organization's template of ``kind``, in place of the one before."""
    stored = store_upload(upload, "file")
    path = upload_folder() / stored.stored_name
    try:
        if stored.content_type != DOCX_MIMETYPE:
            raise DomainError(_l("The template must be a Word document (.docx)."), "file")
        check(path.read_bytes())
    except TemplateFailed as error:
        path.unlink(missing_ok=True)
        raise DomainError(error.message, "file") from error
    except DomainError:
        path.unlink(missing_ok=True)
        raise
    template = own_template(user, kind)
    if template is None:
        template = ReportTemplate(organization_id=user.organization_id, kind=kind)
        db.session.add(template)
    else:
        (upload_folder() / template.stored_name).unlink(missing_ok=True)
    template.stored_name, template.original_name = stored.stored_name, stored.original_name
    template.uploaded_by_id = user.id
    db.session.flush()
    _record("upload", user, template)
    return template


def remove_template(user: User, kind: str = SPRAVKA) -> None:
    template = own_template(user, kind)
    if template is None:
        return
    (upload_folder() / template.stored_name).unlink(missing_ok=True)
    _record("delete", user, template)
    db.session.delete(template)
    db.session.flush()


def _record(action: str, user: User, template: ReportTemplate) -> None:
    audit.record(
        action,
        template,
        actor=user,
        object_type="report_template",
        label=template.original_name,
        organization=user.organization,
        after={"kind": template.kind},
    )
