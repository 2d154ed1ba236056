"""The report page's figures kept per campaign, filter and scope, and how they come to be
recomputed when the answers change."""

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.campaigns import responses
from app.campaigns.models import Answer, Response
from app.extensions import db
from app.reports import aggregates, cache, indicators, jobs, revisions
from app.reports.models import CheckedValue, ReportCache
from tests.monitoring import make_campaign, make_form, response_of

ANSWERS_A1 = {
    "has_internet": "yes",
    "internet_speed": "20",
    "zones": ["reading", "media"],
    "staff": [{"full_name": "Иванова", "rate": "0.5"}],
}


def _school_user(world, organization, name):
    user = world.school_user_a1.__class__(
        username=name, full_name=name, role="school", organization=organization
    )
    db.session.add(user)
    db.session.flush()
    return user


def _submit(user, response, answers):
    responses.save_draft(user, response, answers, response.revision)
    responses.submit(user, response, response.revision)
    db.session.commit()


def _campaign(world, schools=None):
    form = make_form(world.admin_a)
    schools = schools or [world.school_a1, world.school_a2]
    campaign = make_campaign(world.admin_a, form, schools)
    _submit(world.school_user_a1, response_of(campaign, world.school_a1), ANSWERS_A1)
    return campaign


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _page(client, campaign, query="") -> str:
    reply = client.get(f"/reports/campaigns/{campaign.id}{query}")
    assert reply.status_code == 200
    return _text(reply.get_data(as_text=True))


def _entries(campaign) -> list[ReportCache]:
    db.session.expire_all()
    statement = sa.select(ReportCache).where(ReportCache.campaign_id == campaign.id)
    return list(db.session.scalars(statement.order_by(ReportCache.id)))


def _fresh(viewer, campaign, report_filter=None, request=None) -> str:
    """The figures computed now, in the cache's encoding (so they compare with a payload)."""
    figures = cache.compute(
        viewer, campaign, report_filter or aggregates.ReportFilter(), request or cache.Request()
    )
    return cache.encode(figures)


def _stored(entry, campaign) -> str:
    return cache.encode(cache.decode(entry.payload, campaign))


@pytest.fixture
def queued(monkeypatch):
    """Recomputations asked for, by campaign id, instead of running them."""
    asked = []
    monkeypatch.setattr(cache, "schedule_refresh", asked.append)
    return asked


def test_the_first_view_stores_figures_equal_to_a_fresh_computation(world, as_user):
    campaign = _campaign(world)
    page = _page(as_user(world.admin_a), campaign)
    assert "1 из 2" in page
    assert re.search(r"Цифры подсчитаны \d\d\.\d\d\.\d{4} \d\d:\d\d", page)
    [entry] = _entries(campaign)
    assert entry.revision == revisions.revision_of(campaign)
    assert entry.scope == f"tree:{world.district_a.path}"
    assert _stored(entry, campaign) == _fresh(world.admin_a, campaign)
    report = cache.decode(entry.payload, campaign)["report"]
    speed = next(
        q["report"]
        for s in report["sections"]
        for q in s["questions"]
        if q["question"]["key"] == "internet_speed"
    )
    assert speed["sum"] == Decimal("20") and isinstance(speed["sum"], Decimal)


