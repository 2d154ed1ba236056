"""Organizations: search across Cyrillic and Sakha letters, Russian order, edit, deactivate."""

import sqlalchemy as sa

from app.accounts.models import Role
from app.extensions import db
from app.organizations import services
from app.organizations.models import Organization, OrganizationKind
from tests.conftest import login
from tests.factories import make_org, make_user


def _names(statement) -> list[str]:
    return [organization.name for organization in db.session.scalars(statement)]


def test_search_folds_case_of_sakha_and_russian_letters(world):
    make_org("школа үөҕҥһ", parent=world.district_a)
    assert _names(services.search(world.admin_a, text="ҮӨҔҤҺ")) == ["школа үөҕҥһ"]
    assert _names(services.search(world.admin_a, text="нюрбинская")) == ["Нюрбинская СОШ №1"]
    assert _names(services.search(world.admin_a, text="НСОШ1")) == ["Нюрбинская СОШ №1"]


def test_search_treats_yo_as_ye_and_escapes_wildcards(world):
    make_org("Ёлкинская СОШ", parent=world.district_a)
    make_org("Школа 100%", parent=world.district_a)
    assert _names(services.search(world.admin_a, text="елкинская")) == ["Ёлкинская СОШ"]
    assert _names(services.search(world.admin_a, text="%")) == ["Школа 100%"]
    assert _names(services.search(world.admin_a, text="_")) == []


def test_search_page_finds_sakha_name(client, world):
    make_org("школа үөҕҥһ", parent=world.district_a)
    login(client, world.admin_a)
    page = client.get("/organizations/?q=ҮӨҔҤҺ").get_data(as_text=True)
    assert "школа үөҕҥһ" in page
    assert "Маарская СОШ" not in page


def test_lists_sort_in_russian_and_sakha_alphabetical_order(world):
    district = world.district_b
    names = [
        "Өлөөн",
        "Ынахсыт",
        "Ёлка",
        "Ҕалык",
        "Гаврил",
        "Дьаргалаах",
        "Ебэ",
        "Абый",
        "Жархан",
        "Школа №10",
        "Школа №2",
        "Үөһээ",
        "Уолба",
        "Фёдор",
        "Һаһыл",
        "Хатын",
    ]
    for name in names:
        make_org(name, parent=district)
    listed = _names(services.search(world.admin_b).where(Organization.parent_id == district.id))
    assert listed == [
        "Абый",
        "Гаврил",
        "Ҕалык",
        "Дьаргалаах",
        "Ебэ",
        "Ёлка",
        "Жархан",
        "Өлөөн",
        "Сунтарская СОШ №1",
        "Уолба",
        "Үөһээ",
        "Фёдор",
        "Хатын",
        "Һаһыл",
        "Школа №2",
        "Школа №10",
        "Ынахсыт",
    ]


def test_staff_create_school_in_their_district(client, world):
    login(client, world.admin_a)
    response = client.post(
        "/organizations/new",
        data={
            "name": "Кюндядинская СОШ",
            "short_name": "КСОШ",
            "kind": "school",
            "parent_id": world.district_a.id,
            "locality": "с. Кюндядя",
        },
    )
    assert response.status_code == 302
    school = db.session.scalar(
        sa.select(Organization).where(Organization.name == "Кюндядинская СОШ")
    )
    assert school.is_within(world.district_a)
    assert school.path == f"{world.district_a.path}{school.id}/"


def test_missing_name_is_shown_beside_the_field_and_nothing_is_saved(client, world):
    login(client, world.admin_a)
    response = client.post(
        "/organizations/new",
        data={"name": "", "kind": "school", "parent_id": world.district_a.id},
    )
    assert response.status_code == 400
    assert 'id="name-error"' in response.get_data(as_text=True)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Organization))
    assert count == 6


def test_duplicate_name_under_same_parent_is_refused(client, world):
    login(client, world.admin_a)
    response = client.post(
        "/organizations/new",
        data={"name": "маарская сош", "kind": "school", "parent_id": world.district_a.id},
    )
    assert response.status_code == 400
    assert 'id="name-error"' in response.get_data(as_text=True)


def test_moving_a_district_rewrites_paths_of_its_subtree(world):
    other_region = make_org("Другой регион", OrganizationKind.REGION)
    root_admin = make_user(Role.ADMIN, world.region, "root")
    middle = make_org("Округ", OrganizationKind.OTHER, world.region)
    services.update_organization(
        root_admin,
        world.district_a,
        middle,
        **{name: getattr(world.district_a, name) for name in services.EDITABLE_FIELDS},
    )
    db.session.commit()
    db.session.expire_all()
    assert (
        world.school_a1.path
        == f"{world.region.path}{middle.id}/{world.district_a.id}/{world.school_a1.id}/"
    )
    assert not world.school_a1.is_within(other_region)


def test_organization_cannot_move_inside_itself(client, world):
    login(client, world.region_admin)
    response = client.post(
        f"/organizations/{world.district_a.id}/edit",
        data={"name": world.district_a.name, "kind": "district", "parent_id": world.school_a1.id},
    )
    assert response.status_code == 400


def test_deactivation_is_refused_while_schools_are_active(client, world):
    login(client, world.region_admin)
    client.post(f"/organizations/{world.district_a.id}/deactivate")
    db.session.refresh(world.district_a)
    assert world.district_a.is_active
    client.post(f"/organizations/{world.school_a1.id}/deactivate")
    db.session.refresh(world.school_a1)
    assert not world.school_a1.is_active
    assert login(client.application.test_client(), world.school_user_a1).status_code == 400


def test_deactivated_organizations_are_hidden_by_default_but_kept(client, world):
    login(client, world.admin_a)
    client.post(f"/organizations/{world.school_a2.id}/deactivate")
    assert "Маарская СОШ" not in client.get("/organizations/").get_data(as_text=True)
    assert "Маарская СОШ" in client.get("/organizations/?status=inactive").get_data(as_text=True)
    assert client.get(f"/organizations/{world.school_a2.id}").status_code == 200


def test_list_is_paginated_and_filtered_by_locality(client, world):
    for number in range(30):
        make_org(f"Школа {number:02}", parent=world.district_a, locality="с. Антоновка")
    login(client, world.admin_a)
    first = client.get("/organizations/?locality=с. Антоновка").get_data(as_text=True)
    assert "Школа 00" in first and "Школа 29" not in first
    second = client.get("/organizations/?locality=с. Антоновка&page=2").get_data(as_text=True)
    assert "Школа 29" in second
    assert "Маарская" not in first + second
