"""Hostile input on the contest pages is refused (4xx) or ignored, never a 500: query
parameters of every page, numbers of a criterion, ids of jury members."""

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.contests.models import Criterion, Juror
from app.extensions import db
from tests.contests.factory import judging_contest

HOSTILE = st.one_of(
    st.sampled_from(["abc", "-1", "0", "99999999999999999999999", "NaN", "1e400", "²", "\x00",
                     "%", "'", "1;DROP", "\r\nX: y", "{" * 200]),
    st.text(max_size=40),
)  # fmt: skip
PARAMETERS = ("nomination", "status", "q", "phase", "normalised", "page", "per_page")


def _pages(judging) -> list[str]:
    contest = judging.judged.contest.id
    return [
        "/contests/",
        f"/contests/{contest}",
        f"/contests/{contest}/entries",
        f"/contests/{contest}/progress",
        f"/contests/{contest}/results",
        f"/entries/{judging.entry.id}",
    ]


def test_query_parameters_of_the_contest_pages_never_break_them(client, world, as_user):
    judging = judging_contest(world)
    as_user(world.admin_a)
    pages = _pages(judging)

    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(st.sampled_from(pages), st.dictionaries(st.sampled_from(PARAMETERS), HOSTILE))
    def visit(page, query):
        assert client.get(page, query_string=query).status_code < 500, (page, query)

    visit()


@pytest.mark.parametrize(
    "numbers",
    [
        {"min_score": "NaN", "max_score": "5"},
        {"min_score": "0", "max_score": "1e30"},
        {"min_score": "0", "max_score": "Infinity"},
        {"min_score": "-1e30", "max_score": "5"},
        {"min_score": "0", "max_score": "5", "weight": "1e30"},
        {"min_score": "0", "max_score": "5", "weight": "NaN"},
        {"min_score": "0", "max_score": "5", "weight": "-Infinity"},
    ],
)
def test_a_criterion_with_numbers_out_of_any_scale_is_refused(world, as_user, numbers):
    judging = judging_contest(world)
    contest = judging.judged.contest
    contest.phase = "accepting"  # criteria change during setup
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count(Criterion.id)))
    client = as_user(world.admin_a)
    data = {"name": "Новизна", "preset": "custom", "step": "1", "weight": "1",
            "nomination_id": "0", **numbers}  # fmt: skip
    assert client.post(f"/contests/{contest.id}/criteria", data=data).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Criterion.id))) == before


@pytest.mark.parametrize("user_id", ["99999999999999999999", "-5", "abc", "²"])
def test_a_jury_member_who_is_no_candidate_is_refused(world, as_user, user_id):
    judging = judging_contest(world)
    contest = judging.judged.contest
    before = db.session.scalar(sa.select(sa.func.count(Juror.id)))
    client = as_user(world.admin_a)
    reply = client.post(f"/contests/{contest.id}/jurors", data={"user_id": user_id})
    assert reply.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Juror.id))) == before
