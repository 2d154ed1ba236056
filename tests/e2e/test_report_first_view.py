"""A large campaign's report in Chromium: the page waiting for its first figures turns into the
report by itself, and the notice of older figures offers the newer ones once counted."""

import pytest
from playwright.sync_api import expect

from app.campaigns import responses
from app.extensions import db
from app.reports import jobs
from tests.conftest import run_queued
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import screenshots
from tests.monitoring import make_campaign, make_form, response_of

pytestmark = pytest.mark.e2e


def _submit(user, campaign, school, answers):
    response = response_of(campaign, school)
    responses.save_draft(user, response, answers, response.revision)
    responses.submit(user, response, response.revision)
    db.session.commit()


@pytest.fixture
def campaign(world, server_app, monkeypatch):
    monkeypatch.setitem(server_app.config, "REPORT_SYNC_RESPONSES", 0)  # every campaign is large
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    answers = {"has_internet": "yes", "internet_speed": "20", "zones": ["reading"]}
    _submit(world.school_user_a1, campaign, world.school_a1, answers)
    return campaign


def test_the_pending_report_opens_by_itself_and_offers_newer_figures(page, world, campaign, queue):
    log_in(page, world.admin_a)
    page.goto(f"/reports/campaigns/{campaign.id}")
    pending = page.locator("#figures-pending")
    expect(pending).to_contain_text("Показатели считаются по 1 анкете")
    screenshots(page, "report-pending")

    assert run_queued() == ["compute_report_figures"]
    expect(page.locator("#summary")).to_contain_text("Ответили 1 из 2")
    expect(pending).to_have_count(0)

    second = world.school_user_a1.__class__(
        username="school-a2", full_name="Школа А2", role="school", organization=world.school_a2
    )
    db.session.add(second)
    _submit(second, campaign, world.school_a2, {"has_internet": "no"})
    page.reload()
    notice = page.locator("#figures-time")
    expect(notice).to_contain_text("новые ответы подсчитываются")
    newer = notice.get_by_role("link", name="Показать обновлённые показатели")
    expect(newer).to_be_hidden()
    screenshots(page, "report-stale")

    jobs.refresh_reports.call_local(campaign.id)
    expect(newer).to_be_visible()
    expect(notice).to_contain_text("обновлённые уже готовы")
    expect(page.locator("#summary")).to_contain_text("Ответили 1 из 2")  # not reloaded
    screenshots(page, "report-newer-figures")
    newer.click()
    expect(page.locator("#summary")).to_contain_text("Ответили 2 из 2")
    expect(page.locator("#figures-time")).to_contain_text("Цифры подсчитаны")
