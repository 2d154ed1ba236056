"""Calculate questions in reports and exports: a numeric calculation aggregates like a decimal,
any other like a text; the text of "other" is exported beside its choice."""

import io
from decimal import Decimal

import openpyxl
import pytest
from docx import Document

from app.accounts.models import Role
from app.campaigns import responses
from app.extensions import db
from app.questionnaires.expressions import parse
from app.reports.aggregates import COUNTED, ReportFilter, campaign_report
from app.reports.exports.docx_report import write_docx
from app.reports.exports.raw import write_raw
from app.reports.exports.summary import write_summary
from tests.factories import make_user
from tests.monitoring import make_campaign, make_form, one_section, response_of

QUESTIONS = [
    {"key": "fund", "type": "integer", "label": "Фонд", "required": True},
    {"key": "pupils", "type": "integer", "label": "Учащихся", "required": True},
    {"key": "provision", "type": "calculate", "label": "Книгообеспеченность",
     "calculation": parse("${fund} div ${pupils}")},
    {"key": "level", "type": "calculate", "label": "Уровень",
     "calculation": parse("if(${provision} < 11, 'низкий', 'достаточный')")},
    {"key": "kind", "type": "single", "label": "Вид", "other": True,
     "choices": [{"code": "school", "label": "Школьная"}]},
    {"key": "staff", "type": "table", "label": "Сотрудники", "columns": [
        {"key": "hours", "type": "integer", "label": "Часы"},
        {"key": "rate", "type": "calculate", "label": "Ставка",
         "calculation": parse("${hours} div 18")}]},
]  # fmt: skip


@pytest.fixture
def campaign(world):
    form = make_form(world.admin_a, one_section("provision", *QUESTIONS))
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    given = {
        world.school_a1: {
            "fund": "500",
            "pupils": "40",
            "provision": "1",
            "kind": "school",
            "staff": [{"hours": "36", "rate": "5"}, {"hours": "9"}],
        },
        world.school_a2: {"fund": "300", "pupils": "30", "kind": "other", "kind_other": "Сельская"},
    }
    for school, answers in given.items():
        user = make_user(Role.SCHOOL, school)
        response = response_of(campaign, school)
        responses.save_draft(user, response, answers, 0)
        responses.submit(user, response, response.revision)
    db.session.commit()
    return campaign


def _reports(world, campaign) -> dict:
    report = campaign_report(world.admin_a, campaign)
    return {
        entry["question"]["key"]: entry["report"]
        for section in report["sections"]
        for entry in section["questions"]
    }


def test_a_numeric_calculation_is_reported_like_a_decimal(world, campaign):
    provision = _reports(world, campaign)["provision"]
    assert provision["kind"] == "numbers"
    assert (provision["n"], provision["sum"]) == (2, Decimal("22.5"))
    assert (provision["min"], provision["max"]) == (Decimal(10), Decimal("12.5"))


def test_a_calculated_table_column_sums_like_a_number_column(world, campaign):
    rate = _reports(world, campaign)["staff"]["columns"]["rate"]
    assert (rate["n"], rate["sum"]) == (2, Decimal("2.5"))


def test_a_text_calculation_and_the_text_of_other_are_reported_as_texts(world, campaign):
    reports = _reports(world, campaign)
    assert reports["level"]["kind"] == "texts" and reports["level"]["n"] == 2
    assert reports["kind_other"]["kind"] == "texts" and reports["kind_other"]["n"] == 1
    options = {option["code"]: option for option in reports["kind"]["options"]}
    assert (options["other"]["label"], options["other"]["count"]) == ("Другое", 1)


def test_the_response_export_writes_calculated_values_as_numbers_and_texts(world, campaign):
    buffer = io.BytesIO()
    write_raw(world.admin_a, campaign, ReportFilter(statuses=tuple(COUNTED)), buffer)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    records = [dict(zip(rows[1], row, strict=True)) for row in rows[2:]]
    assert sorted(record["provision"] for record in records) == [10, 12.5]
    assert sorted(record["level"] for record in records) == ["достаточный", "низкий"]
    assert sorted(str(record["kind_other"]) for record in records) == ["None", "Сельская"]


def test_the_summary_and_the_spravka_show_the_calculation(world, campaign):
    buffer = io.BytesIO()
    write_summary(world.admin_a, campaign, ReportFilter(), buffer)
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True)
             for cell in row if cell is not None]  # fmt: skip
    assert any("Книгообеспеченность" in cell for cell in cells)
    target = io.BytesIO()
    write_docx(world.admin_a, campaign, ReportFilter(), target, executor="Петрова А. И.")
    document = Document(io.BytesIO(target.getvalue()))
    text = "\n".join(paragraph.text.replace("\u00a0", " ") for paragraph in document.paragraphs)
    assert "Книгообеспеченность" in text
    assert "11,3" in text  # the mean of 12,5 and 10, with one decimal at this size (rounding.py)
