"""The exports' XlsxWriter workbooks: text never read as a formula, decimals shown with their own
places, formats made once per workbook.

Every string and Decimal a sheet is given through ``write``/``write_row`` passes through the
handlers below, so no caller can forget them. Long exports build their cells beforehand with
``Book.cell_makers`` (the same rules, settled once per column) and append whole rows to a
``RowSheet``.
"""

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter.utility import _datetime_to_excel_datetime, xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

from app.core.spreadsheets import FORMULA_PREFIXES
from app.reports.rounding import excel_format

# ZIP64 allowed: a sheet past 4 GB of XML (132,000 schools × 509 columns) needs it, or
# XlsxWriter refuses to close the file; Python's zipfile adds its records only to such a file.
OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "use_zip64": True,
}
MAX_PLACES = 6
DAY = "DD.MM.YYYY"
MOMENT = "DD.MM.YYYY HH:MM"
# Numbers beyond these (and NaN) take XlsxWriter's own path, which refuses them as it always did.
LARGEST = 1e308
# Text XlsxWriter changes on its way out: control characters and its own _xHHHH_ escapes, XML's
# special characters, the whitespace it preserves at either end, rich strings.
NEEDS_ESCAPING = re.compile(r"^\s|\s$|[\x00-\x1f&<>_\ufffe\uffff]")
# Text longer than half of Excel's 32,767 UTF-16 units may need cutting: XlsxWriter's own path.
LONG_TEXT = 32767 // 2


class Book:
    """An XlsxWriter workbook written to ``target`` (a path or a binary file); with
    ``constant_memory`` each row goes to disk as soon as the next one starts."""

    def __init__(self, target, *, constant_memory: bool = False):
        self.workbook = xlsxwriter.Workbook(target, {**OPTIONS, "constant_memory": constant_memory})
        self._formats: dict[tuple, object] = {}
        self._places: dict[int, object] = {}
        self.quoted = self.format(quote_prefix=True)

    def format(self, **properties):
        """The workbook's one format with these properties."""
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    def number(self, places: int):
        return self.format(num_format=excel_format(places))

    def sheet(self, title: str, *, rows: bool = False):
        """A worksheet; with ``rows`` a ``RowSheet`` taking rows of made cells (in constant-memory
        mode only: it writes each row as it comes)."""
        if rows and not self.workbook.constant_memory:
            raise ValueError("a RowSheet needs a constant-memory workbook")
        sheet = self.workbook.add_worksheet(title, RowSheet if rows else None)
        sheet.add_write_handler(str, self._text)
        sheet.add_write_handler(Decimal, self._decimal)
        return sheet

    def close(self) -> None:
        self.workbook.close()

    def _text(self, sheet, row: int, column: int, text: str, cell_format=None):
        """Text a spreadsheet would read as a formula is stored as typed, as a string with
        Excel's quote prefix (what typing an apostrophe first does), without the characters a
        cell cannot hold. Returns None to let the sheet write any other text itself (XlsxWriter
        escapes control characters, so the file stays valid)."""
        if text.startswith(FORMULA_PREFIXES):
            return sheet.write_string(row, column, ILLEGAL_CHARACTERS_RE.sub("", text), self.quoted)
        return None

    def _decimal(self, sheet, row: int, column: int, number: Decimal, cell_format=None):
        """A decimal without a format of its own gets one with the places it was typed with."""
        if cell_format is not None:
            return None
        return sheet.write_number(row, column, number, self._typed_places(number))

    def _typed_places(self, number: Decimal):
        """The format showing the places ``number`` was typed with (at most MAX_PLACES)."""
        places = min(max(-number.as_tuple().exponent, 0), MAX_PLACES)
        if places not in self._places:
            self._places[places] = self.number(places)
        return self._places[places]

    def cell_makers(self, column_format=None) -> "CellMakers":
        """The functions turning a value into the cell ``write`` would have stored for it in a
        column formatted ``column_format``, or None for no cell: ``any`` for a value of any
        type, the others for a value known to be of theirs. A value they do not take (another
        type, text too long, a number beyond what a cell holds) is returned as it is, for
        ``write`` itself."""
        text, number = self._text_cell(column_format), self._number_cell(column_format)
        moment = self._moment_cell(column_format)
        by_type = {str: text, int: number, float: number, Decimal: self._decimal_cell,
                   date: moment, datetime: moment}  # fmt: skip

        def cell(value):
            maker = by_type.get(value.__class__)
            return maker(value) if maker is not None else value

        return CellMakers(cell, text, number, self._decimal_cell, moment)

    def _text_cell(self, column_format):
        def cell(text: str):
            if not text:
                return None
            if len(text) > LONG_TEXT:
                return text
            if text.startswith(FORMULA_PREFIXES):
                return CellStringTuple(ILLEGAL_CHARACTERS_RE.sub("", text), self.quoted)
            return CellStringTuple(text, column_format)

        return cell

    @staticmethod
    def _number_cell(column_format):
        def cell(number):
            if -LARGEST < number < LARGEST:
                return CellNumberTuple(number, column_format)
            return number

        return cell

    def _decimal_cell(self, number: Decimal):
        if not (number.is_finite() and -LARGEST < number < LARGEST):
            return number
        return CellNumberTuple(number, self._typed_places(number))

    def _moment_cell(self, column_format):
        workbook = self.workbook

        def cell(moment):
            serial = _datetime_to_excel_datetime(
                moment, workbook.date_1904, workbook.remove_timezone
            )
            return CellNumberTuple(serial, column_format)

        return cell


