"""A district's own template of the справка: the page per role, the checks of an upload, and a
справка written into the template with its letterhead."""

import io

import pytest
from docx import Document

from app.extensions import db
from app.reports import spravka_templates
from app.reports.aggregates import ReportFilter
from app.reports.exports.docx_report import write_docx
from tests.conftest import login
from tests.reports.test_docx_report import library  # noqa: F401  (the fixture)

LETTERHEAD = "МКУ «Управление образования Нюрбинского района» · г. Нюрба, ул. Ленина, 1"
PAGE = "/reports/template"


def _template(body: str = "{{p body }}", header: str = LETTERHEAD) -> bytes:
    document = Document()
    document.sections[0].header.paragraphs[0].text = header
    for line in ("{{ recipient }}", "{{ title }}", body, "Исполнитель: {{ executor }}"):
        document.add_paragraph(line)
    target = io.BytesIO()
    document.save(target)
    return target.getvalue()


def _upload(client, data: bytes, name: str = "Бланк УОНР.docx"):
    return client.post(
        PAGE,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("who", ["school_user_a1", "jury_a", "viewer_a"])
def test_only_district_staff_open_the_template_page(world, as_user, who):
    client = as_user(getattr(world, who))
    assert client.get(PAGE).status_code == 403
    assert _upload(client, _template()).status_code == 403
    assert client.get(f"{PAGE}/default.docx").status_code == 403
    assert client.post(f"{PAGE}/remove").status_code == 403


def test_staff_download_the_default_template_with_its_variables(world, as_user):
    client = as_user(world.admin_a)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "{{p body }}" in page.get_data(as_text=True)
    download = client.get(f"{PAGE}/default.docx")
    assert download.status_code == 200
    document = Document(io.BytesIO(download.data))
    text = [p.text for p in document.paragraphs]
    assert "{{ title }}" in text and "{{p body }}" in text


def test_staff_upload_replace_and_remove_their_template(world, as_user):
    client = as_user(world.admin_a)
    assert _upload(client, _template()).status_code == 302
    first = spravka_templates.own_template(world.admin_a)
    assert first.original_name == "Бланк УОНР.docx"
    assert _upload(client, _template(header="Новый бланк"), "Бланк 2.docx").status_code == 302
    db.session.expire_all()
    assert spravka_templates.own_template(world.admin_a).original_name == "Бланк 2.docx"
    current = client.get(f"{PAGE}/current.docx")
    assert Document(io.BytesIO(current.data)).sections[0].header.paragraphs[0].text == "Новый бланк"
    assert 'data-confirm="Удалить шаблон?' in client.get(PAGE).get_data(as_text=True)
    assert client.post(f"{PAGE}/remove").status_code == 302
    db.session.expire_all()
    assert spravka_templates.own_template(world.admin_a) is None
    assert client.get(f"{PAGE}/current.docx").status_code == 404


def test_another_district_neither_sees_nor_uses_the_template(world, as_user, app):
    assert _upload(as_user(world.admin_a), _template()).status_code == 302
    other = app.test_client()
    assert login(other, world.admin_b).status_code == 302
    assert LETTERHEAD not in other.get(PAGE).get_data(as_text=True)
    assert other.get(f"{PAGE}/current.docx").status_code == 404
    assert spravka_templates.template_for(world.school_b1) is None
    assert spravka_templates.template_for(world.school_a1) is not None


def test_a_file_that_is_not_a_docx_is_refused_beside_the_field(world, as_user):
    client = as_user(world.admin_a)
    answer = _upload(client, b"%PDF-1.4 not a template", "бланк.docx")
    assert answer.status_code == 400
    assert "Word" in answer.get_data(as_text=True) or "Only" in answer.get_data(as_text=True)
    assert spravka_templates.own_template(world.admin_a) is None


def test_a_template_that_fails_to_render_is_refused_with_a_clear_message(world, as_user):
    client = as_user(world.admin_a)
    answer = _upload(client, _template(body="{{ title "))
    assert answer.status_code == 400
    assert "Шаблон справки не удалось заполнить" in answer.get_data(as_text=True)
    assert spravka_templates.own_template(world.admin_a) is None


def test_the_spravka_fills_the_districts_template_with_its_letterhead(world, library):  # noqa: F811
    target = io.BytesIO()
    write_docx(
        world.admin_a, library.campaign, ReportFilter(), target,
        executor="Петрова А. И.", template=_template(),
    )  # fmt: skip
    document = Document(io.BytesIO(target.getvalue()))
    assert document.sections[0].header.paragraphs[0].text == LETTERHEAD
    text = [p.text for p in document.paragraphs]
    assert text[0] == "Республика Саха (Якутия)"
    assert text[1] == "Аналитическая справка по итогам мониторинга «Оснащение библиотек — 2026»"
    assert "Общие сведения" in text and "Выводы" in text
    assert "Исполнитель: Петрова А. И." in text
    assert len(document.inline_shapes) >= 1 and len(document.tables) >= 3
    db.session.rollback()
