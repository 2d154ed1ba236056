"""Participants' pages: a school enters a contest, fills and submits its application with
materials, withdraws or changes it before the deadline and sees its result once published;
staff register entries on a school's behalf and reject them with a reason."""

import io
import re
from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import Role
from app.contests import entries as entry_services
from app.contests import scoring, services, standings
from app.contests.models import Entry, Phase
from app.db import utcnow
from app.extensions import db
from tests.conftest import login
from tests.contests.factory import (
    entry_with_material,
    make_contest,
    pdf_upload,
    staff_entry,
    submit_entry,
)
from tests.factories import make_user

ANSWERS = {"q.author": "Иванова Мария Петровна", "q.summary": "Проект о книгах"}


def _fresh(entry) -> Entry:
    db.session.expire_all()
    return db.session.get(Entry, entry.id)


def _draft(user, judged, title="Библиотека будущего") -> Entry:
    entry = entry_services.create_entry(user, judged.contest, judged.first.id, title)
    db.session.commit()
    return entry


def _save(client, entry, revision, as_json=True, **fields):
    headers = {"Accept": "application/json"} if as_json else {}
    return client.post(
        f"/entries/{entry.id}/save", data={"revision": revision, **fields}, headers=headers
    )


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _entry_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Entry.id)))


# The school's list


def test_school_without_contests_is_told_what_to_do(world, as_user):
    page = as_user(world.school_user_a1).get("/my/contests")
    assert page.status_code == 200
    assert 'class="alert alert-light border"' in page.get_data(as_text=True)


def test_school_sees_the_open_contest_with_its_deadline_and_a_button_to_enter(world, as_user):
    judged = make_contest(world)
    page = as_user(world.school_user_a1).get("/my/contests").get_data(as_text=True)
    assert judged.contest.title in page
    assert f'href="/contests/{judged.contest.id}/enter"' in page


def test_school_of_another_district_does_not_see_the_contest(world, as_user):
    judged = make_contest(world)
    client = as_user(world.school_user_b1)
    assert judged.contest.title not in client.get("/my/contests").get_data(as_text=True)
    assert client.get(f"/contests/{judged.contest.id}/enter").status_code == 404


def test_only_schools_have_a_contest_list(app, world):
    for user in (world.admin_a, world.viewer_a, world.jury_a):
        client = _client(app, user)
        assert client.get("/my/contests").status_code == 403
    assert app.test_client().get("/my/contests").status_code == 302


# Entering


def test_school_creates_an_entry_and_lands_on_its_application(world, as_user):
    judged = make_contest(world)
    client = as_user(world.school_user_a1)
    form = client.get(f"/contests/{judged.contest.id}/enter").get_data(as_text=True)
    assert 'name="organization_id"' not in form
    reply = client.post(
        f"/contests/{judged.contest.id}/enter",
        data={"nomination_id": judged.second.id, "title": "Читающая семья"},
    )
    entry = db.session.scalars(sa.select(Entry)).one()
    assert reply.status_code == 302 and reply.location.endswith(f"/entries/{entry.id}")
    assert entry.organization_id == world.school_a1.id
    assert entry.nomination_id == judged.second.id and entry.status == "draft"
    page = client.get(reply.location).get_data(as_text=True)
    assert 'id="fill-form"' in page and f'data-response="entry-{entry.id}"' in page
    assert 'data-file-url="/entry-files/0"' in page


def test_entry_without_a_title_or_with_an_unknown_nomination_is_refused(world, as_user):
    judged = make_contest(world)
    client = as_user(world.school_user_a1)
    url = f"/contests/{judged.contest.id}/enter"
    untitled = client.post(url, data={"nomination_id": judged.first.id, "title": ""})
    assert untitled.status_code == 400 and 'id="title-error"' in untitled.get_data(as_text=True)
    unknown = client.post(url, data={"nomination_id": 999999, "title": "Работа"})
    assert unknown.status_code == 400
    assert 'id="nomination_id-error"' in unknown.get_data(as_text=True)
    assert _entry_count() == 0


def test_contest_past_its_deadline_takes_no_new_entries(world, as_user):
    judged = make_contest(world)
    judged.contest.entries_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    reply = as_user(world.school_user_a1).post(
        f"/contests/{judged.contest.id}/enter",
        data={"nomination_id": judged.first.id, "title": "Поздно"},
    )
    assert reply.status_code == 409
    assert _entry_count() == 0


