"""The builder's editor pages carry what their menus need: the earlier questions by text, and
each condition or check as menu rows (or null, when the menus cannot show it and the text stays
to edit); the formula check answers as the question is typed."""

import json
from html.parser import HTMLParser

import pytest

from app.extensions import db
from app.questionnaires import services
from tests.conftest import login
from tests.monitoring import question as _q

DEFINITION = {
    "title": "Библиотека",
    "description": "",
    "form_id": "library",
    "version": "1",
    "sections": [
        {"key": "first", "title": "Оснащение", "description": "", "condition": None, "questions": [
            _q("has_internet", "yesno", "Есть ли Интернет?"),
            _q("note", "note", "Пояснение"),
            _q("pupils", "integer", "Число учащихся"),
            _q("zones", "multiple", "Зоны", choices=[
                {"code": "reading", "label": "Читальный зал"},
                {"code": "media", "label": "Медиатека"},
            ]),
            _q("computers", "integer", "Число компьютеров",
               condition={"all": [{"key": "has_internet", "op": "eq", "value": "yes"},
                                  {"not": {"key": "zones", "op": "contains", "value": "media"}}]},
               required={"key": "pupils", "op": "gt", "value": 100},
               constraint=["op", "<=", ["cur"], ["ref", "pupils"]]),
            _q("odd", "integer", "Странное условие",
               condition={"any": [{"key": "pupils", "op": "gt", "value": 1},
                                  {"all": [{"key": "pupils", "op": "lt", "value": 0},
                                           {"key": "has_internet", "op": "eq", "value": "no"}]}]},
               constraint=["op", ">", ["call", "string-length", [["cur"]]], ["num", 0]]),
        ]},
        {"key": "second", "title": "Кадры", "description": "",
         "condition": {"key": "pupils", "op": "ge", "value": 10}, "questions": [
            _q("librarians", "integer", "Библиотекарей"),
        ]},
    ],
}  # fmt: skip


class Menus(HTMLParser):
    """The JSON data attributes of the page's menus."""

    def __init__(self, html: str):
        super().__init__()
        self.page = None
        self.rows: dict[str, object] = {}
        self.checks: dict[str, str] = {}
        self._holder = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-menus" in attrs:
            self.page = json.loads(attrs["data-menus"])
        if "data-menu" in attrs:
            self._holder = attrs
        if self._holder is not None and tag in ("input", "textarea") and attrs.get("name"):
            holder, self._holder = self._holder, None
            if "data-rows" in holder:
                self.rows[attrs["name"]] = json.loads(holder["data-rows"])
            else:
                self.checks[attrs["name"]] = holder["data-check"]


@pytest.fixture
def form(world):
    created = services.create_form(world.admin_a, DEFINITION)
    db.session.commit()
    return created


def _menus(client, url) -> Menus:
    reply = client.get(url)
    assert reply.status_code == 200
    return Menus(reply.get_data(as_text=True))


def _keys(menus: Menus) -> list[str]:
    return [question["key"] for question in menus.page["questions"]]


def test_question_page_carries_earlier_questions_and_the_rows_of_its_logic(client, world, form):
    login(client, world.admin_a)
    menus = _menus(client, f"/forms/{form.id}/questions/computers")
    assert _keys(menus) == ["has_internet", "pupils", "zones"]
    internet = menus.page["questions"][0]
    assert internet["label"] == "Есть ли Интернет?"
    assert internet["choices"] == [{"code": "yes", "label": "Да"}, {"code": "no", "label": "Нет"}]
    assert menus.page["texts"]["operators"]["le"] == "не больше"
    assert menus.rows["condition"] == {
        "join": "all",
        "rows": [
            {"key": "has_internet", "op": "eq", "value": "yes"},
            {"key": "zones", "op": "not_contains", "value": "media"},
        ],
    }
    assert menus.rows["required_if"] == {
        "join": "all",
        "rows": [{"key": "pupils", "op": "gt", "value": "100"}],
    }
    assert menus.rows["constraint"] == {
        "join": "all",
        "rows": [{"op": "le", "key": "pupils", "value": ""}],
    }
    assert menus.checks["calculation"].startswith(f"/forms/{form.id}/formula-check?")


def test_what_the_menus_cannot_show_comes_as_null_beside_its_text(client, world, form):
    login(client, world.admin_a)
    reply = client.get(f"/forms/{form.id}/questions/odd")
    menus = Menus(reply.get_data(as_text=True))
    assert menus.rows["condition"] is None
    assert menus.rows["constraint"] is None
    assert menus.rows["required_if"] == {"join": "all", "rows": []}
    assert "string-length(.) &gt; 0" in reply.get_data(as_text=True)


def test_a_page_sent_back_with_errors_shows_the_menus_of_the_posted_text(client, world, form):
    login(client, world.admin_a)
    reply = client.post(
        f"/forms/{form.id}/questions/new?section=first",
        data={"type": "integer", "label": "", "condition": "${pupils} < 5 or ${zones} = ''"},
    )
    assert reply.status_code == 400
    menus = Menus(reply.get_data(as_text=True))
    assert menus.rows["condition"] == {
        "join": "any",
        "rows": [
            {"key": "pupils", "op": "lt", "value": "5"},
            {"key": "zones", "op": "empty", "value": ""},
        ],
    }


def test_a_new_question_offers_the_questions_up_to_the_end_of_its_section(client, world, form):
    login(client, world.admin_a)
    menus = _menus(client, f"/forms/{form.id}/questions/new?section=first")
    assert _keys(menus) == ["has_internet", "pupils", "zones", "computers", "odd"]
    assert _keys(_menus(client, f"/forms/{form.id}/questions/new")) == [
        *_keys(menus),
        "librarians",
    ]


def test_section_page_offers_the_questions_of_the_sections_before_it(client, world, form):
    login(client, world.admin_a)
    menus = _menus(client, f"/forms/{form.id}/sections/second")
    assert _keys(menus) == ["has_internet", "pupils", "zones", "computers", "odd"]
    assert menus.rows["condition"] == {
        "join": "all",
        "rows": [{"key": "pupils", "op": "ge", "value": "10"}],
    }
    assert _keys(_menus(client, f"/forms/{form.id}/sections/first")) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("${pupils} div ${computers}", ""),
        ("", ""),
        ("${pupils} div", "выражение обрывается"),
        ("${librarians} + 1", "вопрос ${librarians} идёт в форме не раньше этого"),
        ("${odd} + ${nobody}", "вопроса ${nobody} в форме нет"),
        ("pulldata('x')", "функция pulldata() не поддерживается"),
    ],
)
def test_formula_check_says_what_saving_would_refuse(client, world, form, text, problem):
    login(client, world.admin_a)
    reply = client.get(
        f"/forms/{form.id}/formula-check", query_string={"text": text, "question": "librarians"}
    )
    assert reply.status_code == 200
    assert reply.get_json() == {"problem": problem}


def test_formula_check_of_a_new_question_reads_its_section(client, world, form):
    login(client, world.admin_a)
    url = f"/forms/{form.id}/formula-check"
    text = {"text": "${librarians} * 2"}
    assert client.get(url, query_string={**text, "section": "second"}).get_json()["problem"] == ""
    first = client.get(url, query_string={**text, "section": "first"}).get_json()["problem"]
    assert first == "вопрос ${librarians} идёт в форме не раньше этого"


def test_formula_check_is_for_the_forms_editors_only(client, world, form):
    login(client, world.admin_b)
    assert client.get(f"/forms/{form.id}/formula-check?text=1").status_code in (403, 404)
