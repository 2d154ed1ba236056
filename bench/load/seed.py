"""The load scenario's database: 650 schools of one region, a 60-question monitoring open now,
5 staff, and a contest in judging with 10 jurors.

    python -m bench.load.seed --database postgresql+psycopg://postgres@127.0.0.1/load

Every table is dropped first. Logins: ``school-1`` … ``school-650``, ``staff-1`` … ``staff-5``,
``juror-1`` … ``juror-10``, all with the password PASSWORD. What the run needs to know (the
campaign, each school's response id, the form's definition) is written to ``--plan``.
"""

import argparse
import json
import time
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_migrate import upgrade

from app.accounts import passwords
from app.accounts.models import Role, User
from app.campaigns import services as campaigns
from app.campaigns.models import Response
from app.contests import entries, jury
from app.contests import services as contests
from app.contests.models import Assignment, Juror, Phase
from app.db import utcnow
from app.extensions import db
from app.organizations.models import Organization, OrganizationKind
from app.questionnaires import services as questionnaires
from bench.form import bench_definition
from bench.generate import _reset, make_admin, make_app, make_schools

SCHOOLS = 650
PER_DISTRICT = 20  # about the number of schools of a Yakutian district
STAFF = 5
JURORS = 10
ENTRIES = 120  # contest entries, from the first schools
PASSWORD = "load-test-password-2026"
FORM_SCALE = 0.4  # of the bench form's 150 questions: 60
APPLICATION = {
    "title": "Заявка на конкурс «Библиотека года»",
    "form_id": "load_application",
    "sections": [
        {
            "key": "main",
            "title": "Заявка",
            "questions": [
                {"key": "author", "type": "text", "label": "ФИО автора", "required": True},
                {"key": "summary", "type": "textarea", "label": "Описание", "required": True},
            ],
        }
    ],
}


def _users(role: Role, prefix: str, organizations: list[Organization], password_hash: str):
    rows = [
        {"username": f"{prefix}-{number}", "full_name": f"{prefix} {number}", "role": role,
         "organization_id": organization.id, "password_hash": password_hash, "is_active": True}
        for number, organization in enumerate(organizations, start=1)
    ]  # fmt: skip
    db.session.execute(sa.insert(User), rows)


def _contest(staff: User, districts: list[Organization], password_hash: str) -> int:
    """A contest of the region with ENTRIES entries, in judging: every juror judges them all."""
    form = questionnaires.create_form(staff, APPLICATION)
    version = questionnaires.publish(staff, form)
    now = utcnow().replace(microsecond=0)
    contest = contests.create_contest(
        staff,
        contests.ContestSettings(
            title="Библиотека года", entries_open_at=now - timedelta(days=10),
            entries_close_at=now + timedelta(days=1), judging_close_at=now + timedelta(days=10),
            results_at=now + timedelta(days=20), form_version_id=version.id,
        ),
    )  # fmt: skip
    contests.add_nomination(staff, contest, "Лучшая школьная библиотека")
    for name, top in (("Содержание", 10), ("Оформление", 5)):
        contests.add_criterion(staff, contest, contests.CriterionSettings(name, Decimal(top)))
    _users(Role.JURY, "juror", districts[:JURORS], password_hash)
    jurors = db.session.scalars(sa.select(User).where(User.role == Role.JURY).order_by(User.id))
    for number, juror in enumerate(jurors):
        jury.add_juror(staff, contest, juror, [], is_chair=number == 0)
    contests.move_phase(staff, contest, Phase.ACCEPTING)
    schools = db.session.scalars(
        sa.select(User).where(User.role == Role.SCHOOL).order_by(User.id).limit(ENTRIES)
    )
    nomination = contest.nominations[0]
    for user in schools:
        entry = entries.create_entry(user, contest, nomination.id, f"Проект {user.username}")
        answers = {"author": "Иванова Мария Петровна", "summary": "Читаем вместе"}
        entries.save_draft(user, entry, answers, entry.revision)
        entries.submit(user, entry, entry.revision)
    contests.move_phase(staff, contest, Phase.JUDGING)
    return contest.id


def _assignments() -> dict[str, list[int]]:
    """Each juror's assignments, by login."""
    rows = db.session.execute(
        sa.select(User.username, Assignment.id)
        .join(Juror, Juror.user_id == User.id)
        .join(Assignment, Assignment.juror_id == Juror.id)
        .order_by(Assignment.id)
    )
    assigned: dict[str, list[int]] = {}
    for username, assignment_id in rows:
        assigned.setdefault(username, []).append(assignment_id)
    return assigned


def seed(url: str, schools_count: int = SCHOOLS) -> dict:
    began = time.perf_counter()
    _reset(url)
    app = make_app(url)
    with app.app_context():
        upgrade()
        password_hash = passwords.hash_password(PASSWORD)
        region = make_schools(schools_count, seed=1, per_district=PER_DISTRICT)
        region.name = "Министерство образования и науки Республики Саха (Якутия)"
        staff = [make_admin(region, f"staff-{n}", password_hash) for n in range(1, STAFF + 1)]
        schools = db.session.scalars(
            sa.select(Organization)
            .where(Organization.kind == OrganizationKind.SCHOOL)
            .order_by(Organization.id)
        ).all()
        districts = db.session.scalars(
            sa.select(Organization).where(Organization.kind == OrganizationKind.DISTRICT)
        ).all()
        _users(Role.SCHOOL, "school", schools, password_hash)
        definition = bench_definition(scale=FORM_SCALE)
        form = questionnaires.create_form(staff[0], definition)
        version = questionnaires.publish(staff[0], form)
        now = utcnow().replace(microsecond=0)
        campaign = campaigns.create_campaign(
            staff[0], version, title="Мониторинг школьных библиотек — 2026",
            instructions="Заполните до конца дня.", opens_at=now - timedelta(days=14),
            closes_at=now + timedelta(days=1), organization_ids=[s.id for s in schools],
        )  # fmt: skip
        db.session.flush()
        contest_id = _contest(staff[0], districts, password_hash)
        db.session.commit()
        responses = dict(
            db.session.execute(
                sa.select(Response.organization_id, Response.id).where(
                    Response.campaign_id == campaign.id
                )
            ).all()
        )
        plan = {
            "campaign_id": campaign.id,
            "contest_id": contest_id,
            "password": PASSWORD,
            "schools": [
                {"username": f"school-{n}", "response_id": responses[school.id]}
                for n, school in enumerate(schools, start=1)
            ],
            "staff": [user.username for user in staff],
            "jurors": _assignments(),
            "definition": definition,
        }
        db.session.remove()
        db.engine.dispose()
    print(f"seeded {schools_count} schools in {time.perf_counter() - began:.1f} s")
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True, help="the app's database URL")
    parser.add_argument("--plan", default="/tmp/load-plan.json", help="where the plan goes")
    parser.add_argument("--schools", type=int, default=SCHOOLS)
    args = parser.parse_args()
    plan = seed(args.database, args.schools)
    with open(args.plan, "w", encoding="utf-8") as handle:
        json.dump(plan, handle, ensure_ascii=False)
    print(f"plan written to {args.plan}")


if __name__ == "__main__":
    main()
