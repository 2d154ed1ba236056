"""A school fills a form with calculations, constraints, defaults, read-only and "other"
answers: the server computes and checks them on every save and on submission, against the
response's own form version."""

import sqlalchemy as sa

from app.campaigns import prefill, responses
from app.campaigns.models import Answer, Response
from app.core.timefmt import local_today
from app.extensions import db
from app.questionnaires import services as questionnaires
from app.questionnaires.expressions import parse
from tests.conftest import login
from tests.monitoring import make_campaign, make_form, one_section, response_of

RATE_MESSAGE = "Ставка больше 0 и меньше 2000"
QUESTIONS = [
    {"key": "fund", "type": "integer", "label": "Фонд", "required": True},
    {"key": "pupils", "type": "integer", "label": "Учащихся", "required": True},
    {"key": "provision", "type": "calculate", "label": "Книгообеспеченность",
     "calculation": parse("${fund} div ${pupils}")},
    {"key": "rate", "type": "decimal", "label": "Ставка", "constraint_message": RATE_MESSAGE,
     "constraint": parse(". > 0 and . < 2000")},
    {"key": "filled_on", "type": "date", "label": "Дата", "read_only": True,
     "default": parse("today()")},
    {"key": "kind", "type": "single", "label": "Вид", "other": True,
     "choices": [{"code": "school", "label": "Школьная"}]},
]  # fmt: skip


def _campaign(world, questions=QUESTIONS):
    form = make_form(world.admin_a, one_section("books", *questions))
    return make_campaign(world.admin_a, form, [world.school_a1])


def _save(client, response, revision, **fields):
    return client.post(
        f"/responses/{response.id}/save",
        data={"revision": revision, **fields},
        headers={"Accept": "application/json"},
    )


def _fresh(response) -> Response:
    db.session.expire_all()
    return db.session.get(Response, response.id)


def test_opening_a_new_response_fills_in_the_defaults_once(client, world):
    response = response_of(_campaign(world), world.school_a1)
    login(client, world.school_user_a1)
    assert client.get(f"/responses/{response.id}").status_code == 200
    today = local_today().isoformat()
    assert _fresh(response).data == {"filled_on": today}
    assert _fresh(response).status == "not_started"
    assert _save(client, response, 0, **{"q.fund": "500"}).status_code == 200
    client.get(f"/responses/{response.id}")
    assert _fresh(response).data == {"fund": "500", "filled_on": today}


def test_a_save_stores_the_servers_calculation_and_keeps_read_only_answers(client, world):
    response = response_of(_campaign(world), world.school_a1)
    login(client, world.school_user_a1)
    client.get(f"/responses/{response.id}")
    fields = {"q.fund": "500", "q.pupils": "40", "q.provision": "1", "q.filled_on": "01.01.2020"}
    reply = _save(client, response, 0, **fields)
    assert reply.status_code == 200 and reply.json["errors"] == {}
    data = _fresh(response).data
    assert data["provision"] == 12.5
    assert data["filled_on"] == local_today().isoformat()


def test_a_constraint_refuses_zero_on_save_and_submit_and_accepts_a_half(client, world):
    response = response_of(_campaign(world), world.school_a1)
    login(client, world.school_user_a1)
    reply = _save(client, response, 0, **{"q.fund": "500", "q.pupils": "40", "q.rate": "0"})
    assert reply.json["errors"] == {"rate": RATE_MESSAGE}
    submitted = client.post(f"/responses/{response.id}/submit", data={"revision": 1})
    assert submitted.status_code == 302 and _fresh(response).status == "draft"
    reply = _save(client, response, 1, **{"q.fund": "500", "q.pupils": "40", "q.rate": "0,5"})
    assert reply.json["errors"] == {}
    client.post(f"/responses/{response.id}/submit", data={"revision": 2})
    stored = _fresh(response)
    assert stored.status == "submitted"
    assert stored.data["provision"] == 12.5 and stored.data["rate"] == "0.5"
    numbers = dict(
        db.session.execute(
            sa.select(Answer.question_key, Answer.value_number).where(
                Answer.response_id == response.id, Answer.value_number.is_not(None)
            )
        ).all()
    )
    assert float(numbers["provision"]) == 12.5


def test_the_text_of_other_is_required_with_it_and_stored_as_a_text_answer(client, world):
    response = response_of(_campaign(world), world.school_a1)
    login(client, world.school_user_a1)
    fields = {"q.fund": "500", "q.pupils": "40", "q.kind": "other"}
    _save(client, response, 0, **fields)
    try:
        responses.submit(world.school_user_a1, _fresh(response), 1)
    except responses.InvalidAnswers as refused:
        assert str(refused.errors["kind_other"]) == "Ответьте на этот вопрос."
    else:
        raise AssertionError("submitted without the text of other")
    db.session.rollback()
    _save(client, response, 1, **fields, **{"q.kind_other": "Сельская"})
    client.post(f"/responses/{response.id}/submit", data={"revision": 2})
    assert _fresh(response).data["kind_other"] == "Сельская"
    texts = db.session.scalars(
        sa.select(Answer.value_text).where(
            Answer.response_id == response.id, Answer.question_key == "kind_other"
        )
    ).all()
    assert texts == ["Сельская"]


def test_a_response_keeps_the_constraint_of_its_own_form_version(client, world):
    loose = {"key": "books", "type": "integer", "label": "Книг",
             "constraint": parse(". < 200")}  # fmt: skip
    old = _campaign(world, [loose])
    old_response = response_of(old, world.school_a1)
    login(client, world.school_user_a1)
    assert _save(client, old_response, 0, **{"q.books": "150"}).json["errors"] == {}

    def tighten(definition):
        definition["sections"][0]["questions"][0]["constraint"] = parse(". < 100")
        return definition

    form = old.form_version.form
    questionnaires.change_definition(world.admin_a, form, tighten)
    questionnaires.publish(world.admin_a, form)
    db.session.commit()
    new = make_campaign(world.admin_a, form, [world.school_a1], title="Второй год")
    new_response = response_of(new, world.school_a1)
    assert new.form_version_id != old.form_version_id

    assert _save(client, new_response, 0, **{"q.books": "150"}).json["errors"]["books"]
    assert _save(client, old_response, 1, **{"q.books": "150"}).json["errors"] == {}
    client.post(f"/responses/{old_response.id}/submit", data={"revision": 2})
    assert _fresh(old_response).status == "submitted"


def test_prefill_takes_typed_answers_but_not_read_only_or_calculated_ones(client, world):
    last_year = response_of(_campaign(world), world.school_a1)
    login(client, world.school_user_a1)
    client.get(f"/responses/{last_year.id}")
    _save(client, last_year, 0, **{"q.fund": "500", "q.pupils": "40", "q.rate": "1"})
    client.post(f"/responses/{last_year.id}/submit", data={"revision": 1})
    last_year = _fresh(last_year)
    last_year.data = {**last_year.data, "filled_on": "2025-09-01"}
    form = last_year.campaign.form_version.form
    this_year = response_of(make_campaign(world.admin_a, form, [world.school_a1]), world.school_a1)
    client.get(f"/responses/{this_year.id}")
    taken = prefill.prefill(world.school_user_a1, _fresh(this_year), last_year)
    db.session.commit()
    assert taken == ["fund", "pupils", "rate"]
    assert _fresh(this_year).data["filled_on"] == local_today().isoformat()
