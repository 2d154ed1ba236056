"""The summary workbook: a contents sheet with links, a sheet per block of the form with the
report page's figures as typed cells and native charts beside them (titled, axes named), number
formats that round while the values stay exact, the organizations that did not answer, the
values to check, and text that a spreadsheet program cannot run.

Four schools of district A are asked; three answer (a school and its answers, by name):

    school                 status          gym  building  clubs            pupils  area
    Арангастахская (a3)    submitted late  yes  typical   theatre          610     162
    Кюндядинская (a4)      not started
    Маарская (a2)          accepted        no   adapted   chess            85      100.25
    Нюрбинская (a1)        submitted       yes  typical   robotics, chess  420     288.5

    school  licensed    projector / computer  staff (rate, category)  comment
    a3      2019-01-20  full / full           —                       +7 кабинетов
    a2      2012-03-15  none / partial        1.5 higher              Нужен ремонт
    a1      2015-09-01  full / partial        1 higher, 0.5 first     =HYPERLINK(…)

The indicator «Учащихся на сотню» is pupils / 100 with a norm of 2 from below.
"""

import io
import re
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from app.accounts.models import Role
from app.campaigns import responses
from app.core.spreadsheets import FORMULA_PREFIXES
from app.extensions import db
from app.reports import indicators
from app.reports.aggregates import ReportFilter
from app.reports.exports.summary import write_summary
from app.reports.plausibility import Suspect
from tests.factories import make_org, make_user
from tests.monitoring import make_campaign, make_form, response_of
from tests.office import office_pages

HYPERLINK = '=HYPERLINK("http://x","y")'
GENERAL, EQUIPMENT = "1. Общие сведения", "2. Оснащение"
YAKUTSK = ZoneInfo("Asia/Yakutsk")


def _question(key, kind, label, **settings) -> dict:
    return {"key": key, "type": kind, "label": label, "help": "", "required": False, **settings}


def _options(*pairs) -> list[dict]:
    return [{"code": code, "label": label} for code, label in pairs]


DEFINITION = {
    "title": "Паспорт школы",
    "description": "",
    "form_id": "passport",
    "version": "1",
    "sections": [
        {
            "key": "general",
            "title": "Общие сведения",
            "description": "",
            "condition": None,
            "questions": [
                _question("has_gym", "yesno", "Есть спортзал?"),
                _question(
                    "building",
                    "single",
                    "Здание",
                    choices=_options(
                        ("typical", "Типовое"), ("adapted", "Приспособленное"), ("other", "Иное")
                    ),
                ),
                _question(
                    "clubs",
                    "multiple",
                    "Кружки",
                    choices=_options(
                        ("robotics", "Робототехника"), ("chess", "Шахматы"), ("theatre", "Театр")
                    ),
                ),
                _question("pupils", "integer", "Число учащихся"),
                _question("area", "decimal", "Площадь, м²"),
                _question("licensed_on", "date", "Дата лицензии"),
                _question("remark", "note", "Спасибо!"),
            ],
        },
        {
            "key": "equipment_section",
            "title": "Оснащение",
            "description": "",
            "condition": None,
            "questions": [
                _question(
                    "equipment",
                    "matrix",
                    "Оборудование",
                    rows=_options(("projector", "Проекторы"), ("computer", "Компьютеры")),
                    choices=_options(
                        ("none", "Нет"), ("partial", "Частично"), ("full", "Полностью")
                    ),
                ),
                _question(
                    "staff",
                    "table",
                    "Педагоги",
                    columns=[
                        _question("full_name", "text", "ФИО"),
                        _question("rate", "decimal", "Ставка"),
                        _question(
                            "category",
                            "single",
                            "Категория",
                            choices=_options(("higher", "Высшая"), ("first", "Первая")),
                        ),
                    ],
                ),
                _question("comment", "textarea", "Комментарий"),
            ],
        },
    ],
}

