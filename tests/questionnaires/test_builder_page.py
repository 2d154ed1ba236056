"""The one-page builder's server side: editors open in place, questions added between two
others, drag-and-drop order, deletion with «Отменить», htmx answers and the framed preview."""

import json
from html import unescape

import pytest

from app.extensions import db
from app.questionnaires import builder, logic_words, services, textformat
from app.questionnaires.definition import version_definition
from app.questionnaires.models import Form
from tests.conftest import login
from tests.monitoring import DEFINITION

HTMX = {"HX-Request": "true"}


@pytest.fixture
def draft(world):
    form = services.create_form(world.admin_a, DEFINITION)
    db.session.commit()
    return form


def _definition(form: Form) -> dict:
    db.session.expire_all()
    return version_definition(db.session.get(Form, form.id).latest)


def _layout(form: Form) -> list[dict]:
    return [
        {"key": section["key"], "questions": [q["key"] for q in section["questions"]]}
        for section in _definition(form)["sections"]
    ]


def _token(page: str) -> str:
    start = page.index('name="token" value="') + len('name="token" value="')
    return page[start : page.index('"', start)]


def test_the_editor_opens_in_place_of_its_question(client, world, draft):
    login(client, world.admin_a)
    page = client.get(f"/forms/{draft.id}/questions/internet_speed").get_data(as_text=True)
    assert page.count('id="question-editor"') == 1
    assert 'id="question-has_internet"' in page and 'id="question-zones"' in page
    assert 'id="question-internet_speed"' not in page
    assert page.index('id="question-has_internet"') < page.index('id="question-editor"')
    assert page.index('id="question-editor"') < page.index('id="question-zones"')


def test_a_question_added_between_two_others_stands_there(client, world, draft):
    login(client, world.admin_a)
    url = f"/forms/{draft.id}/questions/new?section=main&after=has_internet&type=integer"
    page = client.get(url).get_data(as_text=True)
    assert page.index('id="question-has_internet"') < page.index('id="question-editor"')
    assert page.index('id="question-editor"') < page.index('id="question-internet_speed"')
    reply = client.post(url, data={"label": "Число компьютеров", "type": "integer"})
    assert reply.status_code == 302
    keys = _layout(draft)[0]["questions"]
    assert keys[:3] == ["has_internet", "chislo_kompiuterov", "internet_speed"]


def test_an_empty_after_adds_at_the_top_and_none_at_the_end():
    definition = {"sections": [{"key": "s", "questions": [{"key": "a"}, {"key": "b"}]}]}
    top = builder.add_question(definition, "s", {"key": "c"}, "")
    end = builder.add_question(definition, "s", {"key": "c"})
    gone = builder.add_question(definition, "s", {"key": "c"}, "deleted_meanwhile")
    assert [q["key"] for q in top["sections"][0]["questions"]] == ["c", "a", "b"]
    assert [q["key"] for q in end["sections"][0]["questions"]] == ["a", "b", "c"]
    assert [q["key"] for q in gone["sections"][0]["questions"]] == ["a", "b", "c"]


def test_drag_and_drop_moves_a_question_into_another_section(client, world, draft):
    login(client, world.admin_a)
    layout = _layout(draft)
    moved = layout[0]["questions"].pop()
    layout[1]["questions"].insert(1, moved)
    reply = client.post(f"/forms/{draft.id}/order", data={"layout": json.dumps(layout)})
    assert reply.status_code == 302
    assert _layout(draft) == layout


def test_sections_are_reordered_by_drag_and_drop(client, world, draft):
    login(client, world.admin_a)
    layout = list(reversed(_layout(draft)))
    client.post(f"/forms/{draft.id}/order", data={"layout": json.dumps(layout)})
    assert [section["key"] for section in _layout(draft)] == [s["key"] for s in layout]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        (lambda layout: layout[0]["questions"].pop(), 409),
        (lambda layout: layout[0]["questions"].append("nobody"), 409),
        (lambda layout: layout[1]["questions"].append(layout[0]["questions"][0]), 409),
        (lambda layout: layout.pop(), 409),
    ],
)
def test_an_order_made_on_a_stale_page_changes_nothing(client, world, draft, change, status):
    login(client, world.admin_a)
    before = _layout(draft)
    layout = _layout(draft)
    change(layout)
    reply = client.post(f"/forms/{draft.id}/order", data={"layout": json.dumps(layout)})
    assert reply.status_code == status
    assert "Форма изменилась в другом окне" in reply.get_data(as_text=True)
    assert _layout(draft) == before


