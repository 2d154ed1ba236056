"""The review page shows a response as the school saw it: labels with ${key} filled in with the
answers, and the text written for «Другое» beside the option."""

from app.campaigns import responses
from app.extensions import db
from app.questionnaires.texts import fill_in
from tests.conftest import login
from tests.monitoring import make_campaign, make_form, one_section, response_of

SHELF = {
    "key": "shelf",
    "type": "single",
    "label": "Где стоит фонд",
    "help": "",
    "required": False,
    "condition": None,
    "other": True,
    "choices": [{"code": "hall", "label": "В читальном зале"}],
}
PUPILS = {
    "key": "pupils",
    "type": "decimal",
    "label": "Учащихся",
    "help": "",
    "required": False,
    "condition": None,
}
READERS = {"key": "readers", "type": "integer", "label": "Сколько из ${pupils} учащихся читают",
           "help": "", "required": False, "condition": None}  # fmt: skip


def _review(app, world, answers: dict) -> str:
    form = make_form(world.admin_a, one_section("texts", SHELF, PUPILS, READERS))
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    response = response_of(campaign, world.school_a1)
    responses.save_draft(world.school_user_a1, response, answers, 0)
    db.session.commit()
    staff = app.test_client()
    login(staff, world.admin_a)
    return staff.get(f"/responses/{response.id}/review").get_data(as_text=True)


def _answer(page: str, key: str) -> str:
    return page.split(f'id="answer-{key}"')[1].split("</dd>")[0]


def test_review_shows_the_text_written_for_other(app, world):
    page = _review(app, world, {"shelf": "other", "shelf_other": "В коридоре"})
    assert "Другое: В коридоре" in _answer(page, "shelf")


def test_review_fills_a_label_with_the_answer_it_names(app, world):
    page = _review(app, world, {"pupils": "1240.5", "readers": 900})
    assert "Сколько из 1 240,5 учащихся читают" in page.replace("\xa0", " ")


def test_a_label_naming_an_unanswered_question_loses_only_the_reference(app):
    definition = one_section("texts", SHELF, PUPILS, READERS)
    with app.test_request_context():
        assert fill_in(READERS["label"], definition, {}) == "Сколько из  учащихся читают"
        assert fill_in("${shelf}: ${nobody}", definition, {"shelf": "hall"}) == (
            "В читальном зале: ${nobody}"
        )


def test_review_writes_numbers_the_russian_way_and_a_typed_mistake_as_typed(app, world):
    page = _review(app, world, {"pupils": "1240.5", "readers": "12а"}).replace("\xa0", " ")
    assert "1 240,5" in _answer(page, "pupils")
    assert "12а" in _answer(page, "readers")


def test_the_school_sees_the_comment_on_each_returned_answer_beside_it(app, world):
    form = make_form(world.admin_a, one_section("texts", SHELF, PUPILS, READERS))
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    response = response_of(campaign, world.school_a1)
    responses.save_draft(world.school_user_a1, response, {"pupils": "40", "readers": 30}, 0)
    responses.submit(world.school_user_a1, response, response.revision)
    responses.return_for_revision(
        world.admin_a, response, "", {"readers": "Читателей больше, чем учащихся?"}
    )
    db.session.commit()
    school = app.test_client()
    login(school, world.school_user_a1)
    page = school.get(f"/responses/{response.id}").get_data(as_text=True)
    readers = page.split('id="question-readers"')[1].split('id="question-')[0]
    assert "Замечание к ответу: Читателей больше, чем учащихся?" in readers
    assert "Замечание к ответу" not in page.split('id="question-readers"')[0]
