"""Dynamics compares like with like: a monitoring is compared with one of the same form that
closed before it, or with an earlier one the user picks, never with a later or unrelated one; the
справка says which one it is."""

import io
from datetime import timedelta

import pytest
from docx import Document

from app.accounts.models import Role
from app.campaigns import responses
from app.db import utcnow
from app.extensions import db
from app.reports import dynamics
from app.reports.exports.wording import period_text
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import DEFINITION, make_campaign, make_form, response_of
from tests.reports.test_report_page import export


def _monitoring(world, form, title, closes_in_days, speed):
    """A monitoring of ``form`` in which school A1 answered, closing ``closes_in_days`` from
    now (negative: already closed)."""
    campaign = make_campaign(world.admin_a, form, [world.school_a1], title=title)
    response = response_of(campaign, world.school_a1)
    user = make_user(Role.SCHOOL, world.school_a1)
    answers = {"has_internet": "yes", "internet_speed": speed, "zones": ["reading"]}
    responses.save_draft(user, response, answers, 0)
    responses.submit(user, response, response.revision)
    campaign.closes_at = utcnow() + timedelta(days=closes_in_days)
    campaign.opens_at = campaign.closes_at - timedelta(days=30)
    db.session.commit()
    return campaign


@pytest.fixture
def years(world) -> dict:
    """Three yearly monitorings of one form and a next one planned; an unrelated form sharing
    the question keys, closed last month."""
    form = make_form(world.admin_a)
    other_form = make_form(
        world.admin_a, {**DEFINITION, "form_id": "other-form", "title": "Другая анкета"}
    )
    return {
        "2024": _monitoring(world, form, "Оснащение — 2024", -730, "5"),
        "2025": _monitoring(world, form, "Оснащение — 2025", -365, "10"),
        "чужой": _monitoring(world, other_form, "Другая анкета — 2026", -30, "99"),
        "2026": _monitoring(world, form, "Оснащение — 2026", 7, "20"),
        "2027": _monitoring(world, form, "Оснащение — 2027", 372, "40"),
    }


def test_by_default_compared_with_the_latest_earlier_monitoring_of_the_same_form(world, years):
    assert dynamics.previous_campaign(world.admin_a, years["2026"]) == years["2025"]
    assert dynamics.previous_campaign(world.admin_a, years["2025"]) == years["2024"]
    assert dynamics.previous_campaign(world.admin_a, years["2024"]) is None


def test_only_monitorings_closed_before_may_be_picked_never_a_later_one(world, years):
    later = years["2026"]
    picked = dynamics.comparable_campaigns(world.admin_a, later)
    assert picked == [years["чужой"], years["2025"], years["2024"]]
    assert (
        dynamics.previous_campaign(world.admin_a, later, str(years["чужой"].id)) == (years["чужой"])
    )
    assert dynamics.previous_campaign(world.admin_a, later, str(years["2027"].id)) is None
    assert dynamics.previous_campaign(world.admin_a, later, dynamics.NO_COMPARISON) is None
    assert years["2026"] not in dynamics.comparable_campaigns(world.admin_a, years["2025"])
    assert dynamics.comparable_campaigns(world.admin_b, later) == []


def _dynamics_paragraph(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return next(p.text for p in document.paragraphs if p.text.startswith("Сравнение с"))


def test_the_report_page_offers_earlier_monitorings_and_the_spravka_names_the_one_chosen(
    client, world, years
):
    login(client, world.admin_a)
    now = years["2026"]
    page = client.get(f"/reports/campaigns/{now.id}").get_data(as_text=True)
    assert 'name="compare"' in page
    assert "Другая анкета — 2026" in page and "Оснащение — 2024" in page
    assert "Оснащение — 2027" not in page
    default = _dynamics_paragraph(export(client, now, "docx").data)
    earlier = years["2025"]
    assert f"«{earlier.title}» ({period_text(earlier)})" in default
    chosen = years["2024"]
    reply = client.post(
        f"/reports/campaigns/{now.id}/exports?compare={chosen.id}", data={"format": "docx"}
    )
    data = client.get(reply.headers["Location"] + "/download").data
    assert f"«{chosen.title}» ({period_text(chosen)})" in _dynamics_paragraph(data)


def test_the_dynamics_page_never_compares_with_a_later_monitoring(client, world, years):
    login(client, world.admin_a)
    now, later = years["2026"], years["2027"]
    page = client.get(f"/reports/campaigns/{now.id}/dynamics").get_data(as_text=True)
    assert 'id="dynamics"' in page and "+10" in page  # 2025 → 2026 by default
    page = client.get(f"/reports/campaigns/{now.id}/dynamics?with={later.id}")
    assert 'id="dynamics"' not in page.get_data(as_text=True)
    assert later.title not in page.get_data(as_text=True)
