"""Reading untrusted .xlsx files safely and writing cells safe against formula injection."""

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl
from defusedxml import DefusedXmlException
from flask_babel import lazy_gettext as _l
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.workbook import Workbook

from app.core.errors import DomainError

# Text starting with these is read as a formula by spreadsheet programs (OWASP "CSV
# injection"; SECURITY.md, ASVS 5.3.1).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
LARGE_MEMBER = 1024 * 1024
MAX_MEMBERS = 1000
WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
# The <dimension ref="A1:D20"/> a worksheet declares comes before its rows, in the first bytes.
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=[\"']([A-Z]*)(\d*)(?::([A-Z]+)(\d+))?")
DIMENSION_WINDOW = 16 * 1024


class SpreadsheetError(DomainError):
    status_code = 400


def safe_value(cell: Cell, value) -> Cell:
    """Puts ``value`` into ``cell`` so that no text typed by a user ever runs as a formula.

    Text that a spreadsheet program would read as a formula is stored exactly as typed, as a
    string cell with Excel's quote-prefix style (what typing an apostrophe first does): the
    cell shows the text, the apostrophe is not part of the value, nothing is evaluated.
    Characters a cell cannot hold (control characters) are dropped.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_cell(sheet, value):
    """What to pass to ``sheet.append`` (write-only or not) for ``value``: the value itself, or a
    cell made by ``safe_value`` when it is text that needs care."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES) or ILLEGAL_CHARACTERS_RE.search(value):
        return safe_value(WriteOnlyCell(sheet), value)
    return value


def _check_archive(data: bytes, max_uncompressed: int, max_ratio: int) -> None:
    """Refuse archives that would expand into far more than they weigh (zip bombs)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(_l("The file is not an Excel .xlsx workbook."), field="file")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetError(_l("The workbook has too many parts."), field="file")
    if sum(member.file_size for member in members) > max_uncompressed:
        raise SpreadsheetError(_l("The workbook is too large when unpacked."), field="file")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > LARGE_MEMBER and ratio > max_ratio:
            raise SpreadsheetError(
                _l("The workbook is compressed suspiciously strongly."), field="file"
            )
        if member.flag_bits & 0x1:
            raise SpreadsheetError(_l("Encrypted workbooks cannot be read."), field="file")


@contextmanager
def reading_errors():
    """Turns whatever a damaged or hostile workbook makes openpyxl raise into a clear refusal."""
    try:
        yield
    except DomainError:
        raise
    except Exception as error:  # openpyxl raises many kinds of errors on a damaged file
        if _caused_by(error, DefusedXmlException):
            raise SpreadsheetError(
                _l("The workbook contains forbidden XML constructs."), field="file"
            ) from None
        raise SpreadsheetError(
            _l("The workbook is damaged or not an .xlsx file."), field="file"
        ) from None


def _caused_by(error: BaseException | None, kind: type) -> bool:
    while error is not None:
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
    return False


@dataclass(frozen=True)
class SheetLimits:
    """How many rows below the header and how many columns a sheet of an import may have."""

    rows: int
    columns: int


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _check_dimensions(data: bytes, limits: SheetLimits) -> None:
    """Refuses a worksheet whose declared size is past the limits, before anything parses it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not WORKSHEET.fullmatch(member.filename):
                continue
            with archive.open(member) as source:
                match = DIMENSION.search(source.read(DIMENSION_WINDOW))
            if match:
                start_letters, start_row, end_letters, end_row = match.groups()
                _check_size(
                    int(end_row or start_row or 0),
                    column_number((end_letters or start_letters).decode()),
                    limits,
                )


def _check_size(rows: int, columns: int, limits: SheetLimits) -> None:
    """``rows`` counts the header too."""
    if rows > limits.rows + 1:
        message = _l(
            "A sheet has more than %(rows)s rows: that is the import limit. Split the file.",
            rows=limits.rows,
        )
        raise SpreadsheetError(message, field="file")
    if columns > limits.columns:
        message = _l(
            "A sheet has more than %(columns)s columns: that is the import limit.",
            columns=limits.columns,
        )
        raise SpreadsheetError(message, field="file")


def sheet_rows(worksheet, limits: SheetLimits) -> Iterator[tuple]:
    """The rows of a read-only worksheet as tuples of values up to the column limit, refusing
    a sheet past the row limit, whatever its dimension declared (it may be missing or lie)."""
    rows = worksheet.iter_rows(max_row=limits.rows + 2, max_col=limits.columns, values_only=True)
    for number, values in enumerate(rows, start=1):
        _check_size(number, 0, limits)
        yield values


def open_workbook(
    stream, *, max_bytes: int, max_uncompressed: int, max_ratio: int, limits: SheetLimits
) -> Workbook:
    """A read-only workbook from an uploaded file, after size, archive, dimension and XML
    checks.

    Rows are parsed lazily: read them with ``sheet_rows`` inside ``reading_errors()``.
    """
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SpreadsheetError(
            _l("The file is larger than %(size)s MB.", size=max_bytes // (1024 * 1024)),
            field="file",
        )
    _check_archive(data, max_uncompressed, max_ratio)
    _check_dimensions(data, limits)
    with reading_errors():
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def cell_text(value) -> str:
    """A cell's value as the text a person typed: 12.0 → "12", dates as 25.11.2026."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def workbook_bytes(sheets: list[tuple[str, list[list]]]) -> bytes:
    """A small workbook (templates, lists): each sheet's first row in bold, columns widened."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([safe_cell(sheet, value) for value in row])
        for cell in sheet[1] if rows else ():
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
