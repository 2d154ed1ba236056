"""What every export writes in its cells: times in the district's timezone with the zone named
in the header, text exactly as typed even when it looks like a formula, and drafts whatever they
hold."""

import io
import zipfile
from datetime import UTC, datetime

import openpyxl
import pytest
from flask import current_app

from app.campaigns import responses
from app.campaigns.exports import not_submitted_xlsx
from app.contests import documents
from app.core.spreadsheets import workbook_bytes
from app.core.timefmt import zone_label
from app.extensions import db
from app.reports.aggregates import COUNTED, ReportFilter
from app.reports.exports.raw import write_raw
from app.reports.exports.summary import write_summary
from app.reports.exports.xlsx import Book
from tests.contests.test_documents import _xlsx, example  # noqa: F401 (a fixture)
from tests.monitoring import make_campaign, make_form, response_of
from tests.office import office_pages

FORMULA = '=HYPERLINK("http://x","y")'
SUBMITTED_UTC = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # 26.11.2026 08:30 in Yakutsk


def _label(kind: str, key: str, label: str, **settings) -> dict:
    return {"key": key, "type": kind, "label": label, "help": "", "required": False, **settings}


DEFINITION = {
    "title": "Паспорт",
    "description": "",
    "form_id": "passport-cells",
    "version": "1",
    "sections": [
        {
            "key": "main",
            "title": "Основное",
            "description": "",
            "condition": None,
            "questions": [
                _label("text", "comment", "Комментарий"),
                _label("integer", "pupils", "Учащихся"),
                _label("decimal", "area", "Площадь"),
                _label("date", "licensed", "Лицензия"),
            ],
        }
    ],
}


@pytest.fixture
def answered(world):
    """School A1 submitted a comment that looks like a formula; school A2 keeps a draft with
    words in its number and date questions."""
    form = make_form(world.admin_a, DEFINITION)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    first, second = (response_of(campaign, s) for s in (world.school_a1, world.school_a2))
    responses.save_draft(world.school_user_a1, first, {"comment": FORMULA, "pupils": "420"}, 0)
    responses.submit(world.school_user_a1, first, first.revision)
    first.submitted_at = SUBMITTED_UTC
    school_a2 = world.school_user_a1.__class__(
        username="school-a2", full_name="А2", role="school", organization=world.school_a2
    )
    db.session.add(school_a2)
    db.session.flush()
    draft = {"comment": "-", "pupils": "много", "area": "NaN", "licensed": "вчера"}
    responses.save_draft(school_a2, second, draft, 0)
    db.session.commit()
    return campaign


def _raw(world, campaign, statuses=tuple(COUNTED)) -> bytes:
    buffer = io.BytesIO()
    write_raw(world.admin_a, campaign, ReportFilter(statuses=statuses), buffer)
    return buffer.getvalue()


def _rows(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[1], row, strict=True)) for row in rows[2:]]


def test_the_zone_is_named_after_the_districts_city_and_offset(monkeypatch):
    assert zone_label() == "Якутск, UTC+9"
    monkeypatch.setitem(current_app.config, "TIMEZONE", "Europe/Moscow")
    assert zone_label() == "Москва, UTC+3"


def test_raw_export_writes_the_submission_time_of_the_district_and_names_the_zone(world, answered):
    workbook = openpyxl.load_workbook(io.BytesIO(_raw(world, answered)))
    sheet = workbook.worksheets[0]
    assert sheet["D1"].value == "Отправлено (Якутск, UTC+9)"
    assert _rows(sheet)[0]["submitted_at"] == datetime(2026, 11, 26, 8, 30)
    assert sheet["D3"].number_format == "DD.MM.YYYY HH:MM"


def test_summary_names_the_zone_of_its_times(world, answered):
    buffer = io.BytesIO()
    write_summary(world.admin_a, answered, ReportFilter(), buffer)
    sheet = openpyxl.load_workbook(buffer)["Содержание"]
    labels = [row[0] for row in sheet.iter_rows(max_row=8, values_only=True)]
    assert "Сбор ответов (Якутск, UTC+9)" in labels
    assert "Сформировано (Якутск, UTC+9)" in labels


def test_list_of_schools_not_submitted_names_the_zone_of_its_times(world, answered):
    waiting = [response_of(answered, world.school_a2)]
    sheet = openpyxl.load_workbook(io.BytesIO(not_submitted_xlsx(answered, waiting))).active
    header = [cell.value for cell in sheet[1]]
    assert "Срок сдачи (Якутск, UTC+9)" in header


def test_jury_protocol_names_the_zone_of_its_time(world, example):  # noqa: F811
    protocol = documents.protocol(world.admin_a, example.judged.contest)
    labels = [row[0] for row in _xlsx(protocol)["Итоги"].iter_rows(max_row=6, values_only=True)]
    assert "Сформировано (Якутск, UTC+9)" in labels


