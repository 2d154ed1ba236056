"""Characters the database cannot store are refused with a 400, never a 500 (found by the fuzz
test on PostgreSQL, which refuses NUL in text and in JSON)."""

import io
import json

import sqlalchemy as sa

from app.campaigns.models import Response
from app.extensions import db
from app.questionnaires.models import Form
from app.questionnaires.relevant import parse_relevant
from tests.conftest import login
from tests.monitoring import DEFINITION, make_campaign, make_form, response_of


def test_a_form_field_carrying_nul_is_refused_and_nothing_is_stored(client, world):
    form = make_form(world.admin_a)
    response = response_of(make_campaign(world.admin_a, form, [world.school_a1]), world.school_a1)
    login(client, world.school_user_a1)
    reply = client.post(
        f"/responses/{response.id}/save",
        data={"revision": 0, "q.has_internet": "no\x00"},
        headers={"Accept": "application/json"},
    )
    assert reply.status_code == 400
    db.session.expire_all()
    assert not db.session.get(Response, response.id).data
    assert client.get("/forms/", query_string={"q": "a\x00"}).status_code == 400


def test_a_json_definition_with_nul_or_a_lone_surrogate_is_refused(client, world):
    login(client, world.admin_a)
    for bad in ("Скан\x00", "\ud800"):
        definition = json.loads(json.dumps(DEFINITION))
        definition["sections"][0]["questions"][0]["label"] = bad
        data = json.dumps(definition).encode()
        reply = client.post(
            "/forms/import",
            data={"file": (io.BytesIO(data), "form.json")},
            content_type="multipart/form-data",
        )
        assert reply.status_code == 400
        assert "нельзя сохранить" in reply.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Form.id))) == 0


def _import_json(client, definition: dict):
    return client.post(
        "/forms/import",
        data={"file": (io.BytesIO(json.dumps(definition).encode()), "form.json")},
        content_type="multipart/form-data",
    )


def test_a_json_definition_with_nan_or_infinity_is_refused(client, world):
    login(client, world.admin_a)
    for path, bad in (("min", float("inf")), ("max", float("-inf")), ("condition", float("nan"))):
        definition = json.loads(json.dumps(DEFINITION))
        question = definition["sections"][0]["questions"][1]
        if path == "condition":
            question["condition"]["value"] = bad
        else:
            question[path] = bad
        reply = _import_json(client, definition)
        assert reply.status_code == 400, path
        assert "нельзя сохранить" in reply.get_data(as_text=True)


def test_titles_and_identifiers_longer_than_their_columns_are_refused(client, world):
    login(client, world.admin_a)
    for name, length in (("title", 301), ("form_id", 65), ("section", 301)):
        definition = json.loads(json.dumps(DEFINITION))
        if name == "section":
            definition["sections"][0]["title"] = "Р" * length
        else:
            definition[name] = "f" * length
        reply = _import_json(client, definition)
        assert reply.status_code == 400, name
        assert f"длиннее {length - 1} символов" in reply.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Form.id))) == 0


def test_numbers_of_thousands_of_digits_are_refused_or_kept_as_text(client, world):
    """Python converts no integer of more than 4,300 digits to or from text."""
    login(client, world.admin_a)
    definition = json.loads(json.dumps(DEFINITION))
    text = json.dumps(definition).replace('"max": 1000', '"max": ' + "9" * 5000)
    reply = client.post(
        "/forms/import",
        data={"file": (io.BytesIO(text.encode()), "form.json")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 400
    huge = "9" * 5000
    assert parse_relevant("${a} > " + huge) == {"key": "a", "op": "gt", "value": huge}


def test_a_file_id_of_thousands_of_digits_is_no_file(client, world):
    form = make_form(world.admin_a)
    response = response_of(make_campaign(world.admin_a, form, [world.school_a1]), world.school_a1)
    login(client, world.school_user_a1)
    fields = {"revision": 0, "q.scan.id": "9" * 4301, f"q.staff.{'9' * 4301}.rate": "1"}
    reply = client.post(
        f"/responses/{response.id}/save", data=fields, headers={"Accept": "application/json"}
    )
    assert reply.status_code == 200
