"""Who may open and change a сборник: staff of its district (and above) everything, viewers the
list and the finished .docx, staff of another district nothing (404), schools and jurors
nothing (403)."""

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.compendium import services
from app.compendium.models import Compendium, CompendiumSection, Practice
from app.extensions import db
from tests.compendium.practices import new_compendium, practice_monitoring


@dataclass
class Setup:
    compendium: Compendium
    section: CompendiumSection
    practice: Practice
    campaign_id: int


@pytest.fixture
def setup(world) -> Setup:
    monitoring = practice_monitoring(world)
    compendium = new_compendium(world)
    section = services.add_section(world.admin_a, compendium, "Практики")
    services.add_section(world.admin_a, compendium, "Ещё")
    (practice,) = services.add_responses(world.admin_a, compendium, section, [monitoring.submitted])
    db.session.commit()
    return Setup(compendium, section, practice, monitoring.campaign.id)


def _routes(s: Setup) -> list[tuple[str, str, dict, str]]:
    """(method, path, form data, who besides staff may: "viewer" or "")."""
    base = f"/compendia/{s.compendium.id}"
    sec, p = f"{base}/sections/{s.section.id}", f"{base}/practices/{s.practice.id}"
    return [
        ("get", "/compendia/", {}, "viewer"),
        ("get", f"{base}/document.docx", {}, "viewer"),
        ("get", "/compendia/new", {}, ""),
        ("post", "/compendia/new", {"title": "Новый", "year": "2026"}, ""),
        ("get", base, {}, ""),
        ("get", f"{base}/edit", {}, ""),
        ("post", f"{base}/edit", {"title": "Другое", "year": "2026"}, ""),
        ("post", f"{base}/sections", {"title": "Раздел"}, ""),
        ("post", f"{sec}/rename", {"title": "Переименован"}, ""),
        ("post", f"{sec}/down", {}, ""),
        ("get", f"{base}/add/contest", {}, ""),
        ("get", f"{base}/add/monitoring?campaign_id={s.campaign_id}", {}, ""),
        ("post", f"{base}/add/responses",
         {"campaign_id": s.campaign_id, "section_id": s.section.id, "response_ids": []}, ""),
        ("post", f"{base}/add/winners", {"contest_id": "", "section_id": "0"}, ""),
        ("post", f"{base}/add/entries", {"contest_id": "", "section_id": "0"}, ""),
        ("get", p, {}, ""),
        ("post", p, {"title": "Практика", "with_pictures": "y"}, ""),
        ("post", f"{p}/down", {}, ""),
        ("post", f"{p}/section", {"section_id": s.section.id}, ""),
        ("post", f"{p}/delete", {}, ""),
        ("post", f"{sec}/delete", {}, ""),
        ("post", f"{base}/delete", {}, ""),
    ]  # fmt: skip


def _call(client, method, path, data):
    return client.get(path) if method == "get" else client.post(path, data=data)


@pytest.mark.parametrize("who", ["admin_a", "region_admin"])
def test_staff_of_the_district_and_above_reach_every_page(world, as_user, setup, who):
    client = as_user(getattr(world, who))
    for method, path, data, _ in _routes(setup):
        status = _call(client, method, path, data).status_code
        assert status < 500 and status != 403 and status != 404, (method, path, status)


def test_a_viewer_downloads_the_finished_document_but_changes_nothing(world, as_user, setup):
    client = as_user(world.viewer_a)
    for method, path, data, allowed in _routes(setup):
        status = _call(client, method, path, data).status_code
        assert status == (200 if allowed else 403), (method, path, status)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Compendium)) == 1


@pytest.mark.parametrize("who", ["school_user_a1", "jury_a"])
def test_schools_and_jurors_are_refused_everywhere(world, as_user, setup, who):
    client = as_user(getattr(world, who))
    for method, path, data, _ in _routes(setup):
        assert _call(client, method, path, data).status_code == 403, (method, path)


def test_staff_of_another_district_do_not_find_it(world, as_user, setup):
    client = as_user(world.admin_b)
    for method, path, data, _ in _routes(setup)[1:]:
        if path in ("/compendia/new",):
            continue
        assert _call(client, method, path, data).status_code == 404, (method, path)
    assert setup.compendium.title not in client.get("/compendia/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Compendium, setup.compendium.id).title == "Сборник практик"
