"""Dynamics between two monitorings of the same questionnaire."""

from datetime import timedelta
from decimal import Decimal

from app.campaigns import responses
from app.extensions import db
from app.reports import dynamics
from tests.conftest import login
from tests.monitoring import make_campaign, make_form, response_of


def _answer(world, campaign, speed, zones):
    response = response_of(campaign, world.school_a1)
    answers = {"has_internet": "yes", "internet_speed": speed, "zones": zones}
    responses.save_draft(world.school_user_a1, response, answers, 0)
    responses.submit(world.school_user_a1, response, response.revision)


def _two_years(world):
    form = make_form(world.admin_a)
    earlier = make_campaign(world.admin_a, form, [world.school_a1], title="2025")
    later = make_campaign(world.admin_a, form, [world.school_a1], title="2026")
    _answer(world, earlier, "10", ["reading"])
    _answer(world, later, "25,5", ["reading", "media"])
    earlier.opens_at -= timedelta(days=365)
    earlier.closes_at = later.opens_at - timedelta(days=300)
    db.session.commit()
    return earlier, later


def test_numbers_and_shares_then_now_and_change(world):
    earlier, later = _two_years(world)
    rows = {row["question"]["key"]: row for row in dynamics.compare(world.admin_a, earlier, later)}
    speed = rows["internet_speed"]
    assert (speed["then"]["mean"], speed["now"]["mean"]) == (Decimal("10"), Decimal("25.5"))
    assert speed["change"] == Decimal("15.5")
    media = next(o for o in rows["zones"]["options"] if o["label"] == "Медиатека")
    assert (media["then"], media["now"], media["change"]) == (
        Decimal("0"),
        Decimal("100"),
        Decimal("100"),
    )
    schools = dynamics.per_school(world.admin_a, earlier, later, speed["question"])
    assert [(r["school"], r["then"], r["now"]) for r in schools] == [
        ("Нюрбинская СОШ №1", Decimal("10"), Decimal("25.5"))
    ]


def test_dynamics_page_for_staff_and_not_for_other_districts(app, world):
    earlier, later = _two_years(world)
    staff = app.test_client()
    login(staff, world.admin_a)
    page = staff.get(
        f"/reports/campaigns/{later.id}/dynamics?with={earlier.id}&question=internet_speed"
    ).get_data(as_text=True)
    assert "+15,5" in page and 'id="dynamics-schools"' in page
    other = app.test_client()
    login(other, world.admin_b)
    assert other.get(f"/reports/campaigns/{later.id}/dynamics").status_code == 404
