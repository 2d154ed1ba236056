"""The demo district hands out the whole thing: its emblem and signature, diplomas naming the
authors of the demo contest's entries, thank-you letters to its jury."""

import io

import sqlalchemy as sa
from docx import Document

from app.certificates import services
from app.contests.models import Contest
from app.demo import data
from app.demo.contest import AUTHORS
from app.extensions import db
from tests.conftest import login
from tests.e2e.conftest import ARTIFACTS


def test_demo_district_has_an_emblem_a_signature_and_diplomas_name_the_authors(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    contest = db.session.scalar(sa.select(Contest))
    issuer = services.issuer_for(contest.organization)
    assert issuer.emblem and issuer.head.signature and issuer.head.name == "Т. Н. Егорова"
    client = app.test_client()
    assert login(client, "nyurba-admin", data.PASSWORD).status_code == 302
    diplomas = client.get(f"/contests/{contest.id}/certificates.docx")
    assert diplomas.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(diplomas.data)).paragraphs)
    names = {name for authors in AUTHORS for name in authors.split("\n")}
    assert sum(name in text.split("\n") for name in names) >= 3
    assert "„Книжными тропами Нюрбинского улуса“»" in text
    letters = client.get(f"/contests/{contest.id}/jury-letters.docx")
    assert letters.status_code == 200
    assert len(Document(io.BytesIO(letters.data)).inline_shapes) == 6  # emblem and signature × 3
    (ARTIFACTS / "office").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "office" / "demo-diplomas.docx").write_bytes(diplomas.data)
    (ARTIFACTS / "office" / "demo-letters.docx").write_bytes(letters.data)
    page = client.get(f"/contests/{contest.id}/results").get_data(as_text=True)
    assert f"/contests/{contest.id}/jury-letters.docx" in page
