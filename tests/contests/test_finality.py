"""Finalized means final: after a nomination's results are finalized nothing changes them until
district staff reopen them with a written reason; reopening published results marks them as
revised and tells the participants and the jury; finalizing with incomplete entries needs a
reason, which the protocol prints."""

import io
import re

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.contests import entries, jury, scoring, services, standings
from app.contests.models import EntryStatus, Phase
from app.core.errors import Conflict, DomainError, Forbidden
from app.core.timefmt import utc_to_local
from app.extensions import db
from app.notices.models import Notice
from tests.contests.factory import entries_in_judging, make_contest, staff_entry, submit_entry
from tests.factories import make_user

REASON = "Эксперт заболел и не завершил оценку"
FINALIZED = "Итоги номинации «Лучший проект» утверждены"


def _score(judged, user, numbers=None):
    """The user completes their sheets (of the entries numbered ``numbers``, else all)."""
    for sheet in scoring.juror_assignments(user, judged.contest):
        if numbers is None or sheet.entry.number in numbers:
            marks = {c.id: scoring.Mark("3") for c in judged.criteria}
            scoring.save_scores(user, sheet, marks, "", complete=True)
    db.session.commit()


@pytest.fixture
def finalized(world):
    """Three entries of the first nomination scored by every juror, the first finalized while
    the contest is judging; the second nomination has no entries."""
    judged = make_contest(world)
    found = entries_in_judging(world, judged)
    for user in judged.users:
        _score(judged, user)
    standings.finalize(world.admin_a, judged.contest, judged.first)
    db.session.commit()
    return judged, found


def _published(world, judged):
    standings.finalize(world.admin_a, judged.contest, judged.second)
    services.move_phase(world.admin_a, judged.contest, Phase.RESULTS)
    services.move_phase(world.admin_a, judged.contest, Phase.PUBLISHED)
    db.session.commit()


def _figures(judged):
    """What the results say for the first nomination: per entry number its figures."""
    found = standings.standing(judged.contest, judged.first)
    return {
        found.entries[e.entry_id].number: (e.total, e.place, e.title, e.jurors, e.assigned)
        for e in found.result.entries
    }


# 1. Nothing changes finalized results


def test_staff_cannot_reject_an_entry_of_a_finalized_nomination(world, as_user, finalized):
    judged, (first, *_rest) = finalized
    before = _figures(judged)
    client = as_user(world.admin_a)
    page = client.get(f"/entries/{first.id}").get_data(as_text=True)
    assert "reject" not in page.split('id="fill-form"')[1]  # no reject section
    reply = client.post(f"/entries/{first.id}/reject", data={"reason": "Плагиат"})
    assert reply.status_code == 409
    assert FINALIZED in reply.get_data(as_text=True)
    db.session.refresh(first)
    assert first.status == EntryStatus.SUBMITTED and _figures(judged) == before


def test_juror_cannot_declare_a_conflict_in_a_finalized_nomination(world, as_user):
    judged = make_contest(world)
    entry = staff_entry(world, judged, judged.school_a3, judged.first, "Буктрейлер")
    submit_entry(judged.school_user_a2, judged, judged.first, "Книжный дозор")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    standings.finalize(world.admin_a, judged.contest, judged.first, reason=REASON)
    db.session.commit()
    (sheet,) = [a for a in scoring.juror_assignments(judged.users[2], judged.contest)
                if a.entry_id == entry.id]  # fmt: skip
    client = as_user(judged.users[2])
    reply = client.post(f"/jury/assignments/{sheet.id}/conflict", data={"reason": "Родственник"})
    assert reply.status_code == 409
    db.session.refresh(sheet)
    assert sheet.is_active
    page = client.get(f"/jury/assignments/{sheet.id}").get_data(as_text=True)
    assert "/conflict" not in page


def test_a_contest_with_finalized_results_cannot_take_entries_again(world, finalized):
    judged, _entries = finalized
    with pytest.raises(Conflict, match="утверждены"):
        services.move_phase(world.admin_a, judged.contest, Phase.ACCEPTING)


def test_school_cannot_withdraw_or_change_an_entry_of_a_finalized_nomination(world, finalized):
    judged, (first, *_rest) = finalized
    judged.contest.phase = Phase.ACCEPTING  # however the contest got there
    for verb in (entries.withdraw, entries.reopen):
        with pytest.raises(Conflict, match="утверждены"):
            verb(world.school_user_a1, first)
        db.session.rollback()


def test_a_juror_with_sheets_of_finalized_results_stays_on_them(world):
    judged = make_contest(world)
    staff_entry(world, judged, judged.school_a3, judged.first, "Буктрейлер")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    standings.finalize(world.admin_a, judged.contest, judged.first, reason=REASON)
    db.session.commit()
    with pytest.raises(Conflict, match="утверждены"):
        jury.remove_juror(world.admin_a, judged.jurors[2])


