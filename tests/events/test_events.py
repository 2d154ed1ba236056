"""District events: staff keep them, schools register their own staff until the start, staff
mark attendance, the person's record shows the participation, the feedback questionnaire goes
to the attended participants' schools, and the non-participants of the academic year."""

import io
from datetime import UTC, date, datetime, timedelta

import openpyxl
import sqlalchemy as sa

from app.campaigns.models import Campaign, Response
from app.events import feedback, participation, services
from app.events.models import Event, Material, Registration
from app.extensions import db
from app.roadmap import services as roadmap
from tests.conftest import login
from tests.events.factory import local, make_event, register
from tests.monitoring import make_form
from tests.registry.factory import make_record

EVENT = {
    "kind": "seminar",
    "title": "Семинар-практикум «Школьная библиотека как ИБЦ»",
    "starts_at": "25.11.2030 14:00",
    "ends_at": "25.11.2030 17:00",
    "place": "г. Нюрба, ул. Ленина, 31",
    "online_url": "",
    "activity_id": "0",
    "programme": "14:00 — открытие",
}


def _events() -> list[Event]:
    db.session.expire_all()
    return db.session.scalars(sa.select(Event)).all()


def _registrations() -> list[Registration]:
    db.session.expire_all()
    return db.session.scalars(sa.select(Registration)).all()


# Keeping events


def test_staff_create_an_event_in_the_districts_time(world, as_user):
    client = as_user(world.admin_a)
    response = client.post("/events/new", data=EVENT)
    assert response.status_code == 302
    (event,) = _events()
    assert event.starts_at == datetime(2030, 11, 25, 5, 0, tzinfo=UTC)
    assert event.organization_id == world.district_a.id
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "25.11.2030 14:00–17:00 (Якутск)" in page


