"""Every view of events for every role: allowed, refused (403) or not found (404) across
districts; refusals change nothing."""

import io

import pytest
import sqlalchemy as sa

from app.events.models import Event, Material, Registration, Speaker
from app.extensions import db
from tests.conftest import login
from tests.events.factory import make_event, register
from tests.registry.factory import make_record

ROLES = ("admin_a", "admin_b", "school_user_a1", "school_user_b1", "jury_a", "viewer_a")
GET_ROUTES = {
    # route: expected status per role, in ROLES order
    "/events/": (200, 200, 200, 200, 403, 200),
    "/events/new": (200, 200, 403, 403, 403, 403),
    "/events/{event}": (200, 404, 200, 404, 403, 200),
    "/events/{event}/edit": (200, 404, 403, 403, 403, 403),
    "/events/{event}/attendance": (200, 404, 403, 403, 403, 403),
    "/events/{event}/feedback": (200, 404, 403, 403, 403, 403),
    "/events/{event}/programme": (200, 404, 200, 404, 403, 200),
    "/events/{event}/materials/{material}": (200, 404, 200, 404, 403, 200),
    "/events/non-participants": (200, 200, 403, 403, 403, 403),
    "/events/non-participants.xlsx": (200, 200, 403, 403, 403, 403),
}
POST_ROUTES = {
    "/events/{event}/cancel": (302, 404, 403, 403, 403, 403),
    "/events/{event}/attendance/{registration}": (302, 404, 403, 403, 403, 403),
    "/events/{event}/speakers/{speaker}/delete": (302, 404, 403, 403, 403, 403),
    "/events/{event}/materials/{material}/delete": (302, 404, 403, 403, 403, 403),
    "/events/{event}/registrations/{registration}/delete": (302, 404, 302, 404, 403, 403),
    "/events/{event}/delete": (302, 404, 403, 403, 403, 403),
}


@pytest.fixture
def setting(world):
    from app.core.uploads import upload_folder

    (upload_folder() / ("a" * 32 + ".pdf")).write_bytes(b"%PDF-1.4\n")
    event = make_event(world.district_a, programme_stored_name="a" * 32 + ".pdf",
                       programme_original_name="Программа.pdf")  # fmt: skip
    registration = register(event, make_record(world.school_a1))
    speaker = Speaker(event=event, name="Петрова А. И.")
    material = Material(event=event, title="Слайды", stored_name="a" * 32 + ".pdf",
                        original_name="Слайды.pdf")  # fmt: skip
    db.session.add_all([speaker, material])
    db.session.commit()
    return {"event": event.id, "registration": registration.id, "speaker": speaker.id,
            "material": material.id}  # fmt: skip


def _client(app, world, role):
    client = app.test_client()
    assert login(client, getattr(world, role)).status_code == 302
    return client


@pytest.mark.parametrize("route", GET_ROUTES)
def test_get_views_by_role(app, world, setting, route):
    for role, expected in zip(ROLES, GET_ROUTES[route], strict=True):
        response = _client(app, world, role).get(route.format(**setting))
        assert response.status_code == expected, (role, route)


@pytest.mark.parametrize("route", POST_ROUTES)
def test_post_views_by_role(app, world, setting, route):
    """Refused roles first: nothing they do changes the event; then the allowed ones."""
    refused = [r for r, code in zip(ROLES, POST_ROUTES[route], strict=True) if code >= 400]
    for role in refused:
        expected = POST_ROUTES[route][ROLES.index(role)]
        response = _client(app, world, role).post(route.format(**setting))
        assert response.status_code == expected, (role, route)
    db.session.expire_all()
    assert db.session.get(Event, setting["event"]).cancelled_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1
    assert db.session.get(Registration, setting["registration"]).attended is False
    allowed = [r for r, code in zip(ROLES, POST_ROUTES[route], strict=True) if code < 400]
    response = _client(app, world, allowed[-1]).post(route.format(**setting))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "role, expected",
    [("admin_a", 302), ("admin_b", 404), ("school_user_a1", 302), ("school_user_b1", 404),
     ("jury_a", 403), ("viewer_a", 403)],
)  # fmt: skip
def test_registering_by_role(app, world, role, expected):
    event = make_event(world.district_a)
    record = make_record(world.school_a1)
    response = _client(app, world, role).post(
        f"/events/{event.id}/registrations", data={"record_id": record.id}
    )
    assert response.status_code == expected
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Registration))
    assert count == (1 if expected == 302 else 0)


@pytest.mark.parametrize(
    "route, data",
    [("/events/new", {"kind": "meeting", "title": "Совещание", "starts_at": "01.12.2030 10:00",
                      "ends_at": "01.12.2030 12:00", "place": "Нюрба", "activity_id": "0"}),
     ("/events/{event}/edit", {"kind": "meeting", "title": "Совещание", "activity_id": "0",
                               "starts_at": "01.12.2030 10:00", "ends_at": "01.12.2030 12:00",
                               "place": "Нюрба"}),
     ("/events/{event}/speakers", {"record_id": "0", "name": "Гостья"}),
     ("/events/{event}/materials", {"title": "Ссылка", "url": "https://example.ru/x"})],
)  # fmt: skip
def test_staff_forms_are_refused_to_others(app, world, route, data):
    event = make_event(world.district_a, title="Исходное")
    for role, expected in (("school_user_a1", 403), ("viewer_a", 403), ("jury_a", 403),
                           ("admin_b", 404 if "{event}" in route else 302)):  # fmt: skip
        response = _client(app, world, role).post(route.format(event=event.id), data=data)
        assert response.status_code == expected, role
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "Исходное"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Speaker)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Material)) == 0
    response = _client(app, world, "admin_a").post(route.format(event=event.id), data=data)
    assert response.status_code == 302


def test_feedback_post_is_refused_to_others(app, world):
    event = make_event(world.district_a)
    data = {"link-campaign_id": "1", "link-submit": "1"}
    for role, expected in (("school_user_a1", 403), ("viewer_a", 403), ("admin_b", 404)):
        assert _client(app, world, role).post(f"/events/{event.id}/feedback",
                                              data=data).status_code == expected  # fmt: skip


def test_a_file_upload_to_materials_needs_staff(app, world):
    event = make_event(world.district_a)
    data = {"title": "Слайды", "file": (io.BytesIO(b"%PDF-1.4\n"), "s.pdf")}
    response = _client(app, world, "school_user_a1").post(
        f"/events/{event.id}/materials", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Material)) == 0
