"""A file answer names only a file the answering school uploaded for that question (issue 9,
item 15): monitorings and contest entries share the check."""

import io

import pytest

from app.accounts.models import Role
from app.campaigns.models import Response, ResponseFile
from app.contests import entries as entry_services
from app.contests.models import Entry
from app.extensions import db
from tests.conftest import login
from tests.contests.factory import make_contest, pdf_upload
from tests.factories import make_user
from tests.monitoring import make_campaign, make_form, response_of

PDF = b"%PDF-1.4\n%test\n"


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _upload(client, response, name):
    reply = client.post(
        f"/responses/{response.id}/files",
        data={"key": "scan", "file": (io.BytesIO(PDF), name)},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 200
    return reply.json["id"]


def _save(client, response, **fields):
    return client.post(
        f"/responses/{response.id}/save",
        data={"revision": response.revision, "q.has_internet": "no", **fields},
        headers={"Accept": "application/json"},
    )


@pytest.fixture
def two_schools(app, world):
    """Two schools of one district: its staff review both and download either's files."""
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    make_user(Role.SCHOOL, world.school_a2, "school-a2")
    db.session.commit()
    return response_of(campaign, world.school_a1), response_of(campaign, world.school_a2)


def _stored(response) -> dict:
    db.session.expire_all()
    return db.session.get(Response, response.id).data or {}


def test_school_cannot_answer_with_another_schools_file(app, world, two_schools):
    mine, theirs = two_schools
    their_file = _upload(_client(app, "school-a2"), theirs, "Их отчёт.pdf")
    client = _client(app, world.school_user_a1)
    reply = _save(client, mine, **{"q.scan.id": their_file, "q.scan.name": "Наш отчёт.pdf"})
    assert reply.status_code == 400
    assert "scan" not in _stored(mine)


def test_school_cannot_answer_with_a_file_that_does_not_exist(app, world, two_schools):
    mine, _ = two_schools
    client = _client(app, world.school_user_a1)
    for file_id in ("999999", "999999999999999999"):
        reply = _save(client, mine, **{"q.scan.id": file_id, "q.scan.name": "x.pdf"})
        assert reply.status_code == 400
    reply = _save(client, mine, **{"q.scan.id": "9" * 30, "q.scan.name": "x.pdf"})
    assert reply.status_code == 200  # past any id: no file at all
    assert "scan" not in _stored(mine)


def test_a_file_answer_keeps_the_name_of_the_uploaded_file(app, world, two_schools):
    mine, _ = two_schools
    client = _client(app, world.school_user_a1)
    own = _upload(client, mine, "Положение.pdf")
    reply = _save(client, mine, **{"q.scan.id": own, "q.scan.name": "Чужое имя.pdf"})
    assert reply.status_code == 200
    assert _stored(mine)["scan"] == {"id": own, "name": "Положение.pdf"}


def test_a_superscript_digit_as_file_id_is_no_file_and_no_error(app, world, two_schools):
    mine, _ = two_schools
    client = _client(app, world.school_user_a1)
    reply = _save(client, mine, **{"q.scan.id": "²", "q.scan.name": "x.pdf"})
    assert reply.status_code == 200
    assert "scan" not in _stored(mine)


def test_entry_cannot_name_another_schools_monitoring_file_or_entry_material(app, world):
    judged = make_contest(world)
    theirs = entry_services.create_entry(
        judged.school_user_a2, judged.contest, judged.first.id, "Их работа"
    )
    their_material = entry_services.attach(
        judged.school_user_a2, theirs, "material", pdf_upload("Их.pdf")
    )
    mine = entry_services.create_entry(
        world.school_user_a1, judged.contest, judged.first.id, "Наша работа"
    )
    db.session.commit()
    client = _client(app, world.school_user_a1)
    reply = client.post(
        f"/entries/{mine.id}/save",
        data={
            "revision": mine.revision,
            "q.material.id": their_material.id,
            "q.material.name": "Наша.pdf",
        },
        headers={"Accept": "application/json"},
    )
    assert reply.status_code == 400
    db.session.expire_all()
    assert "material" not in (db.session.get(Entry, mine.id).data or {})


def test_prefilled_file_of_the_schools_earlier_response_stays_acceptable(app, world):
    form = make_form(world.admin_a)
    first = response_of(make_campaign(world.admin_a, form, [world.school_a1]), world.school_a1)
    second = response_of(
        make_campaign(world.admin_a, form, [world.school_a1], title="Второй"), world.school_a1
    )
    client = _client(app, world.school_user_a1)
    own = _upload(client, first, "Скан.pdf")
    assert db.session.get(ResponseFile, own) is not None
    reply = _save(client, second, **{"q.scan.id": own, "q.scan.name": "Скан.pdf"})
    assert reply.status_code == 200
