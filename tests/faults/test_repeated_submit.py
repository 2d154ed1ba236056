"""A submission sent twice (a double click, a retry after the reply was lost) answers like a
success and records nothing twice; a stale one that was not that submission is still refused."""

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.campaigns.models import Answer, Response
from app.contests import entries as entry_services
from app.contests.models import Entry
from app.extensions import db
from tests.contests.factory import make_contest
from tests.monitoring import make_campaign, make_form, response_of

ALREADY_SENT = (
    "Анкета уже была отправлена в управление образования; повторная отправка ничего не изменила."
)
ENTRY_ALREADY_SENT = "Заявка уже была отправлена на конкурс; повторная отправка ничего не изменила."


def _submissions(object_type: str, object_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "submit",
            AuditEvent.object_type == object_type,
            AuditEvent.object_id == object_id,
        )
    )


def _answer_ids(response_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(Answer.id).where(Answer.response_id == response_id)))


def _draft(world, client):
    campaign = make_campaign(world.admin_a, make_form(world.admin_a), [world.school_a1])
    response = response_of(campaign, world.school_a1)
    saved = client.post(
        f"/responses/{response.id}/save",
        data={"revision": 0, "q.has_internet": "no"},
        headers={"Accept": "application/json"},
    )
    assert saved.status_code == 200
    return response, saved.json["revision"]


def test_the_same_submission_twice_is_recorded_once(world, as_user):
    client = as_user(world.school_user_a1)
    response, revision = _draft(world, client)
    url = f"/responses/{response.id}/submit"
    assert client.post(url, data={"revision": revision}).status_code == 302
    answers = _answer_ids(response.id)

    again = client.post(url, data={"revision": revision}, follow_redirects=True)
    assert again.status_code == 200
    assert again.request.path == f"/responses/{response.id}"
    assert ALREADY_SENT in again.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Response, response.id)
    assert stored.status == "submitted" and stored.revision == revision + 1
    assert _submissions("response", response.id) == 1
    assert _answer_ids(response.id) == answers  # not rewritten


def test_an_older_revision_than_the_submitted_one_is_still_refused(world, as_user):
    client = as_user(world.school_user_a1)
    response, revision = _draft(world, client)
    url = f"/responses/{response.id}/submit"
    assert client.post(url, data={"revision": revision}).status_code == 302
    stale = client.post(url, data={"revision": revision - 1})
    assert stale.status_code == 409
    assert _submissions("response", response.id) == 1


def test_the_same_entry_submission_twice_is_recorded_once(world, as_user):
    judged = make_contest(world)
    entry = entry_services.create_entry(
        world.school_user_a1, judged.contest, judged.first.id, "Библиотека будущего"
    )
    db.session.commit()
    client = as_user(world.school_user_a1)
    fields = {"q.author": "Иванова Мария Петровна", "q.summary": "Проект о книгах"}
    saved = client.post(
        f"/entries/{entry.id}/save",
        data={"revision": 0, **fields},
        headers={"Accept": "application/json"},
    )
    revision = saved.json["revision"]
    url = f"/entries/{entry.id}/submit"
    assert client.post(url, data={"revision": revision}).status_code == 302

    again = client.post(url, data={"revision": revision}, follow_redirects=True)
    assert again.status_code == 200
    assert again.request.path == f"/entries/{entry.id}"
    assert ENTRY_ALREADY_SENT in again.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Entry, entry.id)
    assert stored.status == "submitted" and stored.revision == revision + 1
    assert _submissions("entry", entry.id) == 1