def test_staff_register_an_entry_for_a_school(world, as_user):
    judged = make_contest(world)
    client = as_user(world.admin_a)
    form = client.get(f"/contests/{judged.contest.id}/enter").get_data(as_text=True)
    assert f'value="{world.school_a2.id}"' in form
    reply = client.post(
        f"/contests/{judged.contest.id}/enter",
        data={
            "organization_id": world.school_a2.id,
            "nomination_id": judged.first.id,
            "title": "За школу",
        },
    )
    assert reply.status_code == 302
    entry = db.session.scalars(sa.select(Entry)).one()
    assert entry.organization_id == world.school_a2.id and entry.created_by_id == world.admin_a.id


def test_staff_must_name_the_participant(world, as_user):
    judged = make_contest(world)
    reply = as_user(world.admin_a).post(
        f"/contests/{judged.contest.id}/enter",
        data={"organization_id": 0, "nomination_id": judged.first.id, "title": "Ничья"},
    )
    assert reply.status_code == 400
    assert 'id="organization_id-error"' in reply.get_data(as_text=True)
    assert _entry_count() == 0


def test_staff_of_another_district_viewers_and_jurors_cannot_register_entries(app, world):
    judged = make_contest(world)
    url = f"/contests/{judged.contest.id}/enter"
    expected = {world.admin_b: 404, world.viewer_a: 403, world.jury_a: 403}
    for user, status in expected.items():
        client = _client(app, user)
        assert client.get(url).status_code == status
        data = {"organization_id": world.school_a2.id, "nomination_id": judged.first.id}
        assert client.post(url, data={**data, "title": "Нет"}).status_code == status
    assert _entry_count() == 0


# Filling, saving, submitting


def test_autosave_keeps_the_answers_and_reports_problems_so_far(world, as_user):
    judged = make_contest(world)
    entry = _draft(world.school_user_a1, judged)
    reply = _save(as_user(world.school_user_a1), entry, 0, **{"q.author": "Иванова М. П."})
    assert reply.status_code == 200
    assert reply.json["revision"] == 1 and "summary" not in reply.json["errors"]
    assert _fresh(entry).data == {"author": "Иванова М. П."}


def test_plain_save_redirects_back_and_can_rename_the_entry(world, as_user):
    judged = make_contest(world)
    entry = _draft(world.school_user_a1, judged)
    reply = _save(as_user(world.school_user_a1), entry, 0, False, title="Новое имя", **ANSWERS)
    assert reply.status_code == 302 and reply.location.endswith(f"/entries/{entry.id}")
    stored = _fresh(entry)
    assert stored.title == "Новое имя" and stored.data["summary"] == "Проект о книгах"


def test_a_save_on_an_old_revision_is_refused_and_the_newer_answers_kept(app, world):
    judged = make_contest(world)
    entry = _draft(world.school_user_a1, judged)
    first, second = _client(app, world.school_user_a1), _client(app, world.school_user_a1)
    assert _save(first, entry, 0, **{"q.author": "Первая"}).status_code == 200
    stale = _save(second, entry, 0, **{"q.author": "Вторая"})
    assert stale.status_code == 409 and stale.json["revision"] == 1
    assert _fresh(entry).data == {"author": "Первая"}


def test_submission_with_a_missing_answer_shows_the_errors_and_stays_a_draft(world, as_user):
    judged = make_contest(world)
    entry = _draft(world.school_user_a1, judged)
    client = as_user(world.school_user_a1)
    _save(client, entry, 0, **{"q.author": "Иванова"})
    reply = client.post(f"/entries/{entry.id}/submit", data={"revision": 1})
    assert reply.status_code == 400
    assert re.search(r'id="q-summary-error"[^>]*>\s*\S', reply.get_data(as_text=True))
    assert _fresh(entry).status == "draft"


def test_school_submits_withdraws_and_changes_its_entry(world, as_user):
    judged = make_contest(world)
    entry = _draft(world.school_user_a1, judged)
    client = as_user(world.school_user_a1)
    _save(client, entry, 0, **ANSWERS)
    assert client.post(f"/entries/{entry.id}/submit", data={"revision": 1}).status_code == 302
    assert _fresh(entry).status == "submitted"
    page = client.get(f"/entries/{entry.id}").get_data(as_text=True)
    assert f'action="/entries/{entry.id}/reopen"' in page and 'id="submit-form"' not in page
    assert _save(client, entry, 2, **ANSWERS).status_code == 409  # submitted: not editable
    assert client.post(f"/entries/{entry.id}/withdraw").status_code == 302
    assert _fresh(entry).status == "withdrawn"
    assert client.post(f"/entries/{entry.id}/reopen").status_code == 302
    stored = _fresh(entry)
    assert stored.status == "draft"
    assert _save(client, entry, stored.revision, **ANSWERS).status_code == 200


