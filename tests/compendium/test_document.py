"""The сборник's .docx read back: the chosen practices in the chosen order (and the new order
after a move), each with its school, authors, annotation, chosen answers and pictures."""

import io

from docx import Document
from docx.oxml.ns import qn

from app.campaigns import responses
from app.compendium import services, sources
from app.compendium.answers import answer_text
from app.compendium.documents import write_compendium
from app.core.text import quoted
from app.extensions import db
from tests.compendium.practices import (
    finalized_contest,
    give_entry_picture,
    new_compendium,
    practice_monitoring,
)


def _document(compendium) -> Document:
    buffer = io.BytesIO()
    db.session.expire_all()
    write_compendium(db.session.get(type(compendium), compendium.id), buffer)
    return Document(io.BytesIO(buffer.getvalue()))


def _headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _pictures_after(document, heading: str) -> int:
    """Inline pictures between the practice's heading and the next heading."""
    count, inside = 0, False
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            inside = paragraph.text == heading
        elif inside:
            count += len(paragraph._p.findall(".//" + qn("wp:inline")))
    return count


def test_winners_print_in_their_order_with_school_authors_annotation_and_a_picture(world):
    example = finalized_contest(world)
    e1, e2, e3 = (example.entries[key] for key in ("e1", "e2", "e3"))
    give_entry_picture(e1)
    compendium = new_compendium(world)
    section = services.add_section(world.admin_a, compendium, "Победители экспедиции")
    added = services.add_entries(world.admin_a, compendium, section,
                                 sources.awarded(example.judged.contest))  # fmt: skip
    db.session.commit()
    assert [p.entry_id for p in added] == [e1.id, e3.id, e2.id]

    document = _document(compendium)
    assert _headings(document, 1)[:2] == ["Содержание", "Введение"]
    assert "Победители экспедиции" in _headings(document, 1)
    assert _headings(document, 2) == [e1.title, e3.title, e2.title]
    texts = _texts(document)
    start = texts.index(e1.title, texts.index("Победители экспедиции"))
    practice = texts[start : texts.index(e3.title, start)]
    assert e1.organization.name in practice
    assert "Автор(ы): Иванова Мария Петровна" in practice  # the form's "author" question
    assert "Проект о книгах" in practice  # the long text, the annotation by default
    assert "ФИО автора: Иванова Мария Петровна" not in practice  # the authors, printed once
    assert not any(text.startswith("Школа:") for text in practice)  # unanswered: left out
    assert _pictures_after(document, e1.title) == 1
    assert any(text.startswith("Рисунок 1. маршрут") for text in practice)
    assert _pictures_after(document, e3.title) == 0
    tops = [i for i, p in enumerate(document.paragraphs) if p.style.name == "Heading 1"]
    contents = texts[tops[0] : tops[1]]
    assert contents[1:3] == ["Введение", "Победители экспедиции"]
    assert f"1. {e1.title} — {e1.organization.display_name}" in contents


def test_a_move_changes_the_order_in_the_document(world, as_user):
    example = finalized_contest(world)
    compendium = new_compendium(world)
    section = services.add_section(world.admin_a, compendium, "Победители")
    first, second, third = services.add_entries(
        world.admin_a, compendium, section, sources.awarded(example.judged.contest)
    )
    db.session.commit()
    client = as_user(world.admin_a)
    moved = client.post(f"/compendia/{compendium.id}/practices/{third.id}/up")
    assert moved.status_code == 302
    titles = [p.entry.title for p in (first, third, second)]
    assert _headings(_document(compendium), 2) == titles
    download = client.get(f"/compendia/{compendium.id}/document.docx")
    assert download.status_code == 200
    assert _headings(Document(io.BytesIO(download.data)), 2) == titles


def test_a_response_prints_its_chosen_title_authors_and_answers_in_russian(world):
    monitoring = practice_monitoring(world)
    compendium = new_compendium(world)
    section = services.add_section(world.admin_a, compendium, "Практики школ")
    (practice,) = services.add_responses(world.admin_a, compendium, section,
                                         [monitoring.submitted])  # fmt: skip
    services.set_printing(world.admin_a, practice, services.Printing(
        title_key="practice_title", annotation_key="summary", authors_key="authors",
        answer_keys=("readers", "started"),
    ))  # fmt: skip
    db.session.commit()
    document = _document(compendium)
    title = "Библиотечный квест «Тайны „старой“ книги»"
    assert _headings(document, 2) == [title]
    texts = _texts(document)
    assert "Автор(ы): Семёнова Анна Ивановна, Васильев Пётр" in texts
    assert "Квест для пятиклассников по фонду редких книг." in texts
    assert "Число читателей: 1\u00a0500" in texts  # a non-breaking space groups digits
    assert "Начало: 25.11.2026" in texts
    assert "Мониторинг «Мониторинг „Инновационные практики“»" in texts
    assert _pictures_after(document, title) == 1
    practice.with_pictures = False
    db.session.commit()
    without = _document(compendium)
    assert _pictures_after(without, title) == 0
    assert "Материалы: читальный зал.png" in _texts(without)


def test_answers_read_as_russian_text_and_quotes_nest():
    zones = [{"code": "a", "label": "Читальный зал"}, {"code": "b", "label": "Медиатека"}]
    question = {"key": "q", "type": "multiple", "label": "Зоны", "choices": zones}
    assert answer_text(question, ["a", "b"]) == "Читальный зал; Медиатека"
    assert answer_text({"type": "yesno"}, "yes") == "Да"
    assert answer_text({"type": "decimal"}, "40.5") == "40,5"
    assert quoted("Конкурс «Книга»") == "«Конкурс „Книга“»"


def test_a_practice_no_longer_submitted_is_left_out_and_the_editor_says_so(world, as_user):
    example = finalized_contest(world)
    monitoring = practice_monitoring(world)
    compendium = new_compendium(world)
    section = services.add_section(world.admin_a, compendium, "Практики")
    kept, *_ = services.add_entries(world.admin_a, compendium, section,
                                    sources.awarded(example.judged.contest))  # fmt: skip
    (returned,) = services.add_responses(world.admin_a, compendium, section,
                                         [monitoring.submitted])  # fmt: skip
    services.set_printing(world.admin_a, returned, services.Printing(title_key="practice_title"))
    responses.return_for_revision(world.admin_a, monitoring.submitted, "Уточните название", {})
    db.session.commit()

    document = _document(compendium)
    texts = _texts(document)
    assert kept.entry.title in _headings(document, 2)
    assert not any("Тайны" in text for text in texts)  # neither in the contents nor the body
    page = as_user(world.admin_a).get(f"/compendia/{compendium.id}").get_data(as_text=True)
    assert 'id="withdrawn-practices"' in page
    assert "1 практика больше не подана школой и не войдёт в документ" in page
    assert "Не печатается: возвращено на доработку" in page
