"""A school's answers of an earlier monitoring are offered once, with what taking them over would
change, never over answers already given, and the offer can be declined for good."""

import pytest
import sqlalchemy as sa

from app.accounts.models import Role, User
from app.audit.models import AuditEvent
from app.campaigns import prefill, responses
from app.campaigns.models import Response
from app.core.errors import Conflict, NotFound
from app.core.timefmt import date_filter
from app.extensions import db
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_campaign, make_form, response_of

LAST_YEAR = {
    "has_internet": "yes",
    "internet_speed": "10",
    "zones": ["reading"],
    "staff": [{"full_name": "Иванова С. П.", "rate": "1"}],
}


def _submitted(user, campaign, organization, answers) -> Response:
    response = response_of(campaign, organization)
    responses.save_draft(user, response, answers, response.revision)
    responses.submit(user, response, response.revision)
    db.session.commit()
    return response


@pytest.fixture
def years(world):
    """Last year's monitoring submitted by school A1 (and A2), this year's sent to both."""
    form = make_form(world.admin_a)
    schools = [world.school_a1, world.school_a2]
    old = make_campaign(world.admin_a, form, schools, title="Мониторинг оснащения — 2025")
    school_a2_user = make_user(Role.SCHOOL, world.school_a2, "school-a2")
    last_year = _submitted(world.school_user_a1, old, world.school_a1, LAST_YEAR)
    theirs = _submitted(school_a2_user, old, world.school_a2, {"has_internet": "no"})
    new = make_campaign(world.admin_a, form, schools, title="Мониторинг оснащения — 2026")
    return last_year, theirs, response_of(new, world.school_a1)


def _fresh(response) -> Response:
    db.session.expire_all()
    return db.session.get(Response, response.id)


def _answer_zones(world, current):
    responses.save_draft(world.school_user_a1, current, {"zones": ["media"]}, current.revision)
    db.session.commit()


def test_offer_counts_what_it_takes_over_and_the_answers_that_stay(world, years):
    last_year, _, current = years
    _answer_zones(world, current)
    offer = prefill.prefill_offer(current)
    assert offer.source == last_year
    assert offer.taken == ["has_internet", "internet_speed", "staff"]
    assert offer.kept == ["zones"]


def test_prefill_never_overwrites_an_answer_already_given(world, years):
    last_year, _, current = years
    _answer_zones(world, current)
    taken = prefill.prefill(world.school_user_a1, current, last_year)
    db.session.commit()
    stored = _fresh(current)
    assert taken == ["has_internet", "internet_speed", "staff"]
    assert stored.data["zones"] == ["media"]
    assert stored.data["has_internet"] == "yes"
    assert stored.data["staff"] == LAST_YEAR["staff"]
    assert stored.prefilled_keys == taken
    assert prefill.prefill_offer(stored) is None


def test_prefill_is_taken_once(world, years):
    last_year, _, current = years
    prefill.prefill(world.school_user_a1, current, last_year)
    with pytest.raises(Conflict):
        prefill.prefill(world.school_user_a1, current, last_year)


def test_declining_hides_the_offer_for_good(world, years):
    last_year, _, current = years
    prefill.decline_prefill(world.school_user_a1, current)
    db.session.commit()
    assert prefill.prefill_offer(_fresh(current)) is None
    with pytest.raises(Conflict):
        prefill.prefill(world.school_user_a1, current, last_year)
    with pytest.raises(Conflict):
        prefill.decline_prefill(world.school_user_a1, current)
    later = make_campaign(world.admin_a, last_year.campaign.form_version.form, [world.school_a1])
    _submitted(world.school_user_a1, later, world.school_a1, {"has_internet": "no"})
    assert prefill.prefill_offer(_fresh(current)) is None
    assert _fresh(current).data in ({}, None)
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_id == current.id)
    ).all()
    assert "decline_prefill" in actions


def test_another_organizations_response_is_refused_as_source(world, years):
    _, theirs, current = years
    with pytest.raises(NotFound):
        prefill.prefill(world.school_user_a1, current, theirs)
    with pytest.raises(NotFound):
        prefill.prefill(world.school_user_a1, current, current)
    assert _fresh(current).prefilled_from_id is None


def test_school_page_offers_the_counts_and_takes_over(client, world, years):
    last_year, _, current = years
    login(client, world.school_user_a1)
    client.post(
        f"/responses/{current.id}/save",
        data={"revision": 0, "q.zones": "media"},
        headers={"Accept": "application/json"},
    )
    page = client.get(f"/responses/{current.id}").get_data(as_text=True)
    when = date_filter(last_year.submitted_at)
    assert f"Перенести 3 ответа из «Мониторинг оснащения — 2025» от {when}?" in page
    assert "Ваш 1 ответ не изменится." in page
    reply = client.post(f"/responses/{current.id}/prefill", data={"source": last_year.id})
    assert reply.status_code == 302
    assert _fresh(current).data["zones"] == ["media"]
    assert _fresh(current).data["internet_speed"] == "10"
    assert 'id="prefill-offer"' not in client.get(f"/responses/{current.id}").get_data(True)


def test_school_page_declines_and_the_offer_is_gone(client, world, years):
    _, _, current = years
    login(client, world.school_user_a1)
    assert 'id="prefill-offer"' in client.get(f"/responses/{current.id}").get_data(True)
    assert client.post(f"/responses/{current.id}/prefill/decline").status_code == 302
    assert _fresh(current).prefill_declined_at is not None
    assert 'id="prefill-offer"' not in client.get(f"/responses/{current.id}").get_data(True)
    assert client.post(f"/responses/{current.id}/prefill/decline").status_code == 409


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin_a", 403), ("viewer_a", 403), ("jury_a", 403), ("school_user_b1", 404), ("a2", 404)],
)
def test_staff_and_other_schools_cannot_prefill_or_decline(app, world, years, who, status):
    last_year, _, current = years
    user = db.session.scalar(sa.select(User).where(User.username == "school-a2"))
    client = app.test_client()
    login(client, user if who == "a2" else getattr(world, who))
    prefilled = client.post(f"/responses/{current.id}/prefill", data={"source": last_year.id})
    assert prefilled.status_code == status
    assert client.post(f"/responses/{current.id}/prefill/decline").status_code == status
    stored = _fresh(current)
    assert stored.prefilled_from_id is None and stored.prefill_declined_at is None
