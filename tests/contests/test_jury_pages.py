"""The jury's pages: assigned entries with progress, the entry beside the score sheet, drafts,
"save and next", completing, locks, conflicts of interest and blind judging."""

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.contests import scoring, services, standings
from app.contests.models import Assignment, Phase, Score
from app.extensions import db
from tests.conftest import login
from tests.contests.factory import (
    entry_with_material,
    make_contest,
    staff_entry,
    submit_entry,
)
from tests.factories import make_user


def _judging(world, **changes):
    """Entries of schools A1, A2 and A3 in the first nomination, the jury at work."""
    judged = make_contest(world, **changes)
    entries = [
        submit_entry(world.school_user_a1, judged, judged.first, "Проект Нюрбы"),
        submit_entry(judged.school_user_a2, judged, judged.first, "Проект Маара"),
        staff_entry(world, judged, judged.school_a3, judged.first, "Проект Кюндяде"),
    ]
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    return judged, entries


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _sheets(user, judged) -> list[Assignment]:
    return scoring.juror_assignments(user, judged.contest)


def _sheet_of(user, entry) -> Assignment:
    return db.session.scalars(
        sa.select(Assignment)
        .join(Assignment.juror)
        .where(Assignment.entry_id == entry.id, Assignment.juror.has(user_id=user.id))
    ).one()


def _marks(judged, content="", design="", **extra) -> dict:
    first, second = judged.criteria
    return {f"c{first.id}": content, f"c{second.id}": design, **extra}


def _post(client, sheet, action="save", **fields):
    return client.post(f"/jury/assignments/{sheet.id}/scores", data={"action": action, **fields})


def _stored(sheet) -> dict:
    db.session.expire_all()
    scores = db.session.scalars(sa.select(Score).where(Score.assignment_id == sheet.id))
    return {score.criterion_id: score.value for score in scores if score.value is not None}


def _progress_numbers(page: str) -> list[list[str]]:
    return [re.findall(r"\d+", text) for text in re.findall(r"data-progress>([^<]*)<", page)]


# The lists


def test_juror_without_contests_is_told_what_happens_next(world, as_user):
    page = as_user(world.jury_a).get("/jury")
    assert page.status_code == 200 and "alert-light" in page.get_data(as_text=True)


def test_jury_index_shows_each_contests_progress(world, as_user):
    judged, entries = _judging(world)
    client = as_user(world.jury_a)
    assert _progress_numbers(client.get("/jury").get_data(as_text=True)) == [["0", "3"]]
    sheet = _sheet_of(world.jury_a, entries[0])
    _post(client, sheet, "complete", **_marks(judged, "4", "8"))
    page = client.get("/jury").get_data(as_text=True)
    assert judged.contest.title in page
    assert _progress_numbers(page) == [["1", "3"]]


def test_juror_sees_only_their_assigned_entries_not_started_first(world, app):
    judged, entries = _judging(world)
    juror_a1 = judged.users[1]
    client = _client(app, juror_a1)
    page = client.get(f"/jury/contests/{judged.contest.id}").get_data(as_text=True)
    links = re.findall(r'href="/jury/assignments/(\d+)"', page)
    assert links == [str(_sheet_of(juror_a1, e).id) for e in entries[1:]]
    assert "Проект Нюрбы" not in page  # the entry of the juror's own school
    assert _progress_numbers(page) == [["0", "2"]]
    _post(client, _sheet_of(juror_a1, entries[1]), "complete", **_marks(judged, "1", "1"))
    page = client.get(f"/jury/contests/{judged.contest.id}").get_data(as_text=True)
    links = re.findall(r'href="/jury/assignments/(\d+)"', page)
    assert links == [str(_sheet_of(juror_a1, e).id) for e in (entries[2], entries[1])]


def test_contest_page_is_only_for_its_jury(app, world):
    judged, _ = _judging(world)
    outsider = make_user(Role.JURY, world.district_a, "jury-outsider")
    assert _client(app, outsider).get(f"/jury/contests/{judged.contest.id}").status_code == 404
    for user in (world.admin_a, world.school_user_a1, world.viewer_a):
        client = _client(app, user)
        assert client.get("/jury").status_code == 403
        assert client.get(f"/jury/contests/{judged.contest.id}").status_code == 403
    assert app.test_client().get("/jury").status_code == 302


def test_the_chair_is_led_to_the_results(app, world):
    judged, _ = _judging(world)
    url = f"/contests/{judged.contest.id}/results"
    chair = _client(app, world.jury_a).get(f"/jury/contests/{judged.contest.id}")
    assert f'href="{url}"' in chair.get_data(as_text=True)
    member = _client(app, judged.users[2]).get(f"/jury/contests/{judged.contest.id}")
    assert url not in member.get_data(as_text=True)


