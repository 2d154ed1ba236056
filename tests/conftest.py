"""Fixtures: the app on SQLite or on PostgreSQL (``TEST_DATABASE_URL``), clean tables per test,
clients, factories and a small world of two districts."""

import os
import socket
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask_migrate import upgrade

from app import create_app
from app.accounts.models import Role, User
from app.extensions import db, limiter
from app.organizations.models import Organization, OrganizationKind
from app.reports import jobs
from tests.factories import PASSWORD, make_org, make_user

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    # Flask-Limiter keeps its settings on one shared object, so every test app throttles alike;
    # counters are cleared before each test. With TEST_REDIS_URL they live in Redis, as in
    # production with several workers.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": os.environ.get("TEST_REDIS_URL", "memory://"),
}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or (
        "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    )


@pytest.fixture(scope="session")
def make_app(database_url):
    """Builds an app on the test database with some settings changed."""

    def build(**overrides):
        return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})

    return build


@pytest.fixture(scope="session")
def app(make_app):
    jobs.huey.immediate = True  # exports run inside the request, on huey's in-memory storage
    app = make_app()
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
    return app


@pytest.fixture(scope="session")
def harness(make_app, app):
    """A second app on the same database whose context the test code runs in.

    Requests of the test client then push their own app context, with their own ``g`` and
    database session, as in production; the test sees their effects only after a refresh.
    """
    return make_app()


@pytest.fixture(autouse=True)
def _clean_database(harness):
    """Each test runs in an app context, with fresh login counters, and leaves every table empty."""
    with harness.app_context():
        limiter.reset()
        yield
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def smtp_inbox():
    """A local SMTP server for the test: yields its port and the messages it receives, each as
    (recipients, text)."""
    received = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


@pytest.fixture
def queue():
    """huey as with a worker process: tasks wait in the queue until ``run_queued`` runs them (the
    session otherwise runs them at once, on huey's in-memory storage)."""
    jobs.huey.immediate = False
    jobs.huey.flush()
    yield
    jobs.huey.flush()
    jobs.huey.immediate = True


def run_queued() -> list[str]:
    """Runs the queued tasks as the worker would (a delayed one goes to the schedule); returns
    the names of those run."""
    names = []
    while (task := jobs.huey.dequeue()) is not None:
        if jobs.huey.ready_to_run(task):
            names.append(task.name)
        jobs.huey.execute(task)
    db.session.expire_all()
    return names


def login(client, user_or_name, password=PASSWORD):
    name = user_or_name.username if isinstance(user_or_name, User) else user_or_name
    return client.post("/login", data={"login": name, "password": password})


@dataclass
class World:
    region: Organization
    district_a: Organization
    school_a1: Organization
    school_a2: Organization
    district_b: Organization
    school_b1: Organization
    region_admin: User
    admin_a: User
    admin_b: User
    school_user_a1: User
    school_user_b1: User
    jury_a: User
    viewer_a: User


@pytest.fixture
def world() -> World:
    """A region with two districts, each with schools and accounts."""
    region = make_org("Республика Саха (Якутия)", OrganizationKind.REGION)
    district_a = make_org("МКУ «УОНР»", OrganizationKind.DISTRICT, region, locality="г. Нюрба")
    district_b = make_org("МКУ «УО Сунтар»", OrganizationKind.DISTRICT, region)
    school_a1 = make_org(
        "Нюрбинская СОШ №1", parent=district_a, short_name="НСОШ1", locality="г. Нюрба"
    )
    school_a2 = make_org("Маарская СОШ", parent=district_a, locality="с. Маар")
    school_b1 = make_org("Сунтарская СОШ №1", parent=district_b, locality="с. Сунтар")
    return World(
        region=region,
        district_a=district_a,
        school_a1=school_a1,
        school_a2=school_a2,
        district_b=district_b,
        school_b1=school_b1,
        region_admin=make_user(Role.ADMIN, region, "region-admin"),
        admin_a=make_user(Role.ADMIN, district_a, "admin-a", email="admin-a@example.ru"),
        admin_b=make_user(Role.ADMIN, district_b, "admin-b"),
        school_user_a1=make_user(Role.SCHOOL, school_a1, "school-a1"),
        school_user_b1=make_user(Role.SCHOOL, school_b1, "school-b1"),
        jury_a=make_user(Role.JURY, district_a, "jury-a"),
        viewer_a=make_user(Role.VIEWER, district_a, "viewer-a"),
    )


@pytest.fixture
def as_user(client):
    """Logs the test client in as the given user and returns the client."""

    def log_in(user):
        response = login(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return log_in
