"""The report page, indicators and the raw data workbook, as staff, viewers and schools see them."""

import io
from datetime import date
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import sqlalchemy as sa
from openpyxl.utils import get_column_letter

from app.campaigns import responses
from app.extensions import db
from app.reports.models import Indicator
from tests.conftest import login
from tests.monitoring import make_campaign, make_form, response_of

HYPERLINK = '=HYPERLINK("http://x","y")'


def _answered(world):
    """School A1: Internet 20 Mbit/s, both zones, two staff; school A2: no Internet."""
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    first, second = (response_of(campaign, s) for s in (world.school_a1, world.school_a2))
    answers = {
        "has_internet": "yes",
        "internet_speed": "20",
        "zones": ["reading", "media"],
        "staff": [{"full_name": HYPERLINK, "rate": "0.5"}, {"full_name": "Петрова", "rate": "1"}],
    }
    responses.save_draft(world.school_user_a1, first, answers, 0)
    responses.submit(world.school_user_a1, first, first.revision)
    school_a2 = world.school_user_a1.__class__(
        username="school-a2", full_name="А2", role="school", organization=world.school_a2
    )
    db.session.add(school_a2)
    db.session.flush()
    responses.save_draft(school_a2, second, {"has_internet": "no", "zones": ["reading"]}, 0)
    responses.submit(school_a2, second, second.revision)
    db.session.commit()
    return campaign


def export(client, campaign, fmt="xlsx"):
    """Runs an export as a background job (immediate in tests) and downloads the file."""
    started = client.post(f"/reports/campaigns/{campaign.id}/exports", data={"format": fmt})
    assert started.status_code == 302
    job_page = started.headers["Location"]
    assert client.get(job_page + ".json").json["status"] == "done"
    return client.get(job_page + "/download")


def test_report_shows_completion_figures_and_a_breakdown(client, world):
    campaign = _answered(world)
    login(client, world.admin_a)
    page = client.get(
        f"/reports/campaigns/{campaign.id}?breakdown=has_internet&by=locality"
    ).get_data(as_text=True)
    assert "2 из 2" in page
    assert 'id="report-internet_speed"' in page and "20" in page
    assert 'id="breakdown-table"' in page and "с. Маар" in page and "г. Нюрба" in page
    assert 'id="chart-has_internet"' in page and 'role="img"' in page


def test_status_filter_changes_what_is_counted(client, world):
    campaign = _answered(world)
    login(client, world.admin_a)
    page = client.get(f"/reports/campaigns/{campaign.id}?status=accepted").get_data(as_text=True)
    assert "Ответили: 0" in page or "Ответили:\n0" in page or "0 %" in page


def test_viewer_reads_the_report_but_cannot_add_indicators(app, world):
    campaign = _answered(world)
    viewer = app.test_client()
    login(viewer, world.viewer_a)
    assert viewer.get(f"/reports/campaigns/{campaign.id}").status_code == 200
    reply = viewer.post(
        f"/reports/campaigns/{campaign.id}/indicators",
        data={"title": "X", "key": "x", "formula": "internet_speed"},
    )
    assert reply.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Indicator)) == 0


def test_school_and_other_district_see_no_report(app, world):
    campaign = _answered(world)
    school = app.test_client()
    login(school, world.school_user_a1)
    assert school.get(f"/reports/campaigns/{campaign.id}").status_code == 403
    started = school.post(f"/reports/campaigns/{campaign.id}/exports", data={"format": "xlsx"})
    assert started.status_code == 403
    other = app.test_client()
    login(other, world.admin_b)
    assert other.get(f"/reports/campaigns/{campaign.id}").status_code == 404
    started = other.post(f"/reports/campaigns/{campaign.id}/exports", data={"format": "xlsx"})
    assert started.status_code == 404


def test_indicator_is_computed_per_school_and_lists_those_below_the_norm(client, world):
    campaign = _answered(world)
    login(client, world.admin_a)
    bad = client.post(
        f"/reports/campaigns/{campaign.id}/indicators",
        data={"title": "Плохая", "key": "bad", "formula": "internet_speed +", "direction": "below"},
    )
    assert bad.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Indicator)) == 0
    client.post(
        f"/reports/campaigns/{campaign.id}/indicators",
        data={
            "title": "Скорость на сотрудника",
            "key": "speed_per_staff",
            "formula": "internet_speed / 4",
            "threshold": "10",
            "direction": "below",
        },
    )
    indicator = db.session.scalar(sa.select(Indicator))
    assert indicator.formula == "internet_speed / 4"
    page = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Скорость на сотрудника" in page
    assert "Нюрбинская СОШ №1 — 5" in page


