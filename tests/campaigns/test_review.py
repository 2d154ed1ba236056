"""District staff send monitorings, follow them and review responses."""

import io
from datetime import timedelta

import openpyxl
import sqlalchemy as sa

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.campaigns.models import Campaign, Response
from app.db import utcnow
from app.extensions import db
from app.notices.models import Notice
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_campaign, make_form, response_of


def _fresh(response) -> Response:
    db.session.expire_all()
    return db.session.get(Response, response.id)


def _submitted(client_factory, world):
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    response = response_of(campaign, world.school_a1)
    school = client_factory()
    login(school, world.school_user_a1)
    school.post(f"/responses/{response.id}/save", data={"revision": 0, "q.has_internet": "no"})
    school.post(f"/responses/{response.id}/submit", data={"revision": 1})
    return campaign, response, school


def test_staff_send_a_monitoring_to_all_schools_of_the_district(client, world):
    form = make_form(world.admin_a)
    login(client, world.admin_a)
    reply = client.post(
        "/campaigns/new",
        data={
            "form_version_id": form.published.id,
            "title": "Оснащение — 2026",
            "opens_at": "2026-01-10T09:00",
            "closes_at": "2026-02-01T18:00",
            "target": "all",
            "confirm": "1",
        },
    )
    assert reply.status_code == 302
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.title == "Оснащение — 2026"))
    assert {r.organization_id for r in campaign.responses} == {
        world.school_a1.id,
        world.school_a2.id,
    }
    assert campaign.closes_at.isoformat() == "2026-02-01T09:00:00+00:00"


def test_campaign_by_locality_and_bad_dates(client, world):
    form = make_form(world.admin_a)
    login(client, world.admin_a)
    bad = client.post(
        "/campaigns/new",
        data={
            "form_version_id": form.published.id,
            "title": "Ошибка",
            "opens_at": "2026-02-10T09:00",
            "closes_at": "2026-02-01T18:00",
            "target": "all",
        },
    )
    assert bad.status_code == 400
    assert 'id="closes_at-error"' in bad.get_data(as_text=True)
    client.post(
        "/campaigns/new",
        data={
            "form_version_id": form.published.id,
            "title": "Только Маар",
            "opens_at": "2026-01-10T09:00",
            "closes_at": "2026-02-01T18:00",
            "target": "locality",
            "locality": "с. Маар",
            "confirm": "1",
        },
    )
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.title == "Только Маар"))
    assert [r.organization_id for r in campaign.responses] == [world.school_a2.id]
    assert db.session.scalar(sa.select(Campaign).where(Campaign.title == "Ошибка")) is None


def test_staff_cannot_send_to_another_districts_school(client, world):
    form = make_form(world.admin_a)
    login(client, world.admin_a)
    reply = client.post(
        "/campaigns/new",
        data={
            "form_version_id": form.published.id,
            "title": "Чужие",
            "opens_at": "2026-01-10T09:00",
            "closes_at": "2026-02-01T18:00",
            "target": "manual",
            "organization_ids": [world.school_b1.id],
            "confirm": "1",
        },
    )
    assert reply.status_code == 400


def test_return_with_comment_then_resubmit_then_accept(app, world):
    _, response, school = _submitted(app.test_client, world)
    staff = app.test_client()
    login(staff, world.admin_a)
    staff.post(
        f"/responses/{response.id}/return",
        data={"comment": "Укажите скорость Интернета", "note-has_internet": "Нет данных"},
    )
    stored = _fresh(response)
    assert stored.status == "returned" and stored.review_keys == ["has_internet"]
    page = school.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Укажите скорость Интернета" in page and "question-flagged" in page
    revision = stored.revision
    school.post(
        f"/responses/{response.id}/save",
        data={"revision": revision, "q.has_internet": "yes", "q.internet_speed": "20"},
    )
    school.post(f"/responses/{response.id}/submit", data={"revision": revision + 1})
    assert _fresh(response).status == "submitted"
    staff.post(f"/responses/{response.id}/accept")
    assert _fresh(response).status == "accepted"
    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.object_type == "response", AuditEvent.object_id == response.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["start", "submit", "return", "submit", "accept"]