@pytest.mark.parametrize("text", ["", "not json", "{}", '[{"key": 1, "questions": []}]'])
def test_an_unreadable_order_is_refused(client, world, draft, text):
    login(client, world.admin_a)
    before = _layout(draft)
    reply = client.post(f"/forms/{draft.id}/order", data={"layout": text})
    assert reply.status_code == 400
    assert _layout(draft) == before


def test_a_deleted_question_comes_back_where_it_stood(client, world, draft):
    login(client, world.admin_a)
    before = _definition(draft)
    reply = client.post(f"/forms/{draft.id}/edit/delete/internet_speed", headers=HTMX)
    assert reply.status_code == 200
    assert reply.headers["HX-Push-Url"] == f"/forms/{draft.id}"
    assert reply.headers["HX-Trigger"] == "form-changed"
    assert "internet_speed" not in {
        q["key"] for q in _definition(draft)["sections"][0]["questions"]
    }
    token = _token(reply.get_data(as_text=True))
    restored = client.post(f"/forms/{draft.id}/undo", data={"token": token}, headers=HTMX)
    assert restored.status_code == 200
    assert 'data-focus="question-internet_speed"' in restored.get_data(as_text=True)
    assert _definition(draft)["sections"] == before["sections"]


def test_a_deleted_section_comes_back_where_it_stood(client, world):
    definition = {
        **DEFINITION,
        "sections": [
            *DEFINITION["sections"],
            {
                "key": "empty",
                "title": "Пустой",
                "description": "",
                "condition": None,
                "questions": [],
            },
        ],
    }
    form = services.create_form(world.admin_a, definition)
    db.session.commit()
    login(client, world.admin_a)
    reply = client.post(f"/forms/{form.id}/edit/section-delete/empty", headers=HTMX)
    assert [s["key"] for s in _definition(form)["sections"]] == ["main", "staff_section"]
    client.post(f"/forms/{form.id}/undo", data={"token": _token(reply.get_data(as_text=True))})
    assert [s["key"] for s in _definition(form)["sections"]] == ["main", "staff_section", "empty"]


def test_undo_refuses_a_forged_token_a_token_of_another_form_and_a_taken_key(client, world, draft):
    other = services.create_form(world.admin_a, DEFINITION)
    db.session.commit()
    login(client, world.admin_a)
    assert client.post(f"/forms/{draft.id}/undo", data={"token": "forged"}).status_code == 400
    reply = client.post(f"/forms/{other.id}/edit/delete/zones", headers=HTMX)
    token = _token(reply.get_data(as_text=True))
    assert client.post(f"/forms/{draft.id}/undo", data={"token": token}).status_code == 400
    client.post(
        f"/forms/{other.id}/questions/new?section=main",
        data={"label": "Зоны", "type": "text", "key": "zones"},
    )
    refused = client.post(f"/forms/{other.id}/undo", data={"token": token})
    assert refused.status_code == 409
    assert "в форме уже есть zones" in refused.get_data(as_text=True)


def test_an_editor_with_errors_answers_htmx_with_the_builder_and_a_4xx(client, world, draft):
    login(client, world.admin_a)
    reply = client.post(
        f"/forms/{draft.id}/questions/zones",
        data={"label": "", "type": "multiple"},
        headers=HTMX,
    )
    assert reply.status_code == 400
    page = reply.get_data(as_text=True)
    assert 'id="builder"' in page and 'id="label-error"' in page
    assert "HX-Push-Url" not in reply.headers


def test_a_refused_delete_says_why_in_the_builder(client, world, draft):
    login(client, world.admin_a)
    reply = client.post(f"/forms/{draft.id}/edit/section-delete/main", headers=HTMX)
    assert reply.status_code == 400
    assert "Сначала перенесите или удалите вопросы этого раздела" in reply.get_data(as_text=True)


def test_the_preview_may_be_framed_by_the_builder_only_when_embedded(client, world, draft):
    login(client, world.admin_a)
    framed = client.get(f"/forms/{draft.id}/preview?embed=1")
    assert framed.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in framed.headers["Content-Security-Policy"]
    assert 'class="navbar' not in framed.get_data(as_text=True)
    alone = client.get(f"/forms/{draft.id}/preview")
    assert alone.headers["X-Frame-Options"] == "DENY"
    assert 'class="navbar' in alone.get_data(as_text=True)


