"""The аналитическая справка: written from a small fixed dataset, read back with python-docx."""

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.accounts.models import Role
from app.campaigns import responses
from app.campaigns.models import Campaign
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.models import Form
from app.reports import indicators
from app.reports.aggregates import ReportFilter
from app.reports.exports.docx_report import write_docx
from tests.factories import make_org, make_user
from tests.monitoring import make_campaign, make_form, response_of


def _question(key, kind, label, **settings):
    return {"key": key, "type": kind, "label": label, "help": "", "required": False,
            "condition": None, **settings}  # fmt: skip


DEFINITION = {
    "title": "Оснащение библиотеки",
    "description": "Анализ оснащения школьных библиотек.",
    "form_id": "library",
    "version": "2026-1",
    "sections": [
        {
            "key": "premises",
            "title": "Помещение и оснащение",
            "description": "",
            "condition": None,
            "questions": [
                _question("has_internet", "yesno", "Есть ли Интернет?"),
                _question("has_scanner", "yesno", "Есть сканер"),
                _question(
                    "software",
                    "single",
                    "АИБС",
                    choices=[{"code": "irbis", "label": "ИРБИС"}, {"code": "none", "label": "Нет"}],
                ),
                _question("readers", "integer", "Число читателей"),
                _question("area", "decimal", "Площадь, м²"),
                _question(
                    "condition",
                    "matrix",
                    "Состояние помещений",
                    rows=[
                        {"code": "reading", "label": "Читальный зал"},
                        {"code": "lending", "label": "Абонемент"},
                    ],
                    choices=[
                        {"code": "good", "label": "Хорошее"},
                        {"code": "bad", "label": "Требует ремонта"},
                    ],
                ),  # fmt: skip
                _question("comments", "textarea", "Что нужно в первую очередь?"),
            ],
        },
        {
            "key": "staffing",
            "title": "Кадры",
            "description": "",
            "condition": None,
            "questions": [
                _question(
                    "staff",
                    "table",
                    "Сотрудники",
                    columns=[
                        {"key": "full_name", "type": "text", "label": "ФИО", "required": True},
                        {"key": "rate", "type": "decimal", "label": "Ставка", "required": False},
                    ],
                )
            ],
        },
    ],
}

FORMULA = '=HYPERLINK("http://x","y") нужен ремонт'
FIRST = {
    "has_internet": "yes",
    "has_scanner": "no",
    "software": "irbis",
    "readers": 300,
    "area": "66.5",
    "condition": {"reading": "good", "lending": "bad"},
    "comments": FORMULA + "\x07",
    "staff": [{"full_name": "Иванова", "rate": "1"}, {"full_name": "Петрова", "rate": "0.5"}],
}
SECOND = {
    "has_internet": "no",
    "has_scanner": "no",
    "software": "irbis",
    "readers": 120,
    "area": "40.25",
    "condition": {"reading": "bad", "lending": "bad"},
    "staff": [{"full_name": "Сидорова", "rate": "0.25"}],
}
SAKHA_SCHOOL = "Үөһээ Бүлүү ООШ"


def _utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def _answer(campaign, organization, answers, submitted_at):
    user = make_user(Role.SCHOOL, organization)
    response = response_of(campaign, organization)
    responses.save_draft(user, response, answers, 0)
    responses.submit(user, response, response.revision)
    response.submitted_at = submitted_at


@dataclass
class Library:
    form: Form
    schools: list[Organization]
    campaign: Campaign | None = None

    def monitoring(self, admin, title, answers, opens_at, closes_at) -> Campaign:
        """Answered while open, then moved to fixed dates; the second school answers late and
        the third, whose name has Sakha letters, not at all."""
        campaign = make_campaign(admin, self.form, self.schools, title=title)
        _answer(campaign, self.schools[0], answers[0], opens_at)
        _answer(campaign, self.schools[1], answers[1], closes_at.replace(hour=23))
        campaign.opens_at, campaign.closes_at = opens_at, closes_at
        db.session.commit()
        return campaign


