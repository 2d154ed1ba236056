"""The deadline-day hot paths stay cheap: an autosave and the filling page run a fixed handful
of SQL statements however many sections the form has, because a published version's definition
is built once per process (issue 14)."""

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.accounts.models import Role
from app.questionnaires.definition import version_definition
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_campaign, make_form, one_section, question, response_of

SAVE_STATEMENTS = 3  # the login (user, organization, device); the response with its form; UPDATE
PAGE_STATEMENTS = 3  # the same two (the school comes with the login); earlier answers to offer


def _form(sections: int) -> dict:
    definition = one_section("hot", question("q0", "integer", "Число"))
    definition["sections"] = [
        {"key": f"s{n}", "title": f"Раздел {n}", "description": "", "condition": None,
         "questions": [question(f"q{n}_{k}", "integer", "Число") for k in range(5)]}
        for n in range(sections)
    ]  # fmt: skip
    return definition


class Statements:
    def __init__(self):
        self.count = 0

    def __call__(self, *_args):
        self.count += 1


@pytest.fixture
def statements():
    counter = Statements()
    event.listen(Engine, "before_cursor_execute", counter)
    yield counter
    event.remove(Engine, "before_cursor_execute", counter)


def _response(world, sections: int):
    form = make_form(world.admin_a, _form(sections))
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    return response_of(campaign, world.school_a1)


def _save(client, response, revision: int) -> int:
    reply = client.post(
        f"/responses/{response.id}/save",
        data={"revision": revision, "q.q0_0": "5"},
        headers={"Accept": "application/json"},
    )
    assert reply.status_code == 200, reply.text
    return reply.json["revision"]


@pytest.mark.parametrize("sections", [2, 12])
def test_an_autosave_runs_a_fixed_handful_of_statements(client, world, statements, sections):
    response = _response(world, sections)
    login(client, world.school_user_a1)
    revision = _save(client, response, 0)  # the first save also records the start
    statements.count = 0
    _save(client, response, revision)
    assert statements.count == SAVE_STATEMENTS


@pytest.mark.parametrize("sections", [2, 12])
def test_the_filling_page_runs_a_fixed_handful_of_statements(client, world, statements, sections):
    response = _response(world, sections)
    login(client, world.school_user_a1)
    assert client.get(f"/responses/{response.id}").status_code == 200
    statements.count = 0
    page = client.get(f"/responses/{response.id}")
    assert page.status_code == 200 and f'name="q.q{sections - 1}_4"' in page.text
    assert statements.count == PAGE_STATEMENTS


def test_a_changed_copy_of_a_published_definition_leaves_the_next_one_whole(app, world):
    form = make_form(world.admin_a, _form(2))
    first = version_definition(form.published)
    first["sections"].clear()
    first["title"] = "Изменено"
    again = version_definition(form.published)
    assert len(again["sections"]) == 2 and again["title"] != "Изменено"


def test_questions_kept_per_process_show_each_school_its_own_answers(app, world):
    form = make_form(world.admin_a, _form(2))
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    school_a2 = make_user(Role.SCHOOL, world.school_a2, "school-a2-hot")
    pages = {}
    for user, organization, number in ((world.school_user_a1, world.school_a1, "5"),
                                       (school_a2, world.school_a2, "7"),
                                       (world.school_user_a1, world.school_a1, "5")):  # fmt: skip
        client = app.test_client()
        login(client, user)
        response = response_of(campaign, organization)
        client.post(f"/responses/{response.id}/save", data={"revision": response.revision,
                    "q.q0_0": number}, headers={"Accept": "application/json"})  # fmt: skip
        pages.setdefault(number, []).append(client.get(f"/responses/{response.id}").text)
    for number, texts in pages.items():
        for text in texts:
            assert f'name="q.q0_0" value="{number}"' in text
            other = "7" if number == "5" else "5"
            assert f'name="q.q0_0" value="{other}"' not in text
