"""A small judged contest for tests: district A's contest with two nominations, criteria, a
jury of three (one from school A1), and entries of schools A1 and A2."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.accounts.models import Role, User
from app.contests import entries as entry_services
from app.contests import jury, services
from app.contests.models import Contest, Criterion, Entry, Juror, Nomination, Phase
from app.db import utcnow
from app.extensions import db
from app.organizations.models import Organization
from tests.factories import make_org, make_user
from tests.monitoring import make_form

APPLICATION = {
    "title": "Заявка на конкурс",
    "description": "",
    "form_id": "application",
    "version": "1",
    "sections": [
        {
            "key": "main",
            "title": "Заявка",
            "description": "",
            "condition": None,
            "questions": [
                {"key": "author", "type": "text", "label": "ФИО автора", "help": "",
                 "required": True, "condition": None},
                {"key": "school_name", "type": "text", "label": "Школа", "help": "",
                 "required": False, "condition": None},
                {"key": "summary", "type": "textarea", "label": "Описание проекта", "help": "",
                 "required": True, "condition": None},
                {"key": "material", "type": "file", "label": "Конкурсный материал", "help": "",
                 "required": False, "condition": None},
            ],
        }
    ],
}  # fmt: skip


@dataclass
class Judged:
    contest: Contest
    first: Nomination
    second: Nomination
    criteria: list[Criterion]  # content (0–5, weight 1, tie priority 1), design (0–10, w 2)
    jurors: list[Juror]  # jury_a (chair, district A), juror of school A1, juror of district A
    users: list[User]
    school_a3: Organization
    school_user_a2: User


def settings(version_id: int | None, **changes) -> services.ContestSettings:
    now = utcnow().replace(microsecond=0)
    values = {
        "title": "Образовательная экспедиция",
        "entries_open_at": now - timedelta(days=1),
        "entries_close_at": now + timedelta(days=7),
        "judging_close_at": now + timedelta(days=14),
        "results_at": now + timedelta(days=20),
        "form_version_id": version_id,
        "hidden_keys": ["author", "school_name"],
    }
    return services.ContestSettings(**{**values, **changes})


def make_contest(world, application: dict = APPLICATION, **changes) -> Judged:
    """In the accepting stage, no entries yet."""
    form = make_form(world.admin_a, application)
    contest = services.create_contest(world.admin_a, settings(form.published.id, **changes))
    first = services.add_nomination(world.admin_a, contest, "Лучший проект")
    second = services.add_nomination(world.admin_a, contest, "Лучшая презентация")
    content = services.add_criterion(
        world.admin_a,
        contest,
        services.CriterionSettings("Содержание", Decimal(5), tie_priority=1),
    )
    design = services.add_criterion(
        world.admin_a,
        contest,
        services.CriterionSettings("Оформление", Decimal(10), weight=Decimal(2)),
    )
    juror_a1 = make_user(Role.JURY, world.school_a1, "jury-a1")
    juror_a2 = make_user(Role.JURY, world.district_a, "jury-a2")
    jurors = [
        jury.add_juror(world.admin_a, contest, world.jury_a, [], is_chair=True),
        jury.add_juror(world.admin_a, contest, juror_a1, []),
        jury.add_juror(world.admin_a, contest, juror_a2, []),
    ]
    services.move_phase(world.admin_a, contest, Phase.ACCEPTING)
    school_a3 = make_org("Кюндядинская СОШ", parent=world.district_a, locality="с. Кюндяде")
    school_user_a2 = db.session.scalar(
        sa.select(User).where(User.username == "school-a2")
    ) or make_user(Role.SCHOOL, world.school_a2, "school-a2")
    db.session.commit()
    return Judged(
        contest, first, second, [content, design], jurors,
        [world.jury_a, juror_a1, juror_a2], school_a3, school_user_a2,
    )  # fmt: skip


def submit_entry(user: User, judged: Judged, nomination: Nomination, title: str, **answers):
    entry = entry_services.create_entry(user, judged.contest, nomination.id, title)
    values = {"author": "Иванова Мария Петровна", "summary": "Проект о книгах", **answers}
    entry_services.save_draft(user, entry, values, entry.revision)
    entry_services.submit(user, entry, entry.revision)
    db.session.commit()
    return entry


def staff_entry(world, judged: Judged, organization: Organization, nomination, title) -> Entry:
    entry = entry_services.create_entry(
        world.admin_a, judged.contest, nomination.id, title, organization.id
    )
    values = {"author": "Петров Пётр", "summary": "Работа"}
    entry_services.save_draft(world.admin_a, entry, values, entry.revision)
    entry_services.submit(world.admin_a, entry, entry.revision)
    db.session.commit()
    return entry


def pdf_upload(name: str = "material.pdf"):
    """An upload as the browser sends it: a small PDF under the participant's own file name."""
    import io

    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(b"%PDF-1.4\n%test\n"), filename=name)


def entry_with_material(
    user: User, judged: Judged, nomination, title: str, file_name: str, **answers
) -> Entry:
    """A submitted entry whose "material" answer is an uploaded PDF called ``file_name``."""
    entry = entry_services.create_entry(user, judged.contest, nomination.id, title)
    record = entry_services.attach(user, entry, "material", pdf_upload(file_name))
    values = {
        "author": "Иванова Мария Петровна",
        "school_name": user.organization.name,
        "summary": "Проект о книгах",
        "material": {"id": record.id, "name": record.original_name},
        **answers,
    }
    entry_services.save_draft(user, entry, values, entry.revision)
    entry_services.submit(user, entry, entry.revision)
    db.session.commit()
    return entry


def entries_in_judging(world, judged: Judged, *, with_a1: bool = True) -> list[Entry]:
    """The first nomination's entries — school A1's «Читающая семья» (unless left out), Maar's
    «Книжный дозор» and, entered by staff, Kyundyadya's «Буктрейлер» — and judging opened."""
    found = []
    if with_a1:
        found.append(submit_entry(world.school_user_a1, judged, judged.first, "Читающая семья"))
    found += [
        submit_entry(judged.school_user_a2, judged, judged.first, "Книжный дозор"),
        staff_entry(world, judged, judged.school_a3, judged.first, "Буктрейлер"),
    ]
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    return found


@dataclass
class Judging:
    """A contest in the judging stage for the permission table: jury_a (the chair) has an
    assignment on school A1's entry, which carries a material; the rules file is uploaded."""

    judged: Judged
    entry: Entry
    assignment: object
    file_id: int


def judging_contest(world) -> Judging:
    from app.contests import scoring

    judged = make_contest(world)
    entry_services.set_rules_file(world.admin_a, judged.contest, pdf_upload("Положение.pdf"))
    entry = entry_with_material(
        world.school_user_a1, judged, judged.first, "Читающая семья", "работа.pdf"
    )
    submit_entry(judged.school_user_a2, judged, judged.first, "Книжный дозор")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    (assignment,) = [
        a for a in scoring.juror_assignments(world.jury_a, judged.contest) if a.entry_id == entry.id
    ]
    return Judging(judged, entry, assignment, entry.data["material"]["id"])
