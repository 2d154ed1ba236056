"""Setting a contest up (district staff): settings, stages, nominations, criteria, jury."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.contests import jury, scoring, services
from app.contests.models import Contest, Criterion, Nomination, Phase
from app.core.errors import Conflict, DomainError
from app.extensions import db
from tests.contests.factory import APPLICATION, make_contest, settings, submit_entry
from tests.monitoring import make_form

MOMENTS = {
    "entries_open_at": "2026-12-01T09:00",
    "entries_close_at": "2026-12-20T18:00",
    "judging_close_at": "2027-01-10T18:00",
    "results_at": "2027-01-15T12:00",
}


@contextmanager
def _refused(message: str, **values):
    """A Conflict with this message, compared in whatever language the test runs."""
    with pytest.raises(Conflict) as refused:
        yield
    assert str(refused.value.message) == str(_l(message, **values))


def _contest_form(version_id, **changes) -> dict:
    return {
        "title": "Конкурс буктрейлеров",
        "form_version_id": str(version_id),
        "open_to_all": "all",
        "assignment_mode": "all",
        "jurors_per_entry": "3",
        "min_entries": "2",
        "laureates": "1",
        **MOMENTS,
        **changes,
    }


def test_staff_create_a_contest_with_times_in_the_district_zone(client, world, as_user):
    form = make_form(world.admin_a, APPLICATION)
    db.session.commit()
    as_user(world.admin_a)
    reply = client.post("/contests/new", data=_contest_form(form.published.id))
    assert reply.status_code == 302
    contest = db.session.scalar(sa.select(Contest))
    assert contest.title == "Конкурс буктрейлеров" and contest.phase == Phase.DRAFT
    # 18:00 in Yakutsk (UTC+9) is 09:00 UTC
    assert contest.entries_close_at.hour == 9 and contest.entries_close_at.tzinfo is not None
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "20.12.2026 18:00" in page


def test_stages_out_of_order_are_refused_beside_the_field_and_nothing_saved(client, world, as_user):
    form = make_form(world.admin_a, APPLICATION)
    db.session.commit()
    as_user(world.admin_a)
    data = _contest_form(form.published.id, judging_close_at="2026-12-10T18:00")
    reply = client.post("/contests/new", data=data)
    assert reply.status_code == 400
    assert 'id="judging_close_at-error"' in reply.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Contest.id))) == 0


def test_hidden_answers_must_be_questions_of_the_form(world):
    form = make_form(world.admin_a, APPLICATION)
    with pytest.raises(DomainError) as refused:
        services.create_contest(world.admin_a, settings(form.published.id, hidden_keys=["nope"]))
    assert refused.value.field == "hidden_keys"


def test_a_contest_opens_for_entries_only_with_form_nominations_and_criteria(world):
    contest = services.create_contest(world.admin_a, settings(None, hidden_keys=[]))
    with _refused("Choose the application form first."):
        services.move_phase(world.admin_a, contest, Phase.ACCEPTING)
    form = make_form(world.admin_a, APPLICATION)
    services.update_contest(world.admin_a, contest, settings(form.published.id))
    with _refused("Add at least one nomination first."):
        services.move_phase(world.admin_a, contest, Phase.ACCEPTING)
    nomination = services.add_nomination(world.admin_a, contest, "Эссе")
    with _refused('Add criteria for the nomination "%(title)s" first.', title="Эссе"):
        services.move_phase(world.admin_a, contest, Phase.ACCEPTING)
    services.add_criterion(
        world.admin_a,
        contest,
        services.CriterionSettings("Идея", Decimal(5), nomination_id=nomination.id),
    )
    services.move_phase(world.admin_a, contest, Phase.ACCEPTING)
    assert contest.phase == Phase.ACCEPTING


def test_stages_move_one_step_at_a_time_and_judging_needs_a_chair(world):
    judged = make_contest(world)
    contest = judged.contest
    with pytest.raises(Conflict):
        services.move_phase(world.admin_a, contest, Phase.RESULTS)
    judged.jurors[0].is_chair = False
    with _refused("Name the chair of the jury first."):
        services.move_phase(world.admin_a, contest, Phase.JUDGING)
    judged.jurors[1].is_chair = True
    services.move_phase(world.admin_a, contest, Phase.JUDGING)
    services.move_phase(world.admin_a, contest, Phase.RESULTS)
    with _refused("Finalize the results of every nomination before publishing them."):
        services.move_phase(world.admin_a, contest, Phase.PUBLISHED)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"max_score": Decimal(0)}, "max_score"),
        ({"step": Decimal("0.3")}, "step"),
        ({"max_score": Decimal("4.5")}, "max_score"),
        ({"weight": Decimal(0)}, "weight"),
    ],
)
def test_criteria_scales_must_make_sense(world, changes, field):
    judged = make_contest(world)
    values = {"name": "Новизна", "max_score": Decimal(5), **changes}
    with pytest.raises(DomainError) as refused:
        services.add_criterion(world.admin_a, judged.contest, services.CriterionSettings(**values))
    assert refused.value.field == field


def test_criterion_from_a_preset_scale_through_the_page(client, world, as_user):
    judged = make_contest(world)
    as_user(world.admin_a)
    data = {"name": "Наличие списка литературы", "preset": "present", "step": "1", "weight": "1",
            "nomination_id": str(judged.second.id), "tie_priority": ""}  # fmt: skip
    reply = client.post(f"/contests/{judged.contest.id}/criteria", data=data)
    assert reply.status_code == 302
    criterion = db.session.scalar(sa.select(Criterion).where(Criterion.name.startswith("Наличие")))
    assert (criterion.min_score, criterion.max_score, criterion.nomination_id) == (
        Decimal(0), Decimal(1), judged.second.id,
    )  # fmt: skip


def test_a_bad_criterion_comes_back_with_its_error_and_a_400(client, world, as_user):
    judged = make_contest(world)
    as_user(world.admin_a)
    data = {"name": "Стиль", "preset": "custom", "min_score": "0", "max_score": "4.5",
            "step": "1", "weight": "1", "nomination_id": "0"}  # fmt: skip
    reply = client.post(f"/contests/{judged.contest.id}/criteria", data=data)
    assert reply.status_code == 400
    assert 'id="max_score-error"' in reply.get_data(as_text=True)
    assert db.session.scalar(sa.select(Criterion).where(Criterion.name == "Стиль")) is None


def test_criteria_and_nominations_are_fixed_once_judging_starts(client, world, as_user):
    judged = make_contest(world)
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    as_user(world.admin_a)
    url = f"/contests/{judged.contest.id}/criteria/{judged.criteria[0].id}/delete"
    assert client.post(url).status_code == 409
    nominations = f"/contests/{judged.contest.id}/nominations"
    assert client.post(nominations, data={"title": "X"}).status_code == 409
    assert db.session.get(Criterion, judged.criteria[0].id) is not None


def test_nomination_with_entries_cannot_be_deleted(world):
    judged = make_contest(world)
    submit_entry(world.school_user_a1, judged, judged.first, "Проект")
    with pytest.raises(Conflict):
        services.delete_nomination(world.admin_a, judged.first)
    services.delete_nomination(world.admin_a, judged.second)
    db.session.commit()
    assert db.session.get(Nomination, judged.second.id) is None


def test_jury_takes_only_jury_users_of_the_subtree_and_one_chair(world):
    judged = make_contest(world)
    with pytest.raises(DomainError):
        jury.add_juror(world.admin_a, judged.contest, world.school_user_a1, [])
    with pytest.raises(DomainError):
        jury.add_juror(world.admin_a, judged.contest, world.jury_a, [])  # already there
    jury.update_juror(world.admin_a, judged.jurors[2], [judged.first.id], True)
    assert [j.is_chair for j in judged.jurors] == [False, False, True]
    assert judged.jurors[2].judges(judged.first.id) and not judged.jurors[2].judges(
        judged.second.id
    )


def test_a_juror_who_has_scored_cannot_be_removed(world):

    judged = make_contest(world)
    submit_entry(judged.school_user_a2, judged, judged.first, "Проект")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    (assignment,) = scoring.juror_assignments(judged.users[2], judged.contest)
    marks = {c.id: scoring.Mark("2") for c in scoring.criteria_for(assignment)}
    scoring.save_scores(judged.users[2], assignment, marks, "", complete=False)
    with pytest.raises(Conflict):
        jury.remove_juror(world.admin_a, judged.jurors[2])
    jury.remove_juror(world.admin_a, judged.jurors[1])
    db.session.commit()
    assert len(judged.contest.jurors) == 2