def test_submitting_after_the_deadline_is_refused(world, as_user):
    judged = make_contest(world)
    entry = _draft(world.school_user_a1, judged)
    client = as_user(world.school_user_a1)
    _save(client, entry, 0, **ANSWERS)
    judged.contest.entries_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.post(f"/entries/{entry.id}/submit", data={"revision": 1}).status_code == 409
    assert _save(client, entry, 1, **ANSWERS).status_code == 409
    assert client.post(f"/entries/{entry.id}/withdraw").status_code == 409
    assert _fresh(entry).status == "draft"
    page = client.get(f"/entries/{entry.id}").get_data(as_text=True)
    assert 'data-editable="false"' in page and 'id="submit-form"' not in page


def test_school_cannot_open_or_change_another_schools_entry(world, as_user):
    judged = make_contest(world)
    theirs = submit_entry(judged.school_user_a2, judged, judged.first, "Чужая работа")
    client = as_user(world.school_user_a1)
    assert client.get(f"/entries/{theirs.id}").status_code == 404
    assert _save(client, theirs, theirs.revision, **ANSWERS).status_code == 404
    for action in ("submit", "withdraw", "reopen"):
        reply = client.post(f"/entries/{theirs.id}/{action}", data={"revision": theirs.revision})
        assert reply.status_code == 404
    upload = {"key": "material", "file": (io.BytesIO(b"%PDF-1.4\n"), "a.pdf")}
    assert client.post(f"/entries/{theirs.id}/files", data=upload).status_code == 404
    assert _fresh(theirs).status == "submitted"


def test_jurors_never_reach_an_entry_page(world, as_user):
    judged = make_contest(world)
    entry = submit_entry(judged.school_user_a2, judged, judged.first, "Работа")
    client = as_user(world.jury_a)
    assert client.get(f"/entries/{entry.id}").status_code == 404
    assert _save(client, entry, entry.revision, **ANSWERS).status_code == 403


def test_staff_see_and_fill_a_draft_but_observers_only_read(app, world, as_user):
    judged = make_contest(world)
    entry = _draft(world.school_user_a1, judged)
    staff = as_user(world.admin_a)
    assert 'data-editable="true"' in staff.get(f"/entries/{entry.id}").get_data(as_text=True)
    assert _save(staff, entry, 0, **ANSWERS).status_code == 200
    viewer = _client(app, world.viewer_a)
    page = viewer.get(f"/entries/{entry.id}")
    assert page.status_code == 200 and 'data-editable="false"' in page.get_data(as_text=True)
    assert _save(viewer, entry, 1, **ANSWERS).status_code == 403
    assert viewer.post(f"/entries/{entry.id}/submit", data={"revision": 1}).status_code == 403
    outsider = _client(app, world.admin_b)
    assert outsider.get(f"/entries/{entry.id}").status_code == 404


def test_staff_submit_a_registered_entry_while_the_contest_accepts_entries(world, as_user):
    judged = make_contest(world)
    entry = entry_services.create_entry(
        world.admin_a, judged.contest, judged.first.id, "За школу", world.school_a2.id
    )
    db.session.commit()
    staff = as_user(world.admin_a)
    assert _save(staff, entry, 0, **ANSWERS).status_code == 200
    assert staff.post(f"/entries/{entry.id}/submit", data={"revision": 1}).status_code == 302
    assert _fresh(entry).status == "submitted"
    assert staff.post(f"/entries/{entry.id}/withdraw").status_code == 302
    assert _fresh(entry).status == "withdrawn"


def test_observers_and_jurors_cannot_act_on_an_entry_and_strangers_must_log_in(app, world):
    judged = make_contest(world)
    entry = _draft(world.school_user_a1, judged)
    for user in (world.viewer_a, world.jury_a):
        client = _client(app, user)
        for action in ("submit", "withdraw", "reopen"):
            reply = client.post(f"/entries/{entry.id}/{action}", data={"revision": 0})
            assert reply.status_code == 403
        upload = {"key": "material", "file": (io.BytesIO(b"%PDF-1.4\n"), "a.pdf")}
        assert client.post(f"/entries/{entry.id}/files", data=upload).status_code == 403
    stranger = app.test_client()
    for url in (f"/entries/{entry.id}", f"/contests/{judged.contest.id}/enter", "/entry-files/1"):
        assert stranger.get(url).status_code == 302
    assert _fresh(entry).status == "draft" and _fresh(entry).revision == 0


