"""Uploaded files: checked by size and by content (never by name), stored with random names."""

import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError

# What schools send: scans, photos, office documents. Checked by content.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
}
# Shown in the browser rather than downloaded: they cannot carry scripts.
INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png")
SNIFF_BYTES = 8192


@dataclass
class StoredUpload:
    stored_name: str
    original_name: str
    content_type: str
    size: int


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _detect(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED_TYPES:
        return kind.mime
    return None


def store_upload(upload, field: str) -> StoredUpload:
    """Checks an uploaded file and writes it under instance/uploads; ``field`` is where the
    message of a refusal belongs."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _l("The file is larger than %(size)s MB.", size=limit // (1024 * 1024)), field=field
        )
    if not data:
        raise DomainError(_l("The file is empty."), field=field)
    mime = _detect(data[:SNIFF_BYTES])
    if mime is None:
        raise DomainError(_l("Only PDF, JPEG, PNG and office documents can be attached."), field)
    stored_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[mime]}"
    (upload_folder() / stored_name).write_bytes(data)
    return StoredUpload(stored_name, (upload.filename or stored_name)[:255], mime, len(data))