def test_a_new_juror_gets_no_entries_of_finalized_results(world, finalized):
    judged, _entries = finalized
    before = _figures(judged)
    services.move_phase(world.admin_a, judged.contest, Phase.RESULTS)
    newcomer = make_user(Role.JURY, world.district_a, "jury-new")
    jury.add_juror(world.admin_a, judged.contest, newcomer, [])
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)  # assigns what is missing
    db.session.commit()
    assert scoring.juror_assignments(newcomer, judged.contest) == []
    assert _figures(judged) == before


def test_criteria_and_result_rules_of_finalized_results_cannot_change(world, finalized):
    judged, _entries = finalized
    content = judged.criteria[0]
    changed = services.CriterionSettings("Содержание", content.max_score * 2, tie_priority=1)
    with pytest.raises(Conflict, match="утверждены"):
        services.update_criterion(world.admin_a, content, changed)
    with pytest.raises(Conflict, match="утверждены"):
        services.delete_criterion(world.admin_a, content)
    contest = judged.contest
    settings = services.ContestSettings(
        **{name: getattr(contest, name) for name in services.ContestSettings.__dataclass_fields__
           if name != "eligible_ids"},
    )  # fmt: skip
    settings.min_entries = 5
    with pytest.raises(Conflict, match="утверждены"):
        services.update_contest(world.admin_a, contest, settings)


# 2. Reopening is an explicit, audited act of staff


def test_the_chair_alone_cannot_reopen_results(world, as_user, finalized):
    judged, _entries = finalized
    url = f"/contests/{judged.contest.id}/nominations/{judged.first.id}/reopen"
    client = as_user(world.jury_a)  # the chair
    assert client.post(url, data={f"n{judged.first.id}-reason": "Ошибка"}).status_code == 403
    with pytest.raises(Forbidden):
        standings.reopen(world.jury_a, judged.contest, judged.first, "Ошибка",
                         standings.Links("/", "/"))  # fmt: skip
    page = client.get(f"/contests/{judged.contest.id}/results").get_data(as_text=True)
    assert "/reopen" not in page
    db.session.refresh(judged.first)
    assert judged.first.is_finalized


def test_reopening_needs_a_written_reason_beside_the_field(world, as_user, finalized):
    judged, _entries = finalized
    client = as_user(world.admin_a)
    page = client.get(f"/contests/{judged.contest.id}/results").get_data(as_text=True)
    assert f'name="n{judged.first.id}-reason"' in page and "data-confirm" in page
    url = f"/contests/{judged.contest.id}/nominations/{judged.first.id}/reopen"
    reply = client.post(url, data={f"n{judged.first.id}-reason": "  "})
    assert reply.status_code == 400
    assert re.search(rf'id="n{judged.first.id}-reason-error"', reply.get_data(as_text=True))
    db.session.refresh(judged.first)
    assert judged.first.is_finalized


def test_reopening_published_results_marks_them_revised_tells_everyone_and_is_logged(
    world, as_user, finalized
):
    judged, (first, second, third) = finalized
    _published(world, judged)
    client = as_user(world.admin_a)
    url = f"/contests/{judged.contest.id}/nominations/{judged.first.id}/reopen"
    reason = "Работа № 3 оказалась заимствованной"
    assert client.post(url, data={f"n{judged.first.id}-reason": reason}).status_code == 302
    db.session.refresh(judged.first)
    assert not judged.first.is_finalized and judged.first.revised_at is not None
    assert judged.first.revision_reason == reason
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "reopen_results"))
    assert event.actor_id == world.admin_a.id and event.after["reason"] == reason
    notices = db.session.scalars(sa.select(Notice)).all()
    schools = {n.organization_id for n in notices if n.user_id is None}
    assert schools == {first.organization_id, second.organization_id, third.organization_id}
    assert {n.user_id for n in notices if n.user_id} == {u.id for u in judged.users}
    assert all(reason in n.text for n in notices)
    # staff can now reject the entry and finalize again; the school reads "пересмотрены"
    rejected = client.post(f"/entries/{third.id}/reject", data={"reason": "Заимствование"})
    assert rejected.status_code == 302
    finalize = f"/contests/{judged.contest.id}/nominations/{judged.first.id}/finalize"
    assert client.post(finalize).status_code == 302
    client.post("/logout")
    school = as_user(world.school_user_a1)
    date = utc_to_local(judged.first.revised_at).strftime("%d.%m.%Y")
    for page in (school.get("/my/contests"), school.get(f"/entries/{first.id}")):
        text = page.get_data(as_text=True)
        assert "пересмотрены" in text and date in text


