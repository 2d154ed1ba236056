"""The jury protocol as a workbook: «Итоги» (one row per entry with every figure), «Рейтинг» (the
places per nomination), «Конфликты интересов» (who did not score which entry and why) and one
sheet per juror (their scores, comments and totals). For a reader from whom a blind contest hides
names, the title and organization cells stay empty (see ``documents.Protocol``).

Scores are numbers with two places («0.00»), so that they can be checked with a formula; every
cell goes through ``safe_value``, because titles and comments are typed by participants and
jurors.
"""

import math
import re
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from app.contests.documents import (
    AGREEMENT_WORDS,
    Protocol,
    criterion_label,
    entry_notes,
    method_notes,
    score_number,
    sheet_total,
    title_word,
)
from app.contests.documents.finality import finality_notes
from app.core.spreadsheets import safe_value
from app.core.text import quoted
from app.core.timefmt import export_moment, zoned
from app.db import utcnow

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
DRAFT = Font(bold=True, color="B00000")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
SCORE = "0.00"
MOMENT = "DD.MM.YYYY HH:MM"
SHEET_TITLE_LENGTH = 31
NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
CONFLICTS = "Конфликты интересов"
DEFAULT_WIDTH, FIGURE_WIDTH, NOTES_WIDTH, LINE_HEIGHT = 13, 12, 50, 15


class _Sheet:
    """A worksheet written from the top down; ``row`` is the next free row."""

    def __init__(self, sheet, widths: dict[str, float]):
        self.sheet, self.row = sheet, 1
        for letter, width in widths.items():
            sheet.column_dimensions[letter].width = width
        sheet.page_setup.orientation = "landscape"  # printed as wide as the page, however long
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    def note(self, text: str, columns: int = 4) -> int:
        """A long text wrapped over the first ``columns`` columns, its row as high as needed."""
        row = self.line(text)
        self.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        self.sheet.cell(row, 1).alignment = WRAP
        width = sum(
            self.sheet.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH
            for c in range(1, columns + 1)
        )
        self.sheet.row_dimensions[row].height = LINE_HEIGHT * math.ceil(len(text) / width)
        return row

    def line(self, *values, font: Font | None = None) -> int:
        for column, value in enumerate(values, start=1):
            cell = safe_value(self.sheet.cell(self.row, column), _value(value))
            if font:
                cell.font = font
            if isinstance(value, Decimal):
                cell.number_format = SCORE
            elif cell.is_date:
                cell.number_format = MOMENT
        self.row += 1
        return self.row - 1

    def header(self, *titles) -> int:
        row = self.line(*titles, font=BOLD)
        self.wrap(row)
        return row

    def wrap(self, row: int, first: int = 1) -> None:
        """Wraps the row's texts from column ``first`` on, the row as high as the longest needs
        (LibreOffice does not grow a row for wrapped text by itself)."""
        lines = 1
        for cell in self.sheet[row][: first - 1]:
            cell.alignment = TOP
        for cell in self.sheet[row][first - 1 :]:
            cell.alignment = WRAP
            width = self.sheet.column_dimensions[cell.column_letter].width or DEFAULT_WIDTH
            lines = max(lines, math.ceil(len(str(cell.value or "")) / width))
        self.sheet.row_dimensions[row].height = LINE_HEIGHT * lines


