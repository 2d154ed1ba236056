"""Who has not taken part in any event this academic year, as an .xlsx."""

import io
from datetime import date

from app.core.timefmt import date_filter
from app.core.views import send_xlsx
from app.registry.exports import _header as register_header
from app.registry.models import LibrarianRecord
from app.reports.exports.xlsx import Book

COLUMNS = [("Фамилия, имя, отчество", 36), ("Школа", 64), ("Должность", 42),
           ("Телефон", 18), ("Эл. почта", 26)]  # fmt: skip


def write_non_participants(records: list[LibrarianRecord], target) -> None:
    book = Book(target)
    bold = book.format(bold=True, text_wrap=True, valign="top")
    sheet = book.sheet("Не участвовали")
    register_header(sheet, bold, COLUMNS)  # landscape, one page wide, the header on every page
    for row, record in enumerate(records, 1):
        values = (record.full_name, record.organization.name, record.position_label,
                  record.phone, record.email)  # fmt: skip
        for column, value in enumerate(values):
            if value:
                sheet.write(row, column, value)
    book.close()


def non_participants_xlsx(records: list[LibrarianRecord], today: date):
    buffer = io.BytesIO()
    write_non_participants(records, buffer)
    return send_xlsx(
        buffer.getvalue(), f"Не участвовали в мероприятиях — {date_filter(today)}.xlsx"
    )
