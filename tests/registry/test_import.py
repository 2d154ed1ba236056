"""Import of a school's staff from .xlsx: all rows or none, problems by row and column."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import sqlalchemy as sa

from app.extensions import db
from app.registry.imports import COLUMNS
from app.registry.models import Employment, LibrarianRecord, Position
from tests.registry.factory import make_record


def _row(**values) -> list:
    person = {"last_name": "Егорова", "first_name": "Сардана", "patronymic": "Петровна",
              "position": "педагог-библиотекарь", "rate": "0,5", "education": "высшее",
              "library_education": "да", "library_start": "01.09.2008",
              "consent_on": "01.09.2026", "consent_note": "в личном деле", **values}  # fmt: skip
    return [person.get(column.field, "") for column in COLUMNS]


def _file(*rows) -> tuple:
    workbook = openpyxl.Workbook()
    workbook.active.append([str(column.header) for column in COLUMNS])  # in Russian, as sent
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer, "staff.xlsx"


def _post(client, *rows):
    return client.post("/registry/import", data={"file": _file(*rows)},
                       content_type="multipart/form-data")  # fmt: skip


def _records() -> list[LibrarianRecord]:
    db.session.expire_all()
    return db.session.scalars(sa.select(LibrarianRecord).order_by(LibrarianRecord.id)).all()


def test_a_school_imports_its_staff(world, as_user):
    second = _row(last_name="Николаева", first_name="Айталина", position="библиотекарь", rate="1",
                  employment="совместительство", education="среднее профессиональное")  # fmt: skip
    rows = (_row(), second)
    response = _post(as_user(world.school_user_a1), *rows)
    assert response.status_code == 302
    first, second = _records()
    assert (first.full_name, first.position, first.rate, first.library_start) == (
        "Егорова Сардана Петровна",
        Position.TEACHER_LIBRARIAN,
        Decimal("0.5"),
        date(2008, 9, 1),
    )
    assert (second.position, second.employment) == (Position.LIBRARIAN, Employment.PART_TIME)
    assert {r.organization_id for r in (first, second)} == {world.school_a1.id}


def test_one_bad_row_imports_nothing_and_names_row_and_column(world, as_user):
    rows = (_row(), _row(last_name="Николаева", rate="полставки"), _row(last_name="Петрова",
            consent_on=""), _row(last_name="Иванова", education="неоконченное"))  # fmt: skip
    response = _post(as_user(world.school_user_a1), *rows)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "3" in page and "Ставка" in page and "Введите число." in page
    assert "Дата согласия на обработку персональных данных" in page
    assert "неоконченное" in page
    assert _records() == []


def test_a_person_already_registered_or_repeated_is_refused(world, as_user):
    make_record(world.school_a1, last_name="Егорова", first_name="Сардана", patronymic="Петровна")
    response = _post(
        as_user(world.school_user_a1), _row(), _row(last_name="Новая"), _row(last_name="Новая")
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "уже есть в базе" in page and "повторяет строку 3" in page
    assert len(_records()) == 1


def test_only_a_school_imports(world, as_user):
    for who in (world.admin_a, world.viewer_a, world.jury_a):
        client = as_user(who)
        assert _post(client, _row()).status_code == 403
        client.post("/logout")
    assert _records() == []


def test_the_template_lists_the_columns(world, as_user):
    response = as_user(world.school_user_a1).get("/registry/import/template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert next(sheet.iter_rows(values_only=True))[:2] == ("Фамилия *", "Имя *")
