"""The first view of a large campaign's filter: computed on the queue while the page says so,
once however many people open it, and shown when stored; a failure says so and offers to try
again. Small campaigns are computed inside the request as before."""

import logging
import re

import pytest

from app.extensions import db
from app.reports import aggregates, cache, first_view, jobs
from tests.conftest import run_queued
from tests.reports.test_report_cache import _campaign, _entries, _fresh, _page, _stored

COMPUTING = "Показатели считаются по 1 анкете"


@pytest.fixture
def large(app, monkeypatch):
    """Every campaign counting more than one response is large."""
    monkeypatch.setitem(app.config, "REPORT_SYNC_RESPONSES", 0)


def _status(client, campaign, query="") -> dict:
    reply = client.get(f"/reports/campaigns/{campaign.id}/figures.json{query}")
    assert reply.status_code == 200
    return reply.get_json()


def test_the_first_view_of_a_large_campaign_is_computed_on_the_queue(world, as_user, large, queue):
    campaign = _campaign(world)
    client = as_user(world.admin_a)
    page = _page(client, campaign)
    assert COMPUTING in page and "Отчёт откроется на этой странице сам" in page
    assert "Ответили" not in page and "Цифры подсчитаны" not in page
    assert _entries(campaign) == []
    assert _status(client, campaign)["status"] == "pending"

    assert run_queued() == ["compute_report_figures"]
    state = _status(client, campaign)
    assert state["status"] == "ready" and state["current"] and state["computed_at"]
    page = _page(client, campaign)
    assert "1 из 2" in page and "Цифры подсчитаны" in page and COMPUTING not in page
    [entry] = _entries(campaign)
    assert _stored(entry, campaign) == _fresh(world.admin_a, campaign)


def test_many_viewers_of_one_uncomputed_filter_queue_one_computation(
    world, as_user, client, large, queue
):
    campaign = _campaign(world)
    assert COMPUTING in _page(as_user(world.admin_a), campaign)
    assert _status(client, campaign)["status"] == "pending"
    client.post("/logout")
    viewer = as_user(world.viewer_a)  # the same district: the same figures
    assert COMPUTING in _page(viewer, campaign)
    assert _status(viewer, campaign)["status"] == "pending"
    assert run_queued() == ["compute_report_figures"]
    assert "1 из 2" in _page(viewer, campaign)


def test_each_filter_is_computed_on_its_own(world, as_user, large, queue):
    campaign = _campaign(world)
    client = as_user(world.admin_a)
    _page(client, campaign)
    locality = "?locality=г.+Нюрба"
    assert COMPUTING in _page(client, campaign, locality)
    assert len(run_queued()) == 2
    assert _status(client, campaign, locality)["status"] == "ready"
    assert "1 из 1" in _page(client, campaign, locality)


def test_a_failed_computation_says_so_and_can_be_tried_again(world, as_user, large, queue, caplog):
    campaign = _campaign(world)
    client = as_user(world.admin_a)
    _page(client, campaign)
    jobs.huey.flush()  # the queued task is lost; one with a filter that cannot be read fails
    key = cache.request_key(world.admin_a, aggregates.ReportFilter(), cache.Request())
    broken = {"filter": {"no such field": 1}, "page": 1, "breakdown": "", "by": ""}
    with caplog.at_level(logging.ERROR, logger="app.reports.first_view"):
        jobs.compute_report_figures.call_local(campaign.id, world.admin_a.id, broken, key)
    assert "could not compute the report figures" in caplog.text

    assert _status(client, campaign)["status"] == "failed"
    page = _page(client, campaign)
    assert "Показатели не удалось посчитать" in page and "Попробовать ещё раз" in page
    assert COMPUTING not in page

    reply = client.post(f"/reports/campaigns/{campaign.id}/figures")
    assert reply.status_code == 302
    assert reply.headers["Location"].endswith(f"/reports/campaigns/{campaign.id}")
    assert _status(client, campaign)["status"] == "pending"
    assert run_queued() == ["compute_report_figures"]
    assert "1 из 2" in _page(client, campaign)


def test_a_small_campaign_is_computed_in_the_request(world, as_user, queue):
    campaign = _campaign(world)
    client = as_user(world.admin_a)
    page = _page(client, campaign)
    assert "1 из 2" in page and COMPUTING not in page
    assert run_queued() == []
    assert _status(client, campaign)["status"] == "ready"


def test_with_an_immediate_queue_the_first_view_shows_the_figures(world, as_user, large):
    campaign = _campaign(world)
    assert "1 из 2" in _page(as_user(world.admin_a), campaign)


def test_the_pending_page_polls_and_falls_back_to_a_refresh(world, as_user, large, queue):
    campaign = _campaign(world)
    html = as_user(world.admin_a).get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    assert 'id="figures-pending"' in html and 'data-status="pending"' in html
    assert f'data-status-url="/reports/campaigns/{campaign.id}/figures.json' in html
    assert "js/report-status.js" in html
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', html)


def test_the_stale_notice_polls_for_the_newer_figures(world, as_user, queue):
    campaign = _campaign(world)
    client = as_user(world.admin_a)
    _page(client, campaign)
    [entry] = _entries(campaign)
    entry.revision = "older"
    db.session.commit()
    shown = entry.computed_at.isoformat()
    html = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    assert "новые ответы подсчитываются" in html
    assert f'data-computed-at="{shown}"' in html
    assert "data-figures-newer" in html and "Показать обновлённые показатели" in html
    state = _status(client, campaign)
    assert state == {"status": "ready", "computed_at": shown, "current": False}

    run_queued()
    jobs.refresh_reports.call_local(campaign.id)
    state = _status(client, campaign)
    assert state["current"] and state["computed_at"] > shown


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("admin_a", 200),
        ("viewer_a", 200),
        ("region_admin", 200),
        ("admin_b", 404),
        ("school_user_a1", 403),
        ("jury_a", 403),
    ],
)
def test_the_status_obeys_the_report_pages_permissions(world, as_user, large, queue, user, status):
    campaign = _campaign(world)
    client = as_user(getattr(world, user))
    assert client.get(f"/reports/campaigns/{campaign.id}").status_code == status
    reply = client.get(f"/reports/campaigns/{campaign.id}/figures.json")
    assert reply.status_code == status
    retry = client.post(f"/reports/campaigns/{campaign.id}/figures")
    assert retry.status_code == (302 if status == 200 else status)
    if status != 200:
        assert run_queued() == []


def test_the_count_is_of_the_responses_the_filter_counts(world):
    campaign = _campaign(world)
    counted = first_view.counted_responses(world.admin_a, campaign, aggregates.ReportFilter())
    assert counted == 1
    assert first_view.counted_responses(world.admin_b, campaign, aggregates.ReportFilter()) == 0
