"""Finalized means final, in Chromium: the chair with a sheet of their own still open sees the
jury's progress but no other juror's score; once the results are published staff find no way
to reject an entry (no button, and a crafted POST answers 409); staff reopen the results with
a written reason, and the school's page then says the results are «пересмотрены», with the
date."""

import pytest
from playwright.sync_api import expect

from app.contests import scoring, services, standings
from app.contests.models import Phase
from app.core.timefmt import utc_to_local
from app.db import utcnow
from app.extensions import db
from tests.contests.factory import entries_in_judging, make_contest
from tests.e2e.browser import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def judged(world):
    """Two entries of the first nomination, both scored by the district's juror (4 and 8:
    total 20,00), none by the chair."""
    judged = make_contest(world)
    entry, _staff_entry = entries_in_judging(world, judged, with_a1=False)
    content, design = judged.criteria
    for sheet in scoring.juror_assignments(judged.users[2], judged.contest):
        marks = {content.id: scoring.Mark("4"), design.id: scoring.Mark("8")}
        scoring.save_scores(judged.users[2], sheet, marks, "", complete=True)
    db.session.commit()
    return judged, entry


def _publish(world, judged) -> None:
    """Staff finalize both nominations (the chair's sheets missing, so with a reason) and
    publish the results."""
    standings.finalize(world.admin_a, judged.contest, judged.first, reason="Председатель болен")
    standings.finalize(world.admin_a, judged.contest, judged.second)
    services.move_phase(world.admin_a, judged.contest, Phase.RESULTS)
    services.move_phase(world.admin_a, judged.contest, Phase.PUBLISHED)
    db.session.commit()


def test_final_results_hold_until_staff_reopen_them_and_the_school_sees_they_were_revised(
    new_page, world, judged
):
    judged, entry = judged
    chair = new_page()
    log_in(chair, world.jury_a)
    chair.goto(f"/contests/{judged.contest.id}/results")
    expect(chair.locator("#jury-progress")).to_be_visible()
    expect(chair.locator(".results-table")).to_have_count(0)
    expect(chair.locator("main")).not_to_contain_text("20,00")

    _publish(world, judged)
    staff = new_page()
    staff.on("dialog", lambda dialog: dialog.accept())
    log_in(staff, world.admin_a)
    staff.goto(f"/entries/{entry.id}")
    expect(staff.locator("h1")).to_have_text("Книжный дозор")
    expect(staff.get_by_role("button", name="Отклонить")).to_have_count(0)
    token = staff.locator("input[name=csrf_token]").first.input_value()
    crafted = staff.request.post(
        f"/entries/{entry.id}/reject", form={"csrf_token": token, "reason": "Плагиат"}
    )
    assert crafted.status == 409
    assert "утверждены" in crafted.text()

    staff.goto(f"/contests/{judged.contest.id}/results")
    nomination = staff.locator(f"#nomination-{judged.first.id}")
    nomination.locator("details.reopen summary").click()
    nomination.get_by_role("button", name="Переоткрыть итоги").click()
    nomination = staff.locator(f"#nomination-{judged.first.id}")
    expect(nomination.locator(".invalid-feedback")).to_contain_text("Заполните")
    nomination.get_by_label("Причина переоткрытия итогов").fill("Выявлено заимствование")
    nomination.get_by_role("button", name="Переоткрыть итоги").click()
    expect(staff.locator(".alert-success")).to_contain_text("переоткрыты")
    expect(staff.locator(f"#nomination-{judged.first.id}")).to_contain_text("итоги пересмотрены")

    school = new_page()
    log_in(school, judged.school_user_a2)
    school.goto("/my/contests")
    today = utc_to_local(utcnow()).strftime("%d.%m.%Y")
    revised = school.locator(".results-revised")
    expect(revised).to_contain_text("пересмотрены")
    expect(revised).to_contain_text(today)
    expect(revised).to_contain_text("Выявлено заимствование")