def test_accepted_response_cannot_be_recalled_or_changed(app, world):
    _, response, school = _submitted(app.test_client, world)
    staff = app.test_client()
    login(staff, world.admin_a)
    staff.post(f"/responses/{response.id}/accept")
    assert school.post(f"/responses/{response.id}/recall").status_code == 409
    reply = school.post(
        f"/responses/{response.id}/save",
        data={"revision": 2},
        headers={"Accept": "application/json"},
    )
    assert reply.status_code == 409


def test_return_needs_a_comment(app, world):
    _, response, _ = _submitted(app.test_client, world)
    staff = app.test_client()
    login(staff, world.admin_a)
    staff.post(f"/responses/{response.id}/return", data={"comment": ""})
    assert _fresh(response).status == "submitted"


def test_viewer_reads_but_cannot_review(app, world):
    _, response, _ = _submitted(app.test_client, world)
    viewer = app.test_client()
    login(viewer, world.viewer_a)
    assert viewer.get(f"/responses/{response.id}/review").status_code == 200
    assert viewer.post(f"/responses/{response.id}/accept").status_code == 403
    assert _fresh(response).status == "submitted"


def test_other_district_staff_cannot_review(app, world):
    _, response, _ = _submitted(app.test_client, world)
    staff_b = app.test_client()
    login(staff_b, world.admin_b)
    assert staff_b.get(f"/responses/{response.id}/review").status_code == 404
    assert staff_b.post(f"/responses/{response.id}/accept").status_code == 404


def test_dashboard_counts_filters_export_and_reminders(app, world):
    campaign, _, _ = _submitted(app.test_client, world)
    staff = app.test_client()
    login(staff, world.admin_a)
    page = staff.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "1 из 2" in page
    waiting = staff.get(f"/campaigns/{campaign.id}?status=not_submitted").get_data(as_text=True)
    assert "Маарская СОШ" in waiting and "Нюрбинская СОШ №1" not in waiting
    exported = staff.get(f"/campaigns/{campaign.id}/not-submitted.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.data)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Маарская СОШ"]
    staff.post(f"/campaigns/{campaign.id}/remind")
    notices = db.session.scalars(sa.select(Notice)).all()
    assert [notice.organization_id for notice in notices] == [world.school_a2.id]


def test_reminder_shows_on_the_school_home_page(app, world):
    campaign, _, _ = _submitted(app.test_client, world)
    staff = app.test_client()
    login(staff, world.admin_a)
    staff.post(f"/campaigns/{campaign.id}/remind")
    from app.accounts.models import Role
    from tests.factories import make_user

    school = app.test_client()
    login(school, make_user(Role.SCHOOL, world.school_a2, "maar-user"))
    assert campaign.title in school.get("/").get_data(as_text=True)


def test_overdue_responses_are_marked(app, world):
    now = utcnow()
    form = make_form(world.admin_a)
    campaign = make_campaign(
        world.admin_a,
        form,
        [world.school_a1],
        opens_at=now - timedelta(days=5),
        closes_at=now - timedelta(days=1),
    )
    staff = app.test_client()
    login(staff, world.admin_a)
    page = staff.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "text-danger fw-semibold" in page


def test_reminder_is_also_e_mailed_when_smtp_is_configured(make_app, world, smtp_inbox):
    port, received = smtp_inbox
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    make_user(Role.SCHOOL, world.school_a2, "maar-mail", email="maar@example.ru")
    staff = app.test_client()
    login(staff, world.admin_a)
    staff.post(f"/campaigns/{campaign.id}/remind")
    assert [recipients for recipients, _ in received] == [["maar@example.ru"]]
    assert campaign.title in received[0][1] or "Subject:" in received[0][1]
