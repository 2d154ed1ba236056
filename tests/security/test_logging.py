"""The audit log (ASVS V7): what an attacker types where it is logged cannot forge entries or
run in the page that shows them."""

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import login

FORGED = "nobody\r\n01.12.2026 admin-a вход выполнен <script>alert(1)</script>"


def test_a_hostile_login_name_is_logged_as_one_escaped_label(client, world):
    reply = client.post("/login", data={"login": FORGED, "password": "wrong-password-123"})
    assert reply.status_code == 400  # refused beside the field
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login_failed"))
    assert event.object_label.startswith("nobody") and event.ip == "127.0.0.1"
    login(client, world.region_admin)
    page = client.get("/audit/?action=login_failed").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_the_audit_log_cannot_be_changed_through_the_app(app):
    methods = {
        method
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("audit.")
        for method in rule.methods
    }
    assert methods <= {"GET", "HEAD", "OPTIONS"}
