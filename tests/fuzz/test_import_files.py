"""Every .xlsx import takes random cells, formulas, huge cells and hostile sheet names (issue
14, item 10): never a 500; a refused file changes nothing in any table; an accepted one loads
every filled row of it, no fewer (an import is all or nothing)."""

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import event, example, given
from hypothesis import strategies as st

from app.accounts.models import User
from app.core import imports
from app.core.errors import DomainError
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.models import Form
from app.registry.models import LibrarianRecord
from app.roadmap import services as roadmaps
from app.roadmap.models import Activity
from tests.fuzz.values import FUZZ, HOSTILE, NUMBERS, SAKHA_WORDS, TEXT, logged_in

FORMULAS = [
    "=1/0", "=1+1", "=A1", "=SUM(A1:A1048576)", '=HYPERLINK("http://x","y")', "=NOW()",
    "=REPT(\"я\",32767)", "=cmd|' /C calc'!A0", "==", "=",
]  # fmt: skip
SHEET_NAMES = [
    "", "x" * 32, "x" * 300, "[]:*?/\\", "'", "History", "Лист 1", "Ҕалыҥ Өлүөхүмэ", "\u202e",
    "&amp;", "<sheet>", '"', "🙂", "a\tb",
]  # fmt: skip
CELL = st.one_of(
    TEXT.map(lambda text: text[:40_000]),
    st.sampled_from(FORMULAS + NUMBERS + HOSTILE + SAKHA_WORDS),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(min_value=date(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1)),
)


class Import:
    """One import: its page, who uses it and the table it fills."""

    def __init__(self, url, template, model, user):
        self.url, self.template, self.model, self.user = url, template, model, user


def _imports(world) -> dict[str, Import]:
    if "fuzz_imports" not in world.__dict__:
        roadmap = roadmaps.create_roadmap(world.admin_a, "Дорожная карта 2025–2026", 2025)
        db.session.commit()
        world.fuzz_imports = {
            "organizations": Import(
                "/organizations/import", "/organizations/import/template.xlsx", Organization,
                world.admin_a,
            ),
            "users": Import("/users/import", "/users/import/template.xlsx", User, world.admin_a),
            "register": Import(
                "/registry/import", "/registry/import/template.xlsx", LibrarianRecord,
                world.school_user_a1,
            ),
            "roadmap": Import(
                f"/roadmap/{roadmap.id}/import", "/roadmap/import/template.xlsx",
                Activity, world.admin_a,
            ),
        }  # fmt: skip
    return world.fuzz_imports


def _template(app, world, kind: str) -> tuple[list, list]:
    """The header and the example row of the import's own template (Russian headers)."""
    cache = world.__dict__.setdefault("fuzz_templates", {})
    if kind not in cache:
        target = _imports(world)[kind]
        reply = logged_in(app, world, target.user).get(target.template)
        assert reply.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(reply.data))
        header, example_row = list(book.worksheets[1].iter_rows(values_only=True))[:2]
        cache[kind] = (list(header), list(example_row))
    return cache[kind]


def _table_counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _writable(value):
    if isinstance(value, str):
        return openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, int) and abs(value) > 2**53:
        return str(value)
    return value


