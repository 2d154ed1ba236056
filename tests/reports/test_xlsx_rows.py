"""Rows of made cells are written byte for byte as ``write_row`` writes the same values."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from app.reports.exports.xlsx import Book

ROWS = [
    ["Нюрбинская СОШ №1", 420, Decimal("66.25"), date(2026, 11, 26), datetime(2026, 11, 26, 8, 30)],
    ['=HYPERLINK("http://x","y")', "много", Decimal("1.123456789"), None, "-"],
    ["a\x01b <&> ", 3.5, Decimal("10"), "", True],
    ["\0", -7, Decimal("-0.50"), "вчера", "x" * 20000],
    [" лидирующий", "хвост\xa0", "_x0041_ & <r>", "строка\n", 'кавычки "да"'],
    ["<r>rich</r>", 1e-7, Decimal("1E+20"), 10**15, "\ufffe"],
    [2**53 - 1, -(2**53) + 1, 2**53 + 1, 10**16 - 1, 12345678901234567890],
]


def _sheet_xml(made: bool) -> bytes:
    buffer = io.BytesIO()
    book = Book(buffer, constant_memory=True)
    sheet = book.sheet("Лист", rows=made)
    integer, day = book.format(num_format="#,##0"), book.format(num_format="DD.MM.YYYY")
    formats = [None, integer, None, day, book.format(num_format="DD.MM.YYYY HH:MM")]
    for column, column_format in enumerate(formats):
        sheet.set_column(column, column, 12, column_format)
    sheet.write_row(0, 0, ["one", "two", "three", "four", "five"])
    cells = [book.cell_makers(column_format).any for column_format in formats]
    for number, row in enumerate(ROWS, start=1):
        if made:
            sheet.append_values(number, row, cells)
        else:
            sheet.write_row(number, 0, row)
    book.close()
    with zipfile.ZipFile(buffer) as archive:
        return archive.read("xl/worksheets/sheet1.xml") + archive.read("xl/styles.xml")


def test_made_cells_are_written_as_write_row_writes_their_values():
    assert _sheet_xml(made=True) == _sheet_xml(made=False)
