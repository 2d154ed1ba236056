"""Stored XSS (ASVS 5.3.1, 5.3.3): hostile text typed through the real forms and imports —
form titles, question labels and hints, choice texts, contest descriptions, values quoted in
import messages — is shown escaped on every page that shows it, to staff and to schools."""

import io

import openpyxl
import pytest
import sqlalchemy as sa
from markupsafe import escape

from app.campaigns.models import Campaign, Response
from app.contests.models import Contest
from app.extensions import db
from app.questionnaires.models import Form
from app.roadmap import services as roadmap_services
from app.roadmap.imports import COLUMNS as ROADMAP_COLUMNS
from tests.conftest import login
from tests.contests.factory import APPLICATION
from tests.monitoring import make_form

SCRIPT = "<script>alert('xss')</script>"
IMAGE = '"><img src=x onerror=alert(1)>'


def shown_escaped(page: str, *payloads: str) -> None:
    """No payload reaches the page as markup, and each is there as text."""
    for payload in payloads:
        assert payload not in page
        assert str(escape(payload)) in page, payload
    assert "<script>alert" not in page and "<img src=x" not in page


def _workbook(*rows, sheet: str = "Sheet") -> io.BytesIO:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def hostile_monitoring(client, world):
    """A questionnaire built in the builder with hostile texts everywhere, published and sent
    to the schools of district A."""
    login(client, world.admin_a)
    meta = {"title": f"Фонд {SCRIPT}", "description": f"Описание {IMAGE}"}
    assert client.post("/forms/new", data=meta).status_code == 302
    form = db.session.scalar(sa.select(Form).order_by(Form.id.desc()))
    questions = [
        {"label": f"Зоны {SCRIPT}", "key": "zones", "type": "multiple",
         "help": f"Подсказка {IMAGE}", "choices": f"a | Зал {SCRIPT}\nb | Медиатека {IMAGE}"},
        {"label": f"Фонд {IMAGE}", "key": "fund", "type": "integer"},
    ]  # fmt: skip
    for question in questions:
        reply = client.post(f"/forms/{form.id}/questions/new", data=question)
        assert reply.status_code == 302, reply.get_data(as_text=True)
    assert client.post(f"/forms/{form.id}/publish").status_code == 302
    db.session.expire_all()
    form = db.session.get(Form, form.id)
    data = {"form_version_id": form.published.id, "title": f"Мониторинг {IMAGE}",
            "opens_at": "2026-01-01T09:00", "closes_at": "2099-12-12T18:00", "target": "all",
            "confirm": "1"}  # fmt: skip
    assert client.post("/campaigns/new", data=data).status_code == 302
    client.post("/logout")
    return form


def test_form_title_labels_hints_and_choices_are_escaped_on_staff_pages(
    client, world, hostile_monitoring
):
    form = hostile_monitoring
    login(client, world.admin_a)
    pages = {url: client.get(url) for url in (
        "/forms/", f"/forms/{form.id}", f"/forms/{form.id}/preview",
        f"/forms/{form.id}/preview?embed=1", f"/forms/{form.id}/questions/zones", "/campaigns/",
    )}  # fmt: skip
    for url, reply in pages.items():
        assert reply.status_code == 200, url
    shown_escaped(pages["/forms/"].get_data(as_text=True), SCRIPT)
    for url in (f"/forms/{form.id}", f"/forms/{form.id}/preview"):
        shown_escaped(pages[url].get_data(as_text=True), SCRIPT, IMAGE)
    shown_escaped(pages["/campaigns/"].get_data(as_text=True), IMAGE)


def test_campaign_dashboard_and_report_escape_the_forms_texts(client, world, hostile_monitoring):
    campaign = db.session.scalar(sa.select(Campaign))
    login(client, world.admin_a)
    dashboard = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    shown_escaped(dashboard, IMAGE)
    report = client.get(f"/reports/campaigns/{campaign.id}")
    assert report.status_code == 200
    shown_escaped(report.get_data(as_text=True), IMAGE, f"Зоны {SCRIPT}", f"Зал {SCRIPT}")


def test_the_school_sees_the_hostile_texts_escaped_where_it_fills_the_form(
    client, world, hostile_monitoring
):
    response = db.session.scalar(
        sa.select(Response).where(Response.organization_id == world.school_a1.id)
    )
    login(client, world.school_user_a1)
    listing = client.get("/my/questionnaires").get_data(as_text=True)
    shown_escaped(listing, IMAGE)
    page = client.get(f"/responses/{response.id}")
    assert page.status_code == 200
    shown_escaped(page.get_data(as_text=True), SCRIPT, IMAGE, f"Зал {SCRIPT}", f"Медиатека {IMAGE}")


def test_contest_title_description_rules_and_nomination_are_escaped(client, world):
    form = make_form(world.admin_a, APPLICATION)
    db.session.commit()
    login(client, world.admin_a)
    data = {"title": f"Конкурс {SCRIPT}", "description": f"Описание {IMAGE}",
            "rules_text": f"Положение {SCRIPT}", "form_version_id": str(form.published.id),
            "open_to_all": "all", "assignment_mode": "all", "jurors_per_entry": "3",
            "min_entries": "2", "laureates": "1", "entries_open_at": "2026-12-01T09:00",
            "entries_close_at": "2026-12-20T18:00", "judging_close_at": "2027-01-10T18:00",
            "results_at": "2027-01-15T12:00"}  # fmt: skip
    assert client.post("/contests/new", data=data).status_code == 302
    contest = db.session.scalar(sa.select(Contest))
    reply = client.post(f"/contests/{contest.id}/nominations", data={"title": f"Эссе {IMAGE}"})
    assert reply.status_code == 302
    shown_escaped(client.get("/contests/").get_data(as_text=True), SCRIPT)
    page = client.get(f"/contests/{contest.id}").get_data(as_text=True)
    shown_escaped(page, SCRIPT, IMAGE, f"Положение {SCRIPT}", f"Эссе {IMAGE}")
    edit = client.get(f"/contests/{contest.id}/edit").get_data(as_text=True)
    shown_escaped(edit, SCRIPT, IMAGE)


def test_values_quoted_in_xlsform_import_messages_are_escaped(client, world):
    survey = [["type", "name", "label"], ["integer", "seats", "Мест"], [SCRIPT, "x", IMAGE]]
    login(client, world.admin_a)
    upload = (_workbook(*survey, sheet="survey"), "form.xlsx")
    reply = client.post("/forms/import", data={"file": upload}, content_type="multipart/form-data")
    assert reply.status_code == 400
    shown_escaped(reply.get_data(as_text=True), SCRIPT)


def test_texts_of_an_imported_roadmap_are_escaped_on_its_pages(client, world):
    roadmap = roadmap_services.create_roadmap(world.admin_a, "Дорожная карта", 2023)
    db.session.commit()
    header = [str(column.header) for column in ROADMAP_COLUMNS]
    rows = [header, [f"Раздел {SCRIPT}", 1, f"Совещание {IMAGE}", "октябрь", SCRIPT, "", ""]]
    login(client, world.admin_a)
    reply = client.post(f"/roadmap/{roadmap.id}/import",
                        data={"file": (_workbook(*rows), "plan.xlsx")},
                        content_type="multipart/form-data")  # fmt: skip
    assert reply.status_code == 302
    dashboard = client.get(f"/roadmap/{roadmap.id}").get_data(as_text=True)
    shown_escaped(dashboard, f"Раздел {SCRIPT}", f"Совещание {IMAGE}")
