"""The staffing figures and their справка: counts by position, education, category,
experience and rate over the people working now in the viewer's subtree."""

import io
from datetime import date
from decimal import Decimal

from docx import Document
from docx.oxml.ns import qn

from app.registry import staffing
from app.registry.models import Category, Education, Position
from tests.office import office_pages
from tests.registry.factory import make_record


def _staff(world):
    make_record(world.school_a1, position=Position.TEACHER_LIBRARIAN, rate=Decimal("1"),
                library_education=True, library_start=date(2005, 9, 1), category=Category.HIGHEST,
                courses=[(date(2026, 3, 1), date(2026, 3, 20))])  # fmt: skip
    make_record(world.school_a1, position=Position.LIBRARIAN, rate=Decimal("0.5"),
                education=Education.VOCATIONAL, library_start=date(2024, 9, 1))  # fmt: skip
    make_record(world.school_a1, position=Position.LIBRARIAN, rate=Decimal("0.25"),
                is_active=False)  # fmt: skip
    make_record(world.school_b1, position=Position.HEAD, rate=Decimal("1"))


def test_the_figures_count_the_people_working_in_the_subtree(world):
    _staff(world)
    figures = staffing.staffing(world.admin_a, date(2026, 12, 1))
    assert (figures.people, figures.rate, figures.schools, figures.schools_staffed) == (
        2,
        Decimal("1.5"),
        2,
        1,
    )
    assert figures.unstaffed == [world.school_a2.name]
    assert (figures.library_education, figures.due) == (1, 1)
    by_key = {
        b.key: {label: (n, percent) for label, n, percent in b.rows} for b in figures.breakdowns
    }
    assert by_key["position"] == {
        "Педагог-библиотекарь": (1, Decimal("50.0")),
        "Библиотекарь": (1, Decimal("50.0")),
    }
    assert by_key["experience"] == {"от 20 лет и более": (1, Decimal("50.0")),
                                    "от 0 до 3 лет": (1, Decimal("50.0"))}  # fmt: skip
    assert by_key["rate"] == {"одна ставка": (1, Decimal("50.0")),
                              "от 0,5 до 1": (1, Decimal("50.0"))}  # fmt: skip


def test_staff_and_viewers_read_the_page_schools_do_not(world, as_user):
    _staff(world)
    for who, status in ((world.admin_a, 200), (world.viewer_a, 200), (world.school_user_a1, 403),
                        (world.jury_a, 403)):  # fmt: skip
        client = as_user(who)
        page = client.get("/registry/staffing")
        assert page.status_code == status
        if status == 200:
            text = page.get_data(as_text=True)
            assert "Педагог-библиотекарь" in text and "Иванова" not in text
        client.post("/logout")


def test_the_spravka_has_a_table_and_a_captioned_chart_per_breakdown(world, as_user, tmp_path):
    _staff(world)
    response = as_user(world.admin_a).get("/registry/staffing.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text.replace("\u00a0", " ") for p in document.paragraphs)
    assert "в библиотеках 1 из 2 школ работают 2 сотрудника на 1,50 ставки" in text
    assert "Библиотечное образование имеют 1 сотрудник (50,0 %)" in text
    captions = [p.text for p in document.paragraphs if p.text.startswith("Рисунок ")]
    assert captions[:2] == [
        "Рисунок 1. Должности",
        "Рисунок 2. Основная работа или совместительство",
    ]
    pictures = [p for p in document.paragraphs if p._p.findall(f".//{qn('w:drawing')}")]
    assert len(pictures) == len(captions) == 6
    assert world.school_a2.name in text  # among the schools without their staff entered
    target = tmp_path / "staffing.docx"
    target.write_bytes(response.data)
    assert len(office_pages(target, "staffing")) >= 2


def test_a_school_reports_its_vacancies_and_the_district_sums_them(world, as_user):
    school = as_user(world.school_user_a1)
    refused = school.post("/registry/vacancy", data={"rate": "-1"})
    assert refused.status_code == 400
    assert 'id="rate-error"' in refused.get_data(as_text=True)
    saved = school.post("/registry/vacancy", data={"rate": "0,5", "note": "педагог-библиотекарь"})
    assert saved.status_code == 302
    school.post("/logout")
    figures = staffing.staffing(world.admin_a, date(2026, 12, 1))
    assert figures.vacancies == [(world.school_a1.name, Decimal("0.50"), "педагог-библиотекарь")]
    assert figures.vacant_rate == Decimal("0.5")
    page = as_user(world.admin_a).get("/registry/staffing").get_data(as_text=True)
    assert "Вакансии: 0,50 ставки" in page
