"""A huge number breaks nothing: refused when typed, harmless when already stored.

A school once could submit 40 nines in a decimal question; the report page and the API then
answered 500 for all staff and the summary and the справка failed. Values are now refused outside
a default range, and every figure is rounded without overflowing whatever the database holds
(SQLite keeps such a value as a float; PostgreSQL's numeric(20, 6) holds up to 14 digits).
"""

import io
from decimal import Decimal

import openpyxl
import pytest
from docx import Document

from app.accounts import api_tokens
from app.accounts.models import Role
from app.campaigns import responses
from app.extensions import db
from app.reports import indicators
from app.reports.aggregates import question_report
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_campaign, make_form, one_section, response_of
from tests.reports.test_report_page import export

FORTY_NINES = "9" * 40
LARGEST_STORED = "99999999999999.999999"  # numeric(20, 6)


def _number(key, kind, **settings) -> dict:
    return {
        "key": key, "type": kind, "label": key, "help": "", "required": False,
        "condition": None, **settings,
    }  # fmt: skip


DEFINITION = one_section(
    "fund-numbers",
    _number("area", "decimal"),
    _number("books", "integer"),
    _number("staff", "table", columns=[{"key": "rate", "type": "decimal", "label": "Ставка"}]),
)


@pytest.fixture
def fund(world):
    form = make_form(world.admin_a, DEFINITION)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    for school, area in ((world.school_a1, "12.5"), (world.school_a2, "40")):
        user = make_user(Role.SCHOOL, school)
        response = response_of(campaign, school)
        responses.save_draft(user, response, {"area": area, "books": 100}, 0)
        responses.submit(user, response, response.revision)
    db.session.commit()
    return campaign


def _draft_errors(world, campaign, answers) -> dict:
    response = response_of(campaign, world.school_a1)
    return responses.save_draft(world.school_user_a1, response, answers, response.revision)


# Refused when typed


@pytest.mark.parametrize("key", ["area", "books"])
def test_forty_nines_are_refused_beside_the_field_with_the_range(world, key):
    form = make_form(world.admin_a, DEFINITION)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    errors = _draft_errors(world, campaign, {key: FORTY_NINES})
    assert str(errors[key]) == "Значение должно быть не больше 1\xa0000\xa0000\xa0000\xa0000."
    errors = _draft_errors(world, campaign, {key: "-" + FORTY_NINES})
    assert str(errors[key]) == "Значение должно быть не меньше -1\xa0000\xa0000\xa0000\xa0000."


def test_a_huge_number_in_a_table_cell_is_refused_beside_the_cell(world):
    form = make_form(world.admin_a, DEFINITION)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    errors = _draft_errors(world, campaign, {"staff": [{"rate": FORTY_NINES}]})
    assert str(errors["staff"]["rows"][0]["rate"]).startswith("Значение должно быть не больше")


@pytest.mark.parametrize(
    "raw", ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e400", "sNaN", float("nan")]
)
@pytest.mark.parametrize("key", ["area", "books"])
def test_not_a_number_and_infinity_are_refused(world, key, raw):
    form = make_form(world.admin_a, DEFINITION)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    assert key in _draft_errors(world, campaign, {key: raw})


def test_submitting_forty_nines_is_refused_and_stores_nothing(world, fund):
    form = make_form(world.admin_a, DEFINITION)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    response = response_of(campaign, world.school_a1)
    responses.save_draft(world.school_user_a1, response, {"area": FORTY_NINES}, 0)
    with pytest.raises(responses.InvalidAnswers):
        responses.submit(world.school_user_a1, response, response.revision)
    assert response.answers == []


# Harmless when already stored


def _store_absurd(world, campaign) -> str:
    """Puts the largest value the database holds into one school's area, as an old submission
    made before the range existed would have."""
    value = FORTY_NINES if db.session.get_bind().dialect.name == "sqlite" else LARGEST_STORED
    response = response_of(campaign, world.school_a2)
    answer = next(a for a in response.answers if a.question_key == "area")
    answer.value_number = Decimal(value)
    db.session.commit()
    return value


def test_report_figures_of_an_absurd_stored_value_are_computed(world, fund):
    _store_absurd(world, fund)
    area = next(q for s in fund.form_version.sections for q in s.questions if q.key == "area")
    report = question_report(world.admin_a, fund, {"key": "area", "type": area.type})
    assert report["n"] == 2 and report["max"] > Decimal("1e13")
    assert report["mean"] > Decimal("1e13")


def test_report_page_api_and_exports_survive_an_absurd_stored_value(client, world, fund):
    _store_absurd(world, fund)
    login(client, world.admin_a)
    assert client.get(f"/reports/campaigns/{fund.id}").status_code == 200
    page = client.get(f"/reports/campaigns/{fund.id}?breakdown=area&by=organization")
    assert page.status_code == 200
    summary = export(client, fund, "summary")
    assert summary.status_code == 200
    openpyxl.load_workbook(io.BytesIO(summary.data))
    report = export(client, fund, "docx")
    assert report.status_code == 200
    Document(io.BytesIO(report.data))
    _token, secret = api_tokens.create_token(world.viewer_a, "Скрипт")
    db.session.commit()
    reply = client.get(
        f"/api/v1/campaigns/{fund.id}/report", headers={"Authorization": f"Bearer {secret}"}
    )
    assert reply.status_code == 200
    assert Decimal(reply.get_json()["questions"]["area"]["max"]) > Decimal("1e13")


def test_indicator_of_1e30_shows_on_the_report_page(client, world, fund):
    indicators.add_indicator(
        world.admin_a,
        fund.form_version.form,
        key="huge",
        title="Огромный",
        formula="area * 1000000000000000000000000000000",
        threshold=Decimal("1000"),
    )
    db.session.commit()
    login(client, world.admin_a)
    page = client.get(f"/reports/campaigns/{fund.id}")
    assert page.status_code == 200
    assert "Огромный" in page.get_data(as_text=True)
    assert export(client, fund, "docx").status_code == 200
    assert export(client, fund, "summary").status_code == 200


def test_indicator_threshold_of_1e30_is_refused_beside_the_field(client, world, fund):
    login(client, world.admin_a)
    reply = client.post(
        f"/reports/campaigns/{fund.id}/indicators",
        data={
            "title": "Площадь",
            "key": "area_norm",
            "formula": "area",
            "threshold": "1e30",
            "direction": "below",
        },
    )
    assert reply.status_code == 302
    assert not indicators.indicators_of(fund.form_version.form)
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert (
        "Норма должна быть от -1\xa0000\xa0000\xa0000\xa0000 до 1\xa0000\xa0000\xa0000\xa0000."
        in page
    )