def test_a_second_view_is_served_from_the_cache(world, as_user, monkeypatch):
    campaign = _campaign(world)
    client = as_user(world.admin_a)
    first = _page(client, campaign)

    def refuse(*_args, **_kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(cache, "compute", refuse)
    second = _page(client, campaign)
    assert second == first
    assert len(_entries(campaign)) == 1


def test_each_filter_page_and_breakdown_has_its_own_entry(world, as_user):
    campaign = _campaign(world)
    client = as_user(world.admin_a)
    _page(client, campaign)
    _page(client, campaign, "?locality=с. Маар")
    _page(client, campaign, "?breakdown=has_internet&by=locality")
    entries = _entries(campaign)
    assert len(entries) == 3
    by_locality = next(e for e in entries if e.request["filter"]["locality"])
    stored = cache.decode(by_locality.payload, campaign)
    assert stored["report"]["completion"]["total"] == 1  # only the school of Маар
    with_breakdown = next(e for e in entries if e.request["breakdown"])
    rows = cache.decode(with_breakdown.payload, campaign)["cross"]
    assert [row["label"] for row in rows] == ["г. Нюрба"]


def test_an_autosaved_draft_changes_nothing_the_report_counts(world):
    campaign = _campaign(world)
    before = revisions.revision_of(campaign)
    second = response_of(campaign, world.school_a2)
    user = _school_user(world, world.school_a2, "school-a2")
    responses.save_draft(user, second, {"has_internet": "no"}, second.revision)
    db.session.commit()
    responses.save_draft(user, second, {"has_internet": "yes"}, second.revision)
    db.session.commit()
    # the first save started the response (a status change); the second touched only its data
    started = revisions.revision_of(campaign)
    assert started != before
    responses.save_draft(user, second, {"has_internet": "no"}, second.revision)
    db.session.commit()
    assert revisions.revision_of(campaign) == started


def test_submitting_returning_and_moving_change_the_revision(world):
    campaign = _campaign(world)
    seen = {revisions.revision_of(campaign)}

    def changed() -> bool:
        db.session.commit()
        revision = revisions.revision_of(campaign)
        new = revision not in seen
        seen.add(revision)
        return new

    second = response_of(campaign, world.school_a2)
    _submit(_school_user(world, world.school_a2, "school-a2"), second, {"has_internet": "no"})
    assert changed()
    responses.return_for_revision(world.admin_a, second, "Проверьте", {})
    assert changed()
    world.school_a2.locality = "с. Хатын-Сысы"
    assert changed()
    indicators.add_indicator(
        world.admin_a, campaign.form_version.form, key="speed", title="Скорость",
        formula="internet_speed",
    )  # fmt: skip
    assert changed()
    first = response_of(campaign, world.school_a1)
    db.session.add(CheckedValue(campaign_id=campaign.id, response_id=first.id, key="x", value="1"))
    assert changed()
    db.session.execute(sa.delete(Answer).where(Answer.response_id == first.id))
    assert changed()


def test_a_change_to_another_campaign_leaves_this_one_current(world):
    campaign = _campaign(world)
    other = make_campaign(
        world.admin_a, campaign.form_version.form, [world.school_a2], title="Другой"
    )
    before = revisions.revision_of(campaign)
    user = _school_user(world, world.school_a2, "school-a2")
    _submit(user, response_of(other, world.school_a2), {"has_internet": "no"})
    assert revisions.revision_of(campaign) == before


def test_statements_bypassing_the_flush_change_the_revisions_they_touch(world):
    campaign = _campaign(world)
    other = make_campaign(
        world.admin_a, campaign.form_version.form, [world.school_a2], title="Другой"
    )
    first = response_of(campaign, world.school_a1)
    before, other_before = revisions.revision_of(campaign), revisions.revision_of(other)
    db.session.execute(
        sa.insert(Answer), [{"response_id": first.id, "question_key": "has_internet"}]
    )
    db.session.commit()
    assert revisions.revision_of(campaign) != before
    assert revisions.revision_of(other) == other_before  # its campaign was read off the rows
    before = revisions.revision_of(campaign)
    db.session.execute(
        sa.update(Response).where(Response.status == "draft").values(visited_on=None)
    )
    db.session.commit()  # which campaigns is not known: every revision moves
    assert revisions.revision_of(campaign) != before
    assert revisions.revision_of(other) != other_before


def test_newer_answers_are_counted_in_the_background(world, as_user, queued):
    campaign = _campaign(world)
    client = as_user(world.admin_a)
    assert "1 из 2" in _page(client, campaign)
    user = _school_user(world, world.school_a2, "school-a2")
    _submit(user, response_of(campaign, world.school_a2), {"has_internet": "no"})
    assert campaign.id in queued  # the commit asked for a recomputation

    stale = _page(client, campaign)
    assert "1 из 2" in stale  # the figures kept, at once
    assert re.search(r"Цифры на \d\d\.\d\d\.\d{4} \d\d:\d\d; новые ответы подсчитываются", stale)
    assert "Цифры подсчитаны" not in stale

    jobs.refresh_reports.call_local(campaign.id)
    current = _page(client, campaign)
    assert "2 из 2" in current
    assert "Цифры подсчитаны" in current and "подсчитываются" not in current
    [entry] = _entries(campaign)
    assert entry.revision == revisions.revision_of(campaign)
    assert _stored(entry, campaign) == _fresh(world.admin_a, campaign)


def test_with_an_immediate_queue_the_next_view_is_current(world, as_user):
    campaign = _campaign(world)
    client = as_user(world.admin_a)
    assert "1 из 2" in _page(client, campaign)
    user = _school_user(world, world.school_a2, "school-a2")
    _submit(user, response_of(campaign, world.school_a2), {"has_internet": "no"})
    page = _page(client, campaign)
    assert "2 из 2" in page and "подсчитываются" not in page


def test_a_returned_response_leaves_the_counted_figures(world, as_user, queued):
    campaign = _campaign(world)
    client = as_user(world.admin_a)
    assert "1 из 2" in _page(client, campaign)
    responses.return_for_revision(
        world.admin_a, response_of(campaign, world.school_a1), "Исправьте скорость", {}
    )
    db.session.commit()
    assert "подсчитываются" in _page(client, campaign)
    jobs.refresh_reports.call_local(campaign.id)
    page = _page(client, campaign)
    assert "0 из 2" in page
    [entry] = _entries(campaign)
    assert _stored(entry, campaign) == _fresh(world.admin_a, campaign)


def test_a_burst_of_changes_queues_one_recomputation(world, monkeypatch):
    campaign = _campaign(world)
    scheduled = []
    monkeypatch.setattr(jobs.huey, "immediate", False)
    monkeypatch.setattr(cache, "_claim", lambda _campaign_id: True)
    monkeypatch.setattr(
        jobs.refresh_reports, "schedule", lambda args, delay: scheduled.append((args, delay))
    )
    monkeypatch.setattr(cache, "_queued", {})
    for _save in range(62):
        cache.schedule_refresh(campaign.id)
    assert scheduled == [((campaign.id,), cache.REFRESH_DELAY)]


def test_a_queued_recomputation_is_not_queued_twice(world):
    campaign = _campaign(world)
    jobs.huey.get(cache._claim_key(campaign.id))
    assert cache._claim(campaign.id)
    assert not cache._claim(campaign.id)
    cache.refresh(campaign.id)  # the task frees the claim as it starts
    assert cache._claim(campaign.id)
    jobs.huey.get(cache._claim_key(campaign.id))


def _moved_to_district_b(world, campaign):
    """School A2 answered, then moved to district B: district A no longer sees it."""
    user = _school_user(world, world.school_a2, "school-a2")
    _submit(user, response_of(campaign, world.school_a2), {"has_internet": "no"})
    world.school_a2.parent = world.district_b
    world.school_a2.path = f"{world.district_b.path}{world.school_a2.id}/"
    db.session.commit()


def test_scopes_never_share_an_entry(world, as_user, queued):
    campaign = _campaign(world)
    _moved_to_district_b(world, campaign)
    client = as_user(world.region_admin)
    assert "2 из 2" in _page(client, campaign)
    client.post("/logout")
    district_page = _page(as_user(world.admin_a), campaign)
    assert "1 из 1" in district_page
    assert "Маарская" not in district_page
    entries = _entries(campaign)
    assert {e.scope for e in entries} == {
        f"tree:{world.region.path}",
        f"tree:{world.district_a.path}",
    }
    for entry, viewer in zip(entries, (world.region_admin, world.admin_a), strict=True):
        assert _stored(entry, campaign) == _fresh(viewer, campaign)
    client.post("/logout")
    assert "1 из 1" in _page(as_user(world.viewer_a), campaign)  # the district's entry
    assert len(_entries(campaign)) == 2


def test_a_move_out_of_the_scope_is_counted_again(world, as_user, queued):
    campaign = _campaign(world)
    user = _school_user(world, world.school_a2, "school-a2")
    _submit(user, response_of(campaign, world.school_a2), {"has_internet": "no"})
    assert "2 из 2" in _page(as_user(world.admin_a), campaign)
    world.school_a2.parent = world.district_b
    world.school_a2.path = f"{world.district_b.path}{world.school_a2.id}/"
    db.session.commit()
    assert cache.refresh(campaign.id) == 1
    [entry] = _entries(campaign)
    assert _stored(entry, campaign) == _fresh(world.admin_a, campaign)
    assert cache.decode(entry.payload, campaign)["report"]["completion"]["total"] == 1
    assert cache.refresh(campaign.id) == 0  # nothing changed since


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
def test_every_role_meets_the_same_permissions_with_a_cache(world, as_user, client, user, status):
    campaign = _campaign(world)
    _page(as_user(world.admin_a), campaign)  # an entry exists
    client.post("/logout")
    reply = as_user(getattr(world, user)).get(f"/reports/campaigns/{campaign.id}")
    assert reply.status_code == status
    if status != 200:
        assert "Нюрбинская" not in reply.get_data(as_text=True)
