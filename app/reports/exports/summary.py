"""The summary workbook: the report page's tables, each with a native chart beside it.

«Содержание» first: what the file is (campaign, date, filter) and a link to every sheet; «Охват»
the completion; one sheet per block of the form with its questions' tables and charts;
«Показатели» the computed indicators and the organizations off their norm; «Тексты» the answers
to text questions; «Не представили» the organizations that did not answer; «Проверка данных»
the suspicious values. Numbers keep their exact values: number formats round them as
rounding.py says. Written with XlsxWriter, whose charts carry titles and axis titles.
"""

import math
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from app.accounts.models import User
from app.campaigns.answers import TEXT_TYPES
from app.campaigns.models import Campaign, ResponseStatus
from app.campaigns.visits import VISIT_FILTERS
from app.core.timefmt import export_moment, zoned
from app.db import utcnow
from app.organizations.models import OrganizationKind
from app.questionnaires.definition import reported_definition, section_name
from app.reports.aggregates import (
    COUNTED,
    ReportFilter,
    completion,
    missing_responses,
    options_of,
    question_report,
    questions_report,
)
from app.reports.exports.xlsx import DAY, MOMENT, Book, safe_title
from app.reports.indicators import indicator_report
from app.reports.plausibility import Suspect
from app.reports.rounding import COUNT, PERCENT, excel_format, measure_places, value_places

CONTENTS, COVERAGE, INDICATORS, TEXTS = "Содержание", "Охват", "Показатели", "Тексты"
MISSING, CHECKS = "Не представили", "Проверка данных"
ROW_PX = 20  # the height of a row of the default 15 points
TEXT_PAGE = 200  # the most answers question_report gives in one page
ORGANIZATIONS = "Число организаций"


class _Sheet:
    """A worksheet written from the top down; ``row`` is the next free row (from 0)."""

    def __init__(self, book: Book, title: str, widths: dict[int, float]):
        self.book, self.title, self.row = book, title, 0
        self.sheet = book.sheet(title)
        for column, width in widths.items():
            self.sheet.set_column(column, column, width)
        # printed (and turned into PDF) a page wide, as long as it needs
        self.sheet.set_landscape()
        self.sheet.fit_to_pages(1, 0)
        self.sheet.set_paper(9)

    def line(self, *values, bold: bool = False, formats: dict[int, str] | None = None) -> int:
        """Writes ``values`` from column A on; ``formats`` maps a column (from 0) to its number
        format. Returns the row written."""
        for column, value in enumerate(values):
            number_format = (formats or {}).get(column) or _format(value)
            properties = {"bold": True} if bold else {}
            if number_format:
                properties["num_format"] = number_format
            cell_format = self.book.format(**properties) if properties else None
            self.sheet.write(self.row, column, _value(value), cell_format)
        self.row += 1
        return self.row - 1

    def header(self, *titles) -> int:
        return self.line(*titles, bold=True)

    def chart(self, top: int, last: int, values: range, *, title: str, axes: tuple[str, str],
              beside: int, stacked: bool = False) -> None:  # fmt: skip
        """Horizontal bars of the table whose titles are in row ``top`` and whose categories
        are column A of rows ``top + 1``..``last``, one series per column of ``values``, put a
        column apart from column ``beside``; ``axes`` names the categories and the values. The
        rows the chart covers stay free of the next block."""
        chart = self.book.workbook.add_chart(
            {"type": "bar", **({"subtype": "stacked"} if stacked else {})}
        )
        for column in values:
            chart.add_series(
                {
                    "name": [self.title, top, column],
                    "categories": [self.title, top + 1, 0, last, 0],
                    "values": [self.title, top + 1, column, last, column],
                    **({"overlap": 100} if stacked else {}),
                }
            )
        categories, measured = axes
        chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
        chart.set_x_axis({"name": measured, "num_format": "#,##0", "min": 0})
        chart.set_y_axis({"name": categories, "reverse": True, "crossing": "max"})
        if len(values) == 1:
            chart.set_legend({"none": True})
        else:
            chart.set_legend({"position": "bottom"})
        height = max(240, 130 + 26 * (last - top) + (30 if len(values) > 1 else 0))
        chart.set_size({"width": 560, "height": height})
        self.sheet.insert_chart(top, beside + 2, chart)
        self.row = max(self.row, top + math.ceil(height / ROW_PX) + 1)


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
    if isinstance(value, date):
        return DAY
    if isinstance(value, int) and not isinstance(value, bool):
        return excel_format(COUNT)
    return None


def _share(count: int, total: int) -> Decimal | None:
    """A percentage, exact; its cell's format shows one decimal."""
    return Decimal(count * 100) / total if total else None


PERCENTS = excel_format(PERCENT)


