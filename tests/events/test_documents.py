"""What an event hands out: certificates of participation to those marked present (a school
gets its own people's) and thank-you letters to the speakers, through the district's
certificate pages."""

import io
import subprocess
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from app.events.models import EventKind, Speaker
from app.extensions import db
from app.registry import services as registry
from tests.conftest import login
from tests.events.factory import local, make_event, register
from tests.office import office_pages
from tests.registry.factory import make_record

TITLE = "Семинар-практикум «Школьная библиотека как ИБЦ»"


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    document = Document(io.BytesIO(response.data))
    return " ".join("".join(t.text or "" for t in document.element.body.iter(qn("w:t"))).split())


def _client(app, user):
    """A client of its own logged in as ``user`` (one test may need two people)."""
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


@pytest.fixture
def held(world):
    """A seminar that began at 01:00 on 25.11.2030 in Yakutsk (24.11 in UTC): one person of
    A1 present, one absent, one of A2 present, one present who later withdrew consent."""
    event = make_event(world.district_a, title=TITLE, starts_at=local(2030, 11, 25, 1))
    present = make_record(world.school_a1, last_name="Алексеева", first_name="Туйаара")
    absent = make_record(world.school_a1, last_name="Отсутствующая", first_name="Анна")
    other = make_record(world.school_a2, last_name="Николаева", first_name="Сардаана")
    withdrawn = make_record(world.school_a2, last_name="Отозвавшая", first_name="Ольга")
    register(event, present, attended=True)
    register(event, absent)
    register(event, other, attended=True)
    register(event, withdrawn, attended=True)
    registry.withdraw_consent(world.admin_a, withdrawn, date(2030, 11, 26), date(2030, 11, 26))
    db.session.commit()
    return event


def test_staff_get_a_certificate_for_each_person_present(world, as_user, held):
    text = _text(as_user(world.admin_a).get(f"/events/{held.id}/certificates.docx"))
    assert text.count("СЕРТИФИКАТ") == 2
    assert "Алексеева Туйаара Петровна" in text and "Николаева Сардаана Петровна" in text
    assert "Отсутствующая" not in text and "Отозвавшая" not in text
    assert "принял(а) участие в семинаре-практикуме" in text
    assert "«Семинар-практикум „Школьная библиотека как ИБЦ“»" in text
    assert "25.11.2030" in text  # the day in Yakutsk, not UTC's 24.11


def test_a_school_gets_the_certificates_of_its_own_people_only(world, as_user, held):
    text = _text(as_user(world.school_user_a1).get(f"/events/{held.id}/certificates.docx"))
    assert text.count("СЕРТИФИКАТ") == 1
    assert "Алексеева" in text and "Николаева" not in text


def test_certificates_before_anyone_is_marked_present_are_refused(world, as_user):
    event = make_event(world.district_a)
    register(event, make_record(world.school_a1))
    response = as_user(world.admin_a).get(f"/events/{event.id}/certificates.docx")
    assert response.status_code == 409
    assert "Никто ещё не отмечен" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["jury_a", "viewer_a"])
def test_jurors_and_viewers_get_no_certificates(world, as_user, held, who):
    client = as_user(getattr(world, who))
    assert client.get(f"/events/{held.id}/certificates.docx").status_code == 403
    assert client.get(f"/events/{held.id}/speaker-letters.docx").status_code == 403


@pytest.mark.parametrize("who", ["admin_b", "school_user_b1"])
def test_another_district_cannot_reach_the_event(world, as_user, held, who):
    client = as_user(getattr(world, who))
    assert client.get(f"/events/{held.id}/certificates.docx").status_code == 404


def test_speakers_are_thanked_for_their_talk(world, as_user, held):
    colleague = make_record(world.school_a1, last_name="Васильева")
    held.speakers.extend(
        [
            Speaker(name="Егорова Анна Ивановна", organization_name="НПБ РС(Я)",
                    topic="Электронные ресурсы"),
            Speaker(record=colleague),
        ]
    )  # fmt: skip
    db.session.commit()
    text = _text(as_user(world.admin_a).get(f"/events/{held.id}/speaker-letters.docx"))
    assert text.count("БЛАГОДАРСТВЕННОЕ ПИСЬМО") == 2
    assert "Егорова Анна Ивановна" in text and "НПБ РС(Я)" in text
    assert "за выступление на семинаре-практикуме" in text
    assert "с темой «Электронные ресурсы»" in text
    assert "Васильева Мария Петровна" in text


def test_speaker_letters_are_for_district_staff_and_need_speakers(app, world, held):
    staff = _client(app, world.admin_a)
    assert staff.get(f"/events/{held.id}/speaker-letters.docx").status_code == 409
    held.speakers.append(Speaker(name="Гостья"))
    db.session.commit()
    assert staff.get(f"/events/{held.id}/speaker-letters.docx").status_code == 200
    school = _client(app, world.school_user_a1)
    assert school.get(f"/events/{held.id}/speaker-letters.docx").status_code == 403


def test_the_event_page_offers_the_documents_to_those_who_may_have_them(app, world, held):
    held.speakers.append(Speaker(name="Гостья"))
    db.session.commit()
    staff = _client(app, world.admin_a).get(f"/events/{held.id}").get_data(as_text=True)
    assert 'id="certificates"' in staff and 'id="speaker-letters"' in staff
    page = _client(app, world.school_user_a1).get(f"/events/{held.id}")
    school = page.get_data(as_text=True)
    assert 'id="certificates"' in school and 'id="speaker-letters"' not in school
    viewer = _client(app, world.viewer_a).get(f"/events/{held.id}").get_data(as_text=True)
    assert 'id="certificates"' not in viewer


def test_a_webinar_certificate_as_libreoffice_shows_it(world, as_user, held, tmp_path):
    held.kind = EventKind.WEBINAR
    db.session.commit()
    response = as_user(world.admin_a).get(f"/events/{held.id}/certificates.docx")
    document = tmp_path / "certificates.docx"
    document.write_bytes(response.data)
    pages = office_pages(document, "event-certificates")
    assert len(pages) == 2
    pdf = next(pages[0].parent.glob("*.pdf"))
    shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    shown = " ".join(shown.split())
    assert "Алексеева Туйаара Петровна" in shown
    assert "принял(а) участие в вебинаре" in shown
    assert "«Семинар-практикум „Школьная библиотека как ИБЦ“»" in shown
