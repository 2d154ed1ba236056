"""The register as an .xlsx: one sheet of people (with their experience and whether they are due
for courses on the day of the export), one of their courses."""

from collections.abc import Callable
from datetime import date

from app.registry.models import LibrarianRecord
from app.registry.services import course_due, full_years, last_course_end
from app.reports.exports.xlsx import DAY, Book

YES, NO = "да", "нет"
HEADER_HEIGHT = 48  # points: three lines of a wrapped title


def _yes(value: bool) -> str:
    return YES if value else NO


def _people_columns(today: date) -> list[tuple[str, int, Callable[[LibrarianRecord], object]]]:
    """(title, width, value of a record)."""
    return [
        ("Фамилия", 16, lambda r: r.last_name),
        ("Имя", 14, lambda r: r.first_name),
        ("Отчество", 16, lambda r: r.patronymic),
        ("Школа", 40, lambda r: r.organization.name),
        ("Должность", 28, lambda r: r.position_label),
        ("Ставка", 8, lambda r: r.rate.normalize()),
        ("Работа", 16, lambda r: str(r.employment.label)),
        ("Образование", 22, lambda r: str(r.education.label)),
        ("Библиотечное", 14, lambda r: _yes(r.library_education)),
        ("Педагогическое", 16, lambda r: _yes(r.pedagogical_education)),
        ("Год окончания", 11, lambda r: r.graduation_year),
        ("Общий стаж, лет", 11, lambda r: full_years(r.career_start, today)),
        ("Библиотечный стаж, лет", 14, lambda r: full_years(r.library_start, today)),
        ("Категория", 24, lambda r: str(r.category.label)),
        ("Дата категории", 12, lambda r: r.category_date),
        ("Телефон", 18, lambda r: r.phone),
        ("Эл. почта", 24, lambda r: r.email),
        ("Последний курс окончен", 14, last_course_end),
        ("Нужны курсы", 11, lambda r: _yes(r.is_active and course_due(r, today))),
        ("Работает", 10, lambda r: _yes(r.is_active)),
        ("Дата увольнения", 12, lambda r: r.left_on),
    ]


COURSE_COLUMNS = [
    ("Фамилия, имя, отчество", 32),
    ("Школа", 40),
    ("Тема", 48),
    ("Организация", 40),
    ("Часов", 8),
    ("С", 12),
    ("По", 12),
    ("Номер удостоверения", 18),
]


def write_register(records: list[LibrarianRecord], today: date, target) -> None:
    book = Book(target)
    day = book.format(num_format=DAY)
    bold = book.format(bold=True, text_wrap=True, valign="top")
    columns = _people_columns(today)
    people = book.sheet("Сотрудники")
    _header(people, bold, [(title, width) for title, width, _value in columns])
    for row, record in enumerate(records, 1):
        for column, (_title, _width, value) in enumerate(columns):
            _write(people, row, column, value(record), day)
    courses = book.sheet("Курсы")
    _header(courses, bold, COURSE_COLUMNS)
    row = 0
    for record in records:
        for course in record.courses:
            row += 1
            values = [record.full_name, record.organization.name, course.topic,
                      course.provider, course.hours, course.starts_on, course.ends_on,
                      course.document_number]  # fmt: skip
            for column, value in enumerate(values):
                _write(courses, row, column, value, day)
    book.close()


def _header(sheet, bold, columns: list[tuple[str, int]]) -> None:
    for column, (title, width) in enumerate(columns):
        sheet.write(0, column, title, bold)
        sheet.set_column(column, column, width)
    sheet.set_row(0, HEADER_HEIGHT)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, 0, len(columns) - 1)
    sheet.set_landscape()  # printed: one page wide, the header on every page
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _write(sheet, row: int, column: int, value, day) -> None:
    if value is None or value == "":
        return
    if isinstance(value, date):
        sheet.write_datetime(row, column, value, day)
    else:
        sheet.write(row, column, value)