def _workbook(rows: list[list], sheet_name: str | None, before: bool) -> bytes:
    """A workbook of ``rows``; ``sheet_name`` is written into the XML as it is (openpyxl would
    refuse most of them); ``before`` puts an empty sheet before the data."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append([_writable(value) for value in row])
    if before:
        book.create_sheet("Before", 0)
    buffer = io.BytesIO()
    book.save(buffer)
    if sheet_name is None:
        return buffer.getvalue()
    escaped = sheet_name.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    source, target = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/workbook.xml":
                content = content.replace(b'name="Data"', f'name="{escaped}"'.encode(), 1)
            archive.writestr(member, content)
    return target.getvalue()


def _filled_rows(app, data: bytes, template_header: list) -> int | None:
    """How many rows the import reads from ``data`` (None when it cannot read the file)."""
    columns = [imports.Column(str(i), str(h).rstrip(" *")) for i, h in enumerate(template_header)]
    try:
        with app.test_request_context():
            return len(imports.read_rows(io.BytesIO(data), columns))
    except DomainError:
        return None


LETTERS = "абвгдҕҥөһү"


def _unique(value, number: int):
    """The template's example made unique: a login gets digits, an e-mail a prefix, a name
    letters (Sakha ones among them), so rows and files do not repeat each other."""
    if not isinstance(value, str) or value.isdigit() or any(c.isdigit() for c in value[:1]):
        return value
    if "@" in value:
        return f"{number}{value}"
    if value.isascii():
        return f"{value}{number}"
    return value + "".join(LETTERS[int(digit)] for digit in str(number))


@st.composite
def _row(draw, header: list, example_row: list):
    """The example row made unique, with none, one or two of its cells hostile."""
    number = draw(st.integers(0, 10**6))
    row = [_unique(value, number) if index == 0 else value for index, value in
           enumerate(example_row)]  # fmt: skip
    row = [str(number % 999 + 1) if str(name).startswith("№") else value
           for name, value in zip(header, row, strict=True)]  # fmt: skip
    if "@" in str(example_row[2:]):  # the e-mail of an account or a person is unique too
        row = [_unique(value, number) if "@" in str(value) else value for value in row]
    spoiled = draw(st.lists(st.integers(0, len(row) - 1), max_size=2))
    for index in spoiled:
        row[index] = draw(CELL)
    return row


@st.composite
def _file(draw, app, world):
    kind = draw(st.sampled_from(["organizations", "users", "register", "roadmap"]))
    header, example_row = _template(app, world, kind)
    rows = draw(st.lists(_row(header, example_row), min_size=1, max_size=4))
    if draw(st.booleans()):
        rows = [row + draw(st.lists(CELL, max_size=2)) for row in rows]  # cells past the header
    names = st.one_of(st.none(), st.sampled_from(SHEET_NAMES), TEXT.map(lambda text: text[:50]))
    sheet_name = draw(names)
    return kind, header, rows, sheet_name, draw(st.booleans())


@FUZZ
@given(data=st.data())
def test_every_import_loads_all_or_nothing(app, world, data):
    kind, header, rows, sheet_name, before = data.draw(_file(app, world))
    target = _imports(world)[kind]
    file = _workbook([header, *rows], sheet_name, before)
    counts = _table_counts()
    reply = logged_in(app, world, target.user).post(
        target.url, data={"file": (io.BytesIO(file), "Ҕалыҥ.xlsx")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    event(f"{kind}: {reply.status_code}")
    after = _table_counts()
    if after == counts:  # nothing loaded, nothing logged
        assert reply.status_code == 400
        return
    assert reply.status_code in (200, 302)  # the accounts made, or the list
    loaded = after[target.model.__tablename__] - counts[target.model.__tablename__]
    assert loaded == _filled_rows(app, file, header)  # every row, or the file was refused


@pytest.mark.parametrize("kind", ["organizations", "users", "register", "roadmap"])
def test_the_example_of_every_template_imports(app, world, kind):
    """The template's example row, as downloaded, is a row the import takes (the register's
    said "первая", which its import refused: the category is "первая категория")."""
    header, example_row = _template(app, world, kind)
    target = _imports(world)[kind]
    counts = _table_counts()
    reply = logged_in(app, world, target.user).post(
        target.url, data={"file": (io.BytesIO(_workbook([header, example_row], None, False)),
                                   "Пример.xlsx")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert reply.status_code in (200, 302), reply.get_data(as_text=True)[-3000:]
    table = target.model.__tablename__
    assert _table_counts()[table] == counts[table] + 1


def test_a_period_naming_a_date_no_calendar_has_is_refused(app, world):
    """Found by the import fuzz: «31.02.2024» in an activity's period was a 500 (strptime),
    through the import and through the activity's own page."""
    header, example_row = _template(app, world, "roadmap")
    target = _imports(world)["roadmap"]
    client = logged_in(app, world, world.admin_a)
    counts = _table_counts()
    for period in ("31.02.2024", "с 01.09.2025 по 00.00.0000"):
        row = [period if str(name).startswith("Сроки") else value
               for name, value in zip(header, example_row, strict=True)]  # fmt: skip
        file = io.BytesIO(_workbook([header, row], None, False))
        reply = client.post(
            target.url, data={"file": (file, "x.xlsx")}, content_type="multipart/form-data"
        )
        assert reply.status_code == 400
        assert "несуществующая дата" in reply.get_data(as_text=True)
        page = client.post(
            target.url.replace("/import", "/items/new"),
            data={"number": "7", "title": "Ҕалыҥ", "period": period},
        )
        assert page.status_code == 400
        assert "несуществующая дата" in page.get_data(as_text=True)
    assert _table_counts() == counts


def test_an_import_that_fails_on_its_last_row_loads_nothing(app, world, client):
    header, example_row = _template(app, world, "organizations")
    rows = [[f"Школа Ҕ {n}", *example_row[1:]] for n in range(5)]
    rows.append(["Школа Ҕ 6", "", "", "no such parent", ""])
    counts = _table_counts()
    reply = logged_in(app, world, world.admin_a).post(
        "/organizations/import",
        data={"file": (io.BytesIO(_workbook([header, *rows], None, False)), "x.xlsx")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 400
    assert "no such parent" in reply.get_data(as_text=True)
    assert _table_counts() == counts


XLSFORM_TYPES = ["integer", "decimal", "text", "date", "select_one yes_no", "note", "calculate"]


@FUZZ
@given(
    rows=st.lists(
        st.tuples(st.one_of(st.sampled_from(XLSFORM_TYPES), CELL),
                  st.one_of(st.sampled_from(["q1", "q2", "Ҕ", "1a"]), CELL),
                  st.one_of(st.sampled_from(SAKHA_WORDS), CELL),
                  st.one_of(st.sampled_from(FORMULAS), CELL)).map(list),
        min_size=1, max_size=5),
    sheet_name=st.one_of(st.none(), st.sampled_from(SHEET_NAMES)),
    before=st.booleans(),
)  # fmt: skip
@example(rows=[["integer", "q1", "Ҕалыҥ", "=1/0"]], sheet_name=None, before=False)
@example(rows=[["integer", "q1", "я" * 40_000, '=REPT("я",32767)']], sheet_name="", before=True)
def test_xlsform_import_takes_formulas_huge_cells_and_sheet_names(
    app, world, rows, sheet_name, before
):
    """A form imported from XLSForm: a whole form, or a 400 and no form."""
    file = _workbook([["type", "name", "label", "calculation"], *rows], sheet_name, before)
    file = _renamed(file, "Data", "survey") if sheet_name is None else file
    counts = _table_counts()
    client = logged_in(app, world, world.admin_a)
    reply = client.post(
        "/forms/import", data={"file": (io.BytesIO(file), "form.xlsx")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    event(f"xlsform: {reply.status_code}")
    after = _table_counts()
    if reply.status_code >= 400:
        assert after == counts
    else:
        assert after[Form.__tablename__] == counts[Form.__tablename__] + 1


def _renamed(data: bytes, old: str, new: str) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    book[old].title = new
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