@pytest.fixture
def library(world) -> Library:
    sakha = make_org(SAKHA_SCHOOL, parent=world.district_a, locality="с. Үөһээ")
    form = make_form(world.admin_a, DEFINITION)
    indicators.add_indicator(
        world.admin_a, form, key="readers_per_m2", title="Читателей на 1 м²",
        formula="readers / area", unit="чел.", threshold=Decimal(4),
    )  # fmt: skip
    db.session.commit()
    library = Library(form, [world.school_a1, world.school_a2, sakha])
    # Closes at 15:30 UTC on the 25th: already the 26th in Yakutsk.
    library.campaign = library.monitoring(
        world.admin_a, "Оснащение библиотек — 2026", (FIRST, SECOND),
        _utc(2026, 11, 10, 1), _utc(2026, 11, 25, 15, 30),
    )  # fmt: skip
    return library


def _document(world, campaign, **options):
    target = io.BytesIO()
    write_docx(world.admin_a, campaign, ReportFilter(), target, executor="Петрова А. И.", **options)
    target.seek(0)
    return Document(target)


def _paragraphs(document) -> list[str]:
    return [paragraph.text.replace("\u00a0", " ") for paragraph in document.paragraphs]


def _tables(document) -> dict[str, list[list[str]]]:
    """{caption without its number: rows of cell texts}."""
    tables, caption = {}, ""
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = Paragraph(element, document).text
            caption = text.split(". ", 1)[1] if text.startswith("Таблица ") else caption
        elif element.tag == qn("w:tbl"):
            rows = Table(element, document).rows
            tables[caption] = [[cell.text.replace("\u00a0", " ") for cell in r.cells] for r in rows]
    return tables


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_spravka_states_title_period_coverage_and_who_did_not_answer(world, library):
    campaign = library.campaign
    document = _document(world, campaign)
    text = _paragraphs(document)
    assert text[:2] == ["МКУ «УОНР»", "Республика Саха (Якутия)"]
    assert text[3] == "Аналитическая справка по итогам мониторинга «Оснащение библиотек — 2026»"
    assert "Сроки проведения: 10.11.2026–26.11.2026." in text
    assert "Основание: приказ МКУ «УОНР» от ___ № ___." in text
    assert "Ответили 2 из 3 организаций (66,7 %): в срок – 1, с опозданием – 1." in text
    assert any("«Оснащение библиотеки» (версия 2026-1)" in line for line in text)
    assert f"{SAKHA_SCHOOL} (не начато)" in text
    assert "Маарская СОШ (черновик)" not in text
    assert "Исполнитель: Петрова А. И." in text
    today = datetime.now(ZoneInfo("Asia/Yakutsk")).strftime("%d.%m.%Y")
    assert f"Дата: {today}" in text


def test_choice_and_number_questions_get_tables_and_plain_sentences(world, library):
    campaign = library.campaign
    document = _document(world, campaign)
    text, tables = _paragraphs(document), _tables(document)
    assert "Есть ли Интернет: да – 1 из 2 (50,0 %)." in text
    assert tables["Есть ли Интернет"] == [
        ["Вариант ответа", "Организаций", "%"],
        ["Да", "1", "50,0 %"],
        ["Нет", "1", "50,0 %"],
    ]
    assert "АИБС: «ИРБИС» – 2 из 2 (100,0 %)." in text
    numbers = tables["Числовые показатели раздела «Помещение и оснащение»"]
    assert numbers[0] == ["Вопрос", "Ответили", "Сумма", "Среднее", "Медиана", "Мин.", "Макс."]
    assert numbers[1] == ["Число читателей", "2", "420", "210", "210", "120", "300"]
    assert numbers[2] == ["Площадь, м²", "2", "106,8", "53,4", "53,4", "40,3", "66,5"]
    assert "Площадь, м²: в среднем 53,4 (от 40,3 до 66,5), всего 106,8." in text
    assert tables["Состояние помещений"] == [
        ["", "Хорошее", "Требует ремонта"],
        ["Читальный зал", "1", "1"],
        ["Абонемент", "0", "2"],
    ]
    assert (
        "Сотрудники: 3 строки в 2 организациях (в среднем 1,5 на организацию); "
        "Ставка – всего 1,75." in text
    )
    assert tables["Расчётные показатели"][1] == [
        "Читателей на 1 м², чел.", "2", "3,75", "3,75", "2,98", "4,51"
    ]  # fmt: skip
    assert (
        "«Читателей на 1 м²»: в среднем 3,75 чел.; "
        "лучшее значение – Нюрбинская СОШ №1 (4,51 чел.); "
        "худшее значение – Маарская СОШ (2,98 чел.); "
        "ниже нормы (4 чел.) – 1 из 2 организаций (50,0 %): Маарская СОШ." in text
    )


