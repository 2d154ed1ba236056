"""Fixtures of the fault tests: one production-like stack for the session — a private
PostgreSQL cluster, a private Redis (rate-limit counters and the export queue) and gunicorn
with two workers — started for these tests and removed after them even when a test fails.
Each test seeds its own district, school and monitoring, and leaves the services running."""

import itertools
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.accounts.models import Role
from app.campaigns import responses
from app.extensions import db
from app.organizations.models import OrganizationKind
from tests.factories import make_org, make_user
from tests.faults.services import (
    ACCOUNT_LIMIT,
    DATABASE,
    Gunicorn,
    PrivatePostgres,
    PrivateRedis,
    postgres_bin,
)
from tests.monitoring import make_campaign, make_form, response_of

_seeds = itertools.count(1)


@dataclass
class Stack:
    postgres: PrivatePostgres
    redis: PrivateRedis
    uploads: Path
    server: Gunicorn
    make_app: object

    @property
    def database_url(self) -> str:
        return self.postgres.url(DATABASE)

    def connect(self, autocommit: bool = True):
        return self.postgres.connect(DATABASE, autocommit)


@pytest.fixture(scope="session")
def stack(make_app):
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server programs (initdb, pg_ctl) are not installed")
    postgres, redis, server = PrivatePostgres(bin_dir), PrivateRedis(), None
    uploads = Path(tempfile.mkdtemp(prefix="faults-uploads-"))
    try:
        postgres.start()
        postgres.execute(f"CREATE DATABASE {DATABASE}")
        with make_app(SQLALCHEMY_DATABASE_URI=postgres.url(DATABASE)).app_context():
            db.create_all()
            db.engine.dispose()
        redis.start()
        server = Gunicorn(
            {
                "DATABASE_URL": postgres.url(DATABASE),
                "RATELIMIT_STORAGE_URI": redis.url(0),
                "HUEY_URL": redis.url(1),
                "UPLOAD_FOLDER": str(uploads),
                "LOGIN_RATE_LIMIT": "1000 per minute",
                "LOGIN_ACCOUNT_RATE_LIMIT": f"{ACCOUNT_LIMIT} per minute",
            }
        )
        yield Stack(postgres, redis, uploads, server, make_app)
    finally:
        if server is not None:
            server.stop()
        redis.remove()
        postgres.remove()
        shutil.rmtree(uploads, ignore_errors=True)


@dataclass
class Seeded:
    school_login: str
    admin_login: str
    campaign_id: int
    response_id: int


@pytest.fixture
def seed(stack):
    """Seeds a district of its own, its school and staff, and a monitoring of ``definition``
    sent to the school; ``draft`` answers are saved as the school's draft."""

    def make(definition: dict, draft: dict | None = None) -> Seeded:
        number = next(_seeds)
        seeding = stack.make_app(SQLALCHEMY_DATABASE_URI=stack.database_url)
        with seeding.app_context():
            district = make_org(f"Управление образования №{number}", OrganizationKind.DISTRICT)
            school = make_org(f"Средняя школа №{number}", parent=district)
            admin = make_user(Role.ADMIN, district, f"fault-admin-{number}")
            school_user = make_user(Role.SCHOOL, school, f"fault-school-{number}")
            form = make_form(admin, {**definition, "form_id": f"{definition['form_id']}-{number}"})
            campaign = make_campaign(admin, form, [school])
            response = response_of(campaign, school)
            if draft is not None:
                responses.save_draft(school_user, response, draft, response.revision)
                db.session.commit()
            seeded = Seeded(school_user.username, admin.username, campaign.id, response.id)
            db.session.remove()
            db.engine.dispose()
        return seeded

    return make
