"""Imports cannot tie up a worker (issue 9, item 17) and deep nesting is refused with a message,
never a RecursionError (item 16): rows, columns and questions are limited by the configuration,
absurd sheet dimensions are refused before reading, the checks are linear."""

import gc
import io
import json
import re
import time
import zipfile

import openpyxl
import pytest

from app.questionnaires import services as questionnaires
from app.questionnaires.definition_check import check_definition
from app.questionnaires.jsonio import JsonFormError, read_json
from app.questionnaires.relevant import RelevantError, parse_relevant
from app.questionnaires.xlsform import SurveyReader
from app.questionnaires.xlsform_questions import Row
from app.questionnaires.xlsform_writer import write_xlsform
from tests.conftest import login
from tests.test_imports import ORG_HEADER, USER_HEADER


def _client(make_app, user, **config):
    client = make_app(**config).test_client()
    login(client, user)
    return client


def upload_bytes(client, url, data: bytes, name: str):
    return client.post(
        url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first worksheet's XML passed through ``change``."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            archive.writestr(member, content)
    return target.getvalue()


def _declaring(data: bytes, ref: str | None) -> bytes:
    def change(xml: bytes) -> bytes:
        replacement = b"" if ref is None else f'<dimension ref="{ref}"/>'.encode()
        return re.sub(rb"<dimension [^>]*/>", replacement, xml)

    return _rewrite_sheet(data, change)


def _definition(count: int, chained: bool = True) -> dict:
    questions = []
    for number in range(count):
        condition = None
        if chained and number:
            condition = {"key": f"q{number - 1}", "op": "gt", "value": 1}
        questions.append(
            {"key": f"q{number}", "type": "integer", "label": f"Вопрос {number}",
             "help": "", "required": False, "condition": condition}
        )  # fmt: skip
    section = {"key": "main", "title": "", "description": "", "condition": None}
    return {"title": "Большая", "description": "", "form_id": "big", "version": "1",
            "sections": [{**section, "questions": questions}]}  # fmt: skip


# Organizations and users


def test_organizations_sheet_declaring_the_whole_grid_is_refused_before_reading(make_app, world):
    rows = [ORG_HEADER] + [[f"Школа {n}", "", "школа", "", ""] for n in range(3000)]
    data = _declaring(_workbook(rows), "A1:XFD1048576")
    client = _client(make_app, world.admin_a)
    started = time.perf_counter()
    reply = upload_bytes(client, "/organizations/import", data, "orgs.xlsx")
    assert time.perf_counter() - started < 3
    assert reply.status_code == 400
    assert "5000 строк" in reply.get_data(as_text=True)


def test_a_sheet_declaring_too_many_columns_is_refused_naming_the_limit(make_app, world):
    data = _declaring(_workbook([ORG_HEADER]), "A1:Z2")
    client = _client(make_app, world.admin_a, IMPORT_MAX_COLUMNS=10)
    reply = upload_bytes(client, "/users/import", data, "users.xlsx")
    assert reply.status_code == 400
    assert "10 столбцов" in reply.get_data(as_text=True)


def test_a_sheet_without_dimension_stops_at_the_row_limit(make_app, world):
    rows = [ORG_HEADER] + [[f"Школа {n}", "", "школа", "", ""] for n in range(30)]
    data = _declaring(_workbook(rows), None)
    client = _client(make_app, world.admin_a, IMPORT_MAX_ROWS=20)
    reply = upload_bytes(client, "/organizations/import", data, "orgs.xlsx")
    assert reply.status_code == 400
    assert "20 строк" in reply.get_data(as_text=True)


# Forms


def test_xlsform_with_more_rows_than_the_limit_is_refused_naming_it(make_app, world):
    data = write_xlsform(_definition(150, chained=False))
    client = _client(make_app, world.admin_a, IMPORT_MAX_ROWS=100)
    reply = upload_bytes(client, "/forms/import", data, "form.xlsx")
    assert reply.status_code == 400
    assert "100 строк" in reply.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_form_with_more_questions_than_the_limit_is_refused_naming_it(make_app, world, fmt):
    definition = _definition(60, chained=False)
    data = json.dumps(definition).encode() if fmt == "json" else write_xlsform(definition)
    client = _client(make_app, world.admin_a, FORM_MAX_QUESTIONS=50)
    reply = upload_bytes(client, "/forms/import", data, f"form.{fmt}")
    assert reply.status_code == 400
    assert "50 вопросов" in reply.get_data(as_text=True)


def test_builder_cannot_grow_a_form_past_the_question_limit(harness, world, monkeypatch):
    form = questionnaires.create_form(world.admin_a, _definition(3, chained=False))
    monkeypatch.setitem(harness.config, "FORM_MAX_QUESTIONS", 3)
    question = {**_definition(4, chained=False)["sections"][0]["questions"][3]}
    with pytest.raises(Exception, match="3 вопросов"):
        questionnaires.change_definition(
            world.admin_a, form, lambda d: {**d, "sections": [
                {**d["sections"][0], "questions": [*d["sections"][0]["questions"], question]}
            ]}
        )  # fmt: skip


def _seconds(work) -> float:
    """The best of three timings, without the garbage collector's pauses."""
    gc.collect()
    gc.disable()
    try:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        return min(times)
    finally:
        gc.enable()


def test_checking_a_five_thousand_question_form_takes_well_under_a_second():
    small, big = _definition(500), _definition(5000)
    small_time = _seconds(lambda: check_definition(small))
    big_time = _seconds(lambda: check_definition(big))
    assert big_time < 0.5
    assert big_time < 30 * small_time + 0.05  # linear: about 10 times; quadratic: 100


def _alternating_groups(count: int) -> list[Row]:
    rows = []
    for number in range(count):
        for kind, name in (
            ("begin_group", f"g{number}"),
            ("integer", f"a{number}"),
            ("end_group", ""),
            ("integer", f"b{number}"),
        ):
            rows.append(Row(len(rows) + 2, {"type": kind, "name": name, "label": "Вопрос"}))
    return rows  # fmt: skip


def test_reading_xlsform_rows_is_linear_in_the_number_of_groups():
    """Each question between groups opens a default section whose key must be free."""
    small, big = _alternating_groups(500), _alternating_groups(4000)
    small_time = _seconds(lambda: SurveyReader({}, small).read())
    big_time = _seconds(lambda: SurveyReader({}, big).read())
    sections = SurveyReader({}, big).read()
    assert sections[1]["key"] == "main" and sections[-1]["key"] == "main_4000"
    assert big_time < 1
    assert big_time < 30 * small_time + 0.05  # linear: about 8 times; quadratic: 64


# Nesting


def test_conditions_nested_hundreds_of_brackets_deep_are_refused_with_a_message():
    expression = "(" * 500 + "${a} = 1" + ")" * 500
    with pytest.raises(RelevantError, match="глубоко"):
        parse_relevant(expression)
    assert parse_relevant("(" * 20 + "${a} = 1" + ")" * 20) == {"key": "a", "op": "eq", "value": 1}


def test_xlsform_with_a_deeply_nested_relevant_is_refused(client, world):
    data = write_xlsform(_definition(2, chained=False))
    book = openpyxl.load_workbook(io.BytesIO(data))
    survey = book["survey"]
    header = [cell.value for cell in survey[1]]
    survey.cell(3, header.index("relevant") + 1, "(" * 400 + "${q0} = 1" + ")" * 400)
    buffer = io.BytesIO()
    book.save(buffer)
    login(client, world.admin_a)
    reply = upload_bytes(client, "/forms/import", buffer.getvalue(), "form.xlsx")
    assert reply.status_code == 400
    assert "слишком глубоко" in reply.get_data(as_text=True)


def _nested_condition(depth: int) -> dict:
    condition = {"key": "q0", "op": "gt", "value": 1}
    for _ in range(depth):
        condition = {"not": condition}
    return condition


@pytest.mark.parametrize("depth", [25, 100, 1000, 100_000])
def test_json_definition_nested_deeply_is_refused_with_a_message(depth):
    definition = _definition(2, chained=False)
    if depth == 100_000:
        text = json.dumps(definition).replace(
            '"condition": null}]', '"x": ' + "[" * depth + "]" * depth + "}]"
        )
    else:
        definition["sections"][0]["questions"][1]["condition"] = _nested_condition(depth)
        text = json.dumps(definition) if depth < 500 else _dumps_deep(definition)
    with pytest.raises(JsonFormError if depth > 25 else Exception, match="глубоко"):
        read_json(text)


def _dumps_deep(definition: dict) -> str:
    """json.dumps recurses too; the deep condition is written by hand."""
    condition = definition["sections"][0]["questions"][1].pop("condition")
    depth = 0
    while "not" in condition:
        condition, depth = condition["not"], depth + 1
    text = '{"not": ' * depth + json.dumps(condition) + "}" * depth
    return json.dumps(definition).replace(
        '"required": false}]', '"required": false, "condition": ' + text + "}]", 1
    )


def test_builder_condition_nested_too_deeply_is_refused_beside_the_field(client, world):
    form = questionnaires.create_form(world.admin_a, _definition(2, chained=False))
    from app.extensions import db

    db.session.commit()
    login(client, world.admin_a)
    reply = client.post(
        f"/forms/{form.id}/sections/new",
        data={"key": "deep", "title": "Глубокий", "condition": "(" * 300 + "${q0} = 1" + ")" * 300},
    )
    assert reply.status_code in (200, 400)
    assert "слишком глубоко" in reply.get_data(as_text=True)


def test_cells_longer_than_their_columns_are_named_not_stored(client, world):
    login(client, world.admin_a)
    rows = [ORG_HEADER, ["Ш" * 301, "", "школа", "", ""], ["Школа", "", "школа", "", "с" * 121]]
    reply = upload_bytes(client, "/organizations/import", _workbook(rows), "orgs.xlsx")
    assert reply.status_code == 400
    page = reply.get_data(as_text=True)
    assert "не более 300 симв" in page and "не более 120 симв" in page
    users = [USER_HEADER, ["л" * 81, "Иванова", "", "школа", world.school_a1.name]]
    reply = upload_bytes(client, "/users/import", _workbook(users), "users.xlsx")
    assert reply.status_code == 400
    assert "не более 80 симв" in reply.get_data(as_text=True)
