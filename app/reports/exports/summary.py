"""The summary workbook: the report page's tables, each with a native Excel chart beside it.

«Сводка» holds the completion and one block per question in the order of the form; «Показатели»
the computed indicators and the organizations off their norm; «Тексты» the answers to text
questions. Numbers and dates keep their types; every cell goes through ``safe_value``.
"""

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.accounts.models import User
from app.campaigns.answers import TEXT_TYPES
from app.campaigns.models import Campaign, ResponseStatus
from app.campaigns.visits import VISIT_FILTERS
from app.core.spreadsheets import safe_value
from app.core.timefmt import export_moment, zoned
from app.db import utcnow
from app.organizations.models import OrganizationKind
from app.questionnaires.definition import reported_definition, section_name
from app.reports.aggregates import (
    COUNTED,
    ReportFilter,
    completion,
    options_of,
    question_report,
    questions_report,
)
from app.reports.indicators import indicator_report

TITLE = Font(bold=True, size=14)
SECTION = Font(bold=True, size=12)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
PERCENT = "0.0"
DAY = "DD.MM.YYYY"
MOMENT = "DD.MM.YYYY HH:MM"
ROW_HEIGHT = 0.53  # cm, of a row of the default 15 points
TEXT_PAGE = 200  # the most answers question_report gives in one page
NUMBER_FIGURES = (
    ("n", "Число ответов"),
    ("sum", "Сумма"),
    ("mean", "Среднее"),
    ("median", "Медиана"),
    ("min", "Минимум"),
    ("max", "Максимум"),
)


class _Sheet:
    """A worksheet written from the top down; ``row`` is the next free row."""

    def __init__(self, sheet, widths: dict[str, float]):
        self.sheet, self.row = sheet, 1
        for letter, width in widths.items():
            sheet.column_dimensions[letter].width = width
        # printed (and turned into PDF) a page wide, as long as it needs
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.page_setup.orientation = "landscape"

    def line(self, *values, font: Font | None = None, formats: dict | None = None) -> int:
        """Writes ``values`` from column A on; ``formats`` maps a column number to its format.
        Returns the number of the row written."""
        for column, value in enumerate(values, start=1):
            cell = safe_value(self.sheet.cell(self.row, column), _value(value))
            if font:
                cell.font = font
            number_format = (formats or {}).get(column) or _format(value)
            if number_format:
                cell.number_format = number_format
        self.row += 1
        return self.row - 1

    def header(self, *titles) -> int:
        return self.line(*titles, font=BOLD)

    def chart(self, chart, top: int, table_width: int, categories: int) -> None:
        """Puts ``chart`` one column right of a table that starts at row ``top``, as tall as its
        ``categories`` need, and keeps the rows it covers free of the next block."""
        chart.width, chart.height = 13, max(4.5, 2.5 + 0.8 * categories)
        self.sheet.add_chart(chart, f"{get_column_letter(table_width + 2)}{top}")
        self.row = max(self.row, top + math.ceil(chart.height / ROW_HEIGHT) + 1)


def _value(value):
    """The cell value: numbers and dates as they are, times in the district's time, the rest
    as text (``str`` also renders lazy translations)."""
    if isinstance(value, datetime):
        return export_moment(value)
    if value is None or isinstance(value, int | float | Decimal | date):
        return value
    return str(value)


def _format(value) -> str | None:
    if isinstance(value, datetime):
        return MOMENT
    return DAY if isinstance(value, date) else None


def _share(count: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(count * 100) / total).quantize(Decimal("0.1"), ROUND_HALF_UP)


