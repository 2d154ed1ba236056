"""Files attached as answers: checked by size and by content, stored with random names."""

import secrets
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.campaigns.access import can_see_response
from app.campaigns.models import Response, ResponseFile
from app.campaigns.responses import check_can_change, definition_of, questions_of
from app.core.errors import DomainError, NotFound
from app.extensions import db

# What a school sends as evidence: scans, photos, office documents. Checked by content.
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
SNIFF_BYTES = 8192


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _detect(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED_TYPES:
        return kind.mime
    return None


def attach(user: User, response: Response, question_key: str, upload) -> ResponseFile:
    """Stores an uploaded file for a file question of the response and returns its record."""
    check_can_change(user, response)
    questions = {q["key"]: q for q in questions_of(definition_of(response))}
    if questions.get(question_key, {}).get("type") != "file":
        raise DomainError(_l("This question does not take files."), field=question_key)
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _l("The file is larger than %(size)s MB.", size=limit // (1024 * 1024)),
            field=question_key,
        )
    if not data:
        raise DomainError(_l("The file is empty."), field=question_key)
    mime = _detect(data[:SNIFF_BYTES])
    if mime is None:
        raise DomainError(
            _l("Only PDF, JPEG, PNG and office documents can be attached."), field=question_key
        )
    stored_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[mime]}"
    (upload_folder() / stored_name).write_bytes(data)
    record = ResponseFile(
        response=response,
        question_key=question_key,
        stored_name=stored_name,
        original_name=(upload.filename or stored_name)[:255],
        content_type=mime,
        size=len(data),
        uploaded_by_id=user.id,
    )
    db.session.add(record)
    db.session.flush()
    return record


def get_visible_file(user: User, file_id: int) -> tuple[ResponseFile, Path]:
    record = db.session.get(ResponseFile, file_id)
    if record is None or not can_see_response(user, record.response):
        raise NotFound(_l("File not found."))
    return record, upload_folder() / record.stored_name