def _value(value):
    """Numbers as they are, times in the district's time, the rest as text (``str`` also
    renders lazy translations); ``safe_value`` makes it inert."""
    if value is None or isinstance(value, int | Decimal):
        return value
    if isinstance(value, datetime):
        return export_moment(value)
    return str(value) or None


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet title Excel accepts: no []:*?/\\, no quote at either end, at most 31 characters,
    unique among ``taken`` (compared as Excel does, ignoring case); added to ``taken``."""
    base = NOT_IN_TITLE.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", name)).strip().strip("'").strip()
    base = base or "Лист"
    title, number = base[:SHEET_TITLE_LENGTH], 1
    while title.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        title = base[: SHEET_TITLE_LENGTH - len(suffix)].rstrip() + suffix
    taken.add(title.casefold())
    return title


def write_protocol_xlsx(protocol: Protocol, target) -> None:
    """Writes the workbook to ``target`` (a path or a binary file object)."""
    workbook = Workbook()
    taken = {"итоги", "рейтинг", CONFLICTS.casefold()}
    summary = _Sheet(workbook.active, {"A": 30, "B": 6, "C": 40, "D": 36})
    summary.sheet.title = "Итоги"
    _summary(summary, protocol)
    ranking = _Sheet(workbook.create_sheet("Рейтинг"), {"A": 30, "B": 6, "C": 40, "D": 36})
    _ranking(ranking, protocol)
    conflicts = _Sheet(workbook.create_sheet(CONFLICTS), {"A": 30, "C": 30, "D": 50, "E": 18})
    _conflicts(conflicts, protocol)
    for juror in protocol.jurors():
        sheet = workbook.create_sheet(sheet_title(juror.user.full_name, taken))
        _juror(_Sheet(sheet, {"A": 30, "B": 6, "C": 40}), protocol, juror)
    workbook.save(target)


def _heading(sheet: _Sheet, protocol: Protocol, subject: str) -> None:
    sheet.line(f"{subject}: {protocol.contest.title}", font=TITLE)
    if protocol.is_draft:
        sheet.line("ПРОЕКТ: итоги утверждены не во всех номинациях", font=DRAFT)
    row = sheet.line(zoned("Сформировано"), utcnow())
    sheet.sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    sheet.row += 1


def _summary(sheet: _Sheet, protocol: Protocol) -> None:
    _heading(sheet, protocol, "Протокол заседания жюри")
    for note in method_notes(protocol):
        sheet.note(note)
    sheet.row += 1
    criteria = protocol.contest.criteria
    figures = len(criteria) + 9  # the means, then «Итог» to «Нормированный итог»
    for column in range(5, 5 + figures):
        sheet.sheet.column_dimensions[get_column_letter(column)].width = FIGURE_WIDTH
    sheet.sheet.column_dimensions[get_column_letter(5 + figures)].width = NOTES_WIDTH
    top = sheet.header(
        "Номинация", "№", "Работа", "Организация", *(criterion_label(c) for c in criteria),
        "Итог", "Медиана", "Ст. откл.", "Размах", "Оценили", "Назначено", "Место", "Звание",
        "Нормированный итог", "Примечания",
    )  # fmt: skip
    sheet.sheet.freeze_panes = sheet.sheet.cell(top + 1, 3)
    for current in protocol.standings:
        nomination = current.nomination
        for result in current.result.entries:
            entry = current.entries[result.entry_id]
            sheet.line(
                nomination.title, entry.number, protocol.entry_title(entry),
                protocol.organization(entry),
                *(score_number(result.means.get(c.id)) for c in criteria),
                score_number(result.total), score_number(result.median), score_number(result.sd),
                score_number(result.spread), result.jurors, result.assigned, result.place,
                title_word(current.result, result),
                score_number(result.normalised), "; ".join(entry_notes(result)),
            )  # fmt: skip


def _ranking(sheet: _Sheet, protocol: Protocol) -> None:
    _heading(sheet, protocol, "Рейтинг")
    for current in protocol.standings:
        nomination, result = current.nomination, current.result
        sheet.line(f"Номинация {quoted(nomination.title)}", font=BOLD)
        state = "итоги утверждены" if nomination.is_finalized else "итоги не утверждены"
        sheet.line("Номинация не состоялась" if not result.held else state)
        for note in finality_notes(current):
            sheet.line(note)
        sheet.header("Место", "№", "Работа", "Организация", "Итог", "Звание")
        for entry_result in result.entries:
            entry = current.entries[entry_result.entry_id]
            sheet.line(
                entry_result.place, entry.number, protocol.entry_title(entry),
                protocol.organization(entry), score_number(entry_result.total),
                title_word(result, entry_result),
            )  # fmt: skip
        if result.agreement is not None:
            words = AGREEMENT_WORDS[result.agreement.level]
            sheet.line("Согласованность (W Кендалла)", score_number(result.agreement.w), words)
        sheet.row += 1


def _conflicts(sheet: _Sheet, protocol: Protocol) -> None:
    """Per nomination, the jurors who did not score an entry, and why."""
    _heading(sheet, protocol, CONFLICTS)
    sheet.header("Номинация", "№", "Член жюри", "Причина", "Дата")
    lines = [(c.nomination, line) for c in protocol.standings for line in protocol.sat_out(c)]
    for nomination, line in lines:
        row = sheet.line(
            nomination.title, line.entry.number, line.juror.user.full_name, line.why,
            line.declared_at,
        )  # fmt: skip
        sheet.wrap(row, 4)
    if not lines:
        sheet.line("Заявлений о конфликте интересов не поступало.")


def _juror(sheet: _Sheet, protocol: Protocol, juror) -> None:
    """The juror's completed score sheets counted in the results, nomination by nomination."""
    sheet.line(juror.user.full_name, font=TITLE)
    sheet.line(
        "Председатель жюри" if juror.is_chair else "Член жюри", protocol.juror_organization(juror)
    )
    sheet.line("Учтены завершённые оценочные листы.")
    sheet.row += 1
    criteria = protocol.contest.criteria
    sheet.header(
        "Номинация", "№", "Работа", *(criterion_label(c) for c in criteria), "Итог эксперта",
        "Общий комментарий", *(f"Комментарий: {c.name}" for c in criteria),
    )  # fmt: skip
    first_comment = 3 + len(criteria) + 2
    for column in range(first_comment, first_comment + len(criteria) + 1):
        sheet.sheet.column_dimensions[get_column_letter(column)].width = 40
    written = 0
    for current in protocol.standings:
        own = [
            assignment
            for entry_id in sorted(current.entries, key=lambda i: current.entries[i].number)
            for assignment in current.sheets[entry_id]
            if assignment.juror_id == juror.id
        ]
        for assignment in own:
            scores = {score.criterion_id: score for score in assignment.scores}
            row = sheet.line(
                current.nomination.title, assignment.entry.number,
                protocol.entry_title(assignment.entry),
                *(score_number(_score_value(scores, c)) for c in criteria),
                sheet_total(assignment, current.criteria), assignment.comment,
                *(scores[c.id].comment if c.id in scores else None for c in criteria),
            )  # fmt: skip
            sheet.wrap(row, first_comment)
            written += 1
    if not written:
        sheet.line("Завершённых оценочных листов нет.")


def _score_value(scores: dict, criterion) -> Decimal | None:
    score = scores.get(criterion.id)
    return None if score is None else score.value
