"""The questionnaire builder: edit a draft, publish, new versions, copy, import, export, CLI."""

import io
import json

import sqlalchemy as sa

from app.extensions import db
from app.questionnaires import builder
from app.questionnaires.models import Form, FormVersion
from tests.conftest import login
from tests.monitoring import DEFINITION, make_campaign, make_form, response_of


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
