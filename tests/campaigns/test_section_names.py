"""A section without a title is named as the builder, the report and the справка name it
(«Раздел 2»), on the filling page and on the preview alike."""

from app.extensions import db
from tests.conftest import login
from tests.monitoring import make_campaign, make_form, one_section, response_of

NUMBER = {"key": "pupils", "type": "integer", "label": "Учащихся", "help": "",
          "required": False, "condition": None}  # fmt: skip


def _two_sections() -> dict:
    definition = one_section("named", dict(NUMBER), title="Фонд")
    untitled = {"key": "extra", "title": "", "description": "", "condition": None,
                "questions": [{**NUMBER, "key": "books", "label": "Книг"}]}  # fmt: skip
    definition["sections"].append(untitled)
    return definition


def test_an_untitled_section_is_named_by_its_number_when_filling_and_previewing(app, world):
    form = make_form(world.admin_a, _two_sections())
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    response = response_of(campaign, world.school_a1)
    db.session.commit()
    school = app.test_client()
    login(school, world.school_user_a1)
    page = school.get(f"/responses/{response.id}").get_data(as_text=True)
    assert ">Фонд" in page and ">Раздел 2" in page
    staff = app.test_client()
    login(staff, world.admin_a)
    preview = staff.get(f"/forms/{form.id}/preview").get_data(as_text=True)
    assert ">Раздел 2</legend>" in preview
