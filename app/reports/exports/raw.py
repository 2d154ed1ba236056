"""The raw data workbook: one row per organization, one column per answer, tables apart.

Written with openpyxl in write-only mode while responses stream from the database in chunks,
so memory stays flat whatever the number of organizations.
"""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from app.campaigns.models import Campaign, Response
from app.core.spreadsheets import safe_cell
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.definition import version_definition
from app.reports.aggregates import ReportFilter, responses_clause

CHUNK = 500
BOLD = Font(bold=True)
SKIPPED = ("note",)


def _questions(definition: dict) -> list[dict]:
    return [q for s in definition["sections"] for q in s["questions"] if q["type"] not in SKIPPED]


def _label(options: list[dict] | None, code) -> str:
    return next((o["label"] for o in options or [] if o["code"] == code), code or "")


def typed(question: dict, value):
    """A cell value of the right type: numbers as numbers, dates as dates, text made inert."""
    if value in (None, "", [], {}):
        return None
    kind = question["type"]
    if kind in ("integer", "scale"):
        return int(value)
    if kind == "decimal":
        return Decimal(str(value))
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "single":
        return safe_cell(_label(question.get("choices"), value))
    if kind == "yesno":
        return _("Yes") if value == "yes" else _("No")
    if kind == "multiple":
        return safe_cell("; ".join(_label(question.get("choices"), code) for code in value))
    if kind == "file":
        return safe_cell(value.get("name", ""))
    return safe_cell(str(value))


def _columns(question: dict) -> list[tuple[str, str, object]]:
    """(header, key, extractor) of the columns a question takes in the main sheet."""
    key, label = question["key"], question["label"]
    if question["type"] == "multiple":
        return [
            (
                f"{label}: {option['label']}",
                f"{key}.{option['code']}",
                lambda answers, code=option["code"]: int(code in (answers.get(key) or [])),
            )
            for option in question.get("choices") or []
        ]
    if question["type"] == "matrix":
        return [
            (
                f"{label}: {row['label']}",
                f"{key}.{row['code']}",
                lambda answers, code=row["code"]: safe_cell(
                    _label(question.get("choices"), (answers.get(key) or {}).get(code)) or None
                ),
            )
            for row in question.get("rows") or []
        ]
    return [(label, key, lambda answers: typed(question, answers.get(key)))]


def _header(sheet, titles) -> None:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=safe_cell(title))
        cell.font = BOLD
        cells.append(cell)
    sheet.append(cells)


def _count(viewer, campaign: Campaign, report_filter: ReportFilter) -> int:
    statement = (
        sa.select(sa.func.count(Response.id))
        .join(Response.organization)
        .where(responses_clause(viewer, campaign, report_filter))
    )
    return db.session.scalar(statement)


def _rows(viewer, campaign: Campaign, report_filter: ReportFilter):
    statement = (
        sa.select(
            Organization.name,
            Organization.locality,
            Response.status,
            Response.submitted_at,
            Response.data,
        )
        .join(Response.organization)
        .where(responses_clause(viewer, campaign, report_filter))
        .order_by(Organization.sort_key, Response.id)
        .execution_options(yield_per=CHUNK)
    )
    return db.session.execute(statement)


def write_raw(
    viewer, campaign: Campaign, report_filter: ReportFilter, target, progress=None
) -> int:
    """Writes the workbook to ``target`` (a path or a binary file); returns the rows written.

    ``progress(done, total)`` is called after every chunk of rows, when given.
    """
    definition = version_definition(campaign.form_version)
    questions = _questions(definition)
    tables = [q for q in questions if q["type"] == "table"]
    plain = [q for q in questions if q["type"] != "table"]
    columns = [column for question in plain for column in _columns(question)]
    workbook = Workbook(write_only=True)
    main = workbook.create_sheet(_("Answers"))
    fixed = [_("Organization"), _("Locality"), _("Status"), _("Submitted")]
    _header(main, fixed + [column[0] for column in columns])
    _header(
        main,
        ["organization", "locality", "status", "submitted_at"] + [column[1] for column in columns],
    )
    table_sheets = {q["key"]: _table_sheet(workbook, q) for q in tables}
    total = _count(viewer, campaign, report_filter) if progress is not None else 0
    count = 0
    for name, locality, status, submitted_at, data in _rows(viewer, campaign, report_filter):
        answers = data or {}
        moment = submitted_at.replace(tzinfo=None) if submitted_at else None
        main.append(
            [safe_cell(name), safe_cell(locality), str(status.label), moment]
            + [column[2](answers) for column in columns]
        )
        for question in tables:
            for number, row in enumerate(answers.get(question["key"]) or [], start=1):
                table_sheets[question["key"]].append(
                    [safe_cell(name), number]
                    + [typed(column, row.get(column["key"])) for column in question["columns"]]
                )
        count += 1
        if progress is not None and count % CHUNK == 0:
            progress(count, total)
    _questions_sheet(workbook, questions)
    workbook.save(target)
    return count


def _table_sheet(workbook, question: dict):
    sheet = workbook.create_sheet(safe_title(question["key"]))
    columns = question["columns"]
    _header(sheet, [_("Organization"), "№"] + [column["label"] for column in columns])
    _header(sheet, ["organization", "row"] + [column["key"] for column in columns])
    return sheet


def safe_title(text: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if char in "[]:*?/\\" else char for char in text)[:31]


def _questions_sheet(workbook, questions: list[dict]) -> None:
    sheet = workbook.create_sheet(_("Questions"))
    _header(sheet, [_("Key"), _("Question"), _("Type"), _("Options")])
    for question in questions:
        options = "; ".join(f"{o['code']} = {o['label']}" for o in question.get("choices") or [])
        sheet.append(
            [question["key"], safe_cell(question["label"]), question["type"], safe_cell(options)]
        )