# Who reaches an entry


def test_juror_can_neither_open_nor_score_nor_download_an_entry_of_their_own_school(app, world):
    judged, entries = _judging(world)
    juror_a1 = judged.users[1]
    own = entries[0]
    assert judged.jurors[1].id not in {
        a.juror_id
        for a in db.session.scalars(sa.select(Assignment).where(Assignment.entry_id == own.id))
    }
    # Even an assignment made by hand, past the assignment rules, stays closed.
    forced = Assignment(entry=own, juror=judged.jurors[1])
    db.session.add(forced)
    db.session.commit()
    others = db.session.scalars(
        sa.select(Assignment.id).where(Assignment.juror_id != judged.jurors[1].id)
    ).all()
    client = _client(app, juror_a1)
    for sheet_id in [forced.id, *others, 999999]:
        assert client.get(f"/jury/assignments/{sheet_id}").status_code == 404
        reply = _post(client, Assignment(id=sheet_id), "save", **_marks(judged, "5", "10"))
        assert reply.status_code == 404
        assert client.get(f"/jury/assignments/{sheet_id}/files/1").status_code == 404
        conflict = client.post(f"/jury/assignments/{sheet_id}/conflict", data={"reason": "x"})
        assert conflict.status_code == 404
    assert _stored(forced) == {}


def test_other_roles_never_reach_the_score_sheet(app, world):
    judged, entries = _judging(world)
    sheet = _sheet_of(world.jury_a, entries[1])
    for user in (world.admin_a, world.school_user_a1, world.viewer_a):
        client = _client(app, user)
        assert client.get(f"/jury/assignments/{sheet.id}").status_code == 403
        assert _post(client, sheet, **_marks(judged, "1", "1")).status_code == 403
        assert client.post(f"/jury/assignments/{sheet.id}/conflict").status_code == 403
        assert client.get(f"/jury/assignments/{sheet.id}/files/1").status_code == 403
    assert app.test_client().get(f"/jury/assignments/{sheet.id}").status_code == 302
    assert _stored(sheet) == {}


def test_a_rejected_entry_leaves_the_jury(app, world):
    judged, entries = _judging(world)
    sheet = _sheet_of(world.jury_a, entries[1])
    entries[1].reject("Не по теме")
    db.session.commit()
    assert _client(app, world.jury_a).get(f"/jury/assignments/{sheet.id}").status_code == 404


# Blind judging


@pytest.fixture
def blind(world):
    judged = make_contest(world, blind=True)
    entry = entry_with_material(
        world.school_user_a1, judged, judged.first, "Летопись Нюрбы", "Иванова_НСОШ1.pdf"
    )
    submit_entry(judged.school_user_a2, judged, judged.first, "Другая работа")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    return judged, entry


def test_blind_judging_names_neither_the_school_nor_the_author_on_page_or_download(
    world, as_user, blind
):
    judged, entry = blind
    client = as_user(world.jury_a)
    sheet = _sheet_of(world.jury_a, entry)
    secrets = [
        world.school_a1.name,
        world.school_a1.short_name,
        "Иванова",
        "Летопись Нюрбы",
        "НСОШ1.pdf",
    ]
    for url in (f"/jury/contests/{judged.contest.id}", f"/jury/assignments/{sheet.id}"):
        page = client.get(url).get_data(as_text=True)
        assert f'data-entry-number="{entry.number}"' in page
        assert not [secret for secret in secrets if secret in page], url
    page = client.get(f"/jury/assignments/{sheet.id}").get_data(as_text=True)
    assert "Проект о книгах" in page  # a visible answer
    file_id = entry.data["material"]["id"]
    assert f'href="/jury/assignments/{sheet.id}/files/{file_id}"' in page
    download = client.get(f"/jury/assignments/{sheet.id}/files/{file_id}")
    assert download.status_code == 200
    disposition = download.headers["Content-Disposition"]
    assert disposition == f"inline; filename=entry-{entry.number}-material.pdf"


def test_without_blind_judging_the_jury_sees_the_title_but_never_hidden_answers(world, as_user):
    judged = make_contest(world)
    entry = entry_with_material(
        world.school_user_a1, judged, judged.first, "Летопись Нюрбы", "Иванова_НСОШ1.pdf"
    )
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    client = as_user(world.jury_a)
    sheet = _sheet_of(world.jury_a, entry)
    page = client.get(f"/jury/assignments/{sheet.id}").get_data(as_text=True)
    assert "Летопись Нюрбы" in page and world.school_a1.name in page
    assert "Иванова" not in page  # the author: a hidden answer
    download = client.get(f"/jury/assignments/{sheet.id}/files/{entry.data['material']['id']}")
    assert "Иванова" not in download.headers["Content-Disposition"]


