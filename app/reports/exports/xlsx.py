"""The exports' XlsxWriter workbooks: text never read as a formula, decimals shown with their own
places, formats made once per workbook.

Every string and Decimal a sheet is given through ``write``/``write_row`` passes through the
handlers below, so no caller can forget them.
"""

from decimal import Decimal

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from app.core.spreadsheets import FORMULA_PREFIXES
from app.reports.rounding import excel_format

OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
MAX_PLACES = 6
DAY = "DD.MM.YYYY"
MOMENT = "DD.MM.YYYY HH:MM"


class Book:
    """An XlsxWriter workbook written to ``target`` (a path or a binary file); with
    ``constant_memory`` each row goes to disk as soon as the next one starts."""

    def __init__(self, target, *, constant_memory: bool = False):
        self.workbook = xlsxwriter.Workbook(target, {**OPTIONS, "constant_memory": constant_memory})
        self._formats: dict[tuple, object] = {}
        self.quoted = self.format(quote_prefix=True)

    def format(self, **properties):
        """The workbook's one format with these properties."""
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    def number(self, places: int):
        return self.format(num_format=excel_format(places))

    def sheet(self, title: str):
        sheet = self.workbook.add_worksheet(title)
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
        places = min(max(-number.as_tuple().exponent, 0), MAX_PLACES)
        return sheet.write_number(row, column, number, self.number(places))


def safe_title(text: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if char in "[]:*?/\\" else char for char in text)[:31]
