"""The report page's summary, charts and rounding; the histogram counted by the database."""

import json
import re
from decimal import Decimal

import pytest

from app.accounts.models import Role, User
from app.campaigns import responses
from app.extensions import db
from app.reports import aggregates, figures, histograms, indicators
from tests.conftest import login
from tests.factories import make_org
from tests.monitoring import make_campaign, make_form, one_section, question, response_of

# readers, area (m²), an electronic catalogue — school by school
SCHOOLS = [
    (3, "0,5", "yes"),
    (7, "1,2", "yes"),
    (12, "1,25", "no"),
    (12, "1,5", "no"),
    (25, "2", "no"),
    (40, None, "no"),
]
DEFINITION = one_section(
    "charts",
    question("readers", "integer", "Читателей"),
    question("area", "decimal", "Площадь, м²"),
    question("catalogue", "yesno", "Есть электронный каталог"),
)


def make_charted_campaign(world):
    """Six schools of district A answered (SCHOOLS), a seventh did not; an indicator with a
    norm."""
    form = make_form(world.admin_a, DEFINITION)
    schools = [make_org(f"Школа {n}", parent=world.district_a) for n in range(1, 7)]
    late = make_org("Школа без ответа", parent=world.district_a)
    campaign = make_campaign(world.admin_a, form, [*schools, late])
    for school, (readers, area, catalogue) in zip(schools, SCHOOLS, strict=True):
        user = User(username=f"u-{school.id}", full_name="Б", role=Role.SCHOOL, organization=school)
        db.session.add(user)
        db.session.flush()
        response = response_of(campaign, school)
        answers = {"readers": str(readers), "catalogue": catalogue}
        if area:
            answers["area"] = area
        responses.save_draft(user, response, answers, 0)
        responses.submit(user, response, response.revision)
    indicators.add_indicator(
        world.admin_a, form, key="density", title="Читателей на 1 м²", formula="readers / area",
        threshold=Decimal(10), direction="below",
    )  # fmt: skip
    db.session.commit()
    return campaign


@pytest.fixture
def campaign(world):
    return make_charted_campaign(world)


def charts_of(page: str) -> dict[str, dict]:
    found = re.findall(
        r'<figure class="report-chart[^"]*" data-chart id="chart-([\w-]+)">.*?'
        r'<script type="application/json">(.*?)</script>',
        page,
        re.S,
    )
    return {key: json.loads(data) for key, data in found}


def test_whole_numbers_fall_into_round_intervals():
    assert histograms.bin_plan(Decimal(3), Decimal(40), 6, whole=True) == (0, 10, 5)
    assert histograms.bin_plan(Decimal("0.5"), Decimal(2), 5, whole=False) == (
        Decimal("0.5"),
        Decimal("0.5"),
        4,
    )
    assert histograms.bin_plan(Decimal(7), Decimal(7), 3, whole=True) == (7, 1, 1)
    assert histograms.bin_plan(Decimal(1), Decimal(3), 100, whole=True)[1] == 1
    assert histograms.bin_label(Decimal(10), Decimal(10), whole=True) == "10–19"
    assert histograms.bin_label(Decimal(7), Decimal(1), whole=True) == "7"
    assert histograms.bin_label(Decimal("1.5"), Decimal("0.5"), whole=False) == "1,5–2,0"


def test_the_database_counts_the_schools_in_each_bin(world, campaign):
    counted = figures.Counted(
        aggregates.responses_clause(world.admin_a, campaign, aggregates.ReportFilter())
    )
    found = figures.histogram(
        counted, {"readers": (Decimal(0), Decimal(10)), "area": (Decimal("0.5"), Decimal("0.5"))}
    )
    # 3, 7 | 12, 12 | 25 | — | 40     and    0,5 | 1,2 1,25 | 1,5 | 2,0 (edges go up)
    assert found == {"readers": {0: 2, 1: 2, 2: 1, 4: 1}, "area": {0: 1, 1: 2, 2: 1, 3: 1}}


