"""Staff see only their subtree; a school only itself; regional staff see every district."""

from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import login


def test_district_staff_cannot_open_another_districts_school_by_url(client, world):
    login(client, world.admin_a)
    assert client.get(f"/organizations/{world.school_b1.id}").status_code == 404
    assert client.get(f"/organizations/{world.school_b1.id}/edit").status_code == 404
    assert client.post(f"/organizations/{world.school_b1.id}/deactivate").status_code == 404
    assert client.get(f"/organizations/{world.district_b.id}").status_code == 404


def test_district_staff_cannot_open_another_districts_user_by_url(client, world):
    login(client, world.admin_a)
    assert client.get(f"/users/{world.school_user_b1.id}").status_code == 404
    assert client.get(f"/users/{world.school_user_b1.id}/edit").status_code == 404
    assert client.post(f"/users/{world.school_user_b1.id}/deactivate").status_code == 404
    db.session.refresh(world.school_user_b1)
    assert world.school_user_b1.active


def test_district_staff_list_and_search_show_only_their_district(client, world):
    login(client, world.admin_a)
    page = client.get("/organizations/?status=all").get_data(as_text=True)
    assert "Нюрбинская СОШ №1" in page
    assert "Сунтарская" not in page
    assert "Сунтарская" not in client.get("/organizations/?q=Сунтар").get_data(as_text=True)
    users = client.get("/users/?q=school").get_data(as_text=True)
    assert "school-a1" in users
    assert "school-b1" not in users


def test_regional_staff_see_both_districts(client, world):
    login(client, world.region_admin)
    page = client.get("/organizations/?status=all").get_data(as_text=True)
    assert "Нюрбинская СОШ №1" in page and "Сунтарская СОШ №1" in page
    assert client.get(f"/organizations/{world.school_b1.id}").status_code == 200
    assert client.get(f"/users/{world.school_user_b1.id}").status_code == 200
    users = client.get("/users/?q=school").get_data(as_text=True)
    assert "school-a1" in users and "school-b1" in users


def test_viewer_sees_own_district_read_only(client, world):
    login(client, world.viewer_a)
    assert client.get(f"/organizations/{world.school_a1.id}").status_code == 200
    assert client.get(f"/organizations/{world.school_b1.id}").status_code == 404
    page = client.get(f"/organizations/{world.school_a1.id}").get_data(as_text=True)
    assert f"/organizations/{world.school_a1.id}/edit" not in page


def test_staff_cannot_manage_own_parent_region(client, world):
    login(client, world.admin_a)
    assert client.get(f"/organizations/{world.region.id}").status_code == 404
    assert client.get(f"/users/{world.region_admin.id}").status_code == 404


def test_staff_cannot_create_organization_outside_subtree(client, world):
    login(client, world.admin_a)
    response = client.post(
        "/organizations/new",
        data={"name": "Чужая школа", "kind": "school", "parent_id": world.district_b.id},
    )
    assert response.status_code == 400
    assert (
        db.session.query(AuditEvent).filter_by(action="create", object_label="Чужая школа").count()
        == 0
    )


def test_audit_log_shows_only_own_subtree(client, world):
    login(client, world.admin_b)
    client.post("/logout")
    login(client, world.admin_a)
    page = client.get("/audit/?action=login").get_data(as_text=True)
    assert "admin-a" in page
    assert "admin-b" not in page
    client.post("/logout")
    login(client, world.region_admin)
    page = client.get("/audit/?action=login").get_data(as_text=True)
    assert "admin-a" in page and "admin-b" in page
