"""The roadmap tracker: who reads and keeps it, activities, statuses, evidence, progress, the
copy for the next year."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.roadmap import services
from app.roadmap.models import Activity, Evidence, Roadmap, Status
from tests.monitoring import make_monitoring

ACTIVITY = {
    "number": "5",
    "section": "Организационно-координационные мероприятия",
    "title": "Анализ кадрового обеспечения школьных библиотек",
    "period": "Январь – февраль",
    "responsible": "МКУ «УОНР», ОО",
    "document_type": "Аналитическая справка",
    "expected_results": "Карта затруднений",
}


def _roadmap(world, year=2023) -> Roadmap:
    roadmap = services.create_roadmap(world.admin_a, f"Дорожная карта {year}–{year + 1}", year)
    db.session.commit()
    return roadmap


def _activities(roadmap) -> list[Activity]:
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Activity).where(Activity.roadmap_id == roadmap.id).order_by(Activity.number)
    ).all()


def test_staff_add_an_activity_whose_period_becomes_dates(world, as_user):
    roadmap = _roadmap(world)
    client = as_user(world.admin_a)
    response = client.post(f"/roadmap/{roadmap.id}/items/new", data=ACTIVITY)
    assert response.status_code == 302
    (activity,) = _activities(roadmap)
    assert (activity.number, activity.starts_on, activity.ends_on) == (
        5,
        date(2024, 1, 1),
        date(2024, 2, 29),
    )
    assert activity.section.title == "Организационно-координационные мероприятия"
    again = client.post(f"/roadmap/{roadmap.id}/items/new", data=ACTIVITY)
    assert again.status_code == 400
    assert 'id="number-error"' in again.get_data(as_text=True)


def test_an_overdue_activity_is_red_on_the_dashboard(world, as_user):
    roadmap = _roadmap(world, year=2020)  # long over: every activity not done is overdue
    as_user(world.admin_a).post(f"/roadmap/{roadmap.id}/items/new", data=ACTIVITY)
    page = as_user(world.admin_a).get(f"/roadmap/{roadmap.id}").get_data(as_text=True)
    row = page.split('id="activities"')[1].split("</tr>")[1]
    assert 'class="table-danger"' in row and "Просрочено" in row


def test_status_done_and_evidence_count_in_the_progress(world, as_user):
    monitoring = make_monitoring(world)
    roadmap = _roadmap(world)
    client = as_user(world.admin_a)
    client.post(f"/roadmap/{roadmap.id}/items/new", data=ACTIVITY)
    client.post(f"/roadmap/{roadmap.id}/items/new", data={**ACTIVITY, "number": "6"})
    first, second = _activities(roadmap)
    base = f"/roadmap/{roadmap.id}/items/{first.id}"
    future = client.post(f"{base}/status", data={"status": "done", "done_on": "01.01.2099"})
    assert future.status_code == 400
    note = "Справка направлена в МОиН"
    status = {"status": "done", "done_on": "28.02.2024", "result_note": note}
    done = client.post(f"{base}/status", data=status)
    assert done.status_code == 302
    link = {"kind": "campaign", "campaign_id": monitoring.campaign.id}
    evidence = client.post(f"{base}/evidence", data=link)
    assert evidence.status_code == 302
    bad_link = client.post(f"{base}/evidence", data={"kind": "url", "url": "javascript:alert(1)"})
    assert bad_link.status_code == 400
    assert 'id="url-error"' in bad_link.get_data(as_text=True)
    db.session.expire_all()
    roadmap = db.session.get(Roadmap, roadmap.id)
    overall, sections = services.progress(roadmap, date(2024, 3, 1))
    assert (overall.total, overall.done, overall.overdue, overall.percent) == (2, 1, 1, 50)
    (proof,) = db.session.scalars(sa.select(Evidence)).all()
    assert proof.campaign_id == monitoring.campaign.id
    page = client.get(f"/roadmap/{roadmap.id}").get_data(as_text=True)
    assert monitoring.campaign.title in page


def test_the_copy_for_the_next_year_is_planned_and_its_periods_move(world, as_user):
    roadmap = _roadmap(world)
    client = as_user(world.admin_a)
    client.post(
        f"/roadmap/{roadmap.id}/items/new", data={**ACTIVITY, "period": "15.02.2024–29.02.2024"}
    )
    (activity,) = _activities(roadmap)
    client.post(f"/roadmap/{roadmap.id}/items/{activity.id}/status", data={"status": "done"})
    assert client.post(f"/roadmap/{roadmap.id}/copy").status_code == 302
    copy = db.session.scalars(sa.select(Roadmap).where(Roadmap.year == 2024)).one()
    assert copy.title == "Дорожная карта 2024–2025"
    (moved,) = _activities(copy)
    assert (moved.status, moved.period, moved.ends_on) == (
        Status.PLANNED,
        "15.02.2025–28.02.2025",
        date(2025, 2, 28),
    )
    assert moved.section.title == activity.section.title


@pytest.mark.parametrize("who", ["school_user_a1", "jury_a"])
def test_schools_and_jurors_do_not_open_the_roadmap(world, as_user, who):
    roadmap = _roadmap(world)
    client = as_user(getattr(world, who))
    assert client.get("/roadmap/").status_code == 403
    assert client.get(f"/roadmap/{roadmap.id}").status_code == 403


def test_a_viewer_reads_but_does_not_change_and_another_district_sees_nothing(world, as_user):
    roadmap = _roadmap(world)
    viewer = as_user(world.viewer_a)
    assert viewer.get(f"/roadmap/{roadmap.id}").status_code == 200
    assert viewer.post(f"/roadmap/{roadmap.id}/items/new", data=ACTIVITY).status_code == 403
    viewer.post("/logout")
    other = as_user(world.admin_b)
    assert other.get(f"/roadmap/{roadmap.id}").status_code == 404
    assert roadmap.title not in other.get("/roadmap/").get_data(as_text=True)
