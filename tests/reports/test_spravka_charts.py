"""The справка as its reader gets it: a chart per block with a numbered caption, the document's
own styles, an appendix per numeric block, suspicious values never quoted as a school's best or
worst, numbers in Russian format; and LibreOffice opens it cleanly."""

import copy
import re
import warnings
from decimal import Decimal

import pytest
from docx.oxml.ns import qn

from app.extensions import db
from app.questionnaires.models import Form
from app.reports import indicators
from app.reports.aggregates import ReportFilter
from app.reports.exports import charts
from app.reports.exports.docx_report import write_docx
from app.reports.plausibility import Suspect
from app.reports.rounding import value_places
from tests.factories import make_org
from tests.monitoring import make_form
from tests.office import office_pages
from tests.reports.test_docx_report import (
    DEFINITION,
    FIRST,
    SAKHA_SCHOOL,
    SECOND,
    Library,
    _document,
    _headings,
    _paragraphs,
    _question,
    _tables,
    _utc,
)

# A decimal point between digits that is not part of a date such as 26.11.2026.
ENGLISH_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")
STAFF_DEFINITION = copy.deepcopy(DEFINITION)
STAFF_DEFINITION["sections"][1]["questions"].append(
    _question("librarians", "integer", "Число библиотекарей")
)


@pytest.fixture
def staffed(world) -> Library:
    """Two blocks with numeric questions, an indicator with a norm; the third school (Sakha
    letters in its name) does not answer."""
    sakha = make_org(SAKHA_SCHOOL, parent=world.district_a)
    form: Form = make_form(world.admin_a, STAFF_DEFINITION)
    indicators.add_indicator(
        world.admin_a, form, key="readers_per_m2", title="Читателей на 1 м²",
        formula="readers / area", unit="чел.", threshold=Decimal(4),
    )  # fmt: skip
    db.session.commit()
    library = Library(form, [world.school_a1, world.school_a2, sakha])
    library.campaign = library.monitoring(
        world.admin_a, "Оснащение библиотек — 2026",
        ({**FIRST, "librarians": 2}, {**SECOND, "librarians": 1}),
        _utc(2026, 11, 10, 1), _utc(2026, 11, 25, 15, 30),
    )  # fmt: skip
    return library


LABELS = {"indicator:readers_per_m2": "Читателей на 1 м²", "readers": "Число читателей",
          "area": "Площадь, м²"}  # fmt: skip


def _suspect(world, key, value, checked=False, school=None):
    school = school or world.school_a1
    return Suspect(
        response_id=1, organization=school.name, key=key, label=LABELS[key], value=Decimal(value),
        reason="больше, чем у остальных школ района", checked=checked,
        places=value_places(Decimal(value), 2),
    )  # fmt: skip


def _body_order(document):
    """("picture" | "caption:<text>" | "p") for the paragraphs of the body, in order."""
    order = []
    for paragraph in document.paragraphs:
        if paragraph._p.findall(f".//{qn('w:drawing')}"):
            order.append("picture")
        elif paragraph.style.name == "Caption":
            order.append("caption:" + paragraph.text)
        else:
            order.append("p")
    return order


def test_each_chart_has_a_numbered_caption_below_it(world, staffed):
    document = _document(world, staffed.campaign)
    order = _body_order(document)
    pictures = [i for i, kind in enumerate(order) if kind == "picture"]
    # Yes/no shares and the software choice of the first block; the indicator by school.
    assert len(pictures) == 3 == len(document.inline_shapes)
    for number, index in enumerate(pictures, 1):
        assert order[index + 1].startswith(f"caption:Рисунок {number}. ")
    text = _paragraphs(document)
    assert "Рисунок 1. Ответы «да» и «нет»: помещение и оснащение" in text
    assert "Рисунок 3. Читателей на 1 м² по организациям" in text


