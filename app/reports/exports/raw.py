"""The raw data workbook: one row per organization, one column per answer, tables apart.

Written with openpyxl in write-only mode while responses stream from the database in chunks,
so memory stays flat whatever the number of organizations.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.campaigns.answers import TEXT_TYPES
from app.campaigns.models import Campaign, Response, ResponseStatus
from app.core.spreadsheets import safe_cell, safe_value
from app.core.timefmt import export_moment, zoned
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.definition import reported_definition
from app.reports.aggregates import ReportFilter, responses_clause

CHUNK = 500
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH, MAX_WIDTH = 12, 40
DAY = "DD.MM.YYYY"
MOMENT = "DD.MM.YYYY HH:MM"
SKIPPED = ("note",)


def _questions(definition: dict) -> list[dict]:
    return [q for s in definition["sections"] for q in s["questions"] if q["type"] not in SKIPPED]


EMPTY = (None, "", [], {})


def _integer(value):
    return None if value in EMPTY else int(value)


def _decimal(value):
    if value in EMPTY:
        return None
    number = Decimal(str(value))
    if not number.is_finite():
        raise InvalidOperation(value)
    return number


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
        except (ValueError, TypeError, ArithmeticError, AttributeError, KeyError):
            return str(value)

    return cell


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
    """(header, key, cell of the question's value) of the columns a question takes in the main
    sheet: one per option of a multiple choice (0 or 1), one per row of a matrix."""
    key, label = question["key"], question["label"]
    if question["type"] == "multiple":
        return [
            (
                f"{label}: {option['label']}",
                f"{key}.{option['code']}",
                # none ticked ([]) is 0 in every option; not shown (None) leaves the cells empty
                _lenient(
                    lambda value, code=option["code"]: None if value is None else int(code in value)
                ),
            )
            for option in question.get("choices") or []
        ]
    if question["type"] == "matrix":
        labels = _labels(question.get("choices"))
        return [
            (
                f"{label}: {row['label']}",
                f"{key}.{row['code']}",
                _lenient(
                    lambda value, code=row["code"]: (
                        labels.get(value[code], value[code])
                        if value and value.get(code) not in EMPTY
                        else None
                    )
                ),
            )
            for row in question.get("rows") or []
        ]
    return [(label, key, converter(question))]


def _header(sheet, titles, *, wide: tuple[int, ...] = ()) -> None:
    """A bold header row. Given ``wide`` (the numbers of the columns holding long text), it is
    the sheet's first row: each column gets as wide as its title needs, within bounds, the
    titles wrap, so that nothing is cut off (a write-only sheet takes widths before any row)."""
    cells = []
    for number, title in enumerate(titles, start=1):
        cell = safe_value(WriteOnlyCell(sheet), str(title))
        cell.font = BOLD
        if wide:
            cell.alignment = WRAP
            width = min(max(len(str(title)) + 2, MIN_WIDTH), MAX_WIDTH)
            width = MAX_WIDTH if number in wide else width
            sheet.column_dimensions[get_column_letter(number)].width = width
        cells.append(cell)
    sheet.append(cells)


def _responses(viewer, campaign: Campaign, report_filter: ReportFilter) -> list[sa.Row]:
    """The responses in the order of their organizations, without their answers: sorting never
    carries the answers, which come later chunk by chunk (``_with_answers``)."""
    statement = (
        sa.select(
            Response.id,
            Organization.name,
            Organization.locality,
            Response.status,
            Response.submitted_at,
        )
        .join(Response.organization)
        .where(responses_clause(viewer, campaign, report_filter))
        .order_by(Organization.sort_key, Response.id)
    )
    return db.session.execute(statement).all()


def _with_answers(responses: list[sa.Row]):
    """(response, answers) in the order given, the answers fetched ``CHUNK`` responses at a
    time."""
    for start in range(0, len(responses), CHUNK):
        chunk = responses[start : start + CHUNK]
        statement = sa.select(Response.id, Response.data).where(
            Response.id.in_([response.id for response in chunk])
        )
        answers = dict(db.session.execute(statement).all())
        for response in chunk:
            yield response, answers.get(response.id) or {}


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
    workbook = Workbook(write_only=True)
    main = workbook.create_sheet(_("Answers"))
    main.freeze_panes = FROZEN
    fixed = [_("Organization"), _("Locality"), _("Status"), zoned(_("Submitted"))]
    wide = (1, 2, *(len(fixed) + n for n, (q, *_rest) in enumerate(columns, start=1) if _wide(q)))
    _header(main, fixed + [header for _question, header, _column, _convert in columns], wide=wide)
    _header(
        main,
        ["organization", "locality", "status", "submitted_at"]
        + [column for _question, _header, column, _convert in columns],
    )
    table_sheets = {q["key"]: _table_sheet(workbook, q) for q in tables}
    cells = [(question["key"], convert) for question, _header, _column, convert in columns]
    width = len(fixed) + len(cells)
    statuses = {status: str(status.label) for status in ResponseStatus}
    table_cells = {
        q["key"]: [(column["key"], converter(column)) for column in q["columns"]] for q in tables
    }
    responses = _responses(viewer, campaign, report_filter)
    sheet_rows = dict.fromkeys(table_cells, 0)
    count = 0
    for response, answers in _with_answers(responses):
        name, moment = response.name, export_moment(response.submitted_at)
        _append(
            main,
            [name, response.locality, statuses[response.status], moment]
            + [convert(answers.get(key)) for key, convert in cells],
        )
        for key, row_cells in table_cells.items():
            for number, row in enumerate(_rows(answers.get(key)), start=1):
                _append(
                    table_sheets[key],
                    [name, number] + [convert(row.get(column)) for column, convert in row_cells],
                )
                sheet_rows[key] += 1
        count += 1
        if progress is not None and count % CHUNK == 0:
            progress(count, len(responses))
    _filter(main, width, count)
    for key, sheet in table_sheets.items():
        _filter(sheet, 2 + len(table_cells[key]), sheet_rows[key])
    _questions_sheet(workbook, questions)
    workbook.save(target)
    return count


# Both header rows (titles, then keys) and the organization's name stay in view when scrolling.
FROZEN = "B3"


def _filter(sheet, width: int, rows: int) -> None:
    """A filter on the keys' header row over the rows written."""
    sheet.auto_filter.ref = f"A2:{get_column_letter(max(width, 1))}{rows + 2}"


def _wide(question: dict) -> bool:
    """Whether the question's cells hold text of any length (typed, or labels of options)."""
    return question["type"] in (*TEXT_TYPES, "single", "matrix", "file")


def _append(sheet, values: list) -> None:
    sheet.append([_cell(sheet, value) for value in values])


def _cell(sheet, value):
    """Text made inert; dates and times written as Russians write them."""
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = MOMENT if isinstance(value, datetime) else DAY
        return cell
    return safe_cell(sheet, value)


def _rows(value) -> list[dict]:
    """A table's stored rows, leaving out whatever a draft holds that is not a row."""
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _table_sheet(workbook, question: dict):
    sheet = workbook.create_sheet(safe_title(question["key"]))
    sheet.freeze_panes = FROZEN
    columns = question["columns"]
    wide = (1, *(n for n, column in enumerate(columns, start=3) if _wide(column)))
    _header(sheet, [_("Organization"), "№"] + [column["label"] for column in columns], wide=wide)
    _header(sheet, ["organization", "row"] + [column["key"] for column in columns])
    return sheet


def safe_title(text: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if char in "[]:*?/\\" else char for char in text)[:31]


def _questions_sheet(workbook, questions: list[dict]) -> None:
    sheet = workbook.create_sheet(_("Questions"))
    _header(sheet, [_("Key"), _("Question"), _("Type"), _("Options")], wide=(2, 4))
    for question in questions:
        options = "; ".join(f"{o['code']} = {o['label']}" for o in question.get("choices") or [])
        _append(sheet, [question["key"], question["label"], question["type"], options])