# Rejecting


def test_staff_reject_a_submitted_entry_with_a_reason_the_school_then_reads(world, as_user, app):
    judged = make_contest(world)
    entry = submit_entry(world.school_user_a1, judged, judged.first, "Работа")
    staff = as_user(world.admin_a)
    empty = staff.post(f"/entries/{entry.id}/reject", data={"reason": "  "})
    assert empty.status_code == 400 and 'id="reason-error"' in empty.get_data(as_text=True)
    assert _fresh(entry).status == "submitted"
    reply = staff.post(f"/entries/{entry.id}/reject", data={"reason": "Работа не по теме"})
    assert reply.status_code == 302 and _fresh(entry).status == "rejected"
    school = _client(app, world.school_user_a1)
    page = school.get(f"/entries/{entry.id}").get_data(as_text=True)
    assert 'id="rejection-reason"' in page and "Работа не по теме" in page


def test_only_staff_of_the_contest_reject(app, world):
    judged = make_contest(world)
    entry = submit_entry(world.school_user_a1, judged, judged.first, "Работа")
    expected = {world.school_user_a1: 403, world.viewer_a: 403, world.jury_a: 403}
    expected[world.admin_b] = 404
    for user, status in expected.items():
        client = _client(app, user)
        assert client.post(f"/entries/{entry.id}/reject", data={"reason": "x"}).status_code == (
            status
        )
    assert _fresh(entry).status == "submitted"


# Materials


