"""The exports' XlsxWriter workbooks: text never read as a formula, decimals shown with their own
places, formats made once per workbook.

Every string and Decimal a sheet is given through ``write``/``write_row`` passes through the
handlers below, so no caller can forget them. Long exports build their cells beforehand with
``Book.cell_makers`` (the same rules, settled once per column) and append whole rows to a
``RowSheet``.
"""

import io
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter.utility import _datetime_to_excel_datetime, xl_col_to_name
from xlsxwriter.worksheet import CellStringTuple, Worksheet

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
EXACT = 2**53  # integers below this in size are exact as floats: .16G writes all their digits
# Text XlsxWriter changes on its way out: control characters and its own _xHHHH_ escapes, XML's
# special characters, rich strings; and the whitespace it preserves at either end (``_plain``).
NEEDS_ESCAPING = re.compile(r"[\x00-\x1f&<>_\ufffe\uffff]")
# Text longer than half of Excel's 32,767 UTF-16 units may need cutting: XlsxWriter's own path.
LONG_TEXT = 32767 // 2


class Book:
    """An XlsxWriter workbook written to ``target`` (a path or a binary file); with
    ``constant_memory`` each row goes to disk as soon as the next one starts."""

    def __init__(self, target, *, constant_memory: bool = False):
        self.workbook = xlsxwriter.Workbook(target, {**OPTIONS, "constant_memory": constant_memory})
        self._formats: dict[tuple, object] = {}
        self._styles: dict[object, str] = {}
        self._places: dict[int, object] = {}
        self._decimal_styles: dict[int, str] = {}  # by a decimal's exponent
        self.quoted = self.format(quote_prefix=True)

    def format(self, **properties):
        """The workbook's one format with these properties."""
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            cell_format = self.workbook.add_format(properties)
            self._styles[cell_format] = f' s="{cell_format._get_xf_index()}"'
            self._formats[key] = cell_format
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
        """The functions turning a value into the XML a row of a ``RowSheet`` holds for it in a
        column formatted ``column_format`` (``RowSheet.append_values``), or None for no cell:
        ``any`` for a value of any type, the others for a value known to be of theirs. What
        ``write`` stores in its own way comes back for the sheet to write through XlsxWriter:
        text to escape or quote as a cell (a ``CellStringTuple``), and a value they do not take
        (another type, text too long, a number beyond what a cell holds) as an ``Apart``."""
        text, number = self._text_cell(column_format), self._number_cell(column_format)
        integer, moment = self._integer_cell(column_format), self._moment_cell(column_format)
        by_type = {str: text, int: integer, float: number, Decimal: self._decimal_cell,
                   date: moment, datetime: moment}  # fmt: skip

        def cell(value):
            maker = by_type.get(value.__class__)
            return maker(value) if maker is not None else Apart(value)

        return CellMakers(cell, text, integer, number, self._decimal_cell, moment)

    def style(self, cell_format) -> str:
        """The ``s`` attribute of a cell in ``cell_format``, as XlsxWriter writes it. Formats
        are numbered as they are made (``format``), so the numbers do not depend on the order
        in which cells are written."""
        return "" if cell_format is None else self._styles[cell_format]

    def _text_cell(self, column_format):
        style = self.style(column_format)

        def cell(text: str):
            if not text:
                return None
            if len(text) > LONG_TEXT:
                return Apart(text)
            if text.startswith(FORMULA_PREFIXES):
                return CellStringTuple(ILLEGAL_CHARACTERS_RE.sub("", text), self.quoted)
            if not _plain(text):
                return CellStringTuple(text, column_format)
            return f'{style} t="inlineStr"><is><t>{text}</t></is></c>'

        return cell

    def _number_cell(self, column_format):
        style = self.style(column_format)

        def cell(number):
            if not -LARGEST < number < LARGEST:
                return Apart(number)
            return f"{style}><v>{number:.16G}</v></c>"

        return cell

    def _integer_cell(self, column_format):
        """An integer a float holds exactly is written as it is: what the ``.16G`` of a number
        writes for it, at a third of the cost."""
        style, number = self.style(column_format), self._number_cell(column_format)

        def cell(integer: int):
            if -EXACT < integer < EXACT:
                return f"{style}><v>{integer}</v></c>"
            return number(integer)

        return cell

    def _decimal_cell(self, number: Decimal):
        if not (number.is_finite() and -LARGEST < number < LARGEST):
            return Apart(number)
        exponent = number.as_tuple().exponent
        style = self._decimal_styles.get(exponent)
        if style is None:
            style = self._decimal_styles[exponent] = self.style(self._typed_places(number))
        return f"{style}><v>{number:.16G}</v></c>"

    def _moment_cell(self, column_format):
        workbook = self.workbook
        style = self.style(column_format)

        def cell(moment):
            serial = _datetime_to_excel_datetime(
                moment, workbook.date_1904, workbook.remove_timezone
            )
            return f"{style}><v>{serial:.16G}</v></c>"

        return cell


