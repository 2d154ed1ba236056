"""Who has not taken part in any event this academic year, as an .xlsx."""

import io
from datetime import date

from app.core.timefmt import date_filter
from app.core.views import send_xlsx
from app.registry.exports import HEADER_HEIGHT
from app.registry.models import LibrarianRecord
from app.reports.exports.xlsx import Book

COLUMNS = [("Фамилия, имя, отчество", 36), ("Школа", 44), ("Должность", 30),
           ("Телефон", 18), ("Эл. почта", 26)]  # fmt: skip


def write_non_participants(records: list[LibrarianRecord], target) -> None:
    book = Book(target)
    bold = book.format(bold=True, text_wrap=True, valign="top")
    sheet = book.sheet("Не участвовали")
    for column, (title, width) in enumerate(COLUMNS):
        sheet.write(0, column, title, bold)
        sheet.set_column(column, column, width)
    sheet.set_row(0, HEADER_HEIGHT)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, 0, len(COLUMNS) - 1)
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