def write_summary(
    viewer: User,
    campaign: Campaign,
    report_filter: ReportFilter,
    target,
    suspects: list[Suspect] = (),
) -> None:
    """Writes the workbook to ``target`` (a path or a binary file); ``suspects`` are the values
    listed on «Проверка данных»."""
    book = Book(target)
    contents = _Sheet(book, CONTENTS, {0: 42, 1: 18, 2: 18})
    sheets = [_Sheet(book, COVERAGE, {0: 42, 1: 14, 2: 12})]
    _completion(sheets[0], completion(viewer, campaign, report_filter))
    definition = reported_definition(campaign.form_version)
    questions = [
        question for section in definition["sections"] for question in section["questions"]
    ]
    reports = questions_report(viewer, campaign, questions, report_filter, per_page=TEXT_PAGE)
    answers: list[tuple] = []
    text_page = partial(question_report, viewer, campaign, report_filter=report_filter)
    for number, section in enumerate(definition["sections"], start=1):
        if block := _section(book, answers, section, number, reports, text_page):
            sheets.append(block)
    indicators = _Sheet(book, INDICATORS, {0: 40, 1: 30, 2: 30, **dict.fromkeys(range(3, 10), 13)})
    _indicators(indicators, indicator_report(viewer, campaign, report_filter))
    sheets += [
        indicators,
        _texts_sheet(book, answers),
        _missing(book, viewer, campaign, report_filter),
    ]
    sheets.append(write_checks(book, suspects))
    _contents(contents, campaign, report_filter, sheets)
    book.close()


def _contents(sheet: _Sheet, campaign: Campaign, report_filter: ReportFilter, sheets) -> None:
    sheet.line(f"Сводные таблицы и диаграммы мониторинга «{campaign.title}»", bold=True)
    sheet.sheet.set_row(0, 22, sheet.book.format(bold=True, font_size=14))
    sheet.line("Мониторинг", campaign.title)
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
    sheet.header("Лист", "Что на нём")
    link = sheet.book.format(font_color="blue", underline=1)
    for listed in sheets:
        sheet.sheet.write_url(
            sheet.row, 0, f"internal:'{listed.title}'!A1", link, string=listed.title
        )
        sheet.sheet.write(sheet.row, 1, SHEET_PURPOSES.get(listed.title, "Блок анкеты"))
        sheet.row += 1


SHEET_PURPOSES = {
    COVERAGE: "Сколько организаций ответило, в срок и с опозданием",
    INDICATORS: "Расчётные показатели и организации вне нормы",
    TEXTS: "Ответы на текстовые вопросы",
    MISSING: "Организации, не представившие ответы",
    CHECKS: "Подозрительные значения и их проверка",
}


def _completion(sheet: _Sheet, figures: dict) -> None:
    statuses, total = figures["statuses"], figures["total"]
    done = sum(statuses[status] for status in COUNTED)
    sheet.line("Охват", bold=True)
    sheet.line("Организаций в мониторинге", total)
    sheet.line("Ответили (отправлено или принято)", done)
    sheet.line("Доля ответивших, %", _share(done, total), formats={1: PERCENTS})
    sheet.line("Из них в срок", figures["on_time"])
    sheet.line("Из них с опозданием", figures["late"])
    sheet.row += 1
    top = sheet.header("Статус", "Число", "%")
    for status, count in statuses.items():
        sheet.line(status.label, count, _share(count, total), formats={2: PERCENTS})
    sheet.chart(top, sheet.row - 1, range(1, 2), title="Ответы по статусам",
                axes=("Статус ответа", ORGANIZATIONS), beside=2)  # fmt: skip


def _section(
    book: Book, answers: list[tuple], section: dict, number: int, reports: dict, text_page
):
    """The sheet of a section's questions, or None for a section of notes only;
    ``text_page(question, page=…, per_page=…)`` gives a further page of a text question's
    answers, which are added to ``answers``."""
    questions = [question for question in section["questions"] if question["type"] != "note"]
    if not questions:
        return None
    name = section_name(section, number)
    sheet = _Sheet(book, safe_title(f"{number}. {name}").rstrip("'"), {0: 48, 1: 16, 2: 16})
    sheet.sheet.set_column(3, 12, 14)
    sheet.line(name, bold=True)
    sheet.row += 1
    for question in questions:
        if question["type"] in TEXT_TYPES:
            sheet.line(question["label"], bold=True)
            _texts(sheet, answers, question, reports[question["key"]], text_page)
        elif (report := reports.get(question["key"])) is not None:
            sheet.line(question["label"], bold=True)
            _WRITERS[report["kind"]](sheet, question, report)
        sheet.row += 1
    return sheet


def _texts(sheet: _Sheet, answers: list[tuple], question: dict, report: dict, text_page) -> None:
    page = 1
    while True:
        for answer in report["page"].items:
            answers.append((question["label"], answer.organization.name, str(answer.value_text)))
        if not report["page"].has_next:
            break
        page += 1
        report = text_page(question, page=page, per_page=TEXT_PAGE)
    sheet.line("Число ответов", report["n"])
    sheet.line(f"Ответы — на листе «{TEXTS}»")


