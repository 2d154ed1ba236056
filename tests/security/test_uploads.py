"""Uploads and downloads (ASVS V12.1–12.6, 5.2.3): files are kept only if their content is of
an allowed type, under random names the uploader does not choose, and leave the platform as
attachments that browsers may not sniff into something else. Who may download what is in
tests/security/test_idor.py (campaigns.download, contests.entry_file, registry.consent_document,
roadmap.evidence_file, events.programme/material…)."""

import io
import re
import secrets

import docx
import pytest
import sqlalchemy as sa

from app.campaigns.models import ResponseFile
from app.core.uploads import send_download, upload_folder
from app.core.views import DOCX_MIMETYPE
from app.events.models import Material
from app.extensions import db
from app.roadmap import services as roadmap_services
from app.roadmap.models import Evidence, EvidenceKind
from tests.conftest import login
from tests.events.factory import make_event
from tests.monitoring import make_monitoring

PDF = b"%PDF-1.4\n%test\n"
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|docx)")


def _docx() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


@pytest.fixture
def draft(world, as_user):
    monitoring = make_monitoring(world)
    return monitoring.draft, as_user(world.school_user_a1)


def _upload(client, response, content: bytes, name: str):
    return client.post(
        f"/responses/{response.id}/files",
        data={"key": "scan", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _files(response) -> list[ResponseFile]:
    query = sa.select(ResponseFile).where(ResponseFile.response_id == response.id)
    return list(db.session.scalars(query.order_by(ResponseFile.id)))


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "scan.pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "photo.png"),
        (b"#!/bin/sh\nrm -rf /\n", "report.docx"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "setup.pdf"),
    ],
)
def test_content_that_is_not_an_allowed_type_is_refused_whatever_its_name(draft, content, name):
    response, client = draft
    before = set(upload_folder().iterdir())
    reply = _upload(client, response, content, name)
    assert reply.status_code == 400 and reply.json["error"]
    assert len(_files(response)) == 1  # make_monitoring's own file only
    assert set(upload_folder().iterdir()) == before


def test_a_file_is_stored_under_a_random_name_whatever_it_was_called(draft):
    response, client = draft
    for name in ("../../../instance/secret_key.pdf", "scan.pdf"):
        assert _upload(client, response, PDF, name).status_code == 200
    first, second = _files(response)[1:]
    assert STORED_NAME.fullmatch(first.stored_name) and STORED_NAME.fullmatch(second.stored_name)
    assert first.stored_name != second.stored_name
    assert first.original_name == "secret_key.pdf"
    assert (upload_folder() / first.stored_name).read_bytes() == PDF


def test_a_download_is_an_attachment_of_its_checked_type_and_never_sniffed(draft):
    response, client = draft
    assert _upload(client, response, _docx(), "Отчёт.html").status_code == 200
    stored = _files(response)[-1]
    reply = client.get(f"/files/{stored.id}")
    assert reply.status_code == 200
    assert reply.mimetype == DOCX_MIMETYPE
    assert reply.headers["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82.docx"
        in reply.headers["Content-Disposition"]
    )
    assert reply.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("mimetype", "inline", "disposition"),
    [
        ("application/pdf", True, "inline"),
        ("image/png", True, "inline"),
        ("application/pdf", False, "attachment"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", True,
         "attachment"),
        ("text/html", True, "attachment"),
        ("image/svg+xml", True, "attachment"),
    ],
)  # fmt: skip
def test_only_types_that_cannot_carry_scripts_are_ever_shown_inline(app, mimetype, inline,
                                                                     disposition):  # fmt: skip
    with app.test_request_context():
        reply = send_download(io.BytesIO(b"x"), "file", mimetype, inline=inline)
        assert reply.headers["Content-Disposition"].split(";")[0] == disposition


def _stored_pdf() -> str:
    name = f"{secrets.token_hex(16)}.pdf"
    (upload_folder() / name).write_bytes(PDF)
    return name


def test_roadmap_evidence_and_event_files_reach_only_their_district(client, world):
    """The file routes whose rows in the route table hold no file (so every role gets 404 there)
    are tried here with real files."""
    roadmap = roadmap_services.create_roadmap(world.admin_a, "Дорожная карта", 2025)
    fields = {"number": 1, "title": "Совещание", "period": "октябрь", "responsible": "",
              "document_type": "", "expected_results": ""}  # fmt: skip
    activity = roadmap_services.add_item(world.admin_a, roadmap, fields, "Раздел")
    evidence = Evidence(kind=EvidenceKind.FILE, item=activity, stored_name=_stored_pdf(),
                        original_name="Приказ.pdf")  # fmt: skip
    db.session.add(evidence)
    event = make_event(world.district_a, programme_stored_name=_stored_pdf(),
                       programme_original_name="Программа.pdf")  # fmt: skip
    material = Material(event=event, title="Слайды", stored_name=_stored_pdf(),
                        original_name="Слайды.pdf")  # fmt: skip
    db.session.add(material)
    db.session.commit()
    urls = [
        f"/roadmap/{roadmap.id}/items/{activity.id}/evidence/{evidence.id}",
        f"/events/{event.id}/programme",
        f"/events/{event.id}/materials/{material.id}",
    ]
    readers = {world.admin_a: urls, world.viewer_a: urls, world.school_user_a1: urls[1:]}
    for user, allowed in readers.items():
        login(client, user)
        for url in allowed:
            reply = client.get(url)
            assert reply.status_code == 200 and reply.data == PDF, (user.username, url)
        client.post("/logout")
    for user in (world.admin_b, world.school_user_b1):
        login(client, user)
        for url in urls:
            assert client.get(url).status_code in (403, 404), (user.username, url)
        client.post("/logout")
