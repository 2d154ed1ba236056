"""The register of library staff: consent before an active record, who sees and edits whom,
district views logged, the three-year rhythm of courses, withdrawal that anonymises."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.timefmt import utc_to_local
from app.core.uploads import upload_folder
from app.extensions import db
from app.registry import services
from app.registry.models import LibrarianRecord
from tests.registry.factory import make_record

PERSON = {
    "organization_id": None,
    "last_name": "Николаева",
    "first_name": "Сардана",
    "patronymic": "Ивановна",
    "position": "teacher_librarian",
    "rate": "0,5",
    "employment": "main",
    "education": "higher",
    "library_education": "y",
    "category": "first",
    "career_start": "01.09.2010",
    "library_start": "01.09.2015",
    "is_active": "y",
}


def _person(world, **changes) -> dict:
    return {**PERSON, "organization_id": world.school_a1.id, **changes}


def _records() -> list[LibrarianRecord]:
    db.session.expire_all()
    return db.session.scalars(sa.select(LibrarianRecord)).all()


def _events(action: str) -> list[AuditEvent]:
    statement = sa.select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == "librarian_record"
    )
    return db.session.scalars(statement).all()


# Consent (152-ФЗ)


def test_an_active_record_without_consent_is_refused_beside_the_field(world, as_user):
    client = as_user(world.school_user_a1)
    response = client.post("/registry/new", data=_person(world))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="consent_on-error"' in page
    assert "укажите дату согласия сотрудника на обработку персональных данных" in page
    assert _records() == []


def test_a_consent_date_alone_is_not_enough(world, as_user):
    client = as_user(world.school_user_a1)
    response = client.post("/registry/new", data=_person(world, consent_on="02.09.2026"))
    assert response.status_code == 400
    assert 'id="consent_file-error"' in response.get_data(as_text=True)
    assert _records() == []


def test_a_school_adds_a_person_with_consent_kept_in_the_file(world, as_user):
    client = as_user(world.school_user_a1)
    data = _person(world, consent_on="02.09.2026", consent_note="в личном деле")
    response = client.post("/registry/new", data=data)
    assert response.status_code == 302
    (record,) = _records()
    assert (record.full_name, record.rate, record.organization_id) == (
        "Николаева Сардана Ивановна",
        Decimal("0.5"),
        world.school_a1.id,
    )
    (created,) = _events("create")
    assert created.object_label == f"Запись № {record.id}"  # no name in the log


def test_a_signed_consent_is_stored_and_downloaded(world, as_user):
    client = as_user(world.school_user_a1)
    scan = (io.BytesIO(b"%PDF-1.4\n%signed\n"), "Согласие Николаевой.pdf")
    data = _person(world, consent_on="02.09.2026", consent_file=scan)
    response = client.post("/registry/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    (record,) = _records()
    download = client.get(f"/registry/{record.id}/consent")
    assert download.status_code == 200
    assert download.data == b"%PDF-1.4\n%signed\n"


def test_a_person_who_left_needs_no_consent(world, as_user):
    client = as_user(world.school_user_a1)
    data = {**_person(world), "is_active": "", "left_on": "31.08.2026"}
    assert client.post("/registry/new", data=data).status_code == 302
    (record,) = _records()
    assert (record.is_active, record.left_on) == (False, date(2026, 8, 31))


# Who sees and edits


def test_a_school_sees_and_edits_only_its_own_staff(world, as_user):
    own, other = make_record(world.school_a1), make_record(world.school_a2)
    client = as_user(world.school_user_a1)
    listed = client.get("/registry/").get_data(as_text=True)
    assert own.last_name in listed and other.last_name not in listed
    assert client.get(f"/registry/{own.id}/edit").status_code == 200
    for path in ("", "/edit", "/consent"):
        assert client.get(f"/registry/{other.id}{path}").status_code == 404


def test_district_staff_read_their_subtree_and_every_view_is_logged(world, as_user):
    record, elsewhere = make_record(world.school_a1), make_record(world.school_b1)
    client = as_user(world.admin_a)
    listed = client.get("/registry/").get_data(as_text=True)
    assert record.last_name in listed and elsewhere.last_name not in listed
    assert client.get(f"/registry/{record.id}").status_code == 200
    assert client.get(f"/registry/{elsewhere.id}").status_code == 404
    (viewed,) = _events("view_person")
    assert (viewed.actor_id, viewed.object_id) == (world.admin_a.id, record.id)
    assert client.get(f"/registry/{record.id}/edit").status_code == 403  # the school edits


def test_a_school_opening_its_own_record_is_not_logged(world, as_user):
    record = make_record(world.school_a1)
    assert as_user(world.school_user_a1).get(f"/registry/{record.id}").status_code == 200
    assert _events("view_person") == []


@pytest.mark.parametrize("who", ["viewer_a", "jury_a"])
def test_viewers_and_jurors_see_no_personal_data(world, as_user, who):
    record = make_record(world.school_a1)
    client = as_user(getattr(world, who))
    for url in ("/registry/", f"/registry/{record.id}", f"/registry/{record.id}/consent"):
        response = client.get(url)
        assert response.status_code == 403
        assert record.last_name not in response.get_data(as_text=True)


# Courses every three years


def test_a_course_counts_for_three_years_to_the_day(world):
    record = make_record(world.school_a1, courses=[(date(2023, 11, 20), date(2023, 12, 1))])
    assert not services.course_due(record, date(2026, 12, 1))
    assert services.course_due(record, date(2026, 12, 2))


def test_the_boundary_is_the_district_day_not_the_server_day(world):
    """At 15:30 UTC on 30 November it is already 1 December in Yakutsk (UTC+9)."""
    record = make_record(world.school_a1, courses=[(date(2023, 11, 20), date(2023, 11, 30))])
    before = utc_to_local(datetime(2026, 11, 30, 14, 59, tzinfo=UTC)).date()
    after = utc_to_local(datetime(2026, 11, 30, 15, 0, tzinfo=UTC)).date()
    assert (before, after) == (date(2026, 11, 30), date(2026, 12, 1))
    assert not services.course_due(record, before)
    assert services.course_due(record, after)


def test_a_course_ending_on_29_february_counts_until_28_february(world):
    record = make_record(world.school_a1, courses=[(date(2024, 2, 1), date(2024, 2, 29))])
    assert not services.course_due(record, date(2027, 2, 28))
    assert services.course_due(record, date(2027, 3, 1))


def test_someone_who_never_had_a_course_is_due(world):
    assert services.course_due(make_record(world.school_a1), date(2026, 12, 1))


def test_the_list_filters_those_due_for_courses(world, as_user):
    trained = make_record(world.school_a1, courses=[(date(2026, 3, 1), date(2026, 3, 20))])
    untrained = make_record(world.school_a1, courses=[(date(2020, 3, 1), date(2020, 3, 20))])
    page = as_user(world.admin_a).get("/registry/?due=y").get_data(as_text=True)
    assert untrained.last_name in page and trained.last_name not in page


def test_a_school_adds_and_deletes_a_course(world, as_user):
    record = make_record(world.school_a1)
    client = as_user(world.school_user_a1)
    course = {"topic": "Медиаграмотность", "hours": "36", "starts_on": "01.10.2026",
              "ends_on": "10.10.2026"}  # fmt: skip
    assert client.post(f"/registry/{record.id}/courses", data=course).status_code == 302
    db.session.refresh(record)
    (added,) = record.courses
    assert (added.topic, added.hours, added.ends_on) == ("Медиаграмотность", 36, date(2026, 10, 10))
    assert client.post(f"/registry/{record.id}/courses/{added.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(LibrarianRecord, record.id).courses == []


def test_a_course_ending_before_it_starts_is_refused_beside_the_field(world, as_user):
    record = make_record(world.school_a1)
    course = {"topic": "Медиаграмотность", "hours": "36", "starts_on": "10.10.2026",
              "ends_on": "01.10.2026"}  # fmt: skip
    response = as_user(world.school_user_a1).post(f"/registry/{record.id}/courses", data=course)
    assert response.status_code == 400
    assert 'id="ends_on-error"' in response.get_data(as_text=True)
    db.session.refresh(record)
    assert record.courses == []


# Experience


@pytest.mark.parametrize(
    ("start", "today", "years"),
    [
        (date(2015, 9, 1), date(2026, 8, 31), 10),
        (date(2015, 9, 1), date(2026, 9, 1), 11),
        (date(2016, 2, 29), date(2026, 2, 28), 9),
        (None, date(2026, 9, 1), None),
    ],
)
def test_experience_is_counted_in_whole_years(start, today, years):
    assert services.full_years(start, today) == years


# Withdrawal


def test_a_withdrawn_consent_erases_the_person_and_hides_the_record(world, as_user):
    record = make_record(world.school_a1, consent_file=True, phone="+7 914 000-00-00")
    stored = upload_folder() / record.consent_stored_name
    client = as_user(world.school_user_a1)
    response = client.post(f"/registry/{record.id}/withdraw", data={"withdrawn_on": "01.12.2026"})
    assert response.status_code == 302
    db.session.expire_all()
    erased = db.session.get(LibrarianRecord, record.id)
    assert (erased.last_name, erased.first_name, erased.phone, erased.consent_stored_name) == (
        "",
        "",
        "",
        "",
    )
    assert erased.consent_withdrawn_on == date(2026, 12, 1)
    assert not stored.exists()
    assert client.get(f"/registry/{record.id}").status_code == 404
    assert "Иванова" not in client.get("/registry/?status=all").get_data(as_text=True)
    assert all("Иванова" not in (e.object_label or "") for e in _events("withdraw_consent"))


def test_only_the_school_withdraws_a_consent(world, as_user):
    record = make_record(world.school_a1)
    response = as_user(world.admin_a).post(
        f"/registry/{record.id}/withdraw", data={"withdrawn_on": "01.12.2026"}
    )
    assert response.status_code == 403
    db.session.refresh(record)
    assert record.consent_withdrawn_on is None


# Export


def _exported(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_an_export_asks_for_its_purpose_and_logs_it(world, as_user):
    make_record(world.school_a1, last_name="Егорова")
    client = as_user(world.admin_a)
    refused = client.post("/registry/export", data={"reason": ""})
    assert refused.status_code == 400
    assert 'id="reason-error"' in refused.get_data(as_text=True)
    assert _events("export_personal_data") == []
    response = client.post("/registry/export", data={"reason": "Список на курсы ИРОиПК"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert [row["Фамилия"] for row in _exported(response)] == ["Егорова"]
    (logged,) = _events("export_personal_data")
    assert logged.actor_id == world.admin_a.id
    assert logged.after["reason"] == "Список на курсы ИРОиПК"


def test_the_district_exports_whom_to_send_to_courses(world, as_user):
    make_record(
        world.school_a1, last_name="Обученная", courses=[(date(2026, 3, 1), date(2026, 3, 20))]
    )
    make_record(world.school_a2, last_name="Необученная")
    make_record(world.school_b1, last_name="Чужая")
    response = as_user(world.admin_a).post(
        "/registry/export", data={"reason": "Направление на курсы", "due": "y"}
    )
    rows = _exported(response)
    assert [(row["Фамилия"], row["Нужны курсы"]) for row in rows] == [("Необученная", "да")]


def test_a_school_exports_only_its_own_staff(world, as_user):
    make_record(world.school_a1, last_name="Своя")
    make_record(world.school_a2, last_name="Соседняя")
    response = as_user(world.school_user_a1).post("/registry/export", data={"reason": "Отчёт"})
    assert [row["Фамилия"] for row in _exported(response)] == ["Своя"]


def _statements(client, url: str) -> int:
    """How many SQL statements the page runs, on whichever engine serves the request."""
    seen = []

    def count(*_args):
        seen.append(1)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    assert seen  # the listener saw the page's statements
    return len(seen)


def test_the_list_runs_as_many_statements_for_twenty_people_as_for_two(world, as_user):
    course = [(date(2025, 3, 1), date(2025, 3, 20))]
    for _ in range(2):
        make_record(world.school_a1, courses=course)
    client = as_user(world.admin_a)
    few = _statements(client, "/registry/")
    for _ in range(18):
        make_record(world.school_a2, courses=course)
    assert _statements(client, "/registry/") == few  # no statement per person
