"""Judging in Chromium: a juror scores the assigned entries with "save and next" and completes
them; staff finalize the nomination and download the jury protocol."""

import re

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.contests.factory import entries_in_judging, make_contest
from tests.e2e.browser import log_in
from tests.e2e.conftest import DOCUMENT_MS

pytestmark = pytest.mark.e2e


@pytest.fixture
def judging(world):
    judged = make_contest(world)
    entries_in_judging(world, judged, with_a1=False)
    return judged


def _score(page, content: str, design: str) -> None:
    inputs = page.locator("#score-form input.score-input")
    expect(inputs).to_have_count(2)
    inputs.nth(0).fill(content)
    inputs.nth(1).fill(design)


def test_juror_scores_with_save_and_next_then_staff_finalize_and_download_the_protocol(
    new_page, world, judging
):
    juror = new_page()
    juror.on("dialog", lambda dialog: dialog.accept())
    log_in(juror, world.jury_a)
    juror.get_by_role("link", name="Жюри", exact=True).click()
    juror.get_by_role("link", name=re.compile("Образовательная экспедиция")).click()
    expect(juror.locator("[data-progress]")).to_have_text("0 из 2")
    contest_url = juror.url
    juror.locator("a[href*='/jury/assignments/']").first.click()
    expect(juror.locator("#sheet-heading")).to_be_visible()
    first_url = juror.url
    _score(juror, "4", "8")
    juror.get_by_role("button", name="Сохранить и к следующей").click()
    expect(juror).not_to_have_url(first_url)
    _score(juror, "3", "6")
    juror.get_by_role("button", name="Завершить оценку").click()
    expect(juror.locator("#sheet-heading")).to_contain_text("Завершено")
    juror.goto(contest_url)
    expect(juror.locator("[data-progress]")).to_have_text("1 из 2")
    juror.goto(first_url)
    expect(juror.locator("#score-form input.score-input").nth(0)).to_have_value("4")
    juror.get_by_role("button", name="Завершить оценку").click()
    juror.goto(contest_url)
    expect(juror.locator("[data-progress]")).to_have_text("2 из 2")

    staff = new_page()
    staff.on("dialog", lambda dialog: dialog.accept())
    log_in(staff, world.admin_a)
    staff.goto(f"/contests/{judging.contest.id}/results")
    nomination = staff.locator(f"#nomination-{judging.first.id}")
    # 4 + 2 × 8 = 20 and 3 + 2 × 6 = 15: one juror each, so the means are their scores
    expect(nomination.locator("tbody tr").first).to_contain_text("20,00")
    # The other jurors have not scored: finalizing anyway needs a reason, which the protocol prints.
    nomination.get_by_role("button", name="Утвердить итоги").click()
    expect(nomination.locator(".invalid-feedback, .text-danger").first).to_be_visible()
    nomination.locator("form.finalize textarea").fill("Эксперт в отъезде")
    nomination.get_by_role("button", name="Утвердить итоги").click()
    expect(nomination).to_contain_text("итоги утверждены")
    with staff.expect_download(timeout=DOCUMENT_MS) as download:
        staff.get_by_role("link", name="Протокол (.docx)").click()
    assert download.value.suggested_filename == f"protocol-{judging.contest.id}.docx"
    document = Document(str(download.value.path()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "20,00" in cells and "15,00" in cells
    assert any("Эксперт в отъезде" in paragraph.text for paragraph in document.paragraphs)