def _plain(text: str) -> bool:
    """Whether XlsxWriter writes ``text`` as it is (not empty)."""
    return not (text[0].isspace() or text[-1].isspace() or NEEDS_ESCAPING.search(text))


class Apart(NamedTuple):
    """A value a cell maker leaves to XlsxWriter's ``write``."""

    value: object


class CellMakers(NamedTuple):
    any: Callable
    text: Callable
    integer: Callable
    number: Callable
    decimal: Callable
    moment: Callable


class RowSheet(Worksheet):
    """A worksheet in constant-memory mode taking whole rows of values, each turned into its
    cell's XML by the column's function made with ``Book.cell_makers``: the type of every
    value and the style of every column were settled once, so a row is one string written
    at once, byte for byte what ``write_row`` would have written (XlsxWriter is pinned in
    requirements.txt; tests/reports/test_xlsx_rows.py compares the bytes). Nearly every cell
    of an export goes this way: it is the innermost loop."""

    def append_values(self, row: int, values: list, cells: list) -> int:
        """Writes ``values`` as row ``row`` (from 0), ``cells[i]`` making the cell of
        ``values[i]``; the rows before it must have been written."""
        if self._check_dimensions(row, 0):
            return -1
        if row > self.previous_row:
            self._write_single_row(row)
        number = str(row + 1)
        references = self._references(len(values))
        made = [
            None if value is None else cell(value)
            for cell, value in zip(cells, values, strict=True)
        ]
        parts = [
            f'<c r="{reference}{number}"{xml}'
            for reference, xml in zip(references, made, strict=False)  # letters may run on
            if xml.__class__ is str
        ]
        if len(parts) + made.count(None) < len(made):
            parts = self._with_apart(row, number, made)
        if parts:
            self.fh.write(f'<row r="{number}">{"".join(parts)}</row>')
        return 0

    def _with_apart(self, row: int, number: str, made: list) -> list[str]:
        """The cells of a row some of whose values were left to XlsxWriter."""
        references = self._references(len(made))
        parts = []
        for column, xml in enumerate(made):
            if xml.__class__ is str:
                parts.append(f'<c r="{references[column]}{number}"{xml}')
            elif xml is not None:
                parts.append(self._written_apart(row, column, xml))
        return parts

    def _references(self, width: int) -> list[str]:
        """The columns' letters, A to the ``width``-th."""
        letters = self.__dict__.setdefault("_letters", [])
        while len(letters) < width:
            letters.append(xl_col_to_name(len(letters)))
        return letters

    def _written_apart(self, row: int, column: int, made) -> str:
        """The XML XlsxWriter itself writes for a cell a maker left to it: ``made`` is a cell
        (text to escape or quote) or an ``Apart`` value for ``write``, which checks it as always."""
        if made.__class__ is Apart:
            self._write(row, column, made.value)
            made = self.table[row].pop(column, None)
            if made is None:
                return ""
        file, self.fh = self.fh, io.StringIO()
        try:
            self._write_cell(row, column, made)
            return self.fh.getvalue()
        finally:
            self.fh = file


def safe_title(text: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if char in "[]:*?/\\" else char for char in text)[:31]