def test_a_material_hidden_from_the_jury_cannot_be_downloaded(world, as_user):
    judged = make_contest(world, hidden_keys=["author", "material"])
    entry = entry_with_material(world.school_user_a1, judged, judged.first, "Работа", "скан.pdf")
    other = entry_with_material(judged.school_user_a2, judged, judged.first, "Работа 2", "b.pdf")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    client = as_user(world.jury_a)
    sheet = _sheet_of(world.jury_a, entry)
    assert "/files/" not in client.get(f"/jury/assignments/{sheet.id}").get_data(as_text=True)
    for file_id in (entry.data["material"]["id"], other.data["material"]["id"]):
        assert client.get(f"/jury/assignments/{sheet.id}/files/{file_id}").status_code == 404


# The score sheet


def test_juror_keeps_a_draft_and_finds_it_on_the_sheet(world, as_user):
    judged, entries = _judging(world)
    client = as_user(world.jury_a)
    sheet = _sheet_of(world.jury_a, entries[1])
    content, design = judged.criteria
    page = client.get(f"/jury/assignments/{sheet.id}").get_data(as_text=True)
    assert re.search(rf'id="c{design.id}"[^>]*max="10"', page)
    assert re.search(rf'id="c{design.id}"[^>]*step="1"', page)
    reply = _post(client, sheet, **_marks(judged, "4", "", **{f"note{content.id}": "Хорошо"}))
    assert reply.status_code == 302 and reply.location.endswith(f"/jury/assignments/{sheet.id}")
    assert _stored(sheet) == {content.id: 4}
    assert _sheet_of(world.jury_a, entries[1]).completed_at is None
    page = client.get(f"/jury/assignments/{sheet.id}").get_data(as_text=True)
    assert re.search(rf'id="c{content.id}"[^>]*value="4"', page) and "Хорошо" in page


def test_save_and_next_goes_to_the_next_entry_not_yet_scored(world, as_user):
    judged, entries = _judging(world)
    client = as_user(world.jury_a)
    first, second, third = (_sheet_of(world.jury_a, entry) for entry in entries)
    reply = _post(client, first, "next", **_marks(judged, "3"))
    assert reply.location.endswith(f"/jury/assignments/{second.id}")
    _post(client, second, "complete", **_marks(judged, "3", "5"))
    reply = _post(client, first, "next", **_marks(judged, "3"))
    assert reply.location.endswith(f"/jury/assignments/{third.id}")
    _post(client, third, "complete", **_marks(judged, "3", "5"))
    _post(client, first, "complete", **_marks(judged, "3", "5"))
    reply = _post(client, first, "next", **_marks(judged, "3", "5"))
    assert reply.location.endswith(f"/jury/contests/{judged.contest.id}")


def test_completing_needs_every_criterion_and_says_which_is_missing(world, as_user):
    judged, entries = _judging(world)
    client = as_user(world.jury_a)
    sheet = _sheet_of(world.jury_a, entries[1])
    _content, design = judged.criteria
    reply = _post(client, sheet, "complete", **_marks(judged, "4", ""))
    assert reply.status_code == 400
    assert re.search(rf'id="c{design.id}-error"[^>]*>\s*\S', reply.get_data(as_text=True))
    assert _stored(sheet) == {}
    assert _sheet_of(world.jury_a, entries[1]).completed_at is None


@pytest.mark.parametrize("content, design", [("6", "5"), ("2,5", "5"), ("-1", "5"), ("x", "5")])
def test_a_score_off_the_scale_is_refused_beside_its_criterion(world, as_user, content, design):
    judged, entries = _judging(world)
    client = as_user(world.jury_a)
    sheet = _sheet_of(world.jury_a, entries[1])
    first, _second = judged.criteria
    reply = _post(client, sheet, "save", **_marks(judged, content, design))
    assert reply.status_code == 400
    assert re.search(rf'id="c{first.id}-error"[^>]*>\s*\S', reply.get_data(as_text=True))
    assert _stored(sheet) == {}


def test_after_finalizing_no_score_changes_and_the_sheet_is_read_only(world, as_user):
    judged, entries = _judging(world)
    client = as_user(world.jury_a)
    sheet = _sheet_of(world.jury_a, entries[1])
    _post(client, sheet, "complete", **_marks(judged, "4", "8"))
    standings.finalize(world.admin_a, judged.contest, judged.first, reason="Срок оценки истёк")
    db.session.commit()
    for action in ("save", "next", "complete"):
        assert _post(client, sheet, action, **_marks(judged, "1", "1")).status_code == 409
    content, design = judged.criteria
    assert _stored(sheet) == {content.id: 4, design.id: 8}
    page = client.get(f"/jury/assignments/{sheet.id}").get_data(as_text=True)
    assert 'id="scores-locked"' in page
    field = re.search(rf'<input[^>]*id="c{content.id}"[^>]*>', page).group()
    assert " disabled" in field
    assert 'name="action"' not in page