def write_summary(viewer: User, campaign: Campaign, report_filter: ReportFilter, target) -> None:
    """Writes the workbook to ``target`` (a path or a binary file)."""
    workbook = Workbook()
    summary = _Sheet(
        workbook.active, {"A": 48, "B": 18, "C": 18, **dict.fromkeys("DEFGHIJKLMN", 14)}
    )
    summary.sheet.title = "Сводка"
    indicators = _Sheet(
        workbook.create_sheet("Показатели"),
        {"A": 40, "B": 30, "C": 30, **dict.fromkeys("DEFGHIJ", 13)},
    )
    texts = _Sheet(workbook.create_sheet("Тексты"), {"A": 40, "B": 40, "C": 90})
    _title(summary, campaign, report_filter)
    _completion(summary, completion(viewer, campaign, report_filter))
    texts.header("Вопрос", "Организация", "Ответ")
    texts.sheet.freeze_panes = "A2"
    sections = reported_definition(campaign.form_version)["sections"]
    questions = [question for section in sections for question in section["questions"]]
    reports = questions_report(viewer, campaign, questions, report_filter, per_page=TEXT_PAGE)
    text_page = partial(question_report, viewer, campaign, report_filter=report_filter)
    for number, section in enumerate(sections, start=1):
        _section(summary, texts, section, number, reports, text_page)
    _indicators(indicators, indicator_report(viewer, campaign, report_filter))
    workbook.save(target)


def _title(sheet: _Sheet, campaign: Campaign, report_filter: ReportFilter) -> None:
    sheet.line(campaign.title, font=TITLE)
    sheet.line("Форма", campaign.form_version.title)
    sheet.line(zoned("Сбор ответов"), campaign.opens_at, campaign.closes_at)
    statuses = ", ".join(str(ResponseStatus(status).label) for status in report_filter.statuses)
    sheet.line("Учтены ответы в статусах", statuses)
    if report_filter.locality:
        sheet.line("Населённый пункт", report_filter.locality)
    if report_filter.kind:
        sheet.line("Тип организаций", OrganizationKind(report_filter.kind).label)
    if report_filter.organization_ids is not None:
        sheet.line("Выбрано организаций", len(report_filter.organization_ids))
    if report_filter.visits in VISIT_FILTERS:
        sheet.line("Посещения", str(VISIT_FILTERS[report_filter.visits]))
    sheet.line(zoned("Сформировано"), utcnow())
    sheet.row += 1


def _completion(sheet: _Sheet, figures: dict) -> None:
    statuses, total = figures["statuses"], figures["total"]
    done = sum(statuses[status] for status in COUNTED)
    sheet.line("Охват", font=SECTION)
    sheet.line("Организаций в мониторинге", total)
    sheet.line("Ответили (отправлено или принято)", done)
    sheet.line("Доля ответивших, %", _share(done, total), formats={2: PERCENT})
    sheet.line("Из них в срок", figures["on_time"])
    sheet.line("Из них с опозданием", figures["late"])
    sheet.row += 1
    top = sheet.header("Статус", "Число", "%")
    for status, count in statuses.items():
        sheet.line(status.label, count, _share(count, total), formats={3: PERCENT})
    chart = PieChart()
    last = sheet.row - 1
    data = Reference(sheet.sheet, min_col=2, min_row=top, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet.sheet, min_col=1, min_row=top + 1, max_row=last))
    sheet.chart(chart, top, 3, len(statuses))


def _section(
    summary: _Sheet, texts: _Sheet, section: dict, number: int, reports: dict, text_page
) -> None:
    """The blocks of a section's questions; ``text_page(question, page=…, per_page=…)`` gives a
    further page of a text question's answers."""
    questions = [question for question in section["questions"] if question["type"] != "note"]
    if not questions:
        return
    summary.row += 1
    summary.line(section_name(section, number), font=SECTION)
    for question in questions:
        if question["type"] in TEXT_TYPES:
            summary.line(question["label"], font=BOLD)
            _texts(summary, texts, question, reports[question["key"]], text_page)
        elif (report := reports.get(question["key"])) is not None:
            summary.line(question["label"], font=BOLD)
            _WRITERS[report["kind"]](summary, question, report)
        summary.row += 1


def _texts(summary: _Sheet, texts: _Sheet, question: dict, report: dict, text_page) -> None:
    page = 1
    while True:
        for answer in report["page"].items:
            organization = answer.organization.name
            row = texts.line(question["label"], organization, answer.value_text)
            texts.sheet.cell(row, 3).alignment = WRAP
        if not report["page"].has_next:
            break
        page += 1
        report = text_page(question, page=page, per_page=TEXT_PAGE)
    summary.line("Число ответов", report["n"])
    summary.line("Ответы — на листе «Тексты»")


