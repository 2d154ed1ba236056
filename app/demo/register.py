"""Demo register of library staff: one or two people per school of the Nyurba district, with
courses, some of them due for professional development."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.organizations.models import Organization
from app.registry.models import (
    Category,
    Course,
    DifficultyTopic,
    Education,
    Employment,
    LibrarianRecord,
    Position,
    Vacancy,
)

LAST_NAMES = (
    "Егорова", "Николаева", "Иванова", "Петрова", "Степанова", "Васильева", "Григорьева",
    "Семёнова", "Алексеева", "Максимова", "Прокопьева", "Федорова", "Данилова", "Афанасьева",
)  # fmt: skip
FIRST_NAMES = (
    "Сардана", "Айталина", "Туйаара", "Саргылана", "Ньургуяна", "Нарыйа", "Айыына",
    "Анастасия", "Галина", "Любовь", "Уйгулаана",
)  # fmt: skip
PATRONYMICS = ("Петровна", "Ивановна", "Семёновна", "Николаевна", "Васильевна", "Егоровна")
# (position, rate, education, library education, library since, category, last course's end)
ROLES = [
    (Position.TEACHER_LIBRARIAN, "1", Education.HIGHER, True, date(2008, 9, 1),
     Category.HIGHEST, date(2025, 4, 18)),
    (Position.LIBRARIAN, "0.5", Education.VOCATIONAL, True, date(2016, 9, 1), Category.NONE,
     date(2021, 11, 26)),
    (Position.HEAD, "1", Education.HIGHER, False, date(2001, 8, 15), Category.FIRST,
     date(2024, 3, 29)),
    (Position.TEACHER_LIBRARIAN, "0.75", Education.HIGHER, False, date(2019, 9, 1),
     Category.CONFORMITY, None),
    (Position.LIBRARIAN, "1", Education.VOCATIONAL, True, date(2012, 2, 1), Category.FIRST,
     date(2022, 10, 14)),
]  # fmt: skip
DIFFICULTIES = (
    "Работа с АИБС (автоматизированной информационно-библиотечной системой)",
    "Проектная деятельность",
    "Медиаобразование и информационная грамотность",
    "Продвижение чтения",
    "Работа с библиотечным фондом",
    "Использование ИКТ в работе библиотеки",
)
COURSE_TOPICS = (
    "Информационно-библиотечный центр как ресурс реализации ФГОС",
    "Продвижение чтения в школьной библиотеке",
    "Работа с электронными ресурсами и НЭБ",
)


def load_register(district: Organization, schools: list[Organization]) -> None:
    """Adds the demo staff and the district's topics of difficulties unless the register
    already holds someone."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(LibrarianRecord)):
        return
    topics = [
        DifficultyTopic(organization=district, title=title, position=position)
        for position, title in enumerate(DIFFICULTIES, 1)
    ]
    db.session.add_all(topics)
    for school, rate, note in (
        (schools[4], "0.5", "0,5 ставки педагога-библиотекаря"),
        (schools[9], "1", "библиотекарь (ставка вакантна с сентября)"),
    ):
        db.session.add(Vacancy(organization=school, rate=Decimal(rate), note=note))
    number = 0
    for index, school in enumerate(schools):
        for offset in range(1 + index % 2):
            record = _person(school, ROLES[(index + offset) % len(ROLES)], number)
            record.difficulties = [topics[number % 4], topics[(number * 5 + 1) % 6]][
                : 1 + number % 2
            ]
            number += 1


def _person(school: Organization, spec: tuple, index: int) -> LibrarianRecord:
    position, rate, education, library, since, category, course = spec
    record = LibrarianRecord(
        organization=school,
        last_name=LAST_NAMES[index % len(LAST_NAMES)],
        first_name=FIRST_NAMES[index * 3 % len(FIRST_NAMES)],
        patronymic=PATRONYMICS[index * 5 % len(PATRONYMICS)],
        position=position,
        rate=Decimal(rate),
        employment=Employment.MAIN if rate == "1" else Employment.PART_TIME,
        education=education,
        library_education=library,
        pedagogical_education=not library,
        graduation_year=since.year - 1,
        career_start=date(since.year - 2, 9, 1),
        library_start=since,
        category=category,
        phone=f"+7 914 2{index:02d}-{index * 7 % 100:02d}-{index * 13 % 100:02d}",
        consent_on=date(2026, 9, 1),
        consent_note="Оригинал в личном деле, канцелярия школы",
    )
    db.session.add(record)
    if course is not None:
        db.session.add(
            Course(
                record=record,
                topic=COURSE_TOPICS[index % len(COURSE_TOPICS)],
                provider="ГАУ ДПО РС(Я) «Институт развития образования и повышения "
                "квалификации им. С. Н. Донского-II»",
                hours=72,
                starts_on=date(course.year, course.month, 1),
                ends_on=course,
                document_number=f"14{index:04d}",
            )  # fmt: skip
        )
    return record
