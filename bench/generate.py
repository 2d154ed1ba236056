"""A fresh bench database: N schools, one 150-question form, one campaign, submitted answers.

    python -m bench.generate --size 10000 [--database URL] [--seed 1] [--wide]

Without ``--database`` the database is the SQLite file /tmp/bench_<size>.db (with ``--wide``,
the form of 506 raw-export columns, /tmp/bench_<size>_wide.db). Every table in
the database (or, on PostgreSQL, in the first schema of the search path) is dropped first.

The region, districts, admin, form and campaign go through the app's services; schools,
response updates and answer rows are bulk statements in chunks (COPY on PostgreSQL), so that
10,000 schools take about a minute. The first responses are checked against the app's own
validation and ``answer_rows``, so the bulk rows are the rows a real submission would store.
"""

import argparse
import os
import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.accounts.models import Role, User
from app.campaigns import services as campaigns
from app.campaigns.answers import CHOICE_TYPES, NUMBER_TYPES, TEXT_TYPES, answer_rows
from app.campaigns.models import Answer, Response, ResponseStatus
from app.core.text import search_key, sort_key
from app.extensions import db
from app.organizations import services as organizations
from app.organizations.models import Organization, OrganizationKind
from app.questionnaires import services as questionnaires
from app.questionnaires.validation import validate_answers
from bench.form import bench_definition, fake_answers

# Bump when the generated data changes, so that bench.run does not reuse older databases.
GENERATOR = 2
CHUNK = 500  # responses per bulk statement group; about 100,000 answer rows
ANSWER_CHUNK = 5000
CHECKED = 25  # responses compared with the app's validation and answer_rows
SETTLEMENTS = (
    "Нюрба", "Маар", "Антоновка", "Сунтар", "Кюндядя", "Верхневилюйск", "Ломтука", "Мирный",
    "Чаппанда", "Хатырык", "Кангалассы", "Намцы", "Бясь-Кюёль", "Тюбей-Жархан", "Мегежек",
    "Вилюйск", "Кыргыдай", "Бордон", "Арылах", "Сюльдюкар", "Дикимдя", "Крестях", "Эльгяй",
)  # fmt: skip
STATUS_SHARES = (  # of the schools; the counted ones (submitted, accepted) are 95 %
    (ResponseStatus.SUBMITTED, 0.70),
    (ResponseStatus.ACCEPTED, 0.25),
    (ResponseStatus.RETURNED, 0.01),
    (ResponseStatus.DRAFT, 0.02),
    (ResponseStatus.NOT_STARTED, 0.02),
)
# Statuses whose answer rows exist: rows are written on submission and kept when returned.
SUBMITTED_ONCE = (ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED, ResponseStatus.RETURNED)
META = sa.table(
    "bench_meta",
    sa.column("size"), sa.column("seed"), sa.column("generator"), sa.column("campaign_id"),
    sa.column("admin_id"), sa.column("seconds"),
)  # fmt: skip


def sqlite_url(size: int, wide: bool = False) -> str:
    return f"sqlite:////tmp/bench_{size}{'_wide' if wide else ''}.db"


def make_app(url: str):
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False}
    )


def read_meta(url: str) -> dict | None:
    """What bench_meta says of a finished generation, or None (no database, or unfinished)."""
    if url.startswith("sqlite:///") and not os.path.exists(url.removeprefix("sqlite:///")):
        return None
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("bench_meta"):
                return None
            row = connection.execute(sa.select(META)).mappings().first()
            return dict(row) if row else None
    finally:
        engine.dispose()


