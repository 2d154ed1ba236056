"""Hostile names and titles break nothing: CR/LF/NUL in an uploaded file's name, in a ``?next=``
and in a monitoring's title mailed as a reminder; a download is named by its detected type."""

import email
import email.header
import io
from urllib.parse import quote, unquote

import pytest

from app.accounts.models import Role
from app.campaigns.models import ResponseFile
from app.contests import entries as entry_services
from app.contests.models import ContestFile
from app.core.uploads import clean_filename, download_name
from app.extensions import db
from tests.conftest import login
from tests.contests.factory import entry_with_material, make_contest, pdf_upload
from tests.factories import PASSWORD, make_user
from tests.monitoring import make_campaign, make_form, response_of

HOSTILE_NAME = "otchet\r\nSet-Cookie: stolen=1\x00.pdf.html"
PDF = b"%PDF-1.4\n%test\n"


def _upload(client, url: str, name: str, data: bytes = PDF):
    """A multipart upload whose file name is sent RFC 2231-encoded (``filename*``), as a hostile
    client can: that is how CR, LF and NUL reach the server inside a name."""
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="key"\r\n\r\nscan\r\n'
        b"--XX\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''"
        + quote(name).encode()
        + b"\r\nContent-Type: application/pdf\r\n\r\n"
        + data
        + b"\r\n--XX--\r\n"
    )
    return client.post(url, data=body, content_type="multipart/form-data; boundary=XX")


def _disposition(response) -> str:
    """The file name the browser takes: the RFC 5987 ``filename*`` when there is one."""
    header = response.headers["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and "\x00" not in header
    if "filename*=UTF-8''" in header:
        return unquote(header.split("filename*=UTF-8''")[1].split(";")[0])
    return header.split('filename="')[1].split('"')[0]


# ?next=


@pytest.mark.parametrize("target", ["/users/\r\nSet-Cookie: stolen=1", "/users/\n", "/\r"])
def test_login_ignores_a_next_holding_a_line_break(client, world, target):
    response = client.post(
        "/login", query_string={"next": target}, data={"login": "admin-a", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "stolen" not in str(response.headers)


# Uploaded file names


def test_school_file_with_crlf_and_nul_in_its_name_is_stored_clean_and_downloads(client, world):
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    response = response_of(campaign, world.school_a1)
    login(client, world.school_user_a1)
    reply = _upload(client, f"/responses/{response.id}/files", HOSTILE_NAME)
    assert reply.status_code == 200
    record = db.session.get(ResponseFile, reply.json["id"])
    assert record.original_name == "otchet Set-Cookie: stolen=1 .pdf.html"
    download = client.get(f"/files/{record.id}")
    assert download.status_code == 200
    assert _disposition(download) == "otchet Set-Cookie: stolen=1 .pdf"
    assert not any("stolen" in cookie for cookie in download.headers.getlist("Set-Cookie"))


def test_a_name_stored_before_cleaning_still_downloads(client, world):
    """Rows written before names were cleaned may hold CR/LF: the download cleans again."""
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    response = response_of(campaign, world.school_a1)
    login(client, world.school_user_a1)
    reply = client.post(
        f"/responses/{response.id}/files",
        data={"key": "scan", "file": (io.BytesIO(PDF), "scan.pdf")},
        content_type="multipart/form-data",
    )
    record = db.session.get(ResponseFile, reply.json["id"])
    record.original_name = "Справка\r\nX-Evil: 1.pdf"
    db.session.commit()
    download = client.get(f"/files/{record.id}")
    assert download.status_code == 200
    assert _disposition(download) == "Справка X-Evil: 1.pdf"
    assert "X-Evil" not in download.headers
    assert download.headers["Content-Type"] == "application/pdf"


def test_contest_material_and_rules_download_with_clean_names_of_their_type(app, world, as_user):
    judged = make_contest(world)
    entry = entry_with_material(world.school_user_a1, judged, judged.first, "Работа", HOSTILE_NAME)
    entry_services.set_rules_file(world.admin_a, judged.contest, pdf_upload("Положение\r\n.html"))
    db.session.commit()
    material = db.session.get(ContestFile, entry.data["material"]["id"])
    assert "\r" not in material.original_name and "\x00" not in material.original_name
    staff = as_user(world.admin_a)
    download = staff.get(f"/entry-files/{material.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert _disposition(download) == "otchet Set-Cookie: stolen=1 .pdf"
    rules = staff.get(f"/contests/{judged.contest.id}/rules-file")
    assert rules.status_code == 200
    assert rules.headers["Content-Disposition"].startswith("inline")
    assert _disposition(rules) == "Положение .pdf"


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("otchet.pdf.html", "application/pdf", "otchet.pdf"),
        ("otchet.html", "application/pdf", "otchet.pdf"),
        ("photo.JPEG", "image/jpeg", "photo.JPEG"),
        ("photo.png", "image/jpeg", "photo.jpg"),
        ("Отчёт за 2026.v2.docx", "application/pdf", "Отчёт за 2026.v2.pdf"),
        ("Report 2026", "application/pdf", "Report 2026.pdf"),
        ("Report.2026", "application/pdf", "Report.2026.pdf"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("C:\\Users\\school\\scan.pdf", "application/pdf", "scan.pdf"),
        ("\r\n\x00", "application/pdf", "file.pdf"),
        ("data.json", "application/json", "data.json"),
    ],
)
def test_download_is_named_by_the_detected_type(name, content_type, expected):
    assert download_name(name, content_type) == expected


def test_an_overlong_name_keeps_its_extension():
    name = clean_filename("я" * 300 + ".pdf")
    assert len(name) == 255 and name.endswith(".pdf")


# Reminders by mail


def test_reminder_with_a_line_break_in_the_title_is_mailed_on_one_subject_line(
    make_app, world, smtp_inbox
):
    port, received = smtp_inbox
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a2])
    campaign.title = "Мониторинг\r\nBcc: spy@example.ru"
    make_user(Role.SCHOOL, world.school_a2, "maar-mail", email="maar@example.ru")
    db.session.commit()
    staff = app.test_client()
    login(staff, world.admin_a)
    response = staff.post(f"/campaigns/{campaign.id}/remind")
    assert response.status_code == 302
    assert [recipients for recipients, _ in received] == [["maar@example.ru"]]
    message = email.message_from_string(received[0][1])
    assert message["Bcc"] is None
    assert "Мониторинг Bcc" in str(
        email.header.make_header(email.header.decode_header(message["Subject"]))
    )