def test_conclusions_follow_from_the_figures(world, library):
    campaign = library.campaign
    document = _document(world, campaign)
    numbered = [p.text.replace("\u00a0", " ") for p in document.paragraphs
                if p.style.name == "List Number"]  # fmt: skip
    assert numbered[0].startswith("Сведения представили 2 из 3 организаций (66,7 %)")
    assert any("«Читателей на 1 м²»: не соответствуют норме 1 из 2" in line for line in numbered)
    assert "Есть сканер: ответ «да» дали менее половины организаций – 0 из 2 (0,0 %)." in numbered
    assert not any(line.startswith("Есть ли Интернет") for line in numbered)
    assert any(line.startswith("Руководителям ОО, не представившим") for line in numbered)
    assert _headings(document) == [
        "Аналитическая справка по итогам мониторинга «Оснащение библиотек — 2026»",
        "Общие сведения",
        "Результаты мониторинга",
        "Помещение и оснащение",
        "Кадры",
        "Расчётные показатели",
        "Выводы",
        "Рекомендации",
        "Организации, не представившие сведения",
        "Приложение 1. Сведения по организациям: Помещение и оснащение",
        "Приложение 2. Текстовые ответы",
    ]


def test_dynamics_compare_means_with_the_previous_campaign(world, library):
    campaign = library.campaign
    earlier = ({**FIRST, "readers": 200, "area": "60"}, {**SECOND, "readers": 100, "area": "40"})
    previous = library.monitoring(
        world.admin_a, "Оснащение библиотек — 2025", earlier,
        _utc(2025, 11, 10, 1), _utc(2025, 11, 25, 5),
    )  # fmt: skip
    document = _document(world, campaign, previous=previous)
    assert "Динамика" in _headings(document)
    rows = _tables(document)["Динамика средних значений"]
    assert rows[0] == ["Показатель", "Было (25.11.2025)", "Стало (26.11.2026)", "Изменение"]
    assert rows[1:] == [
        ["Число читателей", "150", "210", "+60"],
        ["Площадь, м²", "50", "53,4", "+3,4"],
        ["Читателей на 1 м², чел.", "2,92", "3,75", "+0,83"],
    ]
    assert "Динамика" not in _headings(_document(world, campaign))


def test_text_answers_stay_plain_text_in_the_appendix(world, library):
    campaign = library.campaign
    target = io.BytesIO()
    write_docx(world.admin_a, campaign, None, target, executor="Петрова А. И.")
    document = Document(io.BytesIO(target.getvalue()))
    body = document.element.xml
    assert "instrText" not in body and "fldSimple" not in body
    assert _tables(document)["Что нужно в первую очередь"] == [
        ["Организация", "Ответ"],
        ["Нюрбинская СОШ №1", FORMULA],
    ]
    assert "Текстовые ответы приведены в приложении 2." in _paragraphs(document)
    per_school = _tables(document)["Ответы организаций"]
    assert per_school[1:] == [
        ["Маарская СОШ", "120", "40,3"],
        ["Нюрбинская СОШ №1", "300", "66,5"],
    ]


def test_fonts_and_language_suit_russian_and_sakha(world, library):
    campaign = library.campaign
    document = _document(world, campaign)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "cs", "eastAsia")} == {
        "Times New Roman"
    }
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "ru-RU"
    for name in ("Title", "Heading 1", "Heading 2"):
        assert document.styles[name].font.name == "Times New Roman"
        assert document.styles[name].font.color.rgb == RGBColor(0, 0, 0)
    assert round(document.sections[0].page_width.cm, 1) == 21.0


def test_campaign_without_answers_still_gives_a_document(world, tmp_path):
    campaign = make_campaign(
        world.admin_a, make_form(world.admin_a, DEFINITION), [world.school_a1, world.school_a2]
    )
    # As the background export passes them: a path, and statuses as plain strings.
    target = tmp_path / "справка.docx"
    statuses = ReportFilter(statuses=("submitted", "accepted"))
    write_docx(world.admin_a, campaign, statuses, target, executor="Петрова А. И.")
    text = _paragraphs(Document(target))
    assert "Ответили 0 из 2 организаций (0,0 %): в срок – 0, с опозданием – 0." in text
    assert "Есть ли Интернет: ответов нет." in text
    assert "Число читателей: ответов нет." in text
    assert not [line for line in text if "приложени" in line.lower()]  # no empty appendix