def _reset(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        existing = sa.MetaData()
        existing.reflect(connection)
        existing.drop_all(connection)
    engine.dispose()


# Organizations and people


def make_schools(size: int, seed: int, per_district: int = 500) -> Organization:
    """A region, one district per ``per_district`` schools, and the schools in bulk under the
    districts."""
    region = organizations.create_from_command_line(
        None, name="Министерство образования (бенчмарк)", kind=OrganizationKind.REGION
    )
    districts = [
        organizations.create_from_command_line(
            region,
            name=f"МКУ «Управление образования района {number}»",
            kind=OrganizationKind.DISTRICT,
        )  # fmt: skip
        for number in range(1, max(1, size // per_district) + 1)
    ]
    rng = random.Random(seed)
    rows = []
    for number in range(1, size + 1):
        district = districts[number % len(districts)]
        settlement = rng.choice(SETTLEMENTS)
        locality = f"с. {settlement}" if rng.random() < 0.8 else f"г. {settlement}"
        name = f"МБОУ «Средняя общеобразовательная школа №{number} {locality}»"
        short_name = f"СОШ №{number} {locality}"
        rows.append(
            {"parent_id": district.id, "kind": OrganizationKind.SCHOOL, "name": name,
             "short_name": short_name, "locality": locality, "path": "",
             "search_key": search_key(name, short_name, locality), "sort_key": sort_key(name),
             "is_active": True}
        )  # fmt: skip
    for start in range(0, len(rows), ANSWER_CHUNK):
        db.session.execute(sa.insert(Organization), rows[start : start + ANSWER_CHUNK])
    for district in districts:
        path = sa.literal(district.path) + sa.cast(Organization.id, sa.String) + "/"
        db.session.execute(
            sa.update(Organization)
            .where(Organization.parent_id == district.id)
            .values(path=path)
            .execution_options(synchronize_session=False)
        )
    return region


def make_admin(
    region: Organization, username: str = "bench-admin", password_hash: str | None = None
) -> User:
    admin = User(
        username=username, full_name="Администратор Бенчмарка", role=Role.ADMIN,
        organization=region, password_hash=password_hash,
    )  # fmt: skip
    db.session.add(admin)
    db.session.flush()
    return admin


# Answers


def _cells(kind: str, value) -> list[dict]:
    """The typed columns of one value, as answers._cells gives them."""
    if kind in TEXT_TYPES:
        return [{"value_text": value}]
    if kind in NUMBER_TYPES:
        return [{"value_number": value}]
    if kind in CHOICE_TYPES:
        return [{"value_choice": value}]
    if kind == "multiple":
        return [{"value_choice": code} for code in value] or [{}]  # none ticked: one row
    if kind == "date":
        return [{"value_date": value}]
    if kind == "file":
        return [{"value_text": value["name"], "value_number": value["id"]}]
    return []


EMPTY_ROW = dict.fromkeys(
    ("row_index", "part", "value_text", "value_number", "value_date", "value_choice")
)


def answer_dicts(questions: list[dict], answers: dict, response_id: int) -> list[dict]:
    """The rows answer_rows would make, as plain dicts for a bulk insert."""
    rows = []

    def add(key, **columns):
        rows.append({**EMPTY_ROW, "response_id": response_id, "question_key": key, **columns})

    for question in questions:
        key, kind = question["key"], question["type"]
        value = answers.get(key)
        if value in (None, "", {}) or (value == [] and kind != "multiple"):
            continue
        if kind == "matrix":
            for row_code, choice in value.items():
                add(key, part=row_code, value_choice=choice)
        elif kind == "table":
            columns = {column["key"]: column["type"] for column in question["columns"]}
            for index, table_row in enumerate(value):
                for column_key, cell in table_row.items():
                    for typed in _cells(columns[column_key], cell):
                        add(key, row_index=index, part=column_key, **typed)
        else:
            for typed in _cells(kind, value):
                add(key, **typed)
    return [_typed(row) for row in rows]


def _typed(row: dict) -> dict:
    """Decimals and dates as the ORM would bind them."""
    if row["value_number"] is not None:
        row["value_number"] = Decimal(str(row["value_number"]))
    if row["value_date"] is not None:
        row["value_date"] = date.fromisoformat(row["value_date"])
    return row


def _check(definition: dict, questions: list[dict], answers: dict) -> None:
    """The bulk rows must be what a real submission stores; the generator stops otherwise."""
    clean, errors = validate_answers(definition, answers, complete=True)
    if errors or clean != answers:
        raise SystemExit(f"generated answers fail the app's validation: {errors}")
    expected = [
        {**EMPTY_ROW, **{name: getattr(row, name) for name in EMPTY_ROW},
         "response_id": 0, "question_key": row.question_key}
        for row in answer_rows(questions, answers)
    ]  # fmt: skip
    if expected != answer_dicts(questions, answers, 0):
        raise SystemExit("bench answer rows differ from app.campaigns.answers.answer_rows")


def _status_plan(size: int, rng: random.Random) -> list[ResponseStatus]:
    plan = [status for status, share in STATUS_SHARES for _ in range(round(size * share))]
    plan = (plan + [ResponseStatus.SUBMITTED] * size)[:size]
    rng.shuffle(plan)
    return plan


def _fill(campaign, definition: dict, seed: int) -> None:
    """Response updates and answer rows in bulk, CHUNK responses at a time."""
    questions = [q for section in definition["sections"] for q in section["questions"]]
    statement = (
        sa.select(Response.id, Response.organization_id)
        .where(Response.campaign_id == campaign.id)
        .order_by(Response.id)
    )
    responses = db.session.execute(statement).all()
    rng = random.Random(seed)
    plan = _status_plan(len(responses), rng)
    opened = campaign.opens_at
    for start in range(0, len(responses), CHUNK):
        updates, answers = [], []
        for (response_id, school), status in zip(
            responses[start : start + CHUNK], plan[start : start + CHUNK], strict=True
        ):
            data = {} if status == ResponseStatus.NOT_STARTED else fake_answers(
                definition, rng, school
            )  # fmt: skip
            updates.append(_response_update(response_id, status, data, opened, rng))
            if status in SUBMITTED_ONCE:
                if start + len(updates) <= CHECKED:
                    _check(definition, questions, data)
                answers.extend(answer_dicts(questions, data, response_id))
        db.session.execute(sa.update(Response), updates)
        _insert_answers(answers)
        db.session.commit()


def _insert_answers(rows: list[dict]) -> None:
    """Bulk INSERTs in chunks; on PostgreSQL one COPY, many times faster than INSERTs."""
    if db.engine.dialect.name != "postgresql":
        for first in range(0, len(rows), ANSWER_CHUNK):
            db.session.execute(sa.insert(Answer.__table__), rows[first : first + ANSWER_CHUNK])
        return
    columns = ["response_id", "question_key", *EMPTY_ROW]
    cursor = db.session.connection().connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY answer ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def _response_update(response_id, status, data, opened, rng) -> dict:
    started = opened + timedelta(minutes=rng.randint(0, 60 * 24 * 10))
    submitted = started + timedelta(minutes=rng.randint(5, 60 * 24 * 5))
    done = status in SUBMITTED_ONCE
    return {
        "id": response_id,
        "status": status,
        "data": data,
        "revision": 0 if status == ResponseStatus.NOT_STARTED else rng.randint(2, 12),
        "started_at": None if status == ResponseStatus.NOT_STARTED else started,
        "submitted_at": submitted if done else None,
        "accepted_at": submitted + timedelta(days=2) if status == ResponseStatus.ACCEPTED else None,
        "review_comment": "Уточните данные." if status == ResponseStatus.RETURNED else "",
        "updated_at": submitted if done else started,
    }


# The whole database


def generate(url: str, size: int, seed: int = 1, echo=print, wide: bool = False) -> dict:
    began = time.perf_counter()
    _reset(url)
    app = make_app(url)
    with app.app_context():
        upgrade()
        region = make_schools(size, seed)
        admin = make_admin(region)
        db.session.commit()
        echo(f"  {size} schools after {time.perf_counter() - began:.1f} s")
        definition = bench_definition(wide=wide)
        form = questionnaires.create_form(admin, definition)
        version = questionnaires.publish(admin, form)
        school_ids = db.session.scalars(
            sa.select(Organization.id).where(Organization.kind == OrganizationKind.SCHOOL)
        ).all()
        opens_at = datetime(2025, 9, 1, tzinfo=UTC)
        campaign = campaigns.create_campaign(
            admin, version, title=f"Мониторинг ОО — бенчмарк на {size}",
            instructions="Данные сгенерированы для бенчмарка.", opens_at=opens_at,
            closes_at=opens_at + timedelta(days=30), organization_ids=list(school_ids),
        )  # fmt: skip
        db.session.flush()
        meta = {"size": size, "seed": seed, "generator": GENERATOR, "campaign_id": campaign.id,
                "admin_id": admin.id}  # fmt: skip
        db.session.commit()
        db.session.expunge_all()  # the campaign's responses need not stay in the session
        echo(f"  form and campaign after {time.perf_counter() - began:.1f} s")
        _fill(db.session.get(type(campaign), meta["campaign_id"]), definition, seed)
        meta["seconds"] = round(time.perf_counter() - began, 1)
        _write_meta(meta)
        db.session.remove()
        db.engine.dispose()
    echo(f"  answers done: {meta['seconds']:.1f} s in all")
    return meta


def _write_meta(meta: dict) -> None:
    db.session.execute(
        sa.text(
            "CREATE TABLE bench_meta (size INTEGER, seed INTEGER, generator INTEGER, "
            "campaign_id INTEGER, admin_id INTEGER, seconds FLOAT)"
        )
    )
    db.session.execute(sa.insert(META).values(**meta))
    if db.engine.dialect.name == "postgresql":
        # Autovacuum would gather the statistics soon after a real load; SQLite never does.
        db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, required=True, help="number of schools")
    parser.add_argument("--database", help="SQLAlchemy URL; default /tmp/bench_<size>.db")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--wide", action="store_true", help="the wide form (506 columns in the raw export)"
    )
    args = parser.parse_args()
    url = args.database or sqlite_url(args.size, args.wide)
    print(f"generating {args.size} schools in {sa.make_url(url).render_as_string()}")
    generate(url, args.size, args.seed, wide=args.wide)


if __name__ == "__main__":
    main()
