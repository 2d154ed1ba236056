"""Definition files by format: XLSForm workbooks (.xlsx) and JSON exports (.json)."""

from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.core.imports import sheet_limits
from app.core.spreadsheets import SpreadsheetError
from app.questionnaires.jsonio import read_json, write_json
from app.questionnaires.xlsform import read_xlsform
from app.questionnaires.xlsform_writer import write_xlsform

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"xlsx": XLSX_MIMETYPE, "json": "application/json"}


class UnknownFormat(DomainError):
    status_code = 400


def file_format(name: str) -> str:
    """The format named by a file's extension; refuses any other."""
    suffix = Path(name or "").suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UnknownFormat(_l("Choose an XLSForm .xlsx file or a .json export."), field="file")
    return suffix


def read_stream(stream, fmt: str) -> dict:
    """A checked definition from an open binary stream, within the import limits of the config."""
    config = current_app.config
    if fmt == "xlsx":
        return read_xlsform(
            stream,
            max_bytes=config["IMPORT_MAX_BYTES"],
            max_uncompressed=config["IMPORT_MAX_UNCOMPRESSED_BYTES"],
            max_ratio=config["IMPORT_MAX_COMPRESSION_RATIO"],
            limits=sheet_limits(),
            max_questions=config["FORM_MAX_QUESTIONS"],
        )
    data = stream.read(config["IMPORT_MAX_BYTES"] + 1)
    if len(data) > config["IMPORT_MAX_BYTES"]:
        raise SpreadsheetError(
            _l("The file is larger than %(size)s MB.", size=config["IMPORT_MAX_BYTES"] // 2**20),
            field="file",
        )
    return read_json(data, max_questions=config["FORM_MAX_QUESTIONS"])


def read_upload(upload) -> dict:
    """A checked definition from an uploaded file (werkzeug FileStorage)."""
    return read_stream(upload.stream, file_format(upload.filename))


def read_definition_file(path) -> dict:
    fmt = file_format(str(path))
    with open(path, "rb") as stream:
        return read_stream(stream, fmt)


def dump(definition: dict, fmt: str) -> tuple[bytes, str]:
    """The file contents of a definition in a format, with its MIME type."""
    data = write_xlsform(definition) if fmt == "xlsx" else write_json(definition)
    return data, FORMATS[fmt]


def write_definition_file(definition: dict, path) -> None:
    data, _mimetype = dump(definition, file_format(str(path)))
    Path(path).write_bytes(data)
