"""The report page in Chromium: a filter applied, charts drawn, an export downloaded."""

import re

import pytest
from playwright.sync_api import expect

from app.campaigns import responses
from app.extensions import db
from tests.factories import PASSWORD
from tests.monitoring import make_campaign, make_form, response_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def campaign(world):
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    response = response_of(campaign, world.school_a1)
    answers = {"has_internet": "yes", "internet_speed": "20", "zones": ["reading"]}
    responses.save_draft(world.school_user_a1, response, answers, 0)
    responses.submit(world.school_user_a1, response, response.revision)
    db.session.commit()
    return campaign


def test_report_with_a_locality_filter_and_charts(page, world, campaign):
    page.goto("/login")
    page.locator("input[name=login]").fill(world.admin_a.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.goto(f"/reports/campaigns/{campaign.id}")
    expect(page.locator("#report-has_internet svg.chart-bar").first).to_be_visible()
    bar = page.locator("#report-has_internet svg.chart-bar rect.chart-value").first
    assert float(bar.get_attribute("width")) == pytest.approx(100)
    page.get_by_label("Населённый пункт").select_option("с. Маар")
    page.get_by_role("button", name="Применить").click()
    expect(page).to_have_url(re.compile(r"locality="))
    expect(page.locator("#completion")).to_contain_text("Ответили 0 из 1")
    page.get_by_label("Населённый пункт").select_option("")
    page.get_by_label("Разбить вопрос").select_option("has_internet")
    page.get_by_role("button", name="Применить").click()
    expect(page.locator("#breakdown-table")).to_contain_text("г. Нюрба")
    page.get_by_role("button", name="Исходные данные (.xlsx)").click()
    expect(page.locator("#export-job [data-export-download]")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#export-job [data-export-download]").click()
    assert download.value.suggested_filename.endswith(".xlsx")
