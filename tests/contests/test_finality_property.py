"""The property behind "finalized means final": whatever sequence of actions staff, schools and
jurors try against a finalized nomination (before or after publication), its results as
``standings`` computes them stay the same and every refusal is a 409 with a Russian message;
only an audited reopen lets them change."""

import re
from decimal import Decimal
from itertools import count

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.contests import assignment, entries, jury, scoring, services, standings
from app.contests.models import Phase
from app.core.errors import DomainError
from app.extensions import db
from tests.contests.factory import entries_in_judging, make_contest
from tests.factories import make_user

ACTIONS = (
    "reject", "withdraw", "reopen_entry", "conflict", "score", "remove_juror", "assign",
    "update_criterion", "delete_criterion", "add_criterion", "result_rules", "accept_entries",
)  # fmt: skip
CYRILLIC = re.compile("[А-Яа-яЁё]")
NEWCOMERS = count()


def _figures(judged) -> tuple:
    found = standings.standing(judged.contest, judged.first)
    return found.result.held, tuple(
        (
            e.entry_id,
            e.total,
            e.place,
            e.title,
            e.jurors,
            e.assigned,
            tuple(sorted(e.means.items())),
        )
        for e in found.result.entries
    )


def _prepare(world, published: bool):
    """Three entries; the chair and the juror of school A1 score all theirs, the third juror
    all but entry 3; the first nomination finalized with that reason."""
    judged = make_contest(world)
    found = entries_in_judging(world, judged)
    for user, skip in ((judged.users[0], None), (judged.users[1], None), (judged.users[2], 3)):
        for sheet in scoring.juror_assignments(user, judged.contest):
            if sheet.entry.number != skip:
                marks = {c.id: scoring.Mark(str(sheet.entry.number)) for c in judged.criteria}
                scoring.save_scores(user, sheet, marks, "", complete=True)
    standings.finalize(world.admin_a, judged.contest, judged.first, reason="Эксперт заболел")
    if published:
        standings.finalize(world.admin_a, judged.contest, judged.second)
        services.move_phase(world.admin_a, judged.contest, Phase.RESULTS)
        services.move_phase(world.admin_a, judged.contest, Phase.PUBLISHED)
    db.session.commit()
    return judged, found


def _act(world, judged, found, action: str, index: int) -> None:
    """Tries one action on the finalized nomination; each target picked by ``index``."""
    admin, entry = world.admin_a, found[index]
    criterion = judged.criteria[index % 2]
    if action == "reject":
        entries.reject(admin, entry, "Нарушение положения")
    elif action == "withdraw":
        entries.withdraw(admin, entry)
    elif action == "reopen_entry":
        entries.reopen(admin, entry)
    elif action in ("conflict", "score"):
        juror = judged.users[2]
        (sheet,) = [
            a
            for a in db.session.scalars(sa.select(assignment.Assignment))
            if a.entry_id == entry.id and a.juror.user_id == juror.id
        ]
        if action == "conflict":
            assignment.declare_conflict(juror, sheet, "Родственник участника")
        else:
            marks = {c.id: scoring.Mark("0") for c in judged.criteria}
            scoring.save_scores(juror, sheet, marks, "", complete=True)
    elif action == "remove_juror":
        jury.remove_juror(admin, judged.jurors[index])
    elif action == "assign":  # a new juror, then whatever the entries lack is assigned
        newcomer = make_user(Role.JURY, world.district_a, f"jury-new-{next(NEWCOMERS)}")
        jury.add_juror(admin, judged.contest, newcomer, [])
        assignment.assign_entries(judged.contest)
    elif action == "update_criterion":
        changed = services.CriterionSettings(criterion.name, criterion.max_score * 2,
                                             weight=Decimal(3))  # fmt: skip
        services.update_criterion(admin, criterion, changed)
    elif action == "delete_criterion":
        services.delete_criterion(admin, criterion)
    elif action == "add_criterion":
        added = services.CriterionSettings("Новизна", Decimal(5), nomination_id=judged.first.id)
        services.add_criterion(admin, judged.contest, added)
    elif action == "result_rules":
        contest = judged.contest
        names = [n for n in services.ContestSettings.__dataclass_fields__ if n != "eligible_ids"]
        changed = services.ContestSettings(**{n: getattr(contest, n) for n in names})
        changed.min_entries, changed.laureates = 5, 2
        services.update_contest(admin, contest, changed)
    elif action == "accept_entries":
        services.move_phase(admin, judged.contest, Phase.ACCEPTING)


@pytest.mark.parametrize("published", [False, True], ids=["finalized", "published"])
def test_no_action_but_an_audited_reopen_changes_finalized_results(world, published):
    judged, found = _prepare(world, published)
    before = _figures(judged)

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 2)), max_size=6))
    def tried(steps):
        for action, index in steps:
            try:
                _act(world, judged, found, action, index)
            except DomainError as refused:
                assert refused.status_code == 409, (action, refused.message)
                assert CYRILLIC.search(str(refused.message)), refused.message
            else:
                assert action == "assign", f"{action} was not refused"
            assert _figures(judged) == before, action
            db.session.rollback()

    tried()
    # the one way: staff reopen with a reason (logged), then the same reject changes the results
    standings.reopen(world.admin_a, judged.contest, judged.first, "Выявлено заимствование",
                     standings.Links("/", "/"))  # fmt: skip
    entries.reject(world.admin_a, found[2], "Заимствование")
    assert _figures(judged) != before
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "reopen_results"))
    assert event.after["reason"] == "Выявлено заимствование"
    assert event.actor_id == world.admin_a.id