def test_raw_workbook_keeps_types_and_makes_formulas_inert(client, world):
    campaign = _answered(world)
    login(client, world.admin_a)
    reply = export(client, campaign)
    assert reply.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(reply.data))
    answers = workbook.worksheets[0]
    rows = list(answers.iter_rows(values_only=True))
    keys = rows[1]
    assert keys[:4] == ("organization", "locality", "status", "submitted_at")
    by_school = {row[0]: dict(zip(keys, row, strict=True)) for row in rows[2:]}
    school = by_school["Нюрбинская СОШ №1"]
    assert school["internet_speed"] == 20
    assert (school["zones.reading"], school["zones.media"]) == (1, 1)
    assert by_school["Маарская СОШ"]["zones.media"] == 0
    assert by_school["Маарская СОШ"]["internet_speed"] is None
    staff = workbook["staff"]
    cells = [row for row in staff.iter_rows(min_row=3, values_only=True)]
    assert cells[0][:3] == ("Нюрбинская СОШ №1", 1, HYPERLINK)
    assert staff["C3"].quotePrefix
    assert cells[1][3] == 1
    assert all(cell.data_type != "f" for row in staff.iter_rows() for cell in row)
    assert isinstance(school["submitted_at"], type(school["submitted_at"]))
    assert workbook.worksheets[-1].max_row > 1


def test_dates_come_out_as_dates(client, world):
    definition = {
        "title": "Даты",
        "description": "",
        "form_id": "dates",
        "version": "1",
        "sections": [
            {
                "key": "main",
                "title": "",
                "description": "",
                "condition": None,
                "questions": [
                    {
                        "key": "approved",
                        "type": "date",
                        "label": "Утверждено",
                        "help": "",
                        "required": True,
                        "condition": None,
                    },
                    {
                        "key": "area",
                        "type": "decimal",
                        "label": "Площадь",
                        "help": "",
                        "required": True,
                        "condition": None,
                    },
                ],
            }
        ],
    }
    form = make_form(world.admin_a, definition)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    response = response_of(campaign, world.school_a1)
    responses.save_draft(
        world.school_user_a1, response, {"approved": "25.11.2026", "area": "66,5"}, 0
    )
    responses.submit(world.school_user_a1, response, response.revision)
    db.session.commit()
    login(client, world.admin_a)
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, campaign).data)).worksheets[0]
    row = list(sheet.iter_rows(min_row=3, values_only=True))[0]
    assert row[4].date() == date(2026, 11, 25)
    assert Decimal(str(row[5])) == Decimal("66.5")


def test_the_raw_workbook_keeps_its_headers_in_view_filters_and_has_a_human_name(client, world):
    campaign = _answered(world)
    campaign.title = "Готовность библиотек к ИБЦ: 2023/2024"
    db.session.commit()
    login(client, world.admin_a)
    reply = export(client, campaign)
    assert "filename*=UTF-8''" in reply.headers["Content-Disposition"]
    assert unquote(reply.headers["Content-Disposition"].split("''", 1)[1]) == (
        "Готовность библиотек к ИБЦ- 2023-2024 — ответы.xlsx"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(reply.data))
    answers, staff = workbook.worksheets[0], workbook["staff"]
    assert answers.freeze_panes == "B3" and staff.freeze_panes == "B3"
    assert answers.auto_filter.ref == f"A2:{get_column_letter(answers.max_column)}4"
    assert staff.auto_filter.ref == "A2:D4"
    names = [
        export(client, campaign, fmt).headers["Content-Disposition"] for fmt in ("summary", "docx")
    ]
    assert "%D1%81%D0%B2%D0%BE%D0%B4%D0%BA%D0%B0.xlsx" in names[0]  # сводка.xlsx
    assert unquote(names[1]).endswith("аналитическая справка.docx")


def test_readers_see_no_question_keys_or_formulas_and_staff_find_them_under_more(app, world):
    campaign = _answered(world)
    db.session.add(
        Indicator(
            form_id=campaign.form_version.form_id,
            key="speed_x2",
            title="Удвоенная скорость",
            formula="internet_speed * 2",
        )
    )
    db.session.commit()
    viewer, staff = app.test_client(), app.test_client()
    login(viewer, world.viewer_a)
    login(staff, world.admin_a)
    url = f"/reports/campaigns/{campaign.id}"
    read = viewer.get(url).get_data(as_text=True)
    assert "Удвоенная скорость" in read and "internet_speed * 2" not in read
    assert "<code>internet_speed</code>" not in read and "Скорость, Мбит/с" in read
    staffed = staff.get(url).get_data(as_text=True)
    assert "формула: <code>internet_speed * 2</code>" in staffed
    assert "ключ в выгрузках и формулах: <code>internet_speed</code>" in staffed
