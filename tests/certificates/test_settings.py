"""The district's settings page for diplomas and letters: who may open it, images checked and
refused beside their field with nothing saved, templates per kind, the signatory."""

import io

import pytest
import sqlalchemy as sa
from docx import Document

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.certificates import services
from app.certificates.documents import default_template
from app.certificates.models import DiplomaSigner, DocumentSettings
from app.core.uploads import upload_folder
from app.extensions import db
from app.reports import spravka_templates
from tests.certificates.images import emblem_png, signature_png
from tests.factories import make_user

URL = "/documents/settings"


def _files() -> set[str]:
    return {path.name for path in upload_folder().iterdir()}


def _post_file(client, url: str, field: str, data: bytes, name: str):
    return client.post(
        url, data={field: (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _settings(world) -> DocumentSettings | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(DocumentSettings).where(DocumentSettings.organization_id == world.district_a.id)
    )


@pytest.mark.parametrize("who", ["admin_a", "region_admin"])
def test_district_and_region_staff_open_the_page(world, as_user, who):
    page = as_user(getattr(world, who)).get(URL)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for variable in ("{{ recipients }}", "{{ emblem }}", "{{ signature }}", "{{ body }}"):
        assert variable in text
    assert "/documents/templates/diploma/default.docx" in text


@pytest.mark.parametrize("who", ["school_user_a1", "jury_a", "viewer_a"])
def test_schools_jurors_and_observers_are_refused(world, as_user, who):
    client = as_user(getattr(world, who))
    assert client.get(URL).status_code == 403
    upload = _post_file(client, f"{URL}/emblem", "emblem-file", emblem_png(), "герб.png")
    assert upload.status_code == 403
    assert _settings(world) is None


def test_staff_of_a_school_is_refused(world, as_user):
    school_admin = make_user(Role.ADMIN, world.school_a1, "admin-school")
    db.session.commit()
    client = as_user(school_admin)
    assert client.get(URL).status_code == 403
    assert client.get("/documents/templates/letter/sample.docx").status_code == 403


def test_anonymous_goes_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_emblem_uploaded_shown_replaced_and_removed(world, as_user):
    client = as_user(world.admin_a)
    response = _post_file(client, f"{URL}/emblem", "emblem-file", emblem_png(), "герб.png")
    assert response.status_code == 302
    first = _settings(world).emblem_name
    assert (upload_folder() / first).read_bytes() == emblem_png()
    assert 'src="/documents/settings/emblem.img"' in client.get(URL).get_data(as_text=True)
    shown = client.get(f"{URL}/emblem.img")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    _post_file(client, f"{URL}/emblem", "emblem-file", emblem_png(120), "герб2.png")
    second = _settings(world).emblem_name
    assert second != first and not (upload_folder() / first).exists()
    page = client.get(URL).get_data(as_text=True)
    assert 'action="/documents/settings/emblem/remove"' in page and "data-confirm=" in page
    assert client.post(f"{URL}/emblem/remove").status_code == 302
    assert _settings(world).emblem_name is None and not (upload_folder() / second).exists()
    assert client.get(f"{URL}/emblem.img").status_code == 404
    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.object_type == "document_settings")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["upload", "upload", "delete"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 not a picture" * 10, "подпись.png", "изображением PNG или JPEG"),
        (b"GIF89a" + b"\0" * 100, "подпись.png", "изображением PNG или JPEG"),
        (emblem_png()[:60], "подпись.png", "изображением PNG или JPEG"),  # cut short
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024), "подпись.png", "больше 2 МБ"),
        (b"just text", "подпись.txt", "только изображения PNG и JPEG"),
        (b"", "подпись.png", "Файл пуст"),
    ],
)
def test_bad_images_are_refused_beside_the_field_and_nothing_is_saved(
    world, as_user, data, name, message
):
    client = as_user(world.admin_a)
    before = _files()
    response = _post_file(client, f"{URL}/signature", "signature-file", data, name)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = page.split('id="signature-file-error"')[1].split("</div>")[0]
    assert message in error
    assert _settings(world) is None
    assert _files() == before


def test_signatory_saved_and_used_by_the_documents(world, as_user):
    client = as_user(world.admin_a)
    response = client.post(
        f"{URL}/signatory",
        data={
            "signatory-head_position": "Начальник МКУ «УОНР»",
            "signatory-head_name": "Е. В. Семёнова",
            "signatory-diplomas_signed_by": "head",
        },
    )
    assert response.status_code == 302
    settings = _settings(world)
    assert (settings.head_name, settings.head_position) == (
        "Е. В. Семёнова",
        "Начальник МКУ «УОНР»",
    )
    assert settings.diplomas_signed_by == DiplomaSigner.HEAD
    issuer = services.issuer_for(world.school_a1)  # a school's documents: its district's settings
    assert issuer.name == "МКУ «УОНР»" and issuer.head.name == "Е. В. Семёнова"
    assert services.issuer_for(world.school_b1).head is None  # another district's are its own


def test_signatory_with_an_unknown_signer_is_refused(world, as_user):
    client = as_user(world.admin_a)
    response = client.post(f"{URL}/signatory", data={"signatory-diplomas_signed_by": "mayor"})
    assert response.status_code == 400
    assert _settings(world) is None


def test_templates_per_kind_beside_the_spravka(world, as_user):
    client = as_user(world.admin_a)
    template = default_template("diploma")
    response = _post_file(
        client, "/documents/templates/diploma", "diploma-file", template, "диплом.docx"
    )
    assert response.status_code == 302
    current = client.get("/documents/templates/diploma/current.docx")
    assert current.status_code == 200 and current.data == template
    assert client.get("/documents/templates/letter/current.docx").status_code == 404
    assert spravka_templates.own_template(world.admin_a) is None  # the справка's is apart
    assert "диплом.docx" in client.get(URL).get_data(as_text=True)
    assert client.post("/documents/templates/diploma/remove").status_code == 302
    assert client.get("/documents/templates/diploma/current.docx").status_code == 404


def test_broken_template_is_refused_beside_its_field(world, as_user):
    document = Document(io.BytesIO(default_template("letter")))
    document.add_paragraph("{{ recipients ")
    buffer = io.BytesIO()
    document.save(buffer)
    client = as_user(world.admin_a)
    before = _files()
    response = _post_file(
        client, "/documents/templates/letter", "letter-file", buffer.getvalue(), "письмо.docx"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="letter-file-error"' in page and "Шаблон не удалось заполнить" in page
    assert _files() == before
    not_word = _post_file(
        client, "/documents/templates/letter", "letter-file", signature_png(), "письмо.docx"
    )
    assert not_word.status_code == 400


def test_defaults_and_samples_download(world, as_user):
    client = as_user(world.admin_a)
    for kind in ("diploma", "certificate", "letter"):
        default = client.get(f"/documents/templates/{kind}/default.docx")
        assert default.status_code == 200 and default.data == default_template(kind)
        sample = client.get(f"/documents/templates/{kind}/sample.docx")
        assert sample.status_code == 200
        assert Document(io.BytesIO(sample.data)).paragraphs[1].text == "МКУ «УОНР»"
