"""A roadmap imported from .xlsx (all rows or none) and its execution report (.docx, .xlsx)."""

import io
from datetime import date

import openpyxl
import sqlalchemy as sa
from docx import Document

from app.extensions import db
from app.roadmap import services
from app.roadmap.imports import COLUMNS
from app.roadmap.models import Activity, Status
from tests.office import office_pages


def _file(*rows) -> tuple:
    workbook = openpyxl.Workbook()
    workbook.active.append([str(column.header) for column in COLUMNS])  # in Russian, as sent
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer, "plan.xlsx"


ROWS = [
    ("Организационно-координационные мероприятия", 1, "Разработка Концепции", "октябрь",
     "МКУ «УОНР», ОО", "Концепция", "Развитие сети ИБЦ"),
    ("Организационно-координационные мероприятия", 5, "Анализ кадрового обеспечения",
     "Январь-февраль", "МКУ «УОНР», ОО", "Аналитическая справка", "Карта затруднений"),
]  # fmt: skip


def _roadmap(world):
    roadmap = services.create_roadmap(world.admin_a, "Дорожная карта 2023–2024", 2023)
    db.session.commit()
    return roadmap


def _activities(roadmap):
    db.session.expire_all()
    statement = sa.select(Activity).where(Activity.roadmap_id == roadmap.id)
    return db.session.scalars(statement.order_by(Activity.number)).all()


def test_a_roadmap_is_imported_from_its_columns(world, as_user):
    roadmap = _roadmap(world)
    response = as_user(world.admin_a).post(
        f"/roadmap/{roadmap.id}/import", data={"file": _file(*ROWS)},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302
    first, fifth = _activities(roadmap)
    assert (first.number, first.section.title, first.ends_on) == (
        1,
        "Организационно-координационные мероприятия",
        date(2023, 10, 31),
    )
    assert (fifth.period, fifth.ends_on) == ("Январь-февраль", date(2024, 2, 29))


def test_one_bad_row_imports_nothing(world, as_user):
    roadmap = _roadmap(world)
    no_period = ("", 2, "Анализ", "", "", "", "")
    bad_number = ("", "пятый", "Анализ", "май", "", "", "")
    response = as_user(world.admin_a).post(
        f"/roadmap/{roadmap.id}/import", data={"file": _file(ROWS[0], no_period, bad_number)},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<tr><td>3</td><td>Сроки</td><td>значение обязательно</td></tr>" in page
    assert "<tr><td>4</td><td>№</td><td>От 1 до 999.</td></tr>" in page
    assert _activities(roadmap) == []


def test_the_execution_report_states_what_was_done_and_what_is_overdue(world, as_user, tmp_path):
    roadmap = _roadmap(world)
    client = as_user(world.admin_a)
    client.post(f"/roadmap/{roadmap.id}/import", data={"file": _file(*ROWS)},
                content_type="multipart/form-data")  # fmt: skip
    first, _fifth = _activities(roadmap)
    client.post(f"/roadmap/{roadmap.id}/items/{first.id}/status",
                data={"status": "done", "done_on": "27.10.2023",
                      "result_note": "Концепция утверждена приказом"})  # fmt: skip
    response = client.get(f"/roadmap/{roadmap.id}/report.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text.replace("\u00a0", " ") for p in document.paragraphs)
    assert "включает 2 мероприятия" in text and "выполнено 1 (50,0 %)" in text
    assert "не выполнено в срок 1" in text and "Не выполнены в срок мероприятия № 5." in text
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[1][4] == "выполнено 27.10.2023" and rows[1][5] == "Концепция утверждена приказом"
    assert rows[2][4] == "не выполнено в срок"
    target = tmp_path / "report.docx"
    target.write_bytes(response.data)
    assert office_pages(target, "roadmap-report")
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/roadmap/{roadmap.id}/report.xlsx").data)
    ).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("Раздел", "№", "Мероприятие")
    assert values[2][5] == "не выполнено в срок"
    db.session.expire_all()
    assert _activities(roadmap)[0].status == Status.DONE