def _quote_prefixed_styles(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    return [part for part in styles.split("<xf ")[1:] if 'quotePrefix="1"' in part]


def test_formula_looking_text_keeps_its_value_as_a_quote_prefixed_string(world, answered):
    data = _raw(world, answered, statuses=("draft", *COUNTED))
    assert _quote_prefixed_styles(data)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    comment = [cell.value for cell in sheet[2]].index("comment")
    for school, typed in (("Нюрбинская СОШ №1", FORMULA), ("Маарская СОШ", "-")):
        cell = cells[school][comment]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (typed, "s", True)


def test_small_workbooks_mark_formula_looking_text_the_same_way():
    data = workbook_bytes([("Лист", [["Название"], [FORMULA], ["+7 кабинетов"], ["обычный"]])])
    assert _quote_prefixed_styles(data)
    cells = [row[0] for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows()]
    assert [cell.value for cell in cells] == ["Название", FORMULA, "+7 кабинетов", "обычный"]
    assert [cell.quotePrefix for cell in cells] == [False, True, True, False]
    assert all(cell.data_type == "s" for cell in cells)


def test_raw_export_of_a_draft_with_words_in_number_questions_writes_them_as_text(world, answered):
    data = _raw(world, answered, statuses=("draft", *COUNTED))
    rows = {
        row["organization"]: row
        for row in _rows(openpyxl.load_workbook(io.BytesIO(data)).worksheets[0])
    }
    draft = rows["Маарская СОШ"]
    assert (draft["pupils"], draft["area"], draft["licensed"]) == ("много", "NaN", "вчера")
    assert rows["Нюрбинская СОШ №1"]["pupils"] == 420


def test_raw_columns_are_as_wide_as_their_titles_and_texts_need(world, answered):
    workbook = openpyxl.load_workbook(io.BytesIO(_raw(world, answered)))
    sheet = workbook.worksheets[0]
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    assert widths["Отправлено (Якутск, UTC+9)"] >= len("Отправлено (Якутск, UTC+9)")
    assert widths["Организация"] >= 40 and widths["Комментарий"] >= 40
    assert all(cell.alignment.wrap_text for cell in sheet[1])


def test_summary_prints_a_page_wide_and_its_times_fit(world, answered):
    buffer = io.BytesIO()
    write_summary(world.admin_a, answered, ReportFilter(), buffer)
    sheet = openpyxl.load_workbook(buffer)["Содержание"]
    setup = sheet.page_setup  # a width of 1 page is the default XlsxWriter leaves unwritten
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1)
    assert setup.fitToHeight == 0
    assert sheet.column_dimensions["B"].width >= len("30.11.2026 21:22")


def test_raw_columns_have_number_formats_by_type_and_the_header_stays_in_view(world, answered):
    sheet = openpyxl.load_workbook(io.BytesIO(_raw(world, answered))).worksheets[0]
    keys = [cell.value for cell in sheet[2]]
    column = {key: keys.index(key) + 1 for key in keys}
    assert sheet.cell(3, column["pupils"]).number_format == "#,##0"
    assert sheet.freeze_panes == "B3"
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(1, len(keys)).column_letter}3"


def test_raw_decimals_keep_the_places_they_were_typed_with(world):
    form = make_form(world.admin_a, DEFINITION)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    response = response_of(campaign, world.school_a1)
    responses.save_draft(world.school_user_a1, response, {"area": "66.25", "pupils": "5400"}, 0)
    responses.submit(world.school_user_a1, response, response.revision)
    db.session.commit()
    sheet = openpyxl.load_workbook(io.BytesIO(_raw(world, campaign))).worksheets[0]
    row = dict(zip([cell.value for cell in sheet[2]], sheet[3], strict=False))
    assert (row["area"].value, row["area"].number_format) == (66.25, "#,##0.00")
    assert (row["pupils"].value, row["pupils"].number_format) == (5400, "#,##0")


def test_libreoffice_opens_the_raw_export_cleanly(world, answered, tmp_path):
    document = tmp_path / "Паспорт — ответы.xlsx"
    document.write_bytes(_raw(world, answered, statuses=("draft", *COUNTED)))
    assert office_pages(document, "raw-xlsx")


def test_a_workbook_may_pass_4_gb_and_a_small_one_stays_as_it_was(world, answered):
    """At 132,000 schools × 509 columns the sheet of answers passes 4 GB of XML, which a zip
    holds only with ZIP64 records: without them XlsxWriter refused to close the file. Python's
    zipfile writes them only where a member needs them."""
    assert Book(io.BytesIO()).workbook.allow_zip64
    with zipfile.ZipFile(io.BytesIO(_raw(world, answered))) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert (sheet.extract_version, sheet.extra) == (20, b"")  # no ZIP64 record in a small file
