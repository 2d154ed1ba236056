"""Command-line tools: demo data and the first administrator."""

import sqlalchemy as sa

from app.accounts.models import Role, User
from app.contests import standings
from app.contests.models import Contest, Phase
from app.demo import data
from app.extensions import db
from app.organizations.models import Organization, OrganizationKind
from tests.conftest import login
from tests.factories import make_org


def _count(model, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def test_demo_creates_two_districts_and_prints_working_logins(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "nyurba-admin" in result.output and data.PASSWORD in result.output
    nyurba = db.session.scalar(
        sa.select(Organization).where(Organization.name == data.NYURBA["name"])
    )
    schools = _count(
        Organization,
        Organization.parent_id == nyurba.id,
        Organization.kind == OrganizationKind.SCHOOL,
    )
    assert schools == 20
    assert _count(User, User.role == Role.SCHOOL) == 23
    assert _count(User, User.role == Role.JURY) == 3
    assert _count(User, User.role == Role.VIEWER) == 1
    client = app.test_client()
    assert login(client, "nyurba-admin", data.PASSWORD).status_code == 302
    page = client.get("/organizations/?status=all&kind=school").get_data(as_text=True)
    assert "Маарская СОШ" in page and "Сунтарская" not in page


def test_demo_adds_a_judged_contest(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    contest = db.session.scalar(sa.select(Contest))
    assert contest.phase == Phase.RESULTS and len(contest.jurors) == 3
    assert [n.is_finalized for n in contest.nominations] == [True, False]
    results = standings.standings(contest)
    assert [len(s.result.entries) for s in results] == [5, 3]
    assert all(e.jurors == 3 and e.place for s in results for e in s.result.entries)
    client = app.test_client()
    assert login(client, "jury-ivanova", data.PASSWORD).status_code == 302
    assert client.get(f"/contests/{contest.id}/results").status_code == 200


def test_demo_runs_twice_without_duplicates(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    organizations, users = _count(Organization), _count(User)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert (_count(Organization), _count(User)) == (organizations, users)


def test_demo_refuses_a_database_with_real_data_unless_forced(app):
    make_org("Настоящая школа", OrganizationKind.REGION)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code != 0
    assert "Настоящая школа" in refused.output
    assert _count(User) == 0
    assert runner.invoke(args=["demo", "--force"]).exit_code == 0
    assert _count(User) > 0


def test_create_admin_makes_a_region_and_a_working_account(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--username", "Chief", "--password", "очень-длинный-пароль-2026"]
    )
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "chief", "очень-длинный-пароль-2026").status_code == 302


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--username", "chief", "--password", "qwerty123456"]
    )
    assert result.exit_code != 0
    assert _count(User) == 0
