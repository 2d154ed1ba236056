"""Assignment, jury progress and reminders, results, finalizing and publishing (staff side)."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.contests import assignment, jury, scoring, services, standings
from app.contests.models import Assignment, Phase, Score
from app.core.errors import Conflict, Forbidden
from app.db import utcnow
from app.extensions import db
from app.notices.models import Notice
from tests.contests.factory import entries_in_judging, make_contest, staff_entry
from tests.factories import make_org, make_user


@pytest.fixture
def judging(world):
    """Three entries of the first nomination (schools A1, A2, A3), judging open."""
    judged = make_contest(world)
    return judged, entries_in_judging(world, judged)


def _score(user, judged, values: dict[int, tuple[str, str]], complete=True):
    """values: entry number -> (content score, design score)."""
    for a in scoring.juror_assignments(user, judged.contest):
        if a.entry.number in values:
            content, design = values[a.entry.number]
            marks = {judged.criteria[0].id: scoring.Mark(content),
                     judged.criteria[1].id: scoring.Mark(design)}  # fmt: skip
            scoring.save_scores(user, a, marks, "", complete=complete)
    db.session.commit()


def test_every_juror_gets_every_entry_except_those_of_their_own_school(judging):
    judged, entries = judging
    pairs = {
        (a.juror.user.username, a.entry.number) for a in db.session.scalars(sa.select(Assignment))
    }
    assert pairs == {
        ("jury-a", 1), ("jury-a", 2), ("jury-a", 3),
        ("jury-a2", 1), ("jury-a2", 2), ("jury-a2", 3),
        ("jury-a1", 2), ("jury-a1", 3),  # jury-a1 works at school A1, which made entry 1
    }  # fmt: skip


def test_balanced_assignment_gives_k_jurors_and_spreads_the_load(world):
    judged = make_contest(world, assignment_mode="balanced", jurors_per_entry=2)
    for number in range(3):
        school = make_org(f"Школа {number}", parent=world.district_a)
        staff_entry(world, judged, school, judged.first, f"Работа {number}")
    extra = make_user(Role.JURY, world.district_a, "jury-extra")
    jury.add_juror(world.admin_a, judged.contest, extra, [])
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    rows = db.session.scalars(sa.select(Assignment)).all()
    per_entry = Counter(a.entry_id for a in rows)
    per_juror = Counter(a.juror_id for a in rows)
    assert set(per_entry.values()) == {2}
    assert max(per_juror.values()) - min(per_juror.values()) <= 1
    pairs = Counter(
        tuple(sorted(a.juror_id for a in rows if a.entry_id == entry_id)) for entry_id in per_entry
    )
    assert max(pairs.values()) == 1  # no pair of jurors covers two entries while others idle


def test_a_declared_conflict_reassigns_in_balanced_mode_and_staff_see_it(client, world, as_user):
    judged = make_contest(world, assignment_mode="balanced", jurors_per_entry=2)
    entry = staff_entry(world, judged, judged.school_a3, judged.first, "Работа")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    first = db.session.scalars(sa.select(Assignment).order_by(Assignment.id)).first()
    before = {a.juror_id for a in db.session.scalars(sa.select(Assignment))}
    user = first.juror.user
    new = assignment.declare_conflict(user, first, "Руководил проектом как методист")
    db.session.commit()
    assert new is not None and new.juror_id not in before
    assert entry.id not in {a.entry_id for a in scoring.juror_assignments(user, judged.contest)}
    as_user(world.admin_a)
    page = client.get(f"/contests/{judged.contest.id}/progress").get_data(as_text=True)
    assert "Руководил проектом как методист" in page and user.full_name in page


def test_progress_counts_per_juror_and_per_entry(judging):
    judged, _entries = judging
    _score(judged.users[2], judged, {1: ("4", "8"), 2: ("3", "6")})
    by_juror, by_entry = scoring.progress(judged.contest)
    chair, from_a1, third = judged.jurors
    assert (by_juror[third.id].completed, by_juror[third.id].assigned) == (2, 3)
    assert (by_juror[from_a1.id].completed, by_juror[from_a1.id].assigned) == (0, 2)
    assert by_juror[third.id].percent == 67


def test_a_reminder_reaches_the_juror_alone(client, world, as_user, judging):
    judged, _entries = judging
    as_user(world.admin_a)
    juror = judged.jurors[1]
    url = f"/contests/{judged.contest.id}/jurors/{juror.id}/remind"
    assert client.post(url).status_code == 302
    notice = db.session.scalar(sa.select(Notice))
    assert notice.user_id == juror.user_id and "2" in notice.text
    client.post("/logout")
    as_user(world.school_user_a1)  # same organization as the juror, not the addressee
    assert "Образовательная экспедиция" not in client.get("/").get_data(as_text=True)
    client.post("/logout")
    as_user(juror.user)
    assert "Образовательная экспедиция" in client.get("/").get_data(as_text=True)


def test_viewer_sees_progress_but_cannot_remind(client, world, as_user, judging):
    judged, _entries = judging
    as_user(world.viewer_a)
    assert client.get(f"/contests/{judged.contest.id}/progress").status_code == 200
    url = f"/contests/{judged.contest.id}/jurors/{judged.jurors[1].id}/remind"
    assert client.post(url).status_code == 403


def test_results_page_shows_means_totals_and_places(client, world, as_user, judging):
    judged, _entries = judging
    _score(judged.users[0], judged, {1: ("5", "10"), 2: ("3", "6"), 3: ("4", "8")})
    _score(judged.users[2], judged, {1: ("4", "9"), 2: ("3", "7"), 3: ("4", "8")})
    _score(judged.users[1], judged, {2: ("2", "5"), 3: ("5", "10")})
    # Entry 1: content (5+4)/2 = 4.5, design (10+9)/2 = 9.5 -> 4.5 + 2*9.5 = 23.5
    # Entry 3: content (4+4+5)/3 = 4.333.., design (8+8+10)/3 = 8.666.. -> 4.333 + 17.333 = 21.67
    # Entry 2: content 8/3 = 2.667, design 18/3 = 6 -> 2.667 + 12 = 14.67
    as_user(world.admin_a)
    page = client.get(f"/contests/{judged.contest.id}/results").get_data(as_text=True)
    assert page.index("23,50") < page.index("21,67") < page.index("14,67")
    assert "4,50" in page and "9,50" in page and "Читающая семья" in page


def test_results_are_for_staff_observers_and_the_chair_only(client, world, as_user, judging):
    judged, _entries = judging
    url = f"/contests/{judged.contest.id}/results"
    for user, status in [
        (world.admin_a, 200), (world.viewer_a, 200), (judged.users[0], 200),
        (judged.users[1], 404), (world.school_user_a1, 404), (world.admin_b, 404),
    ]:  # fmt: skip
        as_user(user)
        assert client.get(url).status_code == status, user.username
        client.post("/logout")


def test_finalizing_locks_the_scores_and_is_logged(client, world, as_user, judging):
    judged, _entries = judging
    _score(judged.users[2], judged, {1: ("4", "8")}, complete=False)
    as_user(judged.users[1])  # not the chair
    url = f"/contests/{judged.contest.id}/nominations/{judged.first.id}/finalize"
    assert client.post(url).status_code == 404
    client.post("/logout")
    as_user(judged.users[0])  # the chair
    assert client.post(url, data={f"n{judged.first.id}-reason": "Срок истёк"}).status_code == 302
    db.session.refresh(judged.first)
    assert judged.first.is_finalized
    (first, *_rest) = scoring.juror_assignments(judged.users[2], judged.contest)
    marks = {c.id: scoring.Mark("1") for c in judged.criteria}
    with pytest.raises(Conflict):
        scoring.save_scores(judged.users[2], first, marks, "", complete=True)
    db.session.rollback()
    values = {score.value for score in db.session.scalars(sa.select(Score))}
    assert values == {Decimal(4), Decimal(8)}
    events = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "finalize" in events and "score" in events


def test_only_staff_or_the_chair_finalize(world, judging):
    judged, _entries = judging
    with pytest.raises(Forbidden):
        standings.finalize(world.viewer_a, judged.contest, judged.first)


def test_publishing_needs_every_nomination_finalized(client, world, as_user, judging):
    judged, _entries = judging
    as_user(world.admin_a)
    move = f"/contests/{judged.contest.id}/phase"
    assert client.post(move, data={"phase": "results"}).status_code == 302
    assert client.post(move, data={"phase": "published"}).status_code == 409
    for nomination in (judged.first, judged.second):
        url = f"/contests/{judged.contest.id}/nominations/{nomination.id}/finalize"
        assert client.post(url, data={f"n{nomination.id}-reason": "Срок истёк"}).status_code == 302
    assert client.post(move, data={"phase": "published"}).status_code == 302
    db.session.refresh(judged.contest)
    assert judged.contest.phase == Phase.PUBLISHED and judged.contest.published_at is not None
    assert client.post(move, data={"phase": "results"}).status_code == 409


def test_entries_list_filters_and_is_scoped(client, world, as_user, judging):
    judged, _entries = judging
    url = f"/contests/{judged.contest.id}/entries"
    as_user(world.admin_a)
    page = client.get(url, query_string={"q": "маар"}).get_data(as_text=True)
    assert "Книжный дозор" in page and "Читающая семья" not in page
    client.post("/logout")
    for user, status in [(world.viewer_a, 200), (world.admin_b, 404),
                         (world.school_user_a1, 403), (world.jury_a, 403)]:  # fmt: skip
        as_user(user)
        assert client.get(url).status_code == status, user.username
        client.post("/logout")


def test_scores_lock_when_the_judging_period_is_over(world, judging):
    judged, _entries = judging
    judged.contest.judging_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    (first, *_rest) = scoring.juror_assignments(judged.users[2], judged.contest)
    marks = {c.id: scoring.Mark("1") for c in judged.criteria}
    with pytest.raises(Conflict):
        scoring.save_scores(judged.users[2], first, marks, "", complete=False)
    judged.contest.judging_close_at = utcnow() + timedelta(days=1)  # staff extend it
    scoring.save_scores(judged.users[2], first, marks, "", complete=False)


def test_staff_home_lists_contests_in_progress_with_the_jury_progress(
    client, world, as_user, judging
):
    judged, _entries = judging
    _score(judged.users[2], judged, {1: ("4", "8"), 2: ("3", "6")})
    as_user(world.admin_a)
    page = client.get("/").get_data(as_text=True)
    block = page[page.index('id="home-contests"') :]
    assert "Образовательная экспедиция" in block
    assert "Жюри: оценено 2 из 8" in block and "Подано заявок: 3" in block
    client.post("/logout")
    as_user(world.admin_b)
    assert "Образовательная экспедиция" not in client.get("/").get_data(as_text=True)