def test_reopening_unpublished_results_lets_the_jury_change_them(world, finalized):
    judged, (first, *_rest) = finalized
    standings.reopen(world.admin_a, judged.contest, judged.first, "Пересчёт",
                     standings.Links("/", "/"))  # fmt: skip
    entries.reject(world.admin_a, first, "Нарушение положения")
    db.session.commit()
    assert judged.first.revised_at is None  # nothing was published
    assert 1 not in _figures(judged)
    standings.finalize(world.admin_a, judged.contest, judged.first)
    assert judged.first.is_finalized


# 3. Finalizing with incomplete entries needs a reason


def test_finalizing_with_an_incomplete_entry_needs_a_reason_which_is_kept(world, as_user):
    judged = make_contest(world)
    entries_in_judging(world, judged, with_a1=False)
    _score(judged, judged.users[0])
    _score(judged, judged.users[1])
    _score(judged, judged.users[2], numbers={1})  # entry 2 gets 2 sheets of 3
    client = as_user(judged.users[0])  # the chair
    page = client.get(f"/contests/{judged.contest.id}/results").get_data(as_text=True)
    field = f'name="n{judged.first.id}-reason"'
    assert field in page and f'name="n{judged.second.id}-reason"' not in page.split("/reopen")[0]
    url = f"/contests/{judged.contest.id}/nominations/{judged.first.id}/finalize"
    refused = client.post(url)
    assert refused.status_code == 400
    assert f'id="n{judged.first.id}-reason-error"' in refused.get_data(as_text=True)
    db.session.refresh(judged.first)
    assert not judged.first.is_finalized
    assert client.post(url, data={f"n{judged.first.id}-reason": REASON}).status_code == 302
    db.session.refresh(judged.first)
    assert judged.first.is_finalized and judged.first.incomplete_reason == REASON


def test_finalizing_complete_results_asks_no_reason(world, finalized):
    judged, _entries = finalized
    assert judged.first.is_finalized and judged.first.incomplete_reason == ""
    with pytest.raises(DomainError):
        standings.finalize(world.admin_a, judged.contest, judged.first)  # already final


# 16. Bad query and path parameters are no 500


@pytest.mark.parametrize(
    "query", ["nomination=abc", "nomination=99999999999999999999999", "nomination=-1", "status=x"]
)
def test_entries_list_ignores_a_nomination_that_is_no_number(world, as_user, finalized, query):
    judged, _entries = finalized
    client = as_user(world.admin_a)
    reply = client.get(f"/contests/{judged.contest.id}/entries?{query}")
    assert reply.status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/contests/99999999999999999999", "/entries/99999999999999999999",
     "/contests/1/nominations/99999999999999999999/finalize"],
)  # fmt: skip
def test_an_id_too_large_for_the_database_is_not_found(world, as_user, path):
    client = as_user(world.admin_a)
    for method in ("GET", "POST"):
        assert client.open(path, method=method).status_code in (404, 405)


def _protocol_texts(client, contest) -> tuple[str, str]:
    """The protocol's .docx and .xlsx as plain text, as the client downloads them."""
    docx = Document(io.BytesIO(client.get(f"/contests/{contest.id}/protocol.docx").data))
    parts = [p.text for p in docx.paragraphs]
    parts += [cell.text for t in docx.tables for row in t.rows for cell in row.cells]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/contests/{contest.id}/protocol.xlsx").data)
    )
    cells = [
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
    ]
    return "\n".join(parts), "\n".join(cells)


def test_the_protocol_prints_the_reason_for_incomplete_entries_and_the_revision(world, as_user):
    judged = make_contest(world)
    entries_in_judging(world, judged, with_a1=False)
    _score(judged, judged.users[0])
    _score(judged, judged.users[1])
    _score(judged, judged.users[2], numbers={1})  # entry 2: 2 sheets of 3
    standings.finalize(world.admin_a, judged.contest, judged.first, reason=REASON)
    _published(world, judged)
    standings.reopen(world.admin_a, judged.contest, judged.first, "Ошибка в подсчёте",
                     standings.Links("/", "/"))  # fmt: skip
    standings.finalize(world.admin_a, judged.contest, judged.first, reason=REASON)
    db.session.commit()
    date = utc_to_local(judged.first.revised_at).strftime("%d.%m.%Y")
    client = as_user(world.admin_a)
    for text in _protocol_texts(client, judged.contest):
        assert f"Работа № 2 оценена 2 экспертами из 3: {REASON}" in text
        assert f"Итоги пересмотрены {date} после публикации: Ошибка в подсчёте" in text