def test_histograms_keep_empty_bins_and_label_them(world, campaign):
    report = aggregates.campaign_report(world.admin_a, campaign)
    entries = [
        (entry["question"], entry["report"])
        for entry in report["sections"][0]["questions"]
        if entry["report"]["kind"] == "numbers"
    ]
    bins = histograms.histograms(world.admin_a, campaign, entries)
    assert [(b["label"], b["count"]) for b in bins["readers"]] == [
        ("0–9", 2), ("10–19", 2), ("20–29", 1), ("30–39", 0), ("40–49", 1),
    ]  # fmt: skip
    assert [b["count"] for b in bins["area"]] == [1, 2, 1, 1]


def test_the_page_rounds_every_figure_by_the_rule(client, world, campaign):
    login(client, world.admin_a)
    page = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    # readers: n 6, sum 99, mean 16,5 (one decimal from 10 up), median 12,0, min 3, max 40
    assert "<td>6</td><td>99</td><td>16,5</td><td>12,0</td><td>3</td><td>40</td>" in page
    # area: mean 1,29 and median 1,25 (two decimals under 10); the whole maximum has none
    assert "<td>5</td><td>6,45</td><td>1,29</td><td>1,25</td><td>0,50</td><td>2</td>" in page
    assert "33,3 %" in page and "1,290000" not in page and "16,500000" not in page


def test_the_summary_gives_coverage_headlines_and_a_link_to_who_did_not_answer(
    client, world, campaign
):
    login(client, world.admin_a)
    page = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    summary = page[page.index('id="summary"') : page.index('id="report-filters"')]
    assert "Ответили 6 из 7 организаций (85,7 %)" in summary
    assert "status=not_submitted" in summary and "Не ответили: 1" in summary
    # density: 6; 5,83; 9,6; 8; 12,5 — mean 8,39, four of five below 10
    assert "8,39" in summary and "норма 10; ниже нормы: 4 из 5" in summary
    assert "Есть электронный каталог" in summary and "33,3 %" in summary
    assert '<a href="#checks" id="checks-count">Подозрительных значений: 0</a>' in summary


def test_charts_carry_their_data_axes_and_a_summary_for_screen_readers(client, world, campaign):
    login(client, world.admin_a)
    page = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    # without JavaScript no empty chart box, and the tables stay open
    assert page.count('<div class="chart-box d-none">') == 5
    assert page.count('<details class="chart-table d-print-none" open>') == 5
    charts = charts_of(page)
    assert set(charts) == {"completion", "readers", "area", "catalogue", "indicator-density"}
    readers = charts["readers"]
    assert readers["kind"] == "histogram" and readers["values"] == [2, 2, 1, 0, 1]
    assert readers["y_title"] == "Число организаций"
    catalogue = charts["catalogue"]
    assert catalogue["labels"] == ["Да", "Нет"] and catalogue["values"] == [33.3, 66.7]
    assert "Да — 2 (33,3 %)" in catalogue["summary"]
    density = charts["indicator-density"]
    assert density["labels"] == ["Школа 5", "Школа 3", "Школа 4", "Школа 1", "Школа 2"]
    assert density["beyond"] == [False, True, True, True, True]
    assert density["norm"] == {"value": 10.0, "label": "Норма: 10"}
    assert "Ниже нормы: 4 из 5." in density["summary"]


def test_roles_on_the_report_page(app, world, campaign):
    url = f"/reports/campaigns/{campaign.id}"
    expected = {
        "admin_a": 200, "viewer_a": 200, "admin_b": 404, "school_user_a1": 403, "jury_a": 403,
    }  # fmt: skip
    for role, status in expected.items():
        user_client = app.test_client()
        login(user_client, getattr(world, role))
        reply = user_client.get(url)
        assert reply.status_code == status, role
        if role == "viewer_a":
            page = reply.get_data(as_text=True)
            assert 'id="chart-readers"' in page and "Добавить показатель" not in page