def test_scores_are_read_only_outside_the_judging_stage(world, as_user):
    judged, entries = _judging(world)
    for nomination in (judged.first, judged.second):
        standings.finalize(world.admin_a, judged.contest, nomination, reason="Срок оценки истёк")
    services.move_phase(world.admin_a, judged.contest, Phase.RESULTS)
    db.session.commit()
    client = as_user(world.jury_a)
    sheet = _sheet_of(world.jury_a, entries[1])
    assert 'id="scores-locked"' in client.get(f"/jury/assignments/{sheet.id}").get_data(
        as_text=True
    )
    assert _post(client, sheet, **_marks(judged, "1", "1")).status_code == 409


# Other jurors' scores


def _complete_as(app, user, entry, judged, content, design):
    sheet = _sheet_of(user, entry)
    _post(_client(app, user), sheet, "complete", **_marks(judged, content, design))
    return sheet


@pytest.mark.parametrize("allowed", [True, False])
def test_others_scores_stay_hidden_until_the_juror_completes_every_sheet_and_then_if_allowed(
    app, world, allowed
):
    judged, entries = _judging(world, show_scores_after_completion=allowed)
    _complete_as(app, judged.users[2], entries[1], judged, "1", "7")
    client = _client(app, world.jury_a)
    sheet = _sheet_of(world.jury_a, entries[1])
    page = client.get(f"/jury/assignments/{sheet.id}").get_data(as_text=True)
    assert 'id="other-scores"' not in page
    _post(client, sheet, "complete", **_marks(judged, "5", "10"))
    page = client.get(f"/jury/assignments/{sheet.id}").get_data(as_text=True)
    assert 'id="other-scores"' not in page  # another sheet of their own is still open
    for other in (entries[0], entries[2]):
        _post(client, _sheet_of(world.jury_a, other), "complete", **_marks(judged, "3", "5"))
    page = client.get(f"/jury/assignments/{sheet.id}").get_data(as_text=True)
    assert ('id="other-scores"' in page) is allowed
    assert ("<td>7,00" in page) is allowed  # with its two places, as the workbook prints it


# Conflicts of interest


def test_declared_conflict_hands_the_entry_to_another_juror(world, app):
    judged, entries = _judging(world, assignment_mode="balanced", jurors_per_entry=2)
    entry = entries[1]
    before = db.session.scalars(sa.select(Assignment).where(Assignment.entry_id == entry.id)).all()
    assert len(before) == 2
    leaving = before[0]
    user = leaving.juror.user
    client = _client(app, user)
    reply = client.post(f"/jury/assignments/{leaving.id}/conflict", data={"reason": "Моя ученица"})
    assert reply.status_code == 302
    assert reply.location.endswith(f"/jury/contests/{judged.contest.id}")
    db.session.expire_all()
    active = [
        a
        for a in db.session.scalars(sa.select(Assignment).where(Assignment.entry_id == entry.id))
        if a.is_active
    ]
    assert len(active) == 2 and leaving.id not in {a.id for a in active}
    assert user.id not in {a.juror.user_id for a in active}
    page = client.get(f"/jury/contests/{judged.contest.id}").get_data(as_text=True)
    assert f'href="/jury/assignments/{leaving.id}"' not in page
    assert client.get(f"/jury/assignments/{leaving.id}").status_code == 404


def test_a_conflict_needs_a_reason(world, as_user):
    judged, entries = _judging(world)
    client = as_user(world.jury_a)
    sheet = _sheet_of(world.jury_a, entries[1])
    reply = client.post(f"/jury/assignments/{sheet.id}/conflict", data={"reason": " "})
    assert reply.status_code == 400 and 'id="reason-error"' in reply.get_data(as_text=True)
    assert _sheet_of(world.jury_a, entries[1]).conflict_at is None


def test_a_completed_sheet_cannot_be_declined(world, as_user):
    judged, entries = _judging(world)
    client = as_user(world.jury_a)
    sheet = _sheet_of(world.jury_a, entries[1])
    _post(client, sheet, "complete", **_marks(judged, "4", "8"))
    reply = client.post(f"/jury/assignments/{sheet.id}/conflict", data={"reason": "Родня"})
    assert reply.status_code == 409