def test_material_is_checked_attached_and_downloaded_under_its_own_name(world, as_user, app):
    judged = make_contest(world)
    entry = _draft(world.school_user_a1, judged)
    client = as_user(world.school_user_a1)
    fake = client.post(
        f"/entries/{entry.id}/files",
        data={"key": "material", "file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "x.pdf")},
    )
    assert fake.status_code == 400 and "error" in fake.json
    wrong_question = client.post(
        f"/entries/{entry.id}/files",
        data={"key": "summary", "file": (io.BytesIO(b"%PDF-1.4\n"), "x.pdf")},
    )
    assert wrong_question.status_code == 400
    reply = client.post(
        f"/entries/{entry.id}/files",
        data={"key": "material", "file": (io.BytesIO(b"%PDF-1.4\n%t\n"), "Экспедиция.pdf")},
    )
    assert reply.status_code == 200 and reply.json["name"] == "Экспедиция.pdf"
    file_id = reply.json["id"]
    saved = _save(client, entry, 0, **ANSWERS, **{"q.material.id": file_id, "q.material.name": "x"})
    assert saved.status_code == 200
    page = client.get(f"/entries/{entry.id}").get_data(as_text=True)
    assert f'href="/entry-files/{file_id}"' in page
    download = client.get(f"/entry-files/{file_id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "filename*=UTF-8''%D0%AD" in download.headers["Content-Disposition"]
    readers = {world.admin_a: 200, world.viewer_a: 200, world.jury_a: 404}
    for user, status in {**readers, world.school_user_b1: 404, world.admin_b: 404}.items():
        assert _client(app, user).get(f"/entry-files/{file_id}").status_code == status


# The rules


def test_rules_file_is_open_to_the_contests_staff_schools_and_jury_only(app, world):
    judged = make_contest(world)
    entry_services.set_rules_file(world.admin_a, judged.contest, pdf_upload("Положение.pdf"))
    outsider_juror = make_user(Role.JURY, world.district_a, "jury-outsider")
    db.session.commit()
    expected = {
        world.admin_a: 200,
        world.viewer_a: 200,
        world.region_admin: 200,
        world.school_user_a1: 200,
        world.jury_a: 200,
        world.admin_b: 404,
        world.school_user_b1: 404,
        outsider_juror: 404,
    }
    for user, status in expected.items():
        client = _client(app, user)
        reply = client.get(f"/contests/{judged.contest.id}/rules-file")
        assert reply.status_code == status, user.username
        if status == 200:
            assert reply.headers["Content-Disposition"].startswith("inline")
    assert app.test_client().get(f"/contests/{judged.contest.id}/rules-file").status_code == 302


def test_contest_without_a_rules_file_answers_404(world, as_user):
    judged = make_contest(world)
    assert as_user(world.admin_a).get(f"/contests/{judged.contest.id}/rules-file").status_code == (
        404
    )


def test_a_school_not_named_among_the_participants_cannot_read_the_rules(world, as_user):
    judged = make_contest(world)
    entry_services.set_rules_file(world.admin_a, judged.contest, pdf_upload())
    judged.contest.open_to_all = False
    judged.contest.eligible = [world.school_a2]
    db.session.commit()
    client = as_user(world.school_user_a1)
    assert client.get(f"/contests/{judged.contest.id}/rules-file").status_code == 404


# Results


def _judge_and_publish(world, judged, publish=True):
    """Entries of A1 (best), A2 and A3 in the first nomination, scored by every juror."""
    mine = submit_entry(world.school_user_a1, judged, judged.first, "Наша работа")
    theirs = submit_entry(judged.school_user_a2, judged, judged.first, "Их работа")
    third = staff_entry(world, judged, judged.school_a3, judged.first, "Третья работа")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    points = {mine.id: ("5", "10"), theirs.id: ("3", "6"), third.id: ("2", "4")}
    content, design = judged.criteria
    for user in judged.users:
        for sheet in scoring.juror_assignments(user, judged.contest):
            first, second = points[sheet.entry_id]
            if user is judged.users[2] and sheet.entry_id == mine.id:
                first, second = "4", "9"  # means 4.5 and 9.5: total 4.5 + 2 × 9.5 = 23.5
            marks = {content.id: scoring.Mark(first), design.id: scoring.Mark(second)}
            scoring.save_scores(user, sheet, marks, "", complete=True)
    for nomination in (judged.first, judged.second):
        standings.finalize(world.admin_a, judged.contest, nomination)
    services.move_phase(world.admin_a, judged.contest, Phase.RESULTS)
    if publish:
        services.move_phase(world.admin_a, judged.contest, Phase.PUBLISHED)
    db.session.commit()
    return mine


def test_school_sees_its_place_and_means_only_once_results_are_published(world, as_user):
    judged = make_contest(world)
    _judge_and_publish(world, judged, publish=False)
    client = as_user(world.school_user_a1)
    assert "entry-result" not in client.get("/my/contests").get_data(as_text=True)
    services.move_phase(world.admin_a, judged.contest, Phase.PUBLISHED)
    db.session.commit()
    page = client.get("/my/contests").get_data(as_text=True)
    assert 'data-place="1"' in page and 'data-title="winner"' in page
    content, design = judged.criteria
    assert "<span data-total>23,50</span>" in page
    assert f'<span data-mean="{content.id}">4,50</span>' in page
    assert f'<span data-mean="{design.id}">9,50</span>' in page
    assert "Их работа" not in page


def test_jurors_are_named_with_the_results_only_when_the_contest_allows(world, as_user):
    judged = make_contest(world)
    for number, user in enumerate(judged.users, start=1):
        user.full_name = f"Эксперт Номер{number}"
    db.session.commit()
    _judge_and_publish(world, judged)
    client = as_user(world.school_user_a1)
    assert "Эксперт Номер" not in client.get("/my/contests").get_data(as_text=True)
    judged.contest.show_juror_names = True
    db.session.commit()
    page = client.get("/my/contests").get_data(as_text=True)
    assert "Эксперт Номер1" in page and "Эксперт Номер3" in page
    assert "Эксперт Номер2" not in page  # the juror of school A1 never scored its entry


def test_an_answer_cannot_name_a_file_of_another_entry(client, world, as_user):
    judged = make_contest(world)
    theirs = entry_with_material(
        judged.school_user_a2, judged, judged.first, "Чужая работа", "чужой.pdf"
    )
    foreign = theirs.data["material"]["id"]
    mine = entry_services.create_entry(world.school_user_a1, judged.contest, judged.first.id, "Моя")
    db.session.commit()
    as_user(world.school_user_a1)
    form = {"revision": "0", "q.author": "Я", "q.summary": "Текст",
            "q.material.id": str(foreign), "q.material.name": "чужой.pdf"}  # fmt: skip
    reply = client.post(
        f"/entries/{mine.id}/save", data=form, headers={"Accept": "application/json"}
    )
    assert reply.status_code == 400
    db.session.refresh(mine)
    assert mine.data == {} and mine.revision == 0