def _bar_chart(sheet: _Sheet, top: int, last: int, columns: int) -> BarChart:
    """Horizontal bars of columns 2..``columns`` of rows ``top`` (titles) to ``last``, the
    categories in column A from the top down, as in the table."""
    chart = BarChart()
    chart.type = "bar"
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"
    chart.x_axis.delete = chart.y_axis.delete = False  # else newer Excel hides the axes
    data = Reference(sheet.sheet, min_col=2, max_col=columns, min_row=top, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet.sheet, min_col=1, min_row=top + 1, max_row=last))
    return chart


def _choices(sheet: _Sheet, question: dict, report: dict) -> None:
    top = sheet.header("Вариант", "Число", "%")
    for option in report["options"]:
        sheet.line(option["label"], option["count"], option["percent"], formats={3: PERCENT})
    last = sheet.row - 1
    sheet.line("Ответили", report["respondents"])
    if last > top:
        chart = _bar_chart(sheet, top, last, 2)
        chart.legend = None
        sheet.chart(chart, top, 3, len(report["options"]))


def _numbers(sheet: _Sheet, question: dict, report: dict) -> None:
    for key, label in NUMBER_FIGURES:
        sheet.line(label, report[key])


def _dates(sheet: _Sheet, question: dict, report: dict) -> None:
    sheet.line("Число ответов", report["n"])
    sheet.line("Самая ранняя", report["earliest"])
    sheet.line("Самая поздняя", report["latest"])


def _matrix(sheet: _Sheet, question: dict, report: dict) -> None:
    choices = report["choices"]
    top = sheet.header("Строка", *(choice["label"] for choice in choices))
    for row in report["rows"]:
        sheet.line(row["label"], *(row["counts"][choice["code"]] for choice in choices))
    last = sheet.row - 1
    sheet.line("Ответили", report["respondents"])
    if choices and last > top:
        chart = _bar_chart(sheet, top, last, 1 + len(choices))
        chart.grouping, chart.overlap = "stacked", 100
        sheet.chart(chart, top, 1 + len(choices), len(report["rows"]) + 1)  # and the legend


def _table(sheet: _Sheet, question: dict, report: dict) -> None:
    """Row counts, then one row per column: filled cells, and the sum and mean of a numeric
    column or the count of each option of a choice column."""
    sheet.line("Строк всего", report["rows_total"])
    sheet.line("Организаций со строками", report["schools"])
    sheet.line("Строк на организацию", report["per_school_mean"])
    sheet.header("Столбец", "Заполнено", "Сумма", "Среднее")
    for column in question["columns"]:
        figures = report["columns"][column["key"]]
        if "counts" not in figures:
            sheet.line(column["label"], figures["n"], figures.get("sum"), figures.get("mean"))
            continue
        sheet.line(column["label"], sum(figures["counts"].values()))
        for option in options_of(column):
            sheet.line(f"{column['label']}: {option['label']}", figures["counts"][option["code"]])


def _files(sheet: _Sheet, question: dict, report: dict) -> None:
    sheet.line("Прикреплено файлов", report["n"])


_WRITERS = {
    "choices": _choices,
    "numbers": _numbers,
    "dates": _dates,
    "matrix": _matrix,
    "table": _table,
    "files": _files,
}


def _indicators(sheet: _Sheet, report: list[dict]) -> None:
    sheet.header(
        "Показатель", "Единица", "Формула", "Число значений", "Среднее", "Медиана", "Минимум",
        "Максимум", "Нет данных", "Норма",
    )  # fmt: skip
    sheet.sheet.freeze_panes = "A2"
    for item in report:
        indicator = item["indicator"]
        sheet.line(
            indicator.title, indicator.unit, indicator.formula, item["n"], item["mean"],
            item["median"], item["min"], item["max"], item["no_data"], indicator.threshold,
        )  # fmt: skip
    if not report:
        sheet.line("Показатели не заданы.")
    sheet.row += 1
    sheet.line("Вне нормы", font=SECTION)
    sheet.header("Показатель", "Организация", "Отклонение", "Значение", "Норма")
    for item in report:
        indicator = item["indicator"]
        side = "Выше нормы" if indicator.threshold_direction == "above" else "Ниже нормы"
        for name, value in item["below"]:
            sheet.line(indicator.title, name, side, value, indicator.threshold)