class CellMakers(NamedTuple):
    any: Callable
    text: Callable
    number: Callable
    decimal: Callable
    moment: Callable


class RowSheet(Worksheet):
    """A worksheet in constant-memory mode taking whole rows of cells made by
    ``Book.cell_makers``: the type of every value was settled when its cell was made, so a row
    skips the per-cell dispatch of ``write_row`` and goes out through XlsxWriter's own row
    writer, byte for byte what ``write_row`` would have written."""

    def append_cells(self, row: int, cells: list) -> int:
        if self._check_dimensions(row, 0):
            return -1
        if row > self.previous_row:
            self._write_single_row(row)
        stored = self.table[row]
        for column, cell in enumerate(cells):
            if cell.__class__ is CellNumberTuple or cell.__class__ is CellStringTuple:
                stored[column] = cell
            elif cell is not None:
                self._write(row, column, cell)
        return 0

    def _write_cell(self, row: int, col: int, cell) -> None:
        """Numbers, and text that needs no escaping, written as XlsxWriter's ``_write_cell``
        writes them (pinned in requirements.txt; tests/reports/test_xlsx_rows.py compares the
        bytes) but in one string each, without building and escaping attributes one by one:
        they are nearly every cell of an export, and this is the innermost loop."""
        kind = cell.__class__
        if kind is CellNumberTuple:
            style = self._style(row, col, cell.format)
            reference = xl_rowcol_to_cell_fast(row, col)
            self.fh.write(f'<c r="{reference}"{style}><v>{cell.number:.16G}</v></c>')
        elif kind is CellStringTuple and not NEEDS_ESCAPING.search(cell.string):
            style = self._style(row, col, cell.format)
            reference = xl_rowcol_to_cell_fast(row, col)
            self.fh.write(
                f'<c r="{reference}"{style} t="inlineStr"><is><t>{cell.string}</t></is></c>'
            )
        else:
            super()._write_cell(row, col, cell)

    def _style(self, row: int, col: int, cell_format) -> str:
        """The ``s`` attribute ``_write_cell`` gives a cell: its own format, else its row's,
        else its column's."""
        if not cell_format and row in self.row_info and self.row_info[row].row_format:
            cell_format = self.row_info[row].row_format
        elif not cell_format and col in self.col_info:
            cell_format = self.col_info[col].column_format
        return f' s="{cell_format._get_xf_index()}"' if cell_format else ""


def safe_title(text: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if char in "[]:*?/\\" else char for char in text)[:31]
