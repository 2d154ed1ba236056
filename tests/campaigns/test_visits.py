"""District staff fill a school's response on its behalf during a visit: the response records the
visitor and the date, the school reads it and comments, lists and reports filter by visits, and
a monitoring can be filled during visits only (no task for the schools)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.campaigns import responses, visits
from app.campaigns.models import Campaign, Response
from app.core.timefmt import date_filter, local_today
from app.db import utcnow
from app.extensions import db
from app.notices.models import Notice
from app.questionnaires.definition import version_definition
from app.reports.aggregates import ReportFilter, completion, question_report
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_campaign, make_form, response_of


def _fresh(response) -> Response:
    db.session.expire_all()
    return db.session.get(Response, response.id)


def _visit_save(client, response, revision=0, day=None, **fields):
    return client.post(
        f"/responses/{response.id}/visit/save",
        data={"revision": revision, "visited_on": day or date_filter(local_today()), **fields},
        headers={"Accept": "application/json"},
    )


@pytest.fixture
def monitoring(world):
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    return campaign, response_of(campaign, world.school_a1), response_of(campaign, world.school_a2)


@pytest.fixture
def on_visits(world):
    """A monitoring filled in by staff during visits only."""
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1], title="Посещения — 2026")
    campaign.filled_on_visits = True
    db.session.commit()
    return campaign, response_of(campaign, world.school_a1)


def _actions(response) -> list[str]:
    statement = sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "response", AuditEvent.object_id == response.id
    )
    return list(db.session.scalars(statement.order_by(AuditEvent.id)))


def test_staff_fill_on_a_visit_and_the_response_records_visitor_and_date(client, world, monitoring):
    _, mine, _ = monitoring
    login(client, world.admin_a)
    page = client.get(f"/responses/{mine.id}/visit")
    assert page.status_code == 200
    assert page.headers["X-Visit-Offline"] == "keep"
    assert 'name="visited_on" form="fill-form"' in page.get_data(as_text=True)
    reply = _visit_save(client, mine, **{"q.has_internet": "yes", "q.internet_speed": "20"})
    assert reply.status_code == 200, reply.json
    stored = _fresh(mine)
    assert stored.status == "draft"
    assert stored.data == {"has_internet": "yes", "internet_speed": "20"}
    assert (stored.visited_by_id, stored.visited_on) == (world.admin_a.id, local_today())
    assert _actions(mine) == ["start", "visit"]
    assert (
        client.post(f"/responses/{mine.id}/visit/submit", data={"revision": 1}).status_code == 302
    )
    assert _fresh(mine).status == "submitted"
    assert client.get(f"/responses/{mine.id}/visit").headers["X-Visit-Offline"] == "forget"


def test_visit_date_outside_the_monitoring_is_refused_with_a_message(client, world, monitoring):
    campaign, mine, _ = monitoring
    login(client, world.admin_a)
    for day in (
        "01.01.2000",
        date_filter(local_today() + timedelta(days=2)),
        "31.02.2026",
        "вчера",
    ):
        reply = _visit_save(client, mine, day=day, **{"q.has_internet": "yes"})
        assert reply.status_code == 400, day
        assert reply.json["error"]
    stored = _fresh(mine)
    assert stored.data in ({}, None) and stored.visited_by_id is None


def test_an_earlier_visit_date_is_kept_and_an_empty_one_is_today(client, world, monitoring):
    campaign, mine, _ = monitoring
    campaign.opens_at = utcnow() - timedelta(days=10)
    db.session.commit()
    login(client, world.admin_a)
    earlier = local_today() - timedelta(days=3)
    assert _visit_save(client, mine, day=date_filter(earlier)).status_code == 200
    assert _fresh(mine).visited_on == earlier
    reply = client.post(
        f"/responses/{mine.id}/visit/save",
        data={"revision": 1, "visited_on": ""},
        headers={"Accept": "application/json"},
    )
    assert reply.status_code == 200
    assert _fresh(mine).visited_on == local_today()


def test_staff_may_save_a_visit_after_the_deadline_the_school_may_not(app, world, monitoring):
    campaign, mine, _ = monitoring
    campaign.closes_at = utcnow() - timedelta(minutes=1)
    campaign.opens_at = utcnow() - timedelta(days=1)
    db.session.commit()
    school = app.test_client()
    login(school, world.school_user_a1)
    refused = school.post(
        f"/responses/{mine.id}/save",
        data={"revision": 0, "q.has_internet": "no"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 409
    staff = app.test_client()
    login(staff, world.admin_a)
    assert _visit_save(staff, mine, **{"q.has_internet": "no"}).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_b", 404),
        ("school_user_a1", 403),
        ("school_user_b1", 403),
        ("jury_a", 403),
        ("viewer_a", 403),
    ],
)
def test_only_staff_of_the_schools_district_fill_on_a_visit(app, world, monitoring, who, status):
    _, mine, _ = monitoring
    client = app.test_client()
    login(client, getattr(world, who))
    assert client.get(f"/responses/{mine.id}/visit").status_code == status
    assert _visit_save(client, mine, **{"q.has_internet": "no"}).status_code == status
    submitted = client.post(f"/responses/{mine.id}/visit/submit", data={"revision": 0})
    assert submitted.status_code == status
    assert client.post(f"/responses/{mine.id}/visit/files").status_code == status
    stored = _fresh(mine)
    assert stored.status == "not_started" and stored.visited_by_id is None


def test_region_staff_may_visit_a_school_of_their_subtree(client, world, monitoring):
    _, mine, _ = monitoring
    login(client, world.region_admin)
    assert _visit_save(client, mine, **{"q.has_internet": "no"}).status_code == 200
    assert _fresh(mine).visited_by_id == world.region_admin.id


def test_school_sees_the_visit_mark_and_comments_staff_read_it(app, world, monitoring):
    _, mine, _ = monitoring
    staff = app.test_client()
    login(staff, world.admin_a)
    _visit_save(staff, mine, **{"q.has_internet": "no"})
    school = app.test_client()
    login(school, world.school_user_a1)
    page = school.get(f"/responses/{mine.id}").get_data(as_text=True)
    assert "Заполнено специалистом УО при посещении: Тестовый Пользователь" in page
    assert date_filter(local_today()) in page
    reply = school.post(f"/responses/{mine.id}/comment", data={"school_comment": " Всё верно "})
    assert reply.status_code == 302
    assert _fresh(mine).school_comment == "Всё верно"
    assert "school_comment" in _actions(mine)
    review = staff.get(f"/responses/{mine.id}/review").get_data(as_text=True)
    assert "Комментарий школы" in review and "Всё верно" in review


def test_a_too_long_comment_is_refused_beside_the_field(client, world, monitoring):
    _, mine, _ = monitoring
    visits.save_visit(world.admin_a, mine, {"has_internet": "no"}, 0, local_today())
    db.session.commit()
    login(client, world.school_user_a1)
    reply = client.post(f"/responses/{mine.id}/comment", data={"school_comment": "я" * 2001})
    assert reply.status_code == 400
    assert 'id="school_comment-error"' in reply.get_data(as_text=True)
    assert _fresh(mine).school_comment == ""


def test_comment_only_by_the_school_itself_and_only_after_a_visit(app, world, monitoring):
    _, mine, theirs = monitoring
    client = app.test_client()
    login(client, world.school_user_a1)
    assert (
        client.post(f"/responses/{mine.id}/comment", data={"school_comment": "Да"}).status_code
        == 409
    )
    visits.save_visit(world.admin_a, theirs, {"has_internet": "no"}, 0, local_today())
    db.session.commit()
    assert (
        client.post(f"/responses/{theirs.id}/comment", data={"school_comment": "Да"}).status_code
        == 404
    )
    staff = app.test_client()
    login(staff, world.admin_a)
    assert (
        staff.post(f"/responses/{theirs.id}/comment", data={"school_comment": "Да"}).status_code
        == 403
    )
    assert _fresh(theirs).school_comment == ""


def test_dashboard_lists_responses_with_or_without_visits(client, world, monitoring):
    campaign, mine, theirs = monitoring
    visits.save_visit(world.admin_a, mine, {"has_internet": "no"}, 0, local_today())
    db.session.commit()
    login(client, world.admin_a)
    url = f"/campaigns/{campaign.id}"
    visited = client.get(url, query_string={"visits": "visited"}).get_data(as_text=True)
    assert world.school_a1.display_name in visited and world.school_a2.name not in visited
    assert f"<td>{date_filter(local_today())}</td>" in visited
    others = client.get(url, query_string={"visits": "not_visited"}).get_data(as_text=True)
    assert world.school_a2.name in others and world.school_a1.display_name not in others
    assert "Заполнить при посещении" in others and "Подготовить к посещению без связи" in others


def test_report_counts_only_the_responses_of_the_visit_filter(world, monitoring):
    campaign, mine, theirs = monitoring
    visits.save_visit(
        world.admin_a, mine, {"has_internet": "yes", "internet_speed": "20"}, 0, local_today()
    )
    visits.submit_visit(world.admin_a, mine, mine.revision)
    school_a2 = make_user(Role.SCHOOL, world.school_a2, "school-a2")
    responses.save_draft(school_a2, theirs, {"has_internet": "yes", "internet_speed": "40"}, 0)
    responses.submit(school_a2, theirs, theirs.revision)
    db.session.commit()
    question = next(
        q
        for q in version_definition(campaign.form_version)["sections"][0]["questions"]
        if q["key"] == "internet_speed"
    )

    def speeds(choice):
        report = question_report(world.admin_a, campaign, question, ReportFilter(visits=choice))
        return report["n"], report["sum"]

    assert speeds("") == (2, Decimal(60))
    assert speeds("visited") == (1, Decimal(20))
    assert speeds("not_visited") == (1, Decimal(40))
    assert completion(world.admin_a, campaign, ReportFilter(visits="visited"))["total"] == 1


def test_report_page_filters_by_visits(client, world, monitoring):
    campaign, mine, _ = monitoring
    login(client, world.admin_a)
    page = client.get(f"/reports/campaigns/{campaign.id}", query_string={"visits": "visited"})
    assert page.status_code == 200
    assert re.search(r'<option selected value="visited">', page.get_data(as_text=True))


def test_a_monitoring_filled_during_visits_is_no_task_for_the_school(app, world, on_visits):
    campaign, mine = on_visits
    school = app.test_client()
    login(school, world.school_user_a1)
    assert campaign.title not in school.get("/my/questionnaires").get_data(as_text=True)
    assert campaign.title not in school.get("/").get_data(as_text=True)
    refused = school.post(
        f"/responses/{mine.id}/save",
        data={"revision": 0, "q.has_internet": "no"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 403
    staff = app.test_client()
    login(staff, world.admin_a)
    assert staff.post(f"/campaigns/{campaign.id}/remind").status_code == 409
    assert _visit_save(staff, mine, **{"q.has_internet": "no"}).status_code == 200
    assert campaign.title in school.get("/my/questionnaires").get_data(as_text=True)
    assert campaign.title not in school.get("/").get_data(as_text=True)  # nothing to fill in
    page = school.get(f"/responses/{mine.id}").get_data(as_text=True)
    assert 'data-editable="false"' in page and 'id="school-comment-form"' in page
    assert 'id="submit-form"' not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notice)) == 0


def test_staff_send_and_edit_a_monitoring_filled_during_visits(client, world):
    form = make_form(world.admin_a)
    login(client, world.admin_a)
    data = {
        "form_version_id": form.published.id,
        "title": "Посещения библиотек",
        "opens_at": "2026-01-01T09:00",
        "closes_at": "2099-12-12T18:00",
        "target": "all",
        "filled_on_visits": "y",
        "confirm": "1",
    }
    assert client.post("/campaigns/new", data=data).status_code == 302
    campaign = db.session.scalar(sa.select(Campaign))
    assert campaign.filled_on_visits
    edit = {"title": "Посещения библиотек", "closes_at": "2099-12-20T18:00"}
    assert client.post(f"/campaigns/{campaign.id}/edit", data=edit).status_code == 302
    db.session.expire_all()
    assert not db.session.get(Campaign, campaign.id).filled_on_visits
    # no longer filled during visits: each school is told of the change
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notice)) == 2
