"""All-or-nothing imports of organizations and users from .xlsx files."""

import io
import zipfile

import openpyxl
import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.organizations.models import Organization
from tests.conftest import login

ORG_HEADER = [
    "Наименование",
    "Краткое наименование",
    "Тип",
    "Вышестоящая организация",
    "Населённый пункт",
]
USER_HEADER = ["Логин", "ФИО", "E-mail", "Роль", "Организация"]


def xlsx(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def upload(client, url, data, name="file.xlsx"):
    return client.post(url, data={"file": (data, name)}, content_type="multipart/form-data")


def org_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Organization))


def problem_rows(page: str) -> list[str]:
    table = page[
        page.index('id="import-problems"') : page.index(
            "</table>", page.index('id="import-problems"')
        )
    ]
    return [cell.split("</td>")[0] for cell in table.split("<tr><td>")[1:]]


def test_fifty_rows_with_three_bad_create_nothing_and_name_all_three(client, world):
    rows = [ORG_HEADER]
    for number in range(1, 51):
        rows.append([f"Школа импорта №{number}", "", "школа", "", "с. Маар"])
    rows[11] = ["", "", "школа", "", ""]  # row 12: no name
    rows[25] = ["Школа X", "", "университет", "", ""]  # row 26: unknown kind
    rows[40] = ["Школа Y", "", "школа", "Нет такой", ""]  # row 41: unknown parent
    login(client, world.admin_a)
    before = org_count()
    response = upload(client, "/organizations/import", xlsx(rows))
    assert response.status_code == 400
    assert org_count() == before
    assert problem_rows(response.get_data(as_text=True)) == ["12", "26", "41"]


def test_good_file_creates_all_rows_with_parents_from_db_and_file(client, world):
    rows = [
        ORG_HEADER,
        ["Нюрбинский районный ресурсный центр", "РЦ", "другая организация", "", "г. Нюрба"],
        ["Школа при центре", "", "", "РЦ", "г. Нюрба"],
        ["Маарская начальная школа", "", "школа", "МКУ «УОНР»", "с. Маар"],
    ]
    login(client, world.admin_a)
    response = upload(client, "/organizations/import", xlsx(rows))
    assert response.status_code == 302
    center = db.session.scalar(sa.select(Organization).where(Organization.short_name == "РЦ"))
    child = db.session.scalar(
        sa.select(Organization).where(Organization.name == "Школа при центре")
    )
    assert child.parent_id == center.id
    assert center.parent_id == world.district_a.id
    assert child.is_within(world.district_a)


def test_duplicates_in_file_and_in_database_are_reported(client, world):
    rows = [
        ORG_HEADER,
        ["Новая школа", "", "", "", ""],
        ["новая  школа", "", "", "", ""],
        ["Маарская СОШ", "", "", "", ""],
    ]
    login(client, world.admin_a)
    response = upload(client, "/organizations/import", xlsx(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert problem_rows(page) == ["3", "4"]
    assert "строку 2" in page or "строки 2" in page


def test_parent_from_another_district_is_not_found(client, world):
    rows = [ORG_HEADER, ["Школа-шпион", "", "", "МКУ «УО Сунтар»", ""]]
    login(client, world.admin_a)
    response = upload(client, "/organizations/import", xlsx(rows))
    assert response.status_code == 400
    assert org_count() == 6


def test_values_from_the_file_are_escaped_in_messages(client, world):
    rows = [ORG_HEADER, ["Школа", "", "<script>alert(1)</script>", "", ""]]
    login(client, world.admin_a)
    page = upload(client, "/organizations/import", xlsx(rows)).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_missing_required_column_is_named(client, world):
    login(client, world.admin_a)
    response = upload(client, "/organizations/import", xlsx([["Тип"], ["школа"]]))
    assert response.status_code == 400
    assert problem_rows(response.get_data(as_text=True)) == ["1"]


def test_not_an_xlsx_is_refused_beside_the_field(client, world):
    login(client, world.admin_a)
    response = upload(client, "/organizations/import", io.BytesIO(b"name;kind\n"))
    assert response.status_code == 400
    assert 'id="file-error"' in response.get_data(as_text=True)


def test_zip_bomb_is_refused_before_reading(client, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    buffer.seek(0)
    login(client, world.admin_a)
    response = upload(client, "/organizations/import", buffer)
    assert response.status_code == 400
    assert 'id="file-error"' in response.get_data(as_text=True)


def test_highly_compressed_part_is_refused(make_app, world):
    app = make_app(IMPORT_MAX_UNCOMPRESSED_BYTES=500 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"a" * (20 * 1024 * 1024))
    buffer.seek(0)
    client = app.test_client()
    login(client, world.admin_a)
    response = upload(client, "/organizations/import", buffer)
    assert response.status_code == 400
    assert 'id="file-error"' in response.get_data(as_text=True)


def test_xml_entity_expansion_is_refused(client, world):
    source = xlsx([ORG_HEADER, ["Школа", "", "", "", ""]]).getvalue()
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(bomb, "w") as target:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            target.writestr(item, data)
    bomb.seek(0)
    login(client, world.admin_a)
    response = upload(client, "/organizations/import", bomb)
    assert response.status_code == 400
    assert "запрещённые конструкции XML" in response.get_data(as_text=True)
    assert org_count() == 6


def test_file_over_the_size_limit_is_refused(make_app, world):
    app = make_app(IMPORT_MAX_BYTES=1024)
    client = app.test_client()
    login(client, world.admin_a)
    rows = [ORG_HEADER] + [[f"Школа {n}", "", "", "", "с. " + "x" * 50] for n in range(200)]
    response = upload(client, "/organizations/import", xlsx(rows))
    assert response.status_code == 400
    assert org_count() == 6


def test_template_downloads_and_its_headers_import_back(client, world):
    login(client, world.admin_a)
    response = client.get("/organizations/import/template.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    sheet.append(["Школа из шаблона", "", "", "", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    assert upload(client, "/organizations/import", buffer).status_code == 302
    assert db.session.scalar(sa.select(Organization).where(Organization.name == "Школа из шаблона"))


def test_user_import_creates_accounts_with_links(client, world):
    rows = [
        USER_HEADER,
        ["maar01", "Семёнова Айыына", "maar@example.ru", "школа", "Маарская СОШ"],
        ["Nyurba-Jury", "Петров Пётр", "", "жюри", "МКУ «УОНР»"],
    ]
    login(client, world.admin_a)
    response = upload(client, "/users/import", xlsx(rows))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("/set-password/") == 2
    jury = db.session.scalar(sa.select(User).where(User.username == "nyurba-jury"))
    assert jury.role == "jury" and jury.password_hash is None


def test_user_import_names_every_bad_row_and_creates_nobody(client, world):
    rows = [
        USER_HEADER,
        ["good01", "Хороший", "", "школа", "Маарская СОШ"],
        ["school-a1", "Занятый логин", "", "школа", "Маарская СОШ"],
        ["bad email", "Плохой логин", "not-an-email", "школа", "Маарская СОШ"],
        ["good02", "Чужая школа", "", "школа", "Сунтарская СОШ №1"],
        ["good01", "Повтор", "", "школа", "Маарская СОШ"],
        ["good03", "Школьник в управлении", "", "школа", "МКУ «УОНР»"],
    ]
    login(client, world.admin_a)
    response = upload(client, "/users/import", xlsx(rows))
    assert response.status_code == 400
    assert problem_rows(response.get_data(as_text=True)) == ["3", "4", "5", "6", "7"]
    assert db.session.scalar(sa.select(User).where(User.username == "good01")) is None