def test_an_event_ending_before_it_starts_is_refused_beside_the_field(world, as_user):
    client = as_user(world.admin_a)
    response = client.post("/events/new", data={**EVENT, "ends_at": "25.11.2030 13:00"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="ends_at-error"' in page and "Мероприятие должно закончиться позже" in page
    assert _events() == []


def test_an_event_without_place_and_link_is_refused(world, as_user):
    client = as_user(world.admin_a)
    response = client.post("/events/new", data={**EVENT, "place": ""})
    assert response.status_code == 400
    assert 'id="place-error"' in response.get_data(as_text=True)
    assert _events() == []
    response = client.post(
        "/events/new", data={**EVENT, "place": "", "online_url": "https://vk.com/call/1"}
    )
    assert response.status_code == 302


def test_a_programme_file_too_big_is_refused(make_app, world):
    app = make_app(UPLOAD_MAX_BYTES=100)
    client = app.test_client()
    login(client, world.admin_a)
    data = {**EVENT, "programme_file": (io.BytesIO(b"%PDF-1.4\n" + b"x" * 200), "prog.pdf")}
    response = client.post("/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'id="programme_file-error"' in response.get_data(as_text=True)
    assert _events() == []


def test_a_programme_file_is_stored_and_downloaded(world, as_user, app):
    client = as_user(world.admin_a)
    data = {**EVENT, "programme_file": (io.BytesIO(b"%PDF-1.4\n%prog\n"), "Программа.pdf")}
    assert (
        client.post("/events/new", data=data, content_type="multipart/form-data").status_code == 302
    )
    (event,) = _events()
    client = app.test_client()
    login(client, world.school_user_a1)
    download = client.get(f"/events/{event.id}/programme")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")


def _activity(admin, year: int):
    """An activity of a new roadmap of ``admin``'s office."""
    plan = roadmap.create_roadmap(admin, "Дорожная карта", year)
    fields = {"number": 11, "title": "Семинар", "period": "ноябрь", "responsible": "",
              "document_type": "", "expected_results": ""}  # fmt: skip
    item = roadmap.add_item(admin, plan, fields, "")
    db.session.commit()
    return item


def test_an_activity_of_another_district_cannot_be_linked(world, as_user):
    item = _activity(world.admin_b, 2026)
    client = as_user(world.admin_a)
    response = client.post("/events/new", data={**EVENT, "activity_id": str(item.id)})
    assert response.status_code == 400
    assert _events() == []


def test_the_roadmap_dashboard_shows_the_linked_events(world, as_user):
    item = _activity(world.admin_a, 2030)
    client = as_user(world.admin_a)
    assert (
        client.post("/events/new", data={**EVENT, "activity_id": str(item.id)}).status_code == 302
    )
    page = client.get(f"/roadmap/{item.roadmap_id}").get_data(as_text=True)
    assert "25.11.2030 Семинар-практикум «Школьная библиотека как ИБЦ»" in page


def test_staff_cancel_and_delete(world, as_user):
    event = make_event(world.district_a)
    register(event, make_record(world.school_a1))
    client = as_user(world.admin_a)
    assert client.post(f"/events/{event.id}/cancel").status_code == 302
    assert _events()[0].cancelled
    assert client.post(f"/events/{event.id}/delete").status_code == 302
    assert _events() == [] and _registrations() == []


# Registration


def test_a_school_registers_its_own_librarian(world, as_user):
    event = make_event(world.district_a)
    record = make_record(world.school_a1)
    client = as_user(world.school_user_a1)
    response = client.post(f"/events/{event.id}/registrations", data={"record_id": record.id})
    assert response.status_code == 302
    (registration,) = _registrations()
    assert registration.record_id == record.id and not registration.attended
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert record.full_name in page


def test_a_school_cannot_register_another_schools_person_by_id(world, as_user):
    event = make_event(world.district_a)
    other = make_record(world.school_a2)
    client = as_user(world.school_user_a1)
    response = client.post(f"/events/{event.id}/registrations", data={"record_id": other.id})
    assert response.status_code == 400
    assert 'id="record_id-error"' in response.get_data(as_text=True)
    assert _registrations() == []


def test_withdrawn_and_departed_people_cannot_be_registered(world, as_user):
    event = make_event(world.district_a)
    withdrawn = make_record(world.school_a1, consent_withdrawn_on=date(2026, 10, 1))
    departed = make_record(world.school_a1, is_active=False, left_on=date(2026, 10, 1))
    client = as_user(world.school_user_a1)
    for record in (withdrawn, departed):
        response = client.post(f"/events/{event.id}/registrations", data={"record_id": record.id})
        assert response.status_code == 400
    assert _registrations() == []


def test_registration_closes_when_the_event_starts_but_staff_still_add(world, as_user, app):
    event = make_event(world.district_a, starts_at=datetime.now(UTC) - timedelta(minutes=5))
    record = make_record(world.school_a1)
    school = as_user(world.school_user_a1)
    response = school.post(f"/events/{event.id}/registrations", data={"record_id": record.id})
    assert response.status_code == 409
    assert "Регистрация закрылась" in response.get_data(as_text=True)
    assert _registrations() == []
    client = app.test_client()
    login(client, world.admin_a)
    response = client.post(f"/events/{event.id}/registrations", data={"record_id": record.id})
    assert response.status_code == 302
    assert len(_registrations()) == 1


def test_a_school_unregisters_only_its_own(world, as_user):
    event = make_event(world.district_a)
    mine = register(event, make_record(world.school_a1))
    theirs = register(event, make_record(world.school_a2))
    client = as_user(world.school_user_a1)
    assert client.post(f"/events/{event.id}/registrations/{theirs.id}/delete").status_code == 404
    assert client.post(f"/events/{event.id}/registrations/{mine.id}/delete").status_code == 302
    assert [r.id for r in _registrations()] == [theirs.id]


def test_a_school_sees_only_its_peoples_registrations(world, as_user):
    event = make_event(world.district_a)
    mine = make_record(world.school_a1, last_name="Своя")
    theirs = make_record(world.school_a2, last_name="Чужая")
    register(event, mine), register(event, theirs)
    page = as_user(world.school_user_a1).get(f"/events/{event.id}").get_data(as_text=True)
    assert "Своя" in page and "Чужая" not in page
    assert "Зарегистрировано: 2" in page


def test_a_viewer_sees_counts_and_no_names(world, as_user):
    event = make_event(world.district_a)
    register(event, make_record(world.school_a1, last_name="Скрытая"), attended=True)
    services.add_speaker(world.admin_a, event, {"record_id": make_record(
        world.school_a2, last_name="Докладчица").id})  # fmt: skip
    db.session.commit()
    client = as_user(world.viewer_a)
    assert "Скрытая" not in client.get("/events/").get_data(as_text=True)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Скрытая" not in page and "Докладчица" not in page
    assert "Зарегистрировано: 1" in page and "пришли: 1" in page


# Attendance and the person's record


def test_staff_mark_attendance_with_one_tap_and_the_record_shows_it(world, as_user):
    event = make_event(world.district_a, starts_at=datetime.now(UTC) - timedelta(hours=1))
    record = make_record(world.school_a1, courses=[(date(2026, 3, 1), date(2026, 3, 20))])
    registration = register(event, record)
    client = as_user(world.admin_a)
    assert client.get(f"/events/{event.id}/attendance").status_code == 200
    assert client.post(f"/events/{event.id}/attendance/{registration.id}").status_code == 302
    assert _registrations()[0].attended
    page = client.get(f"/registry/{record.id}").get_data(as_text=True)
    participation = page.split('id="participation"')[1].split("</section>")[0]
    courses = page.split('id="courses"')[1].split("</section>")[0]
    assert "Школьная библиотека как ИБЦ" in participation
    assert "Присутствовал(а)" in participation
    assert "Школьная библиотека как ИБЦ" not in courses
    client.post(f"/events/{event.id}/attendance/{registration.id}")
    assert not _registrations()[0].attended


def test_a_tap_answers_the_attendance_page_in_json_and_a_repeated_tap_changes_nothing(
    app, world, as_user
):
    event = make_event(world.district_a, starts_at=datetime.now(UTC) - timedelta(hours=1))
    first = register(event, make_record(world.school_a1))
    register(event, make_record(world.school_a2))
    client = as_user(world.admin_a)
    url = f"/events/{event.id}/attendance/{first.id}"
    json = {"Accept": "application/json"}
    for _ in range(2):  # a double tap
        reply = client.post(url, data={"present": "1"}, headers=json)
        assert reply.status_code == 200
        assert reply.json == {"attended": True, "status": "присутствует",
                              "count": "Присутствуют: 1 из 2"}  # fmt: skip
    assert [r.attended for r in _registrations()].count(True) == 1
    reply = client.post(url, data={"present": "0"}, headers=json)
    assert reply.json["attended"] is False and reply.json["count"] == "Присутствуют: 0 из 2"
    school = app.test_client()
    login(school, world.school_user_a1)
    assert school.post(url, data={"present": "1"}, headers=json).status_code == 403
    assert not any(r.attended for r in _registrations())


def test_attended_and_speakers_for_certificates(world):
    event = make_event(world.district_a)
    came = make_record(world.school_a1)
    register(event, came, attended=True)
    register(event, make_record(world.school_a2))
    services.add_speaker(world.admin_a, event, {"record_id": came.id})
    services.add_speaker(world.admin_a, event, {"name": "Петрова А. И.",
                                               "organization_name": "ИРОиПК"})  # fmt: skip
    db.session.commit()
    assert [r.record_id for r in services.attended(event)] == [came.id]
    assert [(s.display_name, s.display_organization) for s in services.speakers(event)] == [
        (came.full_name, world.school_a1.display_name),
        ("Петрова А. И.", "ИРОиПК"),
    ]


# The academic year


def test_non_participants_of_the_academic_year(world, as_user):
    today = date(2026, 12, 1)
    came = make_record(world.school_a1, last_name="Пришедшая")
    absent = make_record(world.school_a1, last_name="Отсутствовавшая")
    unregistered = make_record(world.school_a2, last_name="Незаписанная")
    last_year = make_record(world.school_a2, last_name="Прошлогодняя")
    in_year = make_event(world.district_a, starts_at=local(2026, 9, 1, 0, 30))
    before = make_event(world.district_a, starts_at=local(2026, 8, 31, 23, 30))
    register(in_year, came, attended=True)
    register(in_year, absent)
    register(before, last_year, attended=True)
    found = db.session.scalars(participation.non_participants(world.admin_a, today)).all()
    assert {r.id for r in found} == {absent.id, unregistered.id, last_year.id}
    by_school = participation.non_participants(
        world.admin_a, today, organization_id=world.school_a2.id
    )
    assert {r.id for r in db.session.scalars(by_school)} == {unregistered.id, last_year.id}


def test_the_non_participants_page_and_export(world, as_user):
    make_record(world.school_a1, last_name="Незаписанная")
    make_record(world.school_b1, last_name="Чужого района")
    client = as_user(world.admin_a)
    page = client.get("/events/non-participants").get_data(as_text=True)
    assert "Незаписанная" in page and "Чужого района" not in page
    export = client.get("/events/non-participants.xlsx")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.data)).active
    assert (
        sheet["A2"].value.startswith("Незаписанная") and sheet["B2"].value == world.school_a1.name
    )
    assert sheet.max_row == 2


# Materials


def test_materials_are_attached_after_the_event(world, as_user, app):
    event = make_event(world.district_a)
    client = as_user(world.admin_a)
    response = client.post(f"/events/{event.id}/materials", data={"title": "Презентация"})
    assert response.status_code == 400
    assert 'id="file-error"' in response.get_data(as_text=True)
    data = {"title": "Презентация", "file": (io.BytesIO(b"%PDF-1.4\n%x\n"), "Слайды.pdf")}
    response = client.post(f"/events/{event.id}/materials", data=data,
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 302
    link = {"title": "Запись", "url": "https://rutube.ru/video/1"}
    assert client.post(f"/events/{event.id}/materials", data=link).status_code == 302
    materials = db.session.scalars(sa.select(Material).order_by(Material.id)).all()
    assert [m.title for m in materials] == ["Презентация", "Запись"]
    client = app.test_client()
    login(client, world.school_user_a1)
    assert client.get(f"/events/{event.id}/materials/{materials[0].id}").data.startswith(b"%PDF")


# Feedback


def test_the_feedback_campaign_reaches_the_attended_participants_schools_only(world, as_user):
    form = make_form(world.admin_a)
    event = make_event(world.district_a, starts_at=datetime.now(UTC) - timedelta(days=1))
    register(event, make_record(world.school_a1), attended=True)
    register(event, make_record(world.school_a1), attended=True)
    register(event, make_record(world.school_a2))
    client = as_user(world.admin_a)
    data = {"new-form_version_id": form.published.id, "new-title": "Отзыв о семинаре",
            "new-closes_at": "25.12.2030 18:00", "new-submit": "1"}  # fmt: skip
    assert client.post(f"/events/{event.id}/feedback", data=data).status_code == 302
    campaign = db.session.scalar(sa.select(Campaign))
    schools = db.session.scalars(
        sa.select(Response.organization_id).where(Response.campaign_id == campaign.id)
    ).all()
    assert schools == [world.school_a1.id]
    assert _events()[0].feedback_campaign_id == campaign.id


def test_feedback_needs_attendance_first(world, as_user):
    form = make_form(world.admin_a)
    event = make_event(world.district_a)
    client = as_user(world.admin_a)
    data = {"new-form_version_id": form.published.id, "new-title": "Отзыв",
            "new-closes_at": "25.12.2030 18:00", "new-submit": "1"}  # fmt: skip
    response = client.post(f"/events/{event.id}/feedback", data=data)
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0


def test_an_existing_campaign_can_be_linked(world, as_user):
    from tests.monitoring import make_campaign

    campaign = make_campaign(world.admin_a, make_form(world.admin_a), [world.school_a1])
    event = make_event(world.district_a)
    client = as_user(world.admin_a)
    data = {"link-campaign_id": campaign.id, "link-submit": "1"}
    assert client.post(f"/events/{event.id}/feedback", data=data).status_code == 302
    assert _events()[0].feedback_campaign_id == campaign.id
    assert feedback.attended_schools(_events()[0]) == []


def test_the_list_filters_by_date_and_kind_and_shows_a_school_its_districts_events(world, as_user):
    now = datetime.now(UTC).replace(microsecond=0)
    make_event(world.district_a, title="Будущий вебинар", kind="webinar")
    make_event(world.district_a, title="Прошедшее совещание", kind="meeting",
               starts_at=now - timedelta(days=30))  # fmt: skip
    make_event(world.district_b, title="Семинар другого района")
    client = as_user(world.school_user_a1)
    upcoming = client.get("/events/").get_data(as_text=True)
    assert "Будущий вебинар" in upcoming and "Прошедшее совещание" not in upcoming
    assert "Семинар другого района" not in upcoming
    past = client.get("/events/?when=past").get_data(as_text=True)
    assert "Прошедшее совещание" in past and "Будущий вебинар" not in past
    meetings = client.get("/events/?when=all&kind=meeting").get_data(as_text=True)
    assert "Прошедшее совещание" in meetings and "Будущий вебинар" not in meetings
    found = client.get("/events/?when=all&q=ВЕБИНАР").get_data(as_text=True)
    assert "Будущий вебинар" in found and "Прошедшее совещание" not in found
