"""A district's document settings (emblem, signature, signatory) and its page templates, kept by
its staff; and what a document of any kind prints, found up the organization tree."""

import io
import secrets
import warnings

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image

from app.accounts.models import Role, User
from app.audit import services as audit
from app.certificates.documents import (
    KINDS,
    Issuer,
    Page,
    Signatory,
    check_page_template,
    write_pages,
)
from app.certificates.models import DiplomaSigner, DocumentSettings
from app.core.errors import DomainError, Forbidden
from app.core.uploads import upload_folder
from app.extensions import db
from app.organizations.models import Organization, OrganizationKind
from app.reports import spravka_templates

IMAGES = ("emblem", "signature")
IMAGE_MAX_BYTES = 2 * 1024 * 1024  # an emblem or a signature, not a photograph
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg"}
CONFIGURING = (OrganizationKind.REGION, OrganizationKind.DISTRICT)


def can_configure(user: User) -> bool:
    """Staff of a district office (or of the region above it) keep its document settings."""
    return user.role == Role.ADMIN and user.organization.kind in CONFIGURING


def check_configure(user: User) -> None:
    if not can_configure(user):
        raise Forbidden(_l("Only the staff of a district office keep its document settings."))


def own_settings(user: User) -> DocumentSettings | None:
    return db.session.scalar(
        sa.select(DocumentSettings).where(DocumentSettings.organization_id == user.organization_id)
    )


def _own_or_new(user: User) -> DocumentSettings:
    settings = own_settings(user)
    if settings is None:
        settings = DocumentSettings(
            organization_id=user.organization_id,
            head_name="",
            head_position="",
            diplomas_signed_by=DiplomaSigner.CHAIR,
        )
        db.session.add(settings)
    return settings


def settings_for(organization: Organization) -> DocumentSettings | None:
    """The settings of ``organization`` or of the nearest organization above it."""
    node = organization
    while node is not None:
        found = db.session.scalar(
            sa.select(DocumentSettings).where(DocumentSettings.organization_id == node.id)
        )
        if found is not None:
            return found
        node = node.parent
    return None


def save_signatory(user: User, name: str, position: str, diplomas_signed_by: str) -> None:
    check_configure(user)
    settings = _own_or_new(user)
    before = _details(settings)
    settings.head_name, settings.head_position = (name or "").strip(), (position or "").strip()
    settings.diplomas_signed_by = DiplomaSigner(diplomas_signed_by)
    db.session.flush()
    _record("update", user, settings, before=before, after=_details(settings))


def _details(settings: DocumentSettings) -> dict:
    signer = settings.diplomas_signed_by
    return {
        "head_name": settings.head_name,
        "head_position": settings.head_position,
        "diplomas_signed_by": signer.value if signer else None,
    }


# Emblem and signature


def checked_image(upload, field: str) -> tuple[bytes, str]:
    """The bytes of an uploaded PNG or JPEG that Pillow reads through, and its extension."""
    limit = min(current_app.config["UPLOAD_MAX_BYTES"], IMAGE_MAX_BYTES)
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(_l("The image is larger than %(size)s MB.", size=limit // 2**20), field)
    if not data:
        raise DomainError(_l("The file is empty."), field)
    found = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                found = image.format
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        found = None
    if found not in IMAGE_FORMATS:
        raise DomainError(_l("The file must be a PNG or JPEG image."), field)
    return data, IMAGE_FORMATS[found]


def save_image(user: User, which: str, upload) -> DocumentSettings:
    """Makes the upload the organization's emblem or signature, in place of the one before."""
    check_configure(user)
    data, extension = checked_image(upload, "file")
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    settings = _own_or_new(user)
    old = getattr(settings, f"{which}_name")
    (upload_folder() / stored_name).write_bytes(data)
    setattr(settings, f"{which}_name", stored_name)
    db.session.flush()
    if old:
        (upload_folder() / old).unlink(missing_ok=True)
    _record("upload", user, settings, after={"image": which})
    return settings


def remove_image(user: User, which: str) -> None:
    check_configure(user)
    settings = own_settings(user)
    stored = getattr(settings, f"{which}_name") if settings else None
    if not stored:
        return
    setattr(settings, f"{which}_name", None)
    db.session.flush()
    (upload_folder() / stored).unlink(missing_ok=True)
    _record("delete", user, settings, before={"image": which})


def image_bytes(settings: DocumentSettings | None, which: str) -> bytes | None:
    stored = getattr(settings, f"{which}_name") if settings else None
    path = upload_folder() / stored if stored else None
    return path.read_bytes() if path and path.exists() else None


# Templates of the pages: the справка's mechanism, one kind each


def save_template(user: User, kind: str, upload) -> None:
    check_configure(user)
    spravka_templates.save_template(user, upload, kind, check_page_template(kind))


def remove_template(user: User, kind: str) -> None:
    check_configure(user)
    spravka_templates.remove_template(user, kind)


def own_templates(user: User) -> dict:
    return {kind: spravka_templates.own_template(user, kind) for kind in KINDS}


# What the documents print


def issuer_for(organization: Organization) -> Issuer:
    """Who hands out the documents of ``organization`` (a district office, or the office a
    school belongs to): the organization whose settings apply, its emblem and its head."""
    settings = settings_for(organization)
    owner = settings.organization if settings else organization
    head = None
    if settings and (settings.head_name or settings.head_position):
        head = Signatory(
            settings.head_position, settings.head_name, image_bytes(settings, "signature")
        )
    return Issuer(owner.name, owner.locality, image_bytes(settings, "emblem"), head)


def diplomas_signed_by_head(organization: Organization) -> bool:
    settings = settings_for(organization)
    return settings is not None and settings.diplomas_signed_by == DiplomaSigner.HEAD


def write_document(organization: Organization, pages: list[Page], target) -> None:
    """Writes ``pages`` (of one kind) as ``organization`` hands them out: its issuer, and the
    template of the kind found up the tree, or the standard one."""
    template = spravka_templates.template_for(organization, pages[0].kind)
    write_pages(pages, issuer_for(organization), target, spravka_templates.template_bytes(template))


def _record(action: str, user: User, settings: DocumentSettings, **changes) -> None:
    audit.record(
        action,
        settings,
        actor=user,
        object_type="document_settings",
        label=user.organization.name,
        organization=user.organization,
        **changes,
    )
