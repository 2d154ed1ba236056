"""Running a sent monitoring: confirm before sending, edit, close early, reopen, cancel; review
at speed (previous/next, several accepted at once, a comment per question), with notices."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.campaigns import responses
from app.campaigns.models import Campaign, Response
from app.core.timefmt import utc_to_local
from app.db import utcnow
from app.extensions import db
from app.notices.models import Notice
from tests.conftest import login
from tests.factories import make_org, make_user
from tests.monitoring import make_campaign, make_form, response_of


def _fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def _notices(organization) -> list[str]:
    statement = sa.select(Notice.text).where(Notice.organization_id == organization.id)
    return list(db.session.scalars(statement))


def _actions(campaign) -> list[str]:
    statement = (
        sa.select(AuditEvent.action)
        .where(AuditEvent.object_type == "campaign", AuditEvent.object_id == campaign.id)
        .order_by(AuditEvent.id)
    )
    return list(db.session.scalars(statement))


def _submit(organization, campaign, username):
    user = make_user(Role.SCHOOL, organization, username)
    response = response_of(campaign, organization)
    responses.save_draft(user, response, {"has_internet": "no"}, response.revision)
    responses.submit(user, response, response.revision)
    db.session.commit()
    return response


@pytest.fixture
def campaign(world):
    return make_campaign(world.admin_a, make_form(world.admin_a), [world.school_a1])


def _send(client, form, **extra):
    data = {
        "form_version_id": form.published.id,
        "title": "Оснащение — 2026",
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-12T18:00",
        "target": "all",
    }
    return client.post("/campaigns/new", data=data | extra)


def test_sending_asks_first_with_the_count_deadline_and_zone(client, world):
    form = make_form(world.admin_a)
    login(client, world.admin_a)
    page = _send(client, form).get_data(as_text=True)
    assert "Отправить 2 организациям, срок 12.12.2026 18:00 (Якутск" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0
    assert _send(client, form, confirm="1").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 1


def test_new_monitoring_takes_its_title_from_the_form(client, world):
    form = make_form(world.admin_a)
    login(client, world.admin_a)
    page = client.get(f"/campaigns/new?version={form.published.id}").get_data(as_text=True)
    assert f'value="{form.published.title}"' in page
    assert 'data-kind="school" data-locality="с. Маар"' in page


def test_edit_changes_title_and_deadline_for_all_and_adds_a_school(client, world, campaign):
    response = campaign.responses[0]
    response.deadline = campaign.closes_at - timedelta(days=1)
    db.session.commit()
    login(client, world.admin_a)
    reply = client.post(
        f"/campaigns/{campaign.id}/edit",
        data={
            "title": "Оснащение (уточнено)",
            "instructions": "Заполните до пятницы",
            "closes_at": "2099-12-20T18:00",
            "organization_ids": [world.school_a2.id],
        },
    )
    assert reply.status_code == 302
    stored = _fresh(Campaign, campaign.id)
    assert stored.title == "Оснащение (уточнено)" and stored.instructions == "Заполните до пятницы"
    assert {r.organization_id for r in stored.responses} == {world.school_a1.id, world.school_a2.id}
    assert _fresh(Response, response.id).deadline is None
    assert any("изменён; срок — 20.12.2099 18:00" in text for text in _notices(world.school_a1))
    assert _notices(world.school_a2) == ["Для вас новая анкета: «Оснащение (уточнено)»."]
    assert _actions(campaign) == ["create", "update"]


def test_edit_refuses_a_deadline_before_the_opening(client, world, campaign):
    login(client, world.admin_a)
    reply = client.post(
        f"/campaigns/{campaign.id}/edit",
        data={"title": "X", "closes_at": "2000-01-01T18:00"},
    )
    assert reply.status_code == 400
    assert 'id="closes_at-error"' in reply.get_data(as_text=True)


def test_closed_early_the_school_cannot_save_then_reopened_it_can(app, world, campaign):
    staff, school = app.test_client(), app.test_client()
    login(staff, world.admin_a)
    login(school, world.school_user_a1)
    response = campaign.responses[0]
    assert staff.post(f"/campaigns/{campaign.id}/close").status_code == 302
    assert _fresh(Campaign, campaign.id).closed_at is not None
    assert _notices(world.school_a1) == ["Мониторинг «Мониторинг оснащения» закрыт досрочно."]
    refused = school.post(
        f"/responses/{response.id}/save", data={"revision": 0, "q.has_internet": "no"}
    )
    assert refused.status_code == 409
    assert "Закрыт управлением образования" in school.get("/my/questionnaires").get_data(
        as_text=True
    )
    staff.post(f"/campaigns/{campaign.id}/reopen", data={"closes_at": "2099-01-10T18:00"})
    assert _fresh(Campaign, campaign.id).closed_at is None
    saved = school.post(
        f"/responses/{response.id}/save", data={"revision": 0, "q.has_internet": "no"}
    )
    assert saved.status_code == 302
    assert _actions(campaign) == ["create", "close", "reopen"]
    assert "снова открыт до 10.01.2099 18:00" in _notices(world.school_a1)[-1]


def test_reopen_needs_a_deadline_in_the_future(client, world, campaign):
    login(client, world.admin_a)
    client.post(f"/campaigns/{campaign.id}/close")
    client.post(f"/campaigns/{campaign.id}/reopen", data={"closes_at": "2000-01-10T18:00"})
    assert _fresh(Campaign, campaign.id).closed_at is not None


def test_cancelled_monitoring_keeps_answers_visible_to_staff(client, world, campaign):
    response = _submit(world.school_a1, campaign, "school-a1-bis")
    login(client, world.admin_a)
    assert client.post(f"/campaigns/{campaign.id}/cancel").status_code == 302
    assert _fresh(Campaign, campaign.id).cancelled_at is not None
    assert _fresh(Response, response.id).data["has_internet"] == "no"
    page = client.get(f"/responses/{response.id}/review").get_data(as_text=True)
    assert 'id="answer-has_internet"' in page
    assert "отменён; заполнять его больше не нужно" in _notices(world.school_a1)[-1]
    assert client.post(f"/campaigns/{campaign.id}/cancel").status_code == 409
    assert _actions(campaign) == ["create", "cancel"]


@pytest.mark.parametrize("action", ["close", "cancel", "edit"])
@pytest.mark.parametrize("who", ["viewer_a", "school_user_a1", "jury_a"])
def test_only_staff_change_a_sent_monitoring(client, world, campaign, action, who):
    login(client, getattr(world, who))
    assert client.post(f"/campaigns/{campaign.id}/{action}").status_code == 403
    assert _fresh(Campaign, campaign.id).closed_at is None


@pytest.mark.parametrize("action", ["close", "cancel", "edit", "reopen"])
def test_staff_of_another_district_cannot_see_the_monitoring(client, world, campaign, action):
    login(client, world.admin_b)
    assert client.post(f"/campaigns/{campaign.id}/{action}").status_code == 404


def test_region_staff_may_close_a_district_monitoring(client, world, campaign):
    login(client, world.region_admin)
    assert client.post(f"/campaigns/{campaign.id}/close").status_code == 302
    assert _fresh(Campaign, campaign.id).closed_at is not None


def _three_submitted(world):
    school_a3 = make_org("Третья СОШ", parent=world.district_a, locality="с. Маар")
    schools = [world.school_a1, world.school_a2, school_a3]
    campaign = make_campaign(world.admin_a, make_form(world.admin_a), schools)
    return campaign, [
        _submit(school, campaign, f"school-{index}") for index, school in enumerate(schools)
    ]


def test_review_goes_previous_and_next_through_the_filtered_list(client, world):
    campaign, (nyurba, maar, third) = _three_submitted(world)  # listed by name: Маар, Нюрба, Третья
    login(client, world.admin_a)
    whole = client.get(f"/responses/{nyurba.id}/review").get_data(as_text=True)
    assert "2 из 3" in whole
    assert f'rel="prev" href="/responses/{maar.id}/review"' in whole
    assert f'rel="next" href="/responses/{third.id}/review"' in whole
    url = f"/responses/{maar.id}/review?locality=с. Маар"
    filtered = client.get(url).get_data(as_text=True)
    assert "1 из 2" in filtered and 'rel="prev"' not in filtered
    assert f"/responses/{third.id}/review?locality=" in filtered
    assert f"/responses/{nyurba.id}/review" not in filtered


def test_accept_several_at_once_tells_each_school(client, world):
    campaign, submitted = _three_submitted(world)
    login(client, world.admin_a)
    reply = client.post(
        f"/campaigns/{campaign.id}/accept",
        data={"response_ids": [response.id for response in submitted]},
    )
    assert reply.status_code == 302
    assert all(_fresh(Response, r.id).status == "accepted" for r in submitted)
    assert _notices(world.school_a2) == [
        "Управление образования приняло ваши ответы на анкету «Мониторинг оснащения»."
    ]


def test_accept_several_refuses_all_when_one_is_not_submitted(client, world):
    campaign, submitted = _three_submitted(world)
    responses.return_for_revision(world.admin_a, submitted[0], "Исправьте", {})
    db.session.commit()
    login(client, world.admin_a)
    client.post(
        f"/campaigns/{campaign.id}/accept",
        data={"response_ids": [response.id for response in submitted]},
    )
    assert [_fresh(Response, r.id).status for r in submitted] == [
        "returned",
        "submitted",
        "submitted",
    ]


def test_return_with_a_comment_per_question_and_a_general_one(client, world):
    campaign, (response, *_) = _three_submitted(world)
    login(client, world.admin_a)
    client.post(
        f"/responses/{response.id}/return",
        data={"comment": "", "note-has_internet": "Проверьте подключение", "note-unknown": "x"},
    )
    stored = _fresh(Response, response.id)
    assert stored.status == "returned"
    assert stored.review_notes == {"has_internet": "Проверьте подключение"}
    assert stored.review_keys == ["has_internet"]
    notice = _notices(world.school_a1)[-1]
    assert notice.startswith("Управление образования вернуло ваши ответы")
    assert "Проверьте подключение" in notice


def test_return_without_any_comment_is_refused(client, world):
    campaign, (response, *_) = _three_submitted(world)
    login(client, world.admin_a)
    client.post(f"/responses/{response.id}/return", data={"comment": " ", "note-has_internet": ""})
    assert _fresh(Response, response.id).status == "submitted"
    assert _notices(world.school_a1) == []


def test_a_later_deadline_does_not_count_as_closed(world, campaign):
    assert not campaign.is_stopped
    campaign.closes_at = utcnow() + timedelta(days=1)
    assert not campaign.is_stopped


def test_accept_and_open_the_next_goes_on_through_the_list(client, world):
    campaign, (nyurba, maar, third) = _three_submitted(world)
    login(client, world.admin_a)
    reply = client.post(f"/responses/{maar.id}/accept?then={nyurba.id}&status=submitted")
    assert reply.headers["Location"].endswith(f"/responses/{nyurba.id}/review?status=submitted")
    assert _fresh(Response, maar.id).status == "accepted"


def test_the_confirmation_names_the_first_organizations(client, world):
    form = make_form(world.admin_a)
    login(client, world.admin_a)
    page = _send(client, form).get_data(as_text=True)
    assert "Маарская СОШ, НСОШ1" in page


def test_closing_is_also_e_mailed_when_smtp_is_configured(make_app, world, smtp_inbox):
    port, received = smtp_inbox
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    campaign = make_campaign(world.admin_a, make_form(world.admin_a), [world.school_a2])
    make_user(Role.SCHOOL, world.school_a2, "maar-mail", email="maar@example.ru")
    staff = app.test_client()
    login(staff, world.admin_a)
    staff.post(f"/campaigns/{campaign.id}/close")
    assert [recipients for recipients, _ in received] == [["maar@example.ru"]]


def test_a_closed_monitoring_accepts_answers_but_returns_none(client, world):
    campaign, (nyurba, maar, _) = _three_submitted(world)
    login(client, world.admin_a)
    client.post(f"/campaigns/{campaign.id}/close")
    page = client.get(f"/responses/{maar.id}/review").get_data(as_text=True)
    assert 'id="return-form"' not in page
    client.post(f"/responses/{maar.id}/return", data={"comment": "Исправьте"})
    assert _fresh(Response, maar.id).status == "submitted"
    client.post(f"/responses/{nyurba.id}/accept")
    assert _fresh(Response, nyurba.id).status == "accepted"


def test_a_deadline_is_typed_and_shown_the_russian_way(client, world, campaign):
    login(client, world.admin_a)
    page = client.get(f"/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert 'placeholder="ДД.ММ.ГГГГ ЧЧ:ММ"' in page and 'type="datetime-local"' not in page
    shown = _fresh(Campaign, campaign.id).closes_at
    assert f'value="{utc_to_local(shown):%d.%m.%Y %H:%M}"' in page
    reply = client.post(
        f"/campaigns/{campaign.id}/edit",
        data={"title": "Оснащение", "closes_at": "20.12.2099  18:00"},
    )
    assert reply.status_code == 302
    assert utc_to_local(_fresh(Campaign, campaign.id).closes_at) == datetime(2099, 12, 20, 18, 0)


@pytest.mark.parametrize("typed", ["2099/12/20", "20.12.2099", "32.12.2099 18:00", "завтра"])
def test_a_deadline_typed_wrong_is_refused_beside_the_field(client, world, campaign, typed):
    login(client, world.admin_a)
    before = _fresh(Campaign, campaign.id).closes_at
    reply = client.post(
        f"/campaigns/{campaign.id}/edit", data={"title": "Оснащение", "closes_at": typed}
    )
    assert reply.status_code == 400
    page = reply.get_data(as_text=True)
    assert 'id="closes_at-error"' in page and "например 25.11.2026 18:00" in page
    assert _fresh(Campaign, campaign.id).closes_at == before