ANSWERS = {
    "a1": {
        "has_gym": "yes",
        "building": "typical",
        "clubs": ["robotics", "chess"],
        "pupils": 420,
        "area": "288.5",
        "licensed_on": "2015-09-01",
        "equipment": {"projector": "full", "computer": "partial"},
        "staff": [
            {"full_name": "Иванова А. П.", "rate": "1", "category": "higher"},
            {"full_name": "Петров С. И.", "rate": "0.5", "category": "first"},
        ],
        "comment": HYPERLINK,
    },
    "a2": {
        "has_gym": "no",
        "building": "adapted",
        "clubs": ["chess"],
        "pupils": 85,
        "area": "100.25",
        "licensed_on": "2012-03-15",
        "equipment": {"projector": "none", "computer": "partial"},
        "staff": [{"full_name": "Сидорова Е. В.", "rate": "1.5", "category": "higher"}],
        "comment": "Нужен ремонт",
    },
    "a3": {
        "has_gym": "yes",
        "building": "typical",
        "clubs": ["theatre"],
        "pupils": 610,
        "area": "162",
        "licensed_on": "2019-01-20",
        "equipment": {"projector": "full", "computer": "full"},
        "comment": "+7 кабинетов",
    },
}


@pytest.fixture
def campaign(world):
    schools = {
        "a1": world.school_a1,
        "a2": world.school_a2,
        "a3": make_org("Арангастахская СОШ", parent=world.district_a, locality="г. Нюрба"),
        "a4": make_org("Кюндядинская СОШ", parent=world.district_a, locality="с. Антоновка"),
    }
    form = make_form(world.admin_a, DEFINITION)
    campaign = make_campaign(world.admin_a, form, schools.values())
    for name in ("a1", "a2", "a3"):
        response = response_of(campaign, schools[name])
        user = make_user(Role.SCHOOL, schools[name])
        responses.save_draft(user, response, ANSWERS[name], response.revision)
        responses.submit(user, response, response.revision)
    responses.accept(world.admin_a, response_of(campaign, schools["a2"]))
    response_of(campaign, schools["a3"]).submitted_at = campaign.closes_at + timedelta(hours=1)
    indicators.add_indicator(
        world.admin_a,
        form,
        key="pupils_per_100",
        title="Учащихся на сотню",
        formula="pupils / 100",
        threshold=Decimal("2"),
        direction="below",
    )
    db.session.commit()
    return campaign


@pytest.fixture
def workbook(world, campaign):
    target = io.BytesIO()
    write_summary(world.admin_a, campaign, ReportFilter(), target)
    target.seek(0)
    return openpyxl.load_workbook(target)


def _block(sheet, label: str, size: int) -> list[tuple]:
    """The ``size`` rows under the row whose first cell is ``label``, without empty cells at
    their ends."""
    top = _row_of(sheet, label)
    rows = sheet.iter_rows(min_row=top + 1, max_row=top + size, values_only=True)
    return [_trimmed(row) for row in rows]


def _trimmed(row: tuple) -> tuple:
    while row and row[-1] is None:
        row = row[:-1]
    return row


def _row_of(sheet, label: str) -> int:
    return next(cells[0].row for cells in sheet.iter_rows() if cells[0].value == label)


def _referenced(workbook, formula: str) -> list:
    """The values of the cells a chart reference such as 'Охват'!$B$5:$B$7 points at."""
    title, cells = formula.rsplit("!", 1)
    sheet = workbook[title.strip("'")]
    low_column, low_row, high_column, high_row = range_boundaries(cells.replace("$", ""))
    return [
        cell.value
        for row in sheet.iter_rows(low_row, high_row, low_column, high_column)
        for cell in row
    ]


