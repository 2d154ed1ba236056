"""The audit log reads in Russian: every action the code records has a name, values are text."""

import ast
from pathlib import Path

from app.accounts.models import Role
from app.audit import services as audit
from app.audit.display import describe
from app.audit.labels import ACTION_LABELS, OBJECT_LABELS
from app.extensions import db
from tests.conftest import login
from tests.factories import make_user

APP = Path(__file__).resolve().parents[1] / "app"
# The functions through which the code writes an audit event: audit.record and the domains'
# own small wrappers around it; the action is one of their positional string arguments.
AUDIT_WRITERS = {"record", "log", "_log", "_log_transition"}


def recorded_actions() -> dict[str, str]:
    """Every literal action passed to an audit writer in app/, with where it is written."""
    found = {}
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name not in AUDIT_WRITERS:
                continue
            for argument in node.args:
                for constant in ast.walk(argument):
                    if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                        found[constant.value] = f"{path.relative_to(APP.parent)}:{node.lineno}"
    return found


def test_the_scan_finds_the_contest_events():
    assert {"finalize", "score", "reopen_results", "phase", "login_failed"} <= set(
        recorded_actions()
    )


def test_every_recorded_action_has_a_russian_name():
    missing = {a: where for a, where in recorded_actions().items() if a not in ACTION_LABELS}
    assert not missing, f"add these actions to app/audit/labels.py: {missing}"


def test_every_object_type_has_a_russian_name():
    types = {"contest", "nomination", "criterion", "juror", "organization", "user", "form"}
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "object_type"
                and isinstance(node.value, ast.Constant)
            ):
                types.add(node.value.value)
    assert types - set(OBJECT_LABELS) == set()


def test_values_are_described_in_russian(app):
    with app.test_request_context():
        lines = describe(
            {
                "status": "returned",
                "active": False,
                "closes_at": "2026-12-12T09:00:00+00:00",
                "incomplete": [3, 15],
                "12": "4.5",
                "kind": "school",
                "before": "judging",
            }
        )
    assert lines == [
        ("Статус", "Возвращено на доработку"),
        ("Действует", "нет"),
        ("Срок сдачи", "12.12.2026 18:00"),
        ("Заявки, оценённые не полностью", "3, 15"),
        ("Критерий № 12", "4,5"),
        ("Тип", "Школа"),
        ("Этап до", "Оценка"),
    ]


def test_audit_page_shows_a_contest_event_in_russian(client):
    admin = make_user(Role.ADMIN)
    audit.record(
        "finalize",
        admin.organization,
        actor=admin,
        object_type="nomination",
        label="Лучшая библиотека",
        organization=admin.organization,
        after={"title": "Лучший читатель", "incomplete": [], "published": True},
    )
    db.session.commit()
    login(client, admin)

    page = client.get("/audit/").get_data(as_text=True)

    assert "Итоги утверждены" in page
    assert "Номинация: Лучшая библиотека" in page
    assert "Лучший читатель" in page
    assert "\\u04" not in page
    assert ">finalize<" not in page
