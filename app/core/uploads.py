"""Uploaded files: checked by size and by content (never by name), stored with random names."""

import errno
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app, send_file
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.text import one_line

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
# Other spellings of an extension that already says the detected type.
SAME_EXTENSIONS = {"jpg": ("jpg", "jpeg")}
# What looks like an extension to be replaced: letters and digits, with at least one letter.
_EXTENSION = re.compile(r"\.(?=[0-9]*[a-z])[a-z0-9]{1,8}$", re.IGNORECASE)
# Shown in the browser rather than downloaded: they cannot carry scripts.
INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png")
SNIFF_BYTES = 8192
# A write refused for want of space: the disk is full, the quota is spent, or the file size
# limit of the process is reached.
NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class NoSpaceForFiles(DomainError):
    """507 Insufficient Storage, shown beside the file field; nothing of the file is kept."""

    status_code = 507

    def __init__(self, field: str):
        super().__init__(
            _l(
                "The server has run out of space for files. The file was not saved; try again"
                " later or tell the district office."
            ),
            field,
        )


@dataclass
class StoredUpload:
    stored_name: str
    original_name: str
    content_type: str
    size: int


def upload_folder() -> Path:
    folder = Path(
        current_app.config["UPLOAD_FOLDER"] or Path(current_app.instance_path) / "uploads"
    )
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
    _write_whole(upload_folder() / stored_name, data, field)
    original_name = clean_filename(upload.filename or "") or stored_name
    return StoredUpload(stored_name, original_name, mime, len(data))


def _write_whole(path: Path, data: bytes, field: str) -> None:
    """Writes the file down to the disk (a full disk or quota may only tell at ``fsync``), or
    removes what was written and refuses."""
    try:
        with open(path, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        path.unlink(missing_ok=True)
        if error.errno in NO_SPACE:
            current_app.logger.error("no space for uploads in %s: %s", path.parent, error)
            raise NoSpaceForFiles(field) from error
        raise


def stored_type(stored_name: str) -> str:
    """The checked type of a stored upload, from the extension store_upload gave it."""
    extension = stored_name.rpartition(".")[2]
    types = (mime for mime, ext in ALLOWED_TYPES.items() if ext == extension)
    return next(types, "application/octet-stream")


def clean_filename(name: str) -> str:
    """A file name as a person reads it, fit for storing and for a header: no folders, no
    control characters (CR, LF, NUL…), single spaces, at most 255 characters."""
    name = one_line(re.split(r"[/\\]", name)[-1]).lstrip(".").strip()
    if len(name) > 255:
        match = _EXTENSION.search(name)
        extension = match.group() if match else ""
        name = name[: 255 - len(extension)].rstrip() + extension
    return name


def download_name(name: str, content_type: str) -> str:
    """``name`` cleaned, with the extension of the type found in the content rather than the
    one the uploader wrote: a PDF sent as ``otchet.pdf.html`` downloads as ``otchet.pdf``."""
    name = clean_filename(name) or "file"
    extension = ALLOWED_TYPES.get(content_type)
    if extension is None:
        return name
    spellings = SAME_EXTENSIONS.get(extension, (extension,))
    match = _EXTENSION.search(name)
    if match and match.group()[1:].lower() in spellings:
        return name
    stem = name[: match.start()] if match else name
    if stem.lower().endswith(tuple(f".{spelling}" for spelling in spellings)):
        return stem
    return f"{stem or 'file'}.{extension}"


def send_download(source, name: str, mimetype: str, *, inline: bool = False):
    """The one way a file leaves the platform: an upload (``source`` a path) or a generated
    document (a path or a binary stream). The name is cleaned and given the extension of its
    type; werkzeug writes ``Content-Disposition`` with the name encoded (RFC 5987) beside an
    ASCII fallback. ``inline`` shows it in the browser, for the types that cannot carry
    scripts only."""
    return send_file(
        source,
        mimetype=mimetype,
        as_attachment=not (inline and mimetype in INLINE_TYPES),
        download_name=download_name(name, mimetype),
    )
