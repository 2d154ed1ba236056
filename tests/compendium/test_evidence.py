"""A сборник as the evidence of a roadmap activity: linked from the activity, the dashboard and
the execution report; another district's сборник is refused."""

import io

import sqlalchemy as sa
from docx import Document

from app.compendium import services as compendia
from app.extensions import db
from app.roadmap import services
from app.roadmap.models import Evidence, EvidenceKind
from tests.compendium.practices import new_compendium

ACTIVITY = {"number": "14", "title": "Подготовка сборника инновационных практик",
            "period": "май", "section": "Методическое сопровождение"}  # fmt: skip


def _activity(world, as_user):
    roadmap = services.create_roadmap(world.admin_a, "Дорожная карта 2026–2027", 2026)
    db.session.commit()
    as_user(world.admin_a).post(f"/roadmap/{roadmap.id}/items/new", data=ACTIVITY)
    db.session.expire_all()
    return roadmap, roadmap.items[0]


def test_a_compendium_is_linked_as_evidence_and_reported(world, as_user):
    compendium = new_compendium(world, "Сборник «Книжные тропы»")
    roadmap, activity = _activity(world, as_user)
    client = as_user(world.admin_a)
    base = f"/roadmap/{roadmap.id}/items/{activity.id}"
    assert "Сборник «Книжные тропы» (2026)" in client.get(base).get_data(as_text=True)
    linked = client.post(f"{base}/evidence", data={"kind": "compendium",
                                                   "compendium_id": compendium.id})  # fmt: skip
    assert linked.status_code == 302
    (evidence,) = db.session.scalars(sa.select(Evidence)).all()
    assert (evidence.kind, evidence.compendium_id) == (EvidenceKind.COMPENDIUM, compendium.id)
    link = f"/compendia/{compendium.id}/document.docx"
    assert link in client.get(f"/roadmap/{roadmap.id}").get_data(as_text=True)
    assert link in client.get(base).get_data(as_text=True)
    report = Document(io.BytesIO(client.get(f"/roadmap/{roadmap.id}/report.docx").data))
    cells = [cell.text for table in report.tables for row in table.rows for cell in row.cells]
    assert any("сборник «Сборник „Книжные тропы“» (2026)" in cell for cell in cells)
    deleted = client.post(f"/compendia/{compendium.id}/delete")
    assert deleted.status_code == 302
    db.session.expire_all()
    assert db.session.get(Evidence, evidence.id).compendium_id is None
    assert "Сборник удалён." in client.get(base).get_data(as_text=True)
    assert "Сборник удалён." in client.get(f"/roadmap/{roadmap.id}").get_data(as_text=True)


def test_another_districts_compendium_is_refused(world, as_user):
    theirs = compendia.create_compendium(world.admin_b, compendia.Settings("Сунтарский", 2026))
    db.session.commit()
    roadmap, activity = _activity(world, as_user)
    client = as_user(world.admin_a)
    refused = client.post(f"/roadmap/{roadmap.id}/items/{activity.id}/evidence",
                          data={"kind": "compendium", "compendium_id": theirs.id})  # fmt: skip
    assert refused.status_code == 400
    assert 'id="compendium_id-error"' in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0