def test_headings_use_the_documents_own_styles(world, staffed):
    document = _document(world, staffed.campaign)
    headings = {p.text: p.style for p in document.paragraphs if p.style.name.startswith("Head")}
    assert headings["Общие сведения"].name == "Heading 1"
    assert headings["Кадры"].name == "Heading 2"
    for style in (headings["Общие сведения"], headings["Кадры"]):
        assert style.font.name == "Times New Roman" and style.font.bold
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing == 1.5 and round(normal.first_line_indent.cm, 2) == 1.25
    assert "PAGE" in document.sections[0].footer._element.xml


def test_every_numeric_block_has_its_appendix_named_in_the_body(world, staffed):
    document = _document(world, staffed.campaign)
    assert _headings(document)[-3:] == [
        "Приложение 1. Сведения по организациям: Помещение и оснащение",
        "Приложение 2. Сведения по организациям: Кадры",
        "Приложение 3. Текстовые ответы",
    ]
    text = _paragraphs(document)
    assert "Сведения по организациям приведены в приложении 1." in text
    assert "Сведения по организациям приведены в приложении 2." in text
    assert "Текстовые ответы приведены в приложении 3." in text
    assert _tables(document)["Ответы организаций"][1:] == [
        ["Маарская СОШ", "1"],
        ["Нюрбинская СОШ №1", "2"],
    ]


def test_blocks_open_with_their_main_finding(world, staffed):
    text = _paragraphs(_document(world, staffed.campaign))
    assert (
        "Есть ли Интернет: да – 1 из 2 организаций (50,0 %); "
        "Есть сканер: да – 0 из 2 организаций (0,0 %); "
        "АИБС: чаще всего – «ИРБИС», 2 из 2 организаций (100,0 %)." in text
    )


def test_an_unchecked_suspicious_value_is_never_quoted_as_best_or_extreme(world, staffed):
    suspects = [
        _suspect(world, "indicator:readers_per_m2", "4.511278"),
        _suspect(world, "readers", "300"),
        _suspect(world, "area", "40.25", checked=True, school=world.school_a2),
    ]
    document = _document(world, staffed.campaign, suspects=suspects)
    text = _paragraphs(document)
    conclusions = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    indicator = next(line for line in text if line.startswith("«Читателей на 1 м²»"))
    assert "4,51" not in indicator and "лучшее значение" not in indicator
    assert "в среднем 3,75 чел.*" in indicator
    assert not any("4,51" in line or "300" in line for line in conclusions)
    assert (
        "Число читателей: в среднем 210* (разброс не приводится до проверки данных), "
        "всего 420." in text
    )
    assert "* с учётом значений, не подтверждённых школами: Нюрбинская СОШ №1 (300)." in text
    numbers = _tables(document)["Числовые показатели раздела «Помещение и оснащение»"]
    assert numbers[1][3] == "210*" and numbers[2][3] == "53,4"
    assert "Замечания к данным" in _headings(document)
    remarks = _tables(document)["Сомнительные значения"]
    assert remarks[0] == ["Организация", "Вопрос или показатель", "Значение", "Причина", "Проверка"]
    assert [row[4] for row in remarks[1:]] == [
        "не подтверждено", "не подтверждено", "подтверждено школой"
    ]  # fmt: skip


def test_figures_are_written_the_russian_way(world, staffed):
    document = _document(world, staffed.campaign)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for line in _paragraphs(document) + cells:
        assert not ENGLISH_DECIMAL.search(line), line


def test_a_sakha_label_renders_without_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        image = charts.choice_bars([("Үөһээ Бүлүү, ҕ ҥ ө һ ү", 3, Decimal("60.0"))])
    assert image.getvalue().startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from" in str(w.message)]


def test_libreoffice_opens_the_spravka(world, staffed, tmp_path):
    target = tmp_path / "spravka.docx"
    suspects = [_suspect(world, "indicator:readers_per_m2", "4.511278")]
    write_docx(world.admin_a, staffed.campaign, ReportFilter(), target,
               executor="Петрова А. И.", suspects=suspects)  # fmt: skip
    assert len(office_pages(target, "spravka")) >= 4
