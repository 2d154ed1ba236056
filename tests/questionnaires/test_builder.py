"""The questionnaire builder: edit a draft, publish, new versions, copy, import, export, CLI."""

import copy
import io
import json
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.questionnaires import builder, services, textformat
from app.questionnaires.definition import version_definition
from app.questionnaires.models import Form, FormVersion
from app.questionnaires.spec import QUESTION_TYPES
from tests.conftest import login
from tests.monitoring import DEFINITION, make_campaign, make_form, one_section, response_of


def _new_form(client) -> Form:
    reply = client.post("/forms/new", data={"title": "Библиотечный фонд", "description": ""})
    assert reply.status_code == 302
    return db.session.scalar(sa.select(Form).order_by(Form.id.desc()))


def _keys(form: Form) -> list[str]:
    db.session.expire_all()
    return [q.key for q in db.session.get(Form, form.id).latest.questions]


def test_staff_build_a_questionnaire_with_a_condition_and_publish_it(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    client.post(
        f"/forms/{form.id}/questions/new",
        data={
            "label": "Есть ли Интернет?",
            "key": "has_internet",
            "type": "yesno",
            "required": "y",
        },
    )
    reply = client.post(
        f"/forms/{form.id}/questions/new",
        data={
            "label": "Скорость",
            "key": "speed",
            "type": "decimal",
            "min": "0",
            "max": "1000",
            "condition": "${has_internet} = 'yes'",
        },
    )
    assert reply.status_code == 302
    assert _keys(form) == ["has_internet", "speed"]
    speed = db.session.get(Form, form.id).latest.questions[1]
    assert speed.condition == {"key": "has_internet", "op": "eq", "value": "yes"}
    assert client.post(f"/forms/{form.id}/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(Form, form.id).published.number == 1


def test_bad_condition_is_shown_beside_the_field(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    reply = client.post(
        f"/forms/{form.id}/questions/new",
        data={
            "label": "Скорость",
            "key": "speed",
            "type": "decimal",
            "condition": "${nothing} = 'yes'",
        },
    )
    assert reply.status_code == 400
    assert 'id="condition-error"' in reply.get_data(as_text=True)
    assert _keys(form) == []


def test_duplicate_key_is_refused(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    data = {"label": "Фонд", "key": "fund", "type": "integer"}
    client.post(f"/forms/{form.id}/questions/new", data=data)
    reply = client.post(f"/forms/{form.id}/questions/new", data=data)
    assert reply.status_code == 400
    assert _keys(form) == ["fund"]


def test_choices_columns_and_reordering(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    client.post(
        f"/forms/{form.id}/questions/new",
        data={
            "label": "Зоны",
            "key": "zones",
            "type": "multiple",
            "choices": "reading | Читальный зал\nМедиатека",
        },
    )
    client.post(
        f"/forms/{form.id}/questions/new",
        data={
            "label": "Сотрудники",
            "key": "staff",
            "type": "table",
            "min": "1",
            "columns": "full_name | text | ФИО | *\n"
            "position | single | Должность | | a=Педагог; b=Библиотекарь",
        },
    )
    db.session.expire_all()
    version = db.session.get(Form, form.id).latest
    zones, staff = version.questions
    assert zones.settings["choices"] == [
        {"code": "reading", "label": "Читальный зал"},
        {"code": "1", "label": "Медиатека"},
    ]
    assert staff.settings["columns"][1]["choices"][1] == {"code": "b", "label": "Библиотекарь"}
    client.post(f"/forms/{form.id}/edit/up/staff")
    assert _keys(form) == ["staff", "zones"]
    client.post(f"/forms/{form.id}/edit/duplicate/zones")
    assert _keys(form) == ["staff", "zones", "zones_2"]
    client.post(f"/forms/{form.id}/edit/delete/zones_2")
    assert _keys(form) == ["staff", "zones"]


def test_editing_a_published_form_makes_a_new_version_and_keeps_answers(client, world):
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    answered = response_of(campaign, world.school_a1).campaign.form_version_id
    login(client, world.admin_a)
    client.post(
        f"/forms/{form.id}/questions/new?section=main",
        data={"label": "Площадь", "key": "area", "type": "decimal"},
    )
    db.session.expire_all()
    form = db.session.get(Form, form.id)
    assert [v.number for v in form.versions] == [1, 2]
    assert form.latest.is_draft and "area" in [q.key for q in form.latest.questions]
    first = db.session.get(FormVersion, answered)
    assert "area" not in [q.key for q in first.questions]
    assert form.published.number == 1


def test_copy_of_another_districts_form(app, world):
    form = make_form(world.admin_b)
    client = app.test_client()
    login(client, world.admin_a)
    assert client.get(f"/forms/{form.id}").status_code == 404
    region_form = make_form(world.region_admin)
    assert client.get(f"/forms/{region_form.id}").status_code == 200
    assert client.post(f"/forms/{region_form.id}/publish").status_code == 403
    assert client.post(f"/forms/{region_form.id}/copy").status_code == 302
    copy = db.session.scalar(sa.select(Form).order_by(Form.id.desc()))
    assert copy.organization_id == world.district_a.id and copy.latest.is_draft


def test_json_export_then_import_gives_the_same_form(client, world):
    form = make_form(world.admin_a)
    login(client, world.admin_a)
    exported = client.get(f"/forms/{form.id}/export.json")
    assert json.loads(exported.data)["sections"][0]["questions"][0]["key"] == "has_internet"
    reply = client.post(
        "/forms/import",
        data={"file": (io.BytesIO(exported.data), "form.json")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 302
    again = db.session.scalar(sa.select(Form).order_by(Form.id.desc()))
    assert client.get(f"/forms/{again.id}/export.json").data == exported.data


def test_xlsform_export_then_import_gives_the_same_form(client, world):
    form = make_form(world.admin_a)
    login(client, world.admin_a)
    exported = client.get(f"/forms/{form.id}/export.xlsx")
    reply = client.post(
        "/forms/import",
        data={"file": (io.BytesIO(exported.data), "form.xlsx")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 302
    again = db.session.scalar(sa.select(Form).order_by(Form.id.desc()))
    assert json.loads(client.get(f"/forms/{again.id}/export.json").data) == json.loads(
        client.get(f"/forms/{form.id}/export.json").data
    )


def test_bad_import_names_the_problem(client, world):
    login(client, world.admin_a)
    broken = {
        **DEFINITION,
        "sections": [
            {
                **DEFINITION["sections"][0],
                "questions": [
                    {
                        "key": "speed",
                        "type": "decimal",
                        "label": "Скорость",
                        "help": "",
                        "required": False,
                        "condition": {"key": "missing", "op": "eq", "value": "yes"},
                    }
                ],
            }
        ],
    }
    reply = client.post(
        "/forms/import",
        data={"file": (io.BytesIO(json.dumps(broken).encode()), "broken.json")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 400
    assert 'id="file-error"' in reply.get_data(as_text=True)


def test_cli_imports_and_exports_forms(app, world, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forms", "import", "app/demo/forms/ibc_readiness.xlsx"])
    assert result.exit_code == 0, result.output
    form_id = int(result.output.strip())
    target = tmp_path / "out.json"
    assert runner.invoke(args=["forms", "export", str(form_id), str(target)]).exit_code == 0
    assert json.loads(target.read_text())["form_id"] == "ibc_readiness"


def test_free_key_and_move_across_sections():
    definition = {**DEFINITION}
    assert builder.free_key(definition, "zones") == "zones_2"
    moved = builder.move_question(definition, "staff", -1)
    assert [q["key"] for q in moved["sections"][0]["questions"]][-1] == "staff"


# Issue 10's settings in the builder: what the form does not show is kept, what it shows is
# written as XLSForm text and read back.

IMPORTED = one_section(
    "logic",
    {
        "key": "has_library",
        "type": "yesno",
        "label": "Есть ли библиотека?",
        "help": "",
        "required": True,
        "condition": None,
        "default": ["str", "yes"],
    },
    {
        "key": "fund",
        "type": "integer",
        "label": "Фонд, экз.",
        "help": "",
        "required": {"key": "has_library", "op": "eq", "value": "yes"},
        "condition": None,
        "min": 0,
        "constraint": ["op", "<", ["cur"], ["num", 1000000]],
        "constraint_message": "Фонд меньше миллиона",
        "read_only": True,
        "default": ["num", 100],
    },
    {
        "key": "pupils",
        "type": "decimal",
        "label": "Учащихся",
        "help": "",
        "required": False,
        "condition": None,
        "constraint": [
            "op", "and", ["op", ">", ["cur"], ["num", 0]], ["op", "<", ["cur"], ["num", 2000]]
        ],
    },
    {
        "key": "per_pupil",
        "type": "calculate",
        "label": "",
        "help": "",
        "required": False,
        "condition": {"expr": ["op", ">", ["ref", "pupils"], ["num", 0]]},
        "calculation": ["op", "div", ["ref", "fund"], ["ref", "pupils"]],
    },
    {
        "key": "district",
        "type": "single",
        "label": "Улус",
        "help": "",
        "required": False,
        "condition": None,
        "display": "list",
        "choices": [
            {"code": "nyurba", "label": "Нюрбинский"}, {"code": "suntar", "label": "Сунтарский"}
        ],
    },
    {
        "key": "school",
        "type": "single",
        "label": "Школа",
        "help": "",
        "required": False,
        "condition": None,
        "display": "radio",
        "other": True,
        "choice_filter": ["op", "=", ["name", "district"], ["ref", "district"]],
        "choices": [
            {"code": "nsosh1", "label": "НСОШ №1", "extra": {"district": "nyurba"}},
            {"code": "ssosh1", "label": "ССОШ №1", "extra": {"district": "suntar"}},
        ],
    },
    {
        "key": "teachers",
        "type": "table",
        "label": "Педагоги",
        "help": "",
        "required": False,
        "condition": None,
        "repeat_count": ["ref", "fund"],
        "columns": [
            {"key": "hours", "type": "integer", "label": "Часов", "required": True, "min": 1,
             "constraint": ["op", "<=", ["cur"], ["num", 40]]},
            {"key": "double", "type": "calculate", "label": "Вдвое", "required": False,
             "calculation": ["op", "*", ["ref", "hours"], ["num", 2]]},
        ],
    },
)  # fmt: skip


class PageForm(HTMLParser):
    """The values a browser would post from the page's question form, as they are shown."""

    def __init__(self, html: str):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea = self._select = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox"):
            self.data[name] = attrs.get("value", "")
        elif tag == "input" and name and "checked" in attrs:
            self.data[name] = attrs.get("value", "y")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            # a browser drops the newline that follows <textarea>
            known = self.data[self._textarea]
            self.data[self._textarea] = known + (data if known else data.lstrip("\r\n"))


def _draft(admin, definition=IMPORTED) -> Form:
    form = services.create_form(admin, definition)
    db.session.commit()
    return form


def _definition(form: Form) -> dict:
    db.session.expire_all()
    return version_definition(db.session.get(Form, form.id).latest)


def _questions(form: Form) -> dict:
    return {q["key"]: q for s in _definition(form)["sections"] for q in s["questions"]}


def _shown(client, form: Form, key: str) -> dict:
    reply = client.get(f"/forms/{form.id}/questions/{key}")
    assert reply.status_code == 200
    return PageForm(reply.get_data(as_text=True)).data


def test_editing_the_label_keeps_every_setting_the_form_does_not_show(client, world):
    login(client, world.admin_a)
    form = _draft(world.admin_a)
    before = _definition(form)
    for key in _questions(form):
        fields = _shown(client, form, key)
        reply = client.post(
            f"/forms/{form.id}/questions/{key}", data={**fields, "label": "Новый текст"}
        )
        assert reply.status_code == 302, (key, reply.get_data(as_text=True))
        expected = copy.deepcopy(before)
        builder.find_question(expected, key)["label"] = "Новый текст"
        assert _questions(form) == {q["key"]: q for q in expected["sections"][0]["questions"]}
        assert _definition(form) == expected
        before = expected


@pytest.mark.parametrize(
    "fixture",
    [
        "calculate_chain.xlsx",
        "cascading_selects.xlsx",
        "choices_extra_column.xlsx",
        "defaults.xlsx",
        "default.xlsx",
        "read_only.xlsx",
        "or_other.xlsx",
        "strict_bounds.xlsx",
        "required_and_relevant_expressions.xlsx",
        "repeat_count_from_answer.xlsx",
        "aliases_with_calculate_column.xlsx",
    ],
)
def test_saving_an_imported_xlsform_question_unchanged_changes_nothing(client, world, fixture):
    login(client, world.admin_a)
    workbook = (Path(__file__).parents[1] / "fixtures" / "xlsform" / fixture).read_bytes()
    reply = client.post(
        "/forms/import",
        data={"file": (io.BytesIO(workbook), fixture)},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 302, reply.get_data(as_text=True)
    form = db.session.scalar(sa.select(Form).order_by(Form.id.desc()))
    before = _definition(form)
    for key, question in _questions(form).items():
        if question["type"] == "note":
            continue
        reply = client.post(f"/forms/{form.id}/questions/{key}", data=_shown(client, form, key))
        assert reply.status_code == 302, (key, reply.get_data(as_text=True))
        after = _definition(form)
        assert [q for s in after["sections"] for q in s["questions"]] == [
            q for s in before["sections"] for q in s["questions"]
        ], key
        assert after == before


def test_a_new_key_the_form_does_not_know_is_kept_on_the_question_and_its_options():
    stored = {**IMPORTED["sections"][0]["questions"][5], "translations": {"sah": "Оскуола"}}
    stored["choices"] = [
        {**stored["choices"][0], "translations": {"sah": "НОО №1"}},
        *stored["choices"][1:],
    ]
    definition = one_section("t", stored)
    edited = textformat.question_from_fields(
        {**textformat.fields_from_question(stored), "label": "Школа (новое)"}
    )
    shown = textformat.form_keys("single")
    updated = builder.update_question(
        definition, "school", edited, shown, textformat.COLUMN_FORM_KEYS
    )
    question = builder.find_question(updated, "school")
    assert question == {**stored, "label": "Школа (новое)"}


def test_a_type_change_removes_what_the_new_type_cannot_use_and_says_so(client, world):
    login(client, world.admin_a)
    form = _draft(world.admin_a)
    fields = _shown(client, form, "teachers")
    reply = client.post(
        f"/forms/{form.id}/questions/teachers",
        data={**fields, "type": "integer"},
        follow_redirects=True,
    )
    assert "repeat_count" in reply.get_data(as_text=True)
    teachers = _questions(form)["teachers"]
    assert teachers["type"] == "integer" and "repeat_count" not in teachers


def _add(client, form: Form, **data):
    return client.post(f"/forms/{form.id}/questions/new", data=data)


def _base_form(client, world) -> Form:
    login(client, world.admin_a)
    form = _new_form(client)
    _add(client, form, label="Фонд", key="fund", type="integer")
    _add(client, form, label="Учащихся", key="pupils", type="integer")
    return form


def test_staff_add_a_calculated_field_with_a_formula(client, world):
    form = _base_form(client, world)
    reply = _add(
        client, form, key="per_pupil", type="calculate", calculation="${fund} div ${pupils}"
    )
    assert reply.status_code == 302
    per_pupil = _questions(form)["per_pupil"]
    assert per_pupil["calculation"] == ["op", "div", ["ref", "fund"], ["ref", "pupils"]]
    assert per_pupil["required"] is False and per_pupil["label"] == ""
    assert _shown(client, form, "per_pupil")["calculation"] == "${fund} div ${pupils}"


@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ("calculation", {"type": "calculate", "calculation": "${fund} div"}, ""),
        ("calculation", {"type": "calculate", "calculation": "pulldata('a', 'b')"}, "pulldata()"),
        ("calculation", {"type": "calculate", "calculation": "${nowhere} * 2"}, "${nowhere}"),
        ("calculation", {"type": "calculate", "calculation": ""}, ""),
        ("constraint", {"type": "decimal", "constraint": ". >> 2"}, ""),
        ("constraint", {"type": "decimal", "constraint": ". < ${nothing}"}, "${nothing}"),
        ("default", {"type": "integer", "default": "пять"}, "пять"),
        ("default", {"type": "date", "default": "now()"}, "now()"),
        ("choice_filter", {"type": "single", "choices": "a | А", "choice_filter": "name = "}, ""),
        ("required_if", {"type": "text", "required_if": "${missing} = 'yes'"}, "missing"),
        ("condition", {"type": "text", "condition": "${fund} div ${nowhere} > 2"}, "${nowhere}"),
    ],
)
def test_a_bad_expression_is_shown_beside_its_field_and_nothing_is_saved(
    client, world, field, data, message
):
    form = _base_form(client, world)
    reply = client.post(
        f"/forms/{form.id}/questions/new?section=main",
        data={"label": "Новый", "key": "fresh", **data},
    )
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert f'id="{field}-error"' in page
    error = page.split(f'id="{field}-error"')[1].split("</div>")[0]
    assert message in unescape(error)
    assert "fresh" not in _questions(form)
    # the text stays in its field to be corrected
    assert PageForm(page).data[field] == data.get(field, "")


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("constraint", ". > ${pupils}"),
        ("default", "${pupils} + 1"),
        ("condition", "${pupils} div 2 > 1"),
        ("required_if", "${pupils} > 1"),
    ],
)
def test_a_later_question_may_not_be_read_by_an_earlier_one(client, world, field, text):
    form = _base_form(client, world)
    reply = client.post(
        f"/forms/{form.id}/questions/fund", data={**_shown(client, form, "fund"), field: text}
    )
    assert reply.status_code == 400
    error = reply.get_data(as_text=True).split(f'id="{field}-error"')[1].split("</div>")[0]
    assert "pupils" in unescape(error)
    fund = _questions(form)["fund"]
    assert fund.get(field) in (None, False) and fund["required"] is False


def test_each_new_setting_saves_and_shows_again(client, world):
    form = _base_form(client, world)
    _add(
        client,
        form,
        label="Улус",
        key="district",
        type="single",
        choices="nyurba | Нюрбинский\nsuntar | Сунтарский",
    )
    reply = _add(
        client,
        form,
        label="Площадь",
        key="area",
        type="decimal",
        min="0",
        max="2000",
        constraint=". > 0 and . < 2000",
        constraint_message="Площадь от 0 до 2000 м², не включая",
        default="12.5",
        read_only="y",
        required_if="${fund} > 0",
        condition="${fund} div ${pupils} > 10",
    )
    assert reply.status_code == 302, reply.get_data(as_text=True)
    reply = _add(
        client,
        form,
        label="Школа",
        key="school",
        type="multiple",
        choices="nsosh1 | НСОШ №1\nssosh1 | ССОШ №1",
        other="y",
        choice_filter="starts-with(name, ${district})",
    )
    assert reply.status_code == 302, reply.get_data(as_text=True)
    _add(client, form, label="Дата", key="filled", type="date", default="today()")
    questions = _questions(form)
    area, school = questions["area"], questions["school"]
    assert area["constraint"] == [
        "op", "and", ["op", ">", ["cur"], ["num", 0]], ["op", "<", ["cur"], ["num", 2000]]
    ]  # fmt: skip
    assert area["constraint_message"] == "Площадь от 0 до 2000 м², не включая"
    assert area["default"] == ["num", 12.5] and area["read_only"] is True
    assert area["required"] == {"key": "fund", "op": "gt", "value": 0}
    assert area["condition"] == {
        "expr": ["op", ">", ["op", "div", ["ref", "fund"], ["ref", "pupils"]], ["num", 10]]
    }
    assert school["other"] is True
    assert school["choice_filter"] == [
        "call", "starts-with", [["name", "name"], ["ref", "district"]]
    ]  # fmt: skip
    assert questions["filled"]["default"] == ["call", "today", []]
    shown = _shown(client, form, "area")
    assert shown["constraint"] == ". > 0 and . < 2000"
    assert shown["default"] == "12.5" and shown["read_only"] == "y"
    assert shown["required_if"] == "${fund} > 0"
    assert shown["condition"] == "${fund} div ${pupils} > 10"
    assert "required" not in shown
    assert _shown(client, form, "school")["choice_filter"] == "starts-with(name, ${district})"
    assert _shown(client, form, "filled")["default"] == "today()"


def test_unticking_a_setting_removes_it(client, world):
    login(client, world.admin_a)
    form = _draft(world.admin_a)
    fields = _shown(client, form, "fund")
    del fields["read_only"]
    fields["default"] = fields["constraint"] = fields["required_if"] = ""
    assert client.post(f"/forms/{form.id}/questions/fund", data=fields).status_code == 302
    fund = _questions(form)["fund"]
    assert not {"read_only", "default", "constraint"} & set(fund)
    assert fund["required"] is False


def test_min_and_max_are_said_in_words_beside_them(client, world):
    form = _base_form(client, world)
    _add(client, form, label="Площадь", key="area", type="decimal", min="0,5", max="2000")
    page = unescape(client.get(f"/forms/{form.id}/questions/area").get_data(as_text=True))
    assert "значение от 0,5 до 2\xa0000" in page
    assert "<code>. >= 0.5 and . <= 2000</code>" in page
    _add(client, form, label="Дата", key="day", type="date", min="2024-09-01")
    page = client.get(f"/forms/{form.id}/questions/day").get_data(as_text=True)
    assert "дата не раньше 01.09.2024" in page


def test_the_builder_page_shows_each_questions_logic_in_badges(client, world):
    login(client, world.admin_a)
    form = _draft(world.admin_a)
    page = unescape(client.get(f"/forms/{form.id}").get_data(as_text=True))
    for badge in (
        "формула: «Фонд, экз.» ÷ «Учащихся»",
        "проверка: . < 1000000",
        "по умолчанию: 100",
        "по умолчанию: yes",
        "значение не меньше 0",
        "обязателен, если: «Есть ли библиотека?» = 'yes'",
        "только чтение",
        "+ Другое",
        "фильтр вариантов: district = «Улус»",
        "число строк: «Фонд, экз.»",
        "формула: «Часов» * 2",
        'title="XLSForm: ${fund} div ${pupils}"',
    ):
        assert badge in page, badge


@pytest.mark.parametrize("user", ["school_user_a1", "jury_a", "viewer_a"])
def test_only_staff_edit_a_questions_logic(client, world, user):
    form = _draft(world.admin_a)
    login(client, getattr(world, user))
    fields = {**textformat.fields_from_question(IMPORTED["sections"][0]["questions"][1])}
    fields = {name: value for name, value in fields.items() if value not in (False, None)}
    assert client.get(f"/forms/{form.id}/questions/fund").status_code == 403
    reply = client.post(f"/forms/{form.id}/questions/fund", data={**fields, "constraint": ""})
    assert reply.status_code == 403
    reply = _add(client, form, key="x", type="calculate", calculation="1 + 1")
    assert reply.status_code == 403
    assert _questions(form)["fund"]["constraint"] == ["op", "<", ["cur"], ["num", 1000000]]
    assert "x" not in _questions(form)


def test_a_renamed_column_keeps_its_check_and_a_column_formula_its_title(client, world):
    login(client, world.admin_a)
    form = _draft(world.admin_a)
    fields = _shown(client, form, "teachers")
    columns = fields["columns"].replace("hours | integer", "weekly_hours | integer")
    reply = client.post(f"/forms/{form.id}/questions/teachers", data={**fields, "columns": columns})
    # the formula of the next column still reads ${hours}: refused beside the columns
    assert reply.status_code == 400
    assert 'id="columns-error"' in reply.get_data(as_text=True)
    fields = {**fields, "columns": columns.split("\n")[0]}
    reply = client.post(f"/forms/{form.id}/questions/teachers", data=fields)
    assert reply.status_code == 302
    (column,) = _questions(form)["teachers"]["columns"]
    assert column["key"] == "weekly_hours" and column["min"] == 1
    assert column["constraint"] == ["op", "<=", ["cur"], ["num", 40]]


def test_a_section_condition_may_be_an_expression_and_is_kept_as_written(client, world):
    login(client, world.admin_a)
    definition = copy.deepcopy(IMPORTED)
    definition["sections"].append(
        {
            "key": "extra",
            "title": "Дополнительно",
            "description": "",
            "condition": {"expr": ["op", ">", ["ref", "pupils"], ["num", 0]]},
            "questions": [],
        }
    )
    form = _draft(world.admin_a, definition)
    page = client.get(f"/forms/{form.id}/sections/extra").get_data(as_text=True)
    fields = {"key": "extra", "title": "Дополнительно (ред.)", "condition": "${pupils} > 0"}
    assert 'value="${pupils} &gt; 0"' in page
    assert client.post(f"/forms/{form.id}/sections/extra", data=fields).status_code == 302
    extra = _definition(form)["sections"][1]
    assert extra["condition"] == definition["sections"][1]["condition"]
    fields["condition"] = "${fund} mod 2 = 0"
    assert client.post(f"/forms/{form.id}/sections/extra", data=fields).status_code == 302
    assert _definition(form)["sections"][1]["condition"] == {
        "expr": ["op", "=", ["op", "mod", ["ref", "fund"], ["num", 2]], ["num", 0]]
    }


@pytest.mark.parametrize("kind", sorted(QUESTION_TYPES))
def test_the_page_writes_only_settings_it_shows_for_the_type(kind):
    fields = {
        "key": "q",
        "type": kind,
        "label": "Вопрос",
        "required": "y",
        "min": "1",
        "max": "5",
        "choices": "a | А",
        "rows": "r | Р",
        "columns": "c | text | Столбец",
        "constraint": ". != 3",
        "constraint_message": "Не 3",
        "calculation": "1 + 1",
        "default": "today()",
        "read_only": "y",
        "other": "y",
        "choice_filter": "name != 'b'",
    }
    written = textformat.question_from_fields(fields)
    assert set(written) <= set(textformat.form_keys(kind))


def test_a_setting_the_page_does_not_show_for_the_type_is_kept():
    stored = {
        "key": "ratio",
        "type": "calculate",
        "label": "",
        "help": "",
        "required": False,
        "condition": None,
        "calculation": ["num", 2],
        "read_only": True,
    }
    edited = textformat.question_from_fields(
        {**textformat.fields_from_question(stored), "label": "Отношение"}
    )
    updated = builder.update_question(
        one_section("t", stored), "ratio", edited, textformat.form_keys("calculate")
    )
    assert builder.find_question(updated, "ratio") == {**stored, "label": "Отношение"}


def test_question_with_only_a_label_gets_a_key_from_its_text(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    for label in ("Объём фонда", "Объём фонда", "Оҕо ахсаана"):
        reply = client.post(
            f"/forms/{form.id}/questions/new", data={"label": label, "type": "integer"}
        )
        assert reply.status_code == 302
    assert _keys(form) == ["obem_fonda", "obem_fonda_2", "ogho_akhsaana"]


def test_a_typed_key_wins_and_an_emptied_one_is_made_again(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    data = {"label": "Число читателей", "type": "integer", "key": "readers"}
    client.post(f"/forms/{form.id}/questions/new", data=data)
    assert _keys(form) == ["readers"]
    client.post(f"/forms/{form.id}/questions/readers", data={**data, "key": ""})
    assert _keys(form) == ["chislo_chitatelei"]


def test_key_field_sits_under_advanced_and_new_question_has_none_to_type(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    page = client.get(f"/forms/{form.id}/questions/new").get_data(as_text=True)
    advanced = page[page.index('id="advanced"') :]
    assert 'name="key"' in advanced
    assert 'name="key" type="text" value=""' in page


def test_key_is_frozen_once_a_published_version_uses_it(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    data = {"label": "Число читателей", "type": "integer"}
    client.post(f"/forms/{form.id}/questions/new", data=data)
    client.post(f"/forms/{form.id}/publish")
    page = client.get(f"/forms/{form.id}/questions/chislo_chitatelei").get_data(as_text=True)
    assert "readonly" in page
    reply = client.post(
        f"/forms/{form.id}/questions/chislo_chitatelei",
        data={**data, "label": "Читатели", "key": "readers"},
    )
    assert reply.status_code == 302
    assert _keys(form) == ["chislo_chitatelei"]
    client.post(f"/forms/{form.id}/questions/new", data={"label": "Новый", "type": "integer"})
    page = client.get(f"/forms/{form.id}/questions/novyi").get_data(as_text=True)
    assert "readonly" not in page


def test_new_section_gets_the_next_free_number_as_its_name(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    page = client.get(f"/forms/{form.id}/sections/new").get_data(as_text=True)
    assert 'value="Раздел 2"' in page
    reply = client.post(f"/forms/{form.id}/sections/new", data={"title": "Раздел 2"})
    assert reply.status_code == 302
    db.session.expire_all()
    sections = db.session.get(Form, form.id).latest.sections
    assert [(s.key, s.title) for s in sections] == [("main", "Раздел 1"), ("razdel_2", "Раздел 2")]
    client.post(f"/forms/{form.id}/sections/new", data={"title": "Фонд"})
    page = client.get(f"/forms/{form.id}/sections/new").get_data(as_text=True)
    assert 'value="Раздел 4"' in page
    detail = client.get(f"/forms/{form.id}").get_data(as_text=True)
    assert ">razdel_2<" not in detail and ">Раздел 2<" in detail


def test_next_section_title_skips_names_already_shown():
    definition = builder.empty_definition("Форма")
    definition["sections"][0]["title"] = "Раздел 2"
    assert builder.next_section_title(definition) == "Раздел 3"
    definition["sections"][0]["title"] = ""
    assert builder.next_section_title(definition) == "Раздел 2"


def test_builder_lists_problems_with_links_and_still_publishes(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    client.post(
        f"/forms/{form.id}/questions/new",
        data={"label": "Зоны", "type": "single", "choices": "Зал\nзал"},
    )
    client.post(f"/forms/{form.id}/sections/new", data={"title": "Пустой"})
    page = client.get(f"/forms/{form.id}").get_data(as_text=True)
    problems = page[page.index('id="problems"') : page.index("</section>")]
    assert "найдено проблем: 2" in problems
    assert 'href="#question-zony"' in problems and "Вариант «Зал»" in problems
    assert 'href="#section-pustoi"' in problems and "В разделе нет вопросов." in problems
    assert "Проверка нашла проблемы (они перечислены на странице): 2." in page
    client.post(f"/forms/{form.id}/edit/section-delete/pustoi")
    assert client.post(f"/forms/{form.id}/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(Form, form.id).published.number == 1
    page = client.get(f"/forms/{form.id}").get_data(as_text=True)
    assert 'id="problems"' not in page


def test_a_draft_without_problems_says_so(client, world):
    login(client, world.admin_a)
    form = _new_form(client)
    client.post(f"/forms/{form.id}/questions/new", data={"label": "Фонд", "type": "integer"})
    page = client.get(f"/forms/{form.id}").get_data(as_text=True)
    assert "Проверка перед публикацией: проблем не найдено." in page


def test_table_columns_without_keys_get_them_from_their_titles():
    columns = textformat.parse_columns(
        "Ф. И. О.\n| integer | Стаж, лет | *\nstazh_let | decimal | Ставка\n| text | Ф. И. О.",
        "columns",
    )
    assert [(c["key"], c["type"], c["label"], c["required"]) for c in columns] == [
        ("f_i_o", "text", "Ф. И. О.", False),
        ("stazh_let_2", "integer", "Стаж, лет", True),
        ("stazh_let", "decimal", "Ставка", False),
        ("f_i_o_2", "text", "Ф. И. О.", False),
    ]


def test_a_copy_of_a_key_ending_in_a_number_keeps_the_number():
    definition = builder.empty_definition("Форма")
    for key in ("zones", "zones_2", "chislo_1_4"):
        definition["sections"][0]["questions"].append({"key": key, "type": "text"})
    assert builder.free_key(definition, "zones_2") == "zones_3"
    assert builder.free_key(definition, "chislo_1_4") == "chislo_1_4_2"


def test_a_text_question_is_marked_as_naming_the_authors(client, world):
    form = _base_form(client, world)
    reply = _add(client, form, label="Авторы работы", key="authors", type="textarea", authors="y")
    assert reply.status_code == 302, reply.get_data(as_text=True)
    assert _questions(form)["authors"]["authors"] is True
    assert _shown(client, form, "authors")["authors"] == "y"
    fields = _shown(client, form, "authors")
    del fields["authors"]
    assert client.post(f"/forms/{form.id}/questions/authors", data=fields).status_code == 302
    assert "authors" not in _questions(form)["authors"]
    fields["type"], fields["authors"] = "integer", "y"  # a number names nobody: the flag goes
    assert client.post(f"/forms/{form.id}/questions/authors", data=fields).status_code == 302
    assert "authors" not in _questions(form)["authors"]