def test_another_districts_staff_cannot_reorder_or_undo(client, world, draft):
    login(client, world.admin_b)
    layout = json.dumps(_layout(draft))
    assert client.post(f"/forms/{draft.id}/order", data={"layout": layout}).status_code == 404
    assert client.post(f"/forms/{draft.id}/undo", data={"token": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("line", "bounds"),
    [
        ("| integer | Часов | * |  | 1..40", {"min": 1, "max": 40}),
        ("| decimal | Ставка |  |  | ..1,5", {"max": "1.5"}),
        ("| date | Дата |  |  | 2024-09-01..", {"min": "2024-09-01"}),
        ("| integer | Часов", {}),
    ],
)
def test_table_columns_carry_their_bounds_both_ways(line, bounds):
    (column,) = textformat.parse_columns(line, "columns")
    assert {name: column[name] for name in ("min", "max") if name in column} == bounds
    assert textformat.parse_columns(textformat.format_columns([column]), "columns") == [column]


def _two_lists(world) -> Form:
    zones = [{"code": "reading", "label": "Читальный зал"}, {"code": "media", "label": "Медиатека"}]
    definition = {
        **DEFINITION,
        "sections": [
            {
                **DEFINITION["sections"][0],
                "questions": [
                    {"key": "now", "type": "multiple", "label": "Зоны сейчас", "choices": zones},
                    {"key": "plan", "type": "multiple", "label": "Зоны в плане", "choices": zones},
                    {
                        "key": "kind",
                        "type": "single",
                        "label": "Тип",
                        "choices": [{"code": "a", "label": "А"}],
                    },
                ],
            }
        ],
    }
    form = services.create_form(world.admin_a, definition)
    db.session.commit()
    return form


@pytest.mark.parametrize("everywhere", [True, False])
def test_one_list_of_options_changes_in_every_question_using_it_when_asked(
    client, world, everywhere
):
    form = _two_lists(world)
    login(client, world.admin_a)
    page = client.get(f"/forms/{form.id}/questions/now").get_data(as_text=True)
    assert "Этот же список вариантов используют вопросы: Зоны в плане." in page
    assert "Взять варианты другого вопроса" in page and "a | А" in page
    fields = {
        "label": "Зоны сейчас",
        "type": "multiple",
        "choices": "reading | Читальный зал\nmedia | Медиатека\nХолл",
    }
    if everywhere:
        fields["choices_everywhere"] = "y"
    assert client.post(f"/forms/{form.id}/questions/now", data=fields).status_code == 302
    questions = {q["key"]: q for q in _definition(form)["sections"][0]["questions"]}
    labels = [choice["label"] for choice in questions["plan"]["choices"]]
    assert labels == (["Читальный зал", "Медиатека", "Холл"] if everywhere else labels[:2])
    assert len(questions["now"]["choices"]) == 3
    assert questions["kind"]["choices"] == [{"code": "a", "label": "А"}]


def test_a_question_with_a_list_of_its_own_shares_with_nobody(world):
    definition = _definition(_two_lists(world))
    assert builder.sharing_choices(definition, "kind") == []
    assert [q["key"] for q in builder.sharing_choices(definition, "plan")] == ["now"]
    assert builder.sharing_choices(definition, None) == []


def test_the_builder_list_says_conditions_in_words(client, world, draft):
    login(client, world.admin_a)
    page = client.get(f"/forms/{draft.id}").get_data(as_text=True)
    assert "Показывается, если: «Есть ли Интернет?» равно «Да»" in unescape(page)
    assert "${has_internet}" not in unescape(page).split('title="XLSForm:')[0]


def test_condition_words_for_numbers_dates_and_several_rows():
    definition = {
        "sections": [
            {
                "key": "s",
                "questions": [
                    {"key": "n", "type": "decimal", "label": "Фонд"},
                    {"key": "d", "type": "date", "label": "Дата"},
                    {"key": "t", "type": "text", "label": "Имя"},
                ],
            }
        ]
    }
    condition = {
        "any": [
            {"key": "n", "op": "ge", "value": 5400},
            {"key": "d", "op": "lt", "value": "2024-09-01"},
            {"key": "t", "op": "empty", "value": None},
        ]
    }
    assert logic_words.condition_words(condition, definition) == (
        "«Фонд» не меньше 5\u00a0400 или «Дата» раньше 01.09.2024 или «Имя» не заполнен"
    )
    odd = {"expr": ["op", ">", ["op", "+", ["ref", "n"], ["num", 1]], ["num", 2]]}
    assert logic_words.condition_words(odd, definition) == "«Фонд» + 1 > 2"
