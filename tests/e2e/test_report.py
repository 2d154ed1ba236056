"""The report page in Chromium: a filter applied, charts drawn, an export downloaded."""

import re

import pytest
from playwright.sync_api import expect

from app.campaigns import responses
from app.extensions import db
from tests.e2e.browser import log_in
from tests.e2e.builder_steps import screenshots
from tests.e2e.conftest import ARTIFACTS, DOCUMENT_MS
from tests.e2e.test_accessibility import AXE, violations
from tests.factories import PASSWORD
from tests.monitoring import make_campaign, make_form, response_of
from tests.reports.test_report_charts import make_charted_campaign

pytestmark = pytest.mark.e2e

# What a reader sees of a chart, read from its Chart.js instance (the canvas has no DOM).
CHART = """(id) => {
  const canvas = document.querySelector(`#chart-${id} canvas`);
  const chart = Chart.getChart(canvas);
  const horizontal = chart.options.indexAxis === "y";
  const [index, value] = horizontal ? ["y", "x"] : ["x", "y"];
  const ticks = (axis) => chart.scales[axis].ticks.map((tick) => String(tick.label));
  return {
    role: canvas.getAttribute("role"),
    aria: canvas.getAttribute("aria-label"),
    width: canvas.getBoundingClientRect().width,
    x_title: chart.options.scales.x.title.text,
    y_title: chart.options.scales.y.title.text,
    title_shown: chart.options.scales[value].title.display,
    categories: ticks(index),
    value_ticks: ticks(value),
    datasets: chart.data.datasets.map((set) => set.label),
    dashes: chart.data.datasets.map((set) => set.borderDash || null),
    colors: chart.data.datasets.map((set) => set.backgroundColor || null),
    values: chart.data.datasets.map((set) => set.data),
    legend: chart.options.plugins.legend.display,
    tooltip: chart.options.plugins.tooltip.callbacks.label.call(chart.tooltip,
      {parsed: {x: 8.386, y: 8.386}, dataset: chart.data.datasets[0], dataIndex: 0}),
  };
}"""


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
    expect(page.locator("#chart-has_internet canvas")).to_be_visible()
    shares = page.evaluate(CHART, "has_internet")
    assert shares["values"] == [[100, 0]] and shares["x_title"] == "Процент ответивших"
    page.get_by_label("Населённый пункт").select_option("с. Маар")
    page.get_by_role("button", name="Применить").click()
    expect(page).to_have_url(re.compile(r"locality="))
    expect(page.locator("#summary")).to_contain_text("Ответили 0 из 1")
    page.get_by_label("Населённый пункт").select_option("")
    page.get_by_label("Разбить вопрос").select_option("has_internet")
    page.get_by_role("button", name="Применить").click()
    expect(page.locator("#breakdown-table")).to_contain_text("г. Нюрба")
    page.get_by_role("button", name="Исходные данные (.xlsx)").click()
    expect(page.locator("#export-job [data-export-download]")).to_be_visible()
    with page.expect_download(timeout=DOCUMENT_MS) as download:
        page.locator("#export-job [data-export-download]").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_charts_have_axes_labels_the_norm_and_a_table_opened_by_keyboard(page, world):
    campaign = make_charted_campaign(world)
    page.context.add_init_script(path=str(AXE))
    log_in(page, world.admin_a)
    page.goto(f"/reports/campaigns/{campaign.id}")
    expect(page.locator("#chart-readers canvas")).to_be_visible()
    assert violations(page) == []

    histogram = page.evaluate(CHART, "readers")
    assert histogram["role"] == "img" and "Гистограмма: Читателей" in histogram["aria"]
    assert histogram["x_title"] == "Ответ, интервалы значений"
    assert histogram["y_title"] == "Число организаций" and histogram["title_shown"]
    assert histogram["categories"] == ["0–9", "10–19", "20–29", "30–39", "40–49"]
    assert histogram["value_ticks"][:3] == ["0", "1", "2"]
    assert histogram["values"] == [[2, 2, 1, 0, 1]]

    density = page.evaluate(CHART, "indicator-density")
    assert density["x_title"] == "Читателей на 1 м²"
    assert density["categories"][0] == "Школа 5" and density["categories"][-1] == "Школа 2"
    assert density["datasets"] == ["В пределах нормы", "Ниже нормы", "Норма: 10"]
    assert density["dashes"][2] == [6, 4] and density["legend"]
    assert density["colors"][1] != density["colors"][0]
    assert density["tooltip"] == "В пределах нормы: 8,39"  # Russian decimals, two places

    shares = page.evaluate(CHART, "catalogue")
    assert shares["categories"] == ["Да", "Нет"] and shares["value_ticks"][-1] == "100"
    assert shares["tooltip"] == "2 (8,4 %)"

    table = page.locator("#chart-readers details.chart-table")
    expect(table.locator("table")).to_be_hidden()
    summary = table.locator("summary")
    page.locator("#report-readers h3").click()
    for _ in range(10):
        page.keyboard.press("Tab")
        if summary.evaluate("(node) => node === document.activeElement"):
            break
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(table.locator("table")).to_be_visible()
    expect(table.locator("table")).to_contain_text("40–49")

    expect(page.locator("#summary")).to_contain_text("Ответили 6 из 7 организаций (85,7 %)")
    screenshots(page, "report-charts")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(  # Chart.js redraws for the new width on its resize observer
        "() => document.querySelector('#chart-indicator-density canvas')"
        ".getBoundingClientRect().width <= 390"
    )
    assert violations(page) == []
    page.set_viewport_size({"width": 1366, "height": 900})
    page.pdf(path=str(ARTIFACTS / "screens" / "report-charts-print.pdf"), format="A4")
