"""The raw data workbook: one row per organization, one column per answer, tables apart.

Written with XlsxWriter in constant-memory mode while responses stream from the database in
chunks: each row goes to disk as soon as the next one starts, so memory stays flat whatever the
number of organizations (measured against other writers in bench/README.md).
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from operator import attrgetter

import sqlalchemy as sa
from flask_babel import gettext as _

from app.campaigns.answers import TEXT_TYPES
from app.campaigns.models import Campaign, Response, ResponseStatus
from app.core.timefmt import export_moment, zoned
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.definition import reported_definition
from app.reports.aggregates import ReportFilter, responses_clause
from app.reports.exports.xlsx import DAY, MOMENT, Book, safe_title
from app.reports.rounding import excel_format

# Responses whose answers are decoded at once: 250 of a 506-column form take about 35 MB.
CHUNK = 250
MIN_WIDTH, MAX_WIDTH = 12, 40
SKIPPED = ("note",)
# Cells of these types get the column's number format; a decimal gets its own places.
FORMATS = {"integer": excel_format(0), "scale": excel_format(0), "date": DAY, "moment": MOMENT}
# Both header rows (titles, then keys) and the organization's name stay in view when scrolling.
FROZEN_ROWS, FROZEN_COLUMNS = 2, 1

__all__ = ["converter", "safe_title", "write_raw"]


def _questions(definition: dict) -> list[dict]:
    return [q for s in definition["sections"] for q in s["questions"] if q["type"] not in SKIPPED]


EMPTY = (None, "", [], {})
# What a draft's value that does not fit its question's type raises when converted.
LENIENT = (ValueError, TypeError, ArithmeticError, AttributeError, KeyError)


def _integer(value):
    return None if value in EMPTY else int(value)


def _decimal(value):
    return None if value in EMPTY else _finite(value)


def _date(value):
    return None if value in EMPTY else date.fromisoformat(value)


def _text(value):
    return None if value in EMPTY else str(value)


def _file(value):
    return value.get("name", "") if value else None


def _labels(options: list[dict] | None) -> dict:
    return {option["code"]: option["label"] for option in options or []}


def _lenient(convert):
    """``convert``, or the stored value as text where it does not fit the question's type: a
    draft keeps whatever was typed (text in a number question), and its row is still written."""

    def cell(value):
        try:
            return convert(value)
        except LENIENT:
            return str(value)

    return cell


def _parsed(parse, made):
    """A reader of the cells of stored values parsed by ``parse`` and made by
    ``made(makers)``; a value that does not parse is written as text, as ``_lenient`` does."""

    def reader(makers):
        make, text = made(makers), makers.any

        def cell(value):
            if value in EMPTY:
                return None
            try:
                parsed = parse(value)
            except LENIENT:
                return text(str(value))
            return make(parsed)

        return cell

    return reader


def _finite(value) -> Decimal:
    number = Decimal(str(value))
    if not number.is_finite():
        raise InvalidOperation(value)
    return number


def _converted(convert):
    """A reader of the cells of whatever ``convert`` gives."""

    def reader(makers):
        make = makers.any
        return lambda value: make(convert(value))

    return reader


def _reader(question: dict):
    """The function turning a column's cell makers (``Book.cell_makers``) into the function
    turning a question's stored value into its cell in one step: ``converter`` and the cell's
    type settled once per column rather than once per cell."""
    kind = question["type"]
    if kind in ("integer", "scale"):
        return _parsed(int, attrgetter("integer"))
    if kind == "decimal":
        return _parsed(_finite, attrgetter("decimal"))
    if kind == "date":
        return _parsed(date.fromisoformat, attrgetter("moment"))
    if kind in TEXT_TYPES:
        return _parsed(str, attrgetter("text"))
    return _converted(converter(question))


def _ticked(code: str):
    """A reader of the 0 or 1 of one option of a multiple choice: none ticked ([]) is 0 in
    every option; not shown (None) leaves the cells empty."""

    def reader(makers):
        number, text = makers.integer, makers.any

        def cell(value):
            if value is None:
                return None
            try:
                return number(int(code in value))
            except LENIENT:
                return text(str(value))

        return cell

    return reader


def converter(question: dict):
    """The function turning a question's stored value into its cell: numbers as numbers, dates
    as dates, codes as their labels. Built once per export, so the labels and translations are
    looked up once, not once per cell."""
    return _lenient(_converter(question))


def _converter(question: dict):
    kind = question["type"]
    if kind in ("integer", "scale"):
        return _integer
    if kind == "decimal":
        return _decimal
    if kind == "date":
        return _date
    if kind == "file":
        return _file
    if kind in ("single", "yesno"):
        labels = _labels(question.get("choices"))
        if kind == "yesno":
            labels = {"yes": _("Yes"), "no": _("No")}
        return lambda value: None if value in EMPTY else labels.get(value, value)
    if kind == "multiple":
        labels = _labels(question.get("choices"))
        return lambda value: (
            None if not value else "; ".join(str(labels.get(code, code)) for code in value)
        )
    return _text


def _columns(question: dict) -> list[tuple[str, str, object]]:
    """(header, key, reader of the question's value: ``_reader``) of the columns a question
    takes in the main sheet: one per option of a multiple choice (0 or 1), one per row of a
    matrix."""
    key, label = question["key"], question["label"]
    if question["type"] == "multiple":
        return [
            (f"{label}: {option['label']}", f"{key}.{option['code']}", _ticked(option["code"]))
            for option in question.get("choices") or []
        ]
    if question["type"] == "matrix":
        labels = _labels(question.get("choices"))
        return [
            (
                f"{label}: {row['label']}",
                f"{key}.{row['code']}",
                _converted(
                    _lenient(
                        lambda value, code=row["code"]: (
                            labels.get(value[code], value[code])
                            if value and value.get(code) not in EMPTY
                            else None
                        )
                    )
                ),
            )
            for row in question.get("rows") or []
        ]
    return [(label, key, _reader(question))]


class _Sheet:
    """A worksheet written row after row: two header rows, then the data."""

    def __init__(self, book: Book, title: str, titles: list, keys: list, kinds: list, readers=()):
        """``kinds`` gives each column's question type (or "" for none): it sets the column's
        width (titles' length within bounds, the widest for text of any length) and number
        format. ``readers`` (``_reader``) turn the stored values of the last columns into
        cells; the first columns take their values as they are."""
        self.book, self.sheet, self.row = book, book.sheet(title, rows=True), 2
        header = book.format(bold=True, text_wrap=True, valign="top")
        self.cells = []
        readers = [None] * (len(titles) - len(readers)) + list(readers)
        for number, (title_text, kind, reader) in enumerate(
            zip(titles, kinds, readers, strict=True)
        ):
            width = min(max(len(str(title_text)) + 2, MIN_WIDTH), MAX_WIDTH)
            width = MAX_WIDTH if kind in WIDE else width
            number_format = FORMATS.get(kind)
            column_format = book.format(num_format=number_format) if number_format else None
            self.sheet.set_column(number, number, width, column_format)
            makers = book.cell_makers(column_format)
            self.cells.append(makers.any if reader is None else reader(makers))
        self.sheet.write_row(0, 0, [str(title_text) for title_text in titles], header)
        self.sheet.write_row(1, 0, keys, book.format(bold=True))
        self.width = len(titles)
        self.sheet.freeze_panes(FROZEN_ROWS, FROZEN_COLUMNS)

    def append(self, values: list) -> None:
        self.sheet.append_values(self.row, values, self.cells)
        self.row += 1

    def close(self) -> None:
        """A filter on the keys' header row over the rows written."""
        self.sheet.autofilter(1, 0, max(self.row - 1, 1), max(self.width - 1, 0))


# Columns whose cells hold text of any length (typed, or labels of options), and the
# organization's name.
WIDE = (*TEXT_TYPES, "single", "matrix", "file", "organization")


def _responses(viewer, campaign: Campaign, report_filter: ReportFilter) -> list[int]:
    """The responses' ids in the order of their organizations: sorting never carries the
    answers, and the list kept through the export holds only numbers, whatever the number of
    organizations; the rest comes chunk by chunk (``_with_answers``)."""
    statement = (
        sa.select(Response.id)
        .join(Response.organization)
        .where(responses_clause(viewer, campaign, report_filter))
        .order_by(Organization.sort_key, Response.id)
    )
    return db.session.scalars(statement).all()


def _with_answers(ids: list[int]):
    """(response, answers) in the order of ``ids``: the response's organization, status and
    submission time, and its answers, fetched ``CHUNK`` responses at a time."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        statement = (
            sa.select(
                Response.id,
                Organization.name,
                Organization.locality,
                Response.status,
                Response.submitted_at,
                Response.data,
            )
            .join(Response.organization)
            .where(Response.id.in_(chunk))
        )
        rows = {row.id: row for row in db.session.execute(statement)}
        for response_id in chunk:
            if response_id in rows:
                yield rows[response_id], rows[response_id].data or {}


def write_raw(
    viewer, campaign: Campaign, report_filter: ReportFilter, target, progress=None, language=""
) -> int:
    """Writes the workbook to ``target`` (a path or a binary file); returns the rows written.

    ``progress(done, total)`` is called after every chunk of rows, when given; ``language``
    is one of the form's languages for its texts (by default its default language).
    """
    definition = reported_definition(campaign.form_version, language)
    questions = _questions(definition)
    tables = [q for q in questions if q["type"] == "table"]
    plain = [q for q in questions if q["type"] != "table"]
    columns = [(question, *column) for question in plain for column in _columns(question)]
    book = Book(target, constant_memory=True)
    main = _Sheet(
        book,
        _("Answers"),
        [_("Organization"), _("Locality"), _("Status"), zoned(_("Submitted"))]
        + [header for _question, header, _column, _read in columns],
        ["organization", "locality", "status", "submitted_at"]
        + [column for _question, _header, column, _read in columns],
        ["organization", "text", "", "moment"]
        + [_kind(question, column) for question, _header, column, _read in columns],
        [reader for _question, _header, _column, reader in columns],
    )
    table_sheets = {q["key"]: _table_sheet(book, q) for q in tables}
    keys = [question["key"] for question, _header, _column, _read in columns]
    statuses = {status: str(status.label) for status in ResponseStatus}
    table_keys = {q["key"]: [column["key"] for column in q["columns"]] for q in tables}
    responses = _responses(viewer, campaign, report_filter)
    count = 0
    for response, answers in _with_answers(responses):
        name = response.name
        main.append(
            [
                name,
                response.locality,
                statuses[response.status],
                export_moment(response.submitted_at),
            ]
            + list(map(answers.get, keys))
        )
        for key, column_keys in table_keys.items():
            sheet = table_sheets[key]
            for number, row in enumerate(_rows(answers.get(key)), start=1):
                sheet.append([name, number, *map(row.get, column_keys)])
        count += 1
        if progress is not None and count % CHUNK == 0:
            progress(count, len(responses))
    main.close()
    for sheet in table_sheets.values():
        sheet.close()
    _questions_sheet(book, questions)
    book.close()
    return count


def _kind(question: dict, column: str) -> str:
    """The type of a main-sheet column's cells: a multiple choice's columns hold 0 or 1."""
    return "integer" if question["type"] == "multiple" else question["type"]


def _rows(value) -> list[dict]:
    """A table's stored rows, leaving out whatever a draft holds that is not a row."""
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _table_sheet(book: Book, question: dict) -> _Sheet:
    columns = question["columns"]
    return _Sheet(
        book,
        safe_title(question["key"]),
        [_("Organization"), "№"] + [column["label"] for column in columns],
        ["organization", "row"] + [column["key"] for column in columns],
        ["organization", "integer"] + [column["type"] for column in columns],
        [_reader(column) for column in columns],
    )


def _questions_sheet(book: Book, questions: list[dict]) -> None:
    sheet = _Sheet(
        book,
        _("Questions"),
        [_("Key"), _("Question"), _("Type"), _("Options")],
        ["key", "label", "type", "options"],
        ["", "text", "", "text"],
    )
    for question in questions:
        options = "; ".join(f"{o['code']} = {o['label']}" for o in question.get("choices") or [])
        sheet.append([question["key"], question["label"], question["type"], options])
