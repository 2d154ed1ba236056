"""A contest entry whose application form holds every question type takes the same hostile
values as a monitoring (test_question_types.py), with a hostile title too: never a 500, a
refused save keeps what was stored, a draft keeps what was typed, a submission exactly what
validation accepts."""

import io

from hypothesis import event, example, given
from hypothesis import strategies as st

from app.contests import entries
from app.contests.models import Entry, EntryStatus
from app.extensions import db
from app.questionnaires.definition import version_definition
from app.questionnaires.validation import validate_answers
from tests.contests.factory import make_contest
from tests.fuzz.every_type import DEFINITION
from tests.fuzz.test_question_types import FORM, JSON, UNKNOWN, check_draft, form_data
from tests.fuzz.values import FUZZ, TEXT, logged_in, several


def _stored(entry_id: int) -> Entry:
    db.session.expire_all()
    return db.session.get(Entry, entry_id)


def _setup(app, world) -> tuple:
    if "fuzz_entry" not in world.__dict__:
        judged = make_contest(world, DEFINITION, hidden_keys=[])
        entry = entries.create_entry(world.school_user_a1, judged.contest, judged.first.id, "Ҕ")
        db.session.commit()
        client = logged_in(app, world, world.school_user_a1)
        upload = client.post(
            f"/entries/{entry.id}/files",
            data={"key": "t_file", "file": (io.BytesIO(b"%PDF-1.4\n%test\n"), "Ҕалыҥ.pdf")},
        )
        assert upload.status_code == 200, upload.get_data(as_text=True)
        world.fuzz_entry = (entry.id, client, upload.json["id"])
    return world.fuzz_entry


@FUZZ
@given(fields=FORM, unknown=UNKNOWN, title=several(TEXT), submit=st.booleans())
@example(
    fields={"q.t_integer": "1e309", "q.t_date": "31.02.2024", "q.t_text": "Ҕҕ Ҥҥ Өө Һһ Үү",
            "q.t_file.id": "FILE", "q.t_table.0.c_decimal": "-1e309"},
    unknown={"q.author": "x"}, title="Ҕ" * 400, submit=True,
)  # fmt: skip
def test_an_entry_of_every_question_type_takes_hostile_values(
    app, world, fields, unknown, title, submit
):
    entry_id, client, file_id = _setup(app, world)
    before = _stored(entry_id)
    revision, data, entry_title = before.revision, before.data, before.title
    sent = form_data(fields, {**unknown, "title": title}, file_id, revision)
    reply = client.post(f"/entries/{entry_id}/save", data=sent, headers=JSON)
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    event(f"save: {reply.status_code}")
    after = _stored(entry_id)
    definition = version_definition(after.contest.form_version)
    if reply.status_code != 200:
        assert 400 <= reply.status_code < 500
        assert (after.data, after.revision, after.title) == (data, revision, entry_title)
    else:
        check_draft(definition, after.data, sent, file_id)
        assert 0 < len(after.title) <= 300
    assert client.get(f"/entries/{entry_id}").status_code == 200
    if submit:
        _submit_and_check(client, after, definition)


def _submit_and_check(client, entry: Entry, definition: dict) -> None:
    status = entry.status
    reply = client.post(f"/entries/{entry.id}/submit", data={"revision": entry.revision})
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    after = _stored(entry.id)
    event(f"submit: {after.status.value}")
    if after.status != EntryStatus.SUBMITTED or status == EntryStatus.SUBMITTED:
        return
    clean, errors = validate_answers(definition, after.data, complete=True)
    assert not errors and clean == after.data
    assert client.post(f"/entries/{entry.id}/reopen").status_code == 302
    assert _stored(entry.id).status == EntryStatus.DRAFT
