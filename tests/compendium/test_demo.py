"""The demo сборник: the winners and prize-winners of the demo contest's finalized nomination,
the evidence of roadmap activity 14."""

import io

import sqlalchemy as sa
from docx import Document

from app.compendium.models import Compendium
from app.demo import data
from app.extensions import db
from app.roadmap.models import Activity, EvidenceKind
from tests.conftest import login


def test_the_demo_compiles_the_expedition_winners_and_links_them_to_activity_14(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    (compendium,) = db.session.scalars(sa.select(Compendium)).all()
    assert compendium.title.endswith("педагогов-библиотекарей Нюрбинского района")
    assert len(compendium.items) == 3
    activity = db.session.scalar(sa.select(Activity).where(Activity.number == 14))
    (evidence,) = activity.evidence
    assert (evidence.kind, evidence.compendium_id) == (EvidenceKind.COMPENDIUM, compendium.id)
    client = app.test_client()
    assert login(client, "nyurba-admin", data.PASSWORD).status_code == 302
    document = Document(io.BytesIO(client.get(f"/compendia/{compendium.id}/document.docx").data))
    texts = [p.text for p in document.paragraphs]
    assert any(text.startswith("Автор(ы): Библиотекарь") for text in texts)
    assert any(text.startswith("Маршрут экспедиции: ") for text in texts)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Compendium)) == 1
