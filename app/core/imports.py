"""All-or-nothing imports of table rows from .xlsx: read, check every row, then load or refuse.

A domain describes its columns and supplies a function that loads one row through its own
services. Every row is tried; if any fails, the caller rolls the transaction back and shows
every problem as "row N, column X: what is wrong".
"""

from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core import spreadsheets
from app.core.errors import DomainError
from app.core.text import fold


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False
    example: str = ""
    max_length: int = 300  # the length of the column that stores it


@dataclass
class RowProblem:
    row: int
    column: str
    message: str


class ImportRejected(DomainError):
    def __init__(self, problems: list[RowProblem]):
        super().__init__(_l("The file was not imported: nothing has been changed."))
        self.problems = problems


@dataclass
class Row:
    number: int
    values: dict[str, str]
    problems: list[RowProblem] = field(default_factory=list)


def template_bytes(columns: list[Column], instructions: list[str]) -> bytes:
    headers = [str(column.header) + (" *" if column.required else "") for column in columns]
    examples = [column.example for column in columns]
    notes = [[str(_l("How to fill the file"))]] + [[str(line)] for line in instructions]
    return spreadsheets.workbook_bytes(
        [
            (str(_l("Data")), [headers]),
            (str(_l("Example")), [headers, examples]),
            (str(_l("Instructions")), notes),
        ]
    )


def sheet_limits() -> spreadsheets.SheetLimits:
    """The size limits of the configuration for a sheet of any import."""
    config = current_app.config
    return spreadsheets.SheetLimits(config["IMPORT_MAX_ROWS"], config["IMPORT_MAX_COLUMNS"])


def read_rows(stream, columns: list[Column]) -> list[Row]:
    """The filled rows of the first sheet, keyed by column field; header problems refuse."""
    config = current_app.config
    workbook = spreadsheets.open_workbook(
        stream,
        max_bytes=config["IMPORT_MAX_BYTES"],
        max_uncompressed=config["IMPORT_MAX_UNCOMPRESSED_BYTES"],
        max_ratio=config["IMPORT_MAX_COMPRESSION_RATIO"],
        limits=sheet_limits(),
    )
    with closing(workbook), spreadsheets.reading_errors():
        rows = spreadsheets.sheet_rows(workbook.worksheets[0], sheet_limits())
        header = next(rows, ())
        positions = _header_positions(header, columns)
        result = []
        for number, cells in enumerate(rows, start=2):
            values = dict.fromkeys((column.field for column in columns), "")
            values.update(
                (column.field, spreadsheets.cell_text(cells[index] if index < len(cells) else None))
                for column, index in positions.items()
            )
            if any(values.values()):
                result.append(Row(number, values))
            if len(result) > config["IMPORT_MAX_ROWS"]:
                raise spreadsheets.SpreadsheetError(
                    _l("The file has more than %(rows)s rows.", rows=config["IMPORT_MAX_ROWS"]),
                    field="file",
                )
    if not result:
        raise spreadsheets.SpreadsheetError(_l("The file has no filled rows."), field="file")
    return result


def _header_positions(header, columns: list[Column]) -> dict[Column, int]:
    found = {
        fold(spreadsheets.cell_text(value)).rstrip(" *"): index
        for index, value in enumerate(header)
    }
    positions, missing = {}, []
    for column in columns:
        index = found.get(fold(str(column.header)))
        if index is None:
            if column.required:
                missing.append(RowProblem(1, str(column.header), str(_l("the column is missing"))))
        else:
            positions[column] = index
    if missing:
        raise ImportRejected(missing)
    return positions


def load_rows(rows: Iterable[Row], columns: list[Column], load: Callable[[Row], object]) -> list:
    """Loads each row with ``load``; collects every problem and refuses if there is any.

    ``load`` raises ``DomainError`` whose ``field`` names a column; it may also append
    problems to ``row.problems`` and return ``None``.
    """
    headers = {column.field: str(column.header) for column in columns}
    loaded, problems = [], []
    for row in rows:
        for column in columns:
            value = row.values.get(column.field)
            if column.required and not value:
                row.problems.append(
                    RowProblem(row.number, headers[column.field], str(_l("the value is required")))
                )
            elif value and len(value) > column.max_length:
                message = str(_l("Enter at most %(max)s characters.", max=column.max_length))
                row.problems.append(RowProblem(row.number, headers[column.field], message))
        if not row.problems:
            try:
                loaded.append(load(row))
            except DomainError as error:
                column = headers.get(error.field or "", "—")
                row.problems.append(RowProblem(row.number, column, str(error.message)))
        problems.extend(row.problems)
    if problems:
        raise ImportRejected(problems)
    return loaded
