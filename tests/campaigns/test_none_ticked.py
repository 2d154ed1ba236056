"""Ticking nothing in a shown multiple choice is an answer; the filling page says it was shown."""

import copy

import pytest

from app.campaigns import responses
from app.campaigns.models import Response
from app.extensions import db
from tests.campaigns.test_filling import _save
from tests.conftest import login
from tests.monitoring import DEFINITION, make_campaign, make_form, response_of


def _setup(world, definition=None):
    form = make_form(world.admin_a, definition)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    return response_of(campaign, world.school_a1)


def _data(response) -> dict:
    db.session.expire_all()
    return db.session.get(Response, response.id).data


def test_filling_page_marks_a_shown_multiple_choice_so_nothing_ticked_is_sent(client, world):
    mine = _setup(world)
    login(client, world.school_user_a1)
    page = client.get(f"/responses/{mine.id}").get_data(as_text=True)
    assert 'name="q.zones.shown"' in page
    assert (
        _save(client, mine, 0, **{"q.has_internet": "no", "q.zones.shown": "1"}).status_code == 200
    )
    assert _data(mine)["zones"] == []
    assert _save(client, mine, 1, **{"q.has_internet": "no"}).status_code == 200
    assert "zones" not in _data(mine)


def test_submitted_multiple_choice_left_unticked_is_stored_as_none_ticked(app, client, world):
    mine = _setup(world)
    login(client, world.school_user_a1)
    _save(client, mine, 0, **{"q.has_internet": "no", "q.zones.shown": "1"})
    assert client.post(f"/responses/{mine.id}/submit", data={"revision": 1}).status_code == 302
    assert _data(mine)["zones"] == []
    staff = app.test_client()
    login(staff, world.admin_a)
    review = staff.get(f"/responses/{mine.id}/review").get_data(as_text=True)
    assert "ничего не отмечено" in review.split('id="answer-zones"')[1].split("</dd>")[0]


def test_required_multiple_choice_with_nothing_ticked_is_refused_beside_it(world):
    definition = copy.deepcopy(DEFINITION)
    definition["sections"][0]["questions"][2]["required"] = True
    mine = _setup(world, definition)
    responses.save_draft(world.school_user_a1, mine, {"has_internet": "no", "zones": []}, 0)
    with pytest.raises(responses.InvalidAnswers) as refused:
        responses.submit(world.school_user_a1, mine, mine.revision)
    assert str(refused.value.errors["zones"]) == "Ответьте на этот вопрос."