def _texts_sheet(book: Book, answers: list[tuple]) -> _Sheet:
    sheet = _Sheet(book, TEXTS, {0: 40, 1: 40, 2: 90})
    sheet.header("Вопрос", "Организация", "Ответ")
    sheet.sheet.freeze_panes(1, 0)
    wrapped = book.format(text_wrap=True, valign="top")
    for label, organization, text in answers:
        sheet.sheet.write_row(sheet.row, 0, (label, organization))
        sheet.sheet.write(sheet.row, 2, text, wrapped)
        sheet.row += 1
    return sheet


def _choices(sheet: _Sheet, question: dict, report: dict) -> None:
    top = sheet.header("Вариант", "Число", "%")
    for option in report["options"]:
        sheet.line(option["label"], option["count"], option["percent"], formats={2: PERCENTS})
    last = sheet.row - 1
    sheet.line("Ответили", report["respondents"])
    if last > top:
        sheet.chart(top, last, range(1, 2), title=question["label"],
                    axes=("Вариант ответа", ORGANIZATIONS), beside=2)  # fmt: skip


NUMBER_FIGURES = (
    ("sum", "Сумма"),
    ("mean", "Среднее"),
    ("median", "Медиана"),
    ("min", "Минимум"),
    ("max", "Максимум"),
)


def _numbers(sheet: _Sheet, question: dict, report: dict) -> None:
    """The mean and median with the quantity's decimals; a sum, minimum or maximum whole when
    it is (rounding.value_places)."""
    sheet.line("Число ответов", report["n"])
    places = report["places"]
    for key, label in NUMBER_FIGURES:
        value = report[key]
        shown = places if key in ("mean", "median") else value_places(value, places)
        sheet.line(label, value, formats={1: excel_format(shown)})


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
        sheet.chart(top, last, range(1, 1 + len(choices)), title=question["label"],
                    axes=("Строка", ORGANIZATIONS), beside=len(choices), stacked=True)  # fmt: skip


def _table(sheet: _Sheet, question: dict, report: dict) -> None:
    """Row counts, then one row per column: filled cells, and the sum and mean of a numeric
    column or the count of each option of a choice column."""
    sheet.line("Строк всего", report["rows_total"])
    sheet.line("Организаций со строками", report["schools"])
    sheet.line("Строк на организацию", report["per_school_mean"], formats={1: excel_format(1)})
    sheet.header("Столбец", "Заполнено", "Сумма", "Среднее")
    for column in question["columns"]:
        figures = report["columns"][column["key"]]
        if "counts" not in figures:
            total, mean = figures.get("sum"), figures.get("mean")
            places = measure_places(mean)
            sheet.line(column["label"], figures["n"], total, mean,
                       formats={2: excel_format(value_places(total, places)),
                                3: excel_format(places)})  # fmt: skip
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
    sheet.sheet.freeze_panes(1, 0)
    for item in report:
        indicator, measure = item["indicator"], excel_format(item["places"])
        sheet.line(
            indicator.title, indicator.unit, indicator.formula, item["n"], item["mean"],
            item["median"], item["min"], item["max"], item["no_data"], indicator.threshold,
            formats=dict.fromkeys((4, 5, 6, 7, 9), measure),
        )  # fmt: skip
    if not report:
        sheet.line("Показатели не заданы.")
    sheet.row += 1
    sheet.line("Вне нормы", bold=True)
    sheet.header("Показатель", "Организация", "Отклонение", "Значение", "Норма")
    for item in report:
        indicator, measure = item["indicator"], excel_format(item["places"])
        side = "Выше нормы" if indicator.threshold_direction == "above" else "Ниже нормы"
        for name, value in item["below"]:
            sheet.line(indicator.title, name, side, value, indicator.threshold,
                       formats={3: measure, 4: measure})  # fmt: skip


def _missing(book: Book, viewer: User, campaign: Campaign, report_filter: ReportFilter) -> _Sheet:
    sheet = _Sheet(book, MISSING, {0: 48, 1: 18, 2: 20})
    sheet.header("Организация", "Статус", zoned("Срок сдачи"))
    sheet.sheet.set_row(0, 30, book.format(bold=True, text_wrap=True, valign="top"))
    sheet.sheet.freeze_panes(1, 0)
    rows = missing_responses(viewer, campaign, report_filter)
    for row in rows:
        sheet.line(row.name, row.status.label, row.deadline)
    if not rows:
        sheet.line("Ответили все организации.")
    return sheet


def write_checks(book: Book, suspects: list[Suspect]) -> _Sheet:
    """The sheet «Проверка данных»: one row per suspicious value, checked ones marked."""
    sheet = _Sheet(book, CHECKS, {0: 40, 1: 40, 2: 14, 3: 50, 4: 14})
    sheet.header("Организация", "Вопрос или показатель", "Значение", "Причина", "Статус")
    sheet.sheet.freeze_panes(1, 0)
    wrapped = book.format(text_wrap=True, valign="top")
    for suspect in suspects:
        row = sheet.line(
            suspect.organization,
            suspect.label,
            suspect.value,
            suspect.reason,
            "проверено" if suspect.checked else "не проверено",
        )
        sheet.sheet.write(row, 3, suspect.reason, wrapped)
    if not suspects:
        sheet.line("Подозрительных значений нет.")
    return sheet