def _series(workbook, chart) -> list[tuple]:
    """(title, categories, values) of each series of ``chart``, read from the cells."""
    result = []
    for series in chart.series:
        categories = series.cat.strRef or series.cat.numRef
        result.append(
            (
                _referenced(workbook, series.tx.strRef.f)[0],
                _referenced(workbook, categories.f),
                _referenced(workbook, series.val.numRef.f),
            )
        )
    return result


def _chart_over(workbook, categories: list) -> object:
    charts = [
        chart
        for sheet in workbook.worksheets
        for chart in sheet._charts
        if _series(workbook, chart)[0][1] == categories
    ]
    assert len(charts) == 1
    return charts[0]


def _chart_xml(workbook_bytes: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        names = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        return [archive.read(name).decode() for name in names]


def _texts_of(element: str) -> str:
    return "".join(re.findall(r"<a:t>([^<]*)</a:t>", element))


def test_sheets_contents_first_then_a_sheet_per_block(workbook):
    assert workbook.sheetnames == [
        "Содержание", "Охват", GENERAL, EQUIPMENT, "Показатели", "Тексты", "Не представили",
        "Проверка данных",
    ]  # fmt: skip


def test_contents_say_what_the_file_is_and_link_every_sheet(workbook, campaign):
    sheet = workbook["Содержание"]
    assert sheet["A1"].value == "Сводные таблицы и диаграммы мониторинга «Мониторинг оснащения»"
    assert sheet["A1"].font.b
    assert sheet["B2"].value == "Мониторинг оснащения" and sheet["B3"].value == "Паспорт школы"
    assert isinstance(sheet["B4"].value, datetime) and sheet["B4"].number_format.startswith("DD")
    assert ("Учтены ответы в статусах", "Отправлено, Принято") in [
        row[:2] for row in sheet.iter_rows(values_only=True)
    ]
    links = {cell.value: cell.hyperlink.location for cell in sheet["A"] if cell.hyperlink}
    assert list(links) == workbook.sheetnames[1:]
    assert all(location == f"'{title}'!A1" for title, location in links.items())


def test_every_chart_has_a_title_and_both_axis_titles_in_russian(world, campaign):
    target = io.BytesIO()
    write_summary(world.admin_a, campaign, ReportFilter(), target)
    charts = _chart_xml(target.getvalue())
    assert len(charts) == 5  # the statuses, three choice questions and the matrix
    titles = []
    for chart in charts:
        plot_title = re.search(r"<c:chart>\s*<c:title>(.*?)</c:title>", chart, re.S)
        axes = re.findall(r"<c:(?:catAx|valAx)>.*?</c:(?:catAx|valAx)>", chart, re.S)
        axis_titles = [_texts_of(re.search(r"<c:title>(.*?)</c:title>", a, re.S)[1]) for a in axes]
        assert plot_title and len(axis_titles) == 2 and all(axis_titles)
        assert "Число организаций" in axis_titles
        titles.append(_texts_of(plot_title[1]))
    assert titles == ["Ответы по статусам", "Есть спортзал?", "Здание", "Кружки", "Оборудование"]


def test_charts_sit_beside_their_tables_over_empty_cells(workbook):
    for title in ("Охват", GENERAL, EQUIPMENT):
        sheet = workbook[title]
        for chart in sheet._charts:
            start, end = chart.anchor._from, chart.anchor.to
            covered = sheet.iter_rows(
                min_row=start.row + 1, max_row=end.row + 1, min_col=start.col + 1, max_col=20
            )
            assert all(cell.value is None for row in covered for cell in row)
            assert sheet.cell(start.row + 1, start.col).value is None  # a spare column between
            assert sheet.cell(start.row + 1, 1).value is not None  # level with the table's header
            below = sheet.iter_rows(min_row=start.row + 2, max_row=end.row + 1, max_col=1)
            assert None in [row[0].value for row in below]  # the next block starts lower


def test_completion_counts_answered_of_all_and_late_ones(workbook):
    sheet = workbook["Охват"]
    assert _block(sheet, "Охват", 5) == [
        ("Организаций в мониторинге", 4),
        ("Ответили (отправлено или принято)", 3),
        ("Доля ответивших, %", 75),
        ("Из них в срок", 2),
        ("Из них с опозданием", 1),
    ]
    assert sheet.cell(_row_of(sheet, "Доля ответивших, %"), 2).number_format == "#,##0.0"
    top = _row_of(sheet, "Статус")
    assert [cell.font.b for cell in sheet[top][:3]] == [True, True, True]
    assert _block(sheet, "Статус", 5) == [
        ("Не начато", 1, 25),
        ("Черновик", 0, 0),
        ("Отправлено", 2, 50),
        ("Возвращено на доработку", 0, 0),
        ("Принято", 1, 25),
    ]


def test_status_chart_reads_the_status_table(workbook):
    [chart] = workbook["Охват"]._charts
    [(title, categories, values)] = _series(workbook, chart)
    assert (title, values) == ("Число", [1, 0, 2, 0, 1])
    assert categories[0] == "Не начато" and categories[-1] == "Принято"


def test_yes_no_and_single_choice_tables_with_their_bar_charts(workbook):
    sheet = workbook[GENERAL]
    assert _block(sheet, "Есть спортзал?", 4) == [
        ("Вариант", "Число", "%"),
        ("Да", 2, 66.7),
        ("Нет", 1, 33.3),
        ("Ответили", 3),
    ]
    assert _block(sheet, "Здание", 4)[1:] == [
        ("Типовое", 2, 66.7),
        ("Приспособленное", 1, 33.3),
        ("Иное", 0, 0),
    ]
    percent = sheet.cell(_row_of(sheet, "Есть спортзал?") + 2, 3)
    assert percent.data_type == "n" and percent.number_format == "#,##0.0"
    chart = _chart_over(workbook, ["Да", "Нет"])
    assert chart.tagname == "barChart" and chart.type == "bar"
    assert _series(workbook, chart) == [("Число", ["Да", "Нет"], [2, 1])]
    assert _series(workbook, _chart_over(workbook, ["Типовое", "Приспособленное", "Иное"])) == [
        ("Число", ["Типовое", "Приспособленное", "Иное"], [2, 1, 0])
    ]


def test_multiple_choice_percents_are_of_respondents(workbook):
    assert _block(workbook[GENERAL], "Кружки", 5) == [
        ("Вариант", "Число", "%"),
        ("Робототехника", 1, 33.3),
        ("Шахматы", 2, 66.7),
        ("Театр", 1, 33.3),
        ("Ответили", 3),
    ]
    assert _chart_over(workbook, ["Робототехника", "Шахматы", "Театр"])


def test_numbers_are_numbers(workbook):
    sheet = workbook[GENERAL]
    pupils = _block(sheet, "Число учащихся", 6)
    assert [row[:2] for row in pupils] == [
        ("Число ответов", 3),
        ("Сумма", 1115),
        ("Среднее", pytest.approx(371.666667)),
        ("Медиана", 420),
        ("Минимум", 85),
        ("Максимум", 610),
    ]
    assert [row[1] for row in _block(sheet, "Площадь, м²", 6)] == [
        3, 550.75, pytest.approx(183.583333), 162, 100.25, 288.5,
    ]  # fmt: skip
    first = _row_of(sheet, "Площадь, м²") + 1
    assert all(sheet.cell(row, 2).data_type == "n" for row in range(first, first + 6))


def test_dates_are_dates(workbook):
    sheet = workbook[GENERAL]
    rows = _block(sheet, "Дата лицензии", 3)
    assert rows[0][:2] == ("Число ответов", 3)
    assert (rows[1][0], rows[1][1].date()) == ("Самая ранняя", date(2012, 3, 15))
    assert (rows[2][0], rows[2][1].date()) == ("Самая поздняя", date(2019, 1, 20))
    assert sheet.cell(_row_of(sheet, "Дата лицензии") + 2, 2).number_format == "DD.MM.YYYY"


def test_notes_are_left_out(workbook):
    sheet = workbook[GENERAL]
    assert all(cell.value != "Спасибо!" for row in sheet.iter_rows() for cell in row)


def test_matrix_table_and_its_stacked_chart(workbook):
    sheet = workbook[EQUIPMENT]
    assert _block(sheet, "Оборудование", 4) == [
        ("Строка", "Нет", "Частично", "Полностью"),
        ("Проекторы", 1, 0, 2),
        ("Компьютеры", 0, 2, 1),
        ("Ответили", 3),
    ]
    chart = _chart_over(workbook, ["Проекторы", "Компьютеры"])
    assert chart.grouping == "stacked" and chart.overlap == 100
    assert _series(workbook, chart) == [
        ("Нет", ["Проекторы", "Компьютеры"], [1, 0]),
        ("Частично", ["Проекторы", "Компьютеры"], [0, 2]),
        ("Полностью", ["Проекторы", "Компьютеры"], [2, 1]),
    ]


def test_table_question_totals_rows_and_columns(workbook):
    assert _block(workbook[EQUIPMENT], "Педагоги", 10) == [
        ("Строк всего", 3),
        ("Организаций со строками", 2),
        ("Строк на организацию", 1.5),
        ("Столбец", "Заполнено", "Сумма", "Среднее"),
        ("ФИО", 3),
        ("Ставка", 3, 3, 1),
        ("Категория", 3),
        ("Категория: Высшая", 2),
        ("Категория: Первая", 1),
        (),
    ]


def test_texts_are_counted_in_the_summary_and_listed_apart(workbook):
    assert _block(workbook[EQUIPMENT], "Комментарий", 2) == [
        ("Число ответов", 3),
        ("Ответы — на листе «Тексты»",),
    ]
    texts = list(workbook["Тексты"].iter_rows(values_only=True))
    assert texts == [
        ("Вопрос", "Организация", "Ответ"),
        ("Комментарий", "Арангастахская СОШ", "+7 кабинетов"),
        ("Комментарий", "Маарская СОШ", "Нужен ремонт"),
        ("Комментарий", "Нюрбинская СОШ №1", HYPERLINK),
    ]


def test_no_cell_is_a_formula(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    assert cell.quotePrefix and cell.data_type == "s", cell.coordinate


def test_indicators_with_their_figures_and_the_schools_below_the_norm(workbook):
    sheet = workbook["Показатели"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Показатель", "Единица", "Формула", "Число значений")
    title, unit, formula, *figures = rows[1]
    assert (title, unit, formula) == ("Учащихся на сотню", None, "pupils / 100")
    assert figures == [3, pytest.approx(11.15 / 3), 4.2, 0.85, 6.1, 0, 2]
    assert all(cell.data_type == "n" for cell in sheet[2][3:])
    assert _block(sheet, "Вне нормы", 2) == [
        ("Показатель", "Организация", "Отклонение", "Значение", "Норма"),
        ("Учащихся на сотню", "Маарская СОШ", "Ниже нормы", 0.85, 2),
    ]


def test_header_rows_are_bold_and_columns_wide(workbook):
    summary, texts = workbook[GENERAL], workbook["Тексты"]
    assert summary.column_dimensions["A"].width >= 40
    assert texts.column_dimensions["C"].width >= 60
    assert all(cell.font.b for cell in texts[1])
    assert all(cell.font.b for cell in workbook["Показатели"][1])


def test_filter_narrows_the_figures(world, campaign):
    target = io.BytesIO()
    write_summary(world.admin_a, campaign, ReportFilter(locality="г. Нюрба"), target)
    target.seek(0)
    workbook = openpyxl.load_workbook(target)
    sheet = workbook[GENERAL]
    assert _block(sheet, "Число учащихся", 2) == [("Число ответов", 2), ("Сумма", 1030)]
    assert ("Населённый пункт", "г. Нюрба") in [
        row[:2] for row in workbook["Содержание"].iter_rows(max_row=10, values_only=True)
    ]


def test_indicator_cells_keep_exact_values_and_round_by_format(workbook):
    sheet = workbook["Показатели"]
    mean = sheet["E2"]
    assert mean.value == pytest.approx(11.15 / 3)  # not rounded in the cell
    # a mean of about 3.7 is shown with two decimals; the count of values as a whole number
    assert mean.number_format == "#,##0.00"
    assert {sheet.cell(2, column).number_format for column in (5, 6, 7, 8, 10)} == {"#,##0.00"}
    assert sheet["D2"].number_format == "#,##0" and sheet["I2"].number_format == "#,##0"


def test_numbers_of_a_question_are_rounded_by_format_as_the_page_rounds_them(workbook):
    sheet = workbook[GENERAL]
    top = _row_of(sheet, "Число учащихся")
    formats = [sheet.cell(top + row, 2).number_format for row in range(1, 7)]
    # count; a whole sum; a mean of 371.67 shown whole; median, min, max whole
    assert formats == ["#,##0", "#,##0", "#,##0", "#,##0", "#,##0", "#,##0"]
    top = _row_of(sheet, "Площадь, м²")
    formats = [sheet.cell(top + row, 2).number_format for row in range(1, 7)]
    assert formats == ["#,##0", "#,##0", "#,##0", "#,##0", "#,##0", "#,##0"]
    assert sheet.cell(top + 2, 2).value == 550.75  # the value itself stays exact


def test_organizations_that_did_not_answer_with_their_status_and_deadline(workbook, campaign):
    rows = list(workbook["Не представили"].iter_rows(values_only=True))
    assert rows[0] == ("Организация", "Статус", "Срок сдачи (Якутск, UTC+9)")
    [(name, status, deadline)] = rows[1:]
    assert (name, status) == ("Кюндядинская СОШ", "Не начато")
    expected = campaign.closes_at.astimezone(YAKUTSK).replace(tzinfo=None)
    assert abs(deadline - expected) < timedelta(milliseconds=1)  # a spreadsheet keeps ms
    assert workbook["Не представили"]["C2"].number_format == "DD.MM.YYYY HH:MM"


def test_suspicious_values_are_listed_with_their_check(world, campaign):
    suspects = [
        Suspect(1, "Маарская СОШ", "pupils", "Число учащихся", Decimal("85000"),
                "больше числа жителей села", checked=False),
        Suspect(2, "Нюрбинская СОШ №1", "indicator:pupils_per_100", "Учащихся на сотню",
                Decimal("4.2"), "выше медианы на 5 MAD", checked=True),
    ]  # fmt: skip
    target = io.BytesIO()
    write_summary(world.admin_a, campaign, ReportFilter(), target, suspects=suspects)
    rows = list(openpyxl.load_workbook(target)["Проверка данных"].iter_rows(values_only=True))
    assert rows == [
        ("Организация", "Вопрос или показатель", "Значение", "Причина", "Статус"),
        ("Маарская СОШ", "Число учащихся", 85000, "больше числа жителей села", "не проверено"),
        ("Нюрбинская СОШ №1", "Учащихся на сотню", 4.2, "выше медианы на 5 MAD", "проверено"),
    ]


def test_without_suspects_the_check_sheet_says_so(workbook):
    assert workbook["Проверка данных"]["A2"].value == "Подозрительных значений нет."


def test_libreoffice_opens_the_summary_cleanly(world, campaign, tmp_path):
    document = tmp_path / "Мониторинг оснащения — сводка.xlsx"
    with document.open("wb") as target:
        write_summary(world.admin_a, campaign, ReportFilter(), target)
    assert len(office_pages(document, "summary-xlsx")) >= 8  # a page per sheet at least
