"""Every question type takes random and hostile values through the real save and submit
endpoints (issue 14, item 10): never a 500; a refused save leaves the stored answers as they
were; what a draft stores is what was typed (round trip) and validation can read it; what a
submission stores is exactly what validation accepts, in the JSON and in the typed answer rows,
and the JSON API gives it back equal.
"""

import io
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from hypothesis import event, example, given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.accounts import api_tokens
from app.campaigns.answers import answer_rows
from app.campaigns.formdata import collect_answers
from app.campaigns.models import Answer, Response, ResponseStatus
from app.extensions import db
from app.questionnaires.conditions import all_questions
from app.questionnaires.definition import as_reported, version_definition
from app.questionnaires.validation import answer_keys, validate_answers
from tests.fuzz.every_type import COLUMNS, QUESTIONS, every_type_response
from tests.fuzz.values import DATES, FUZZ, NUMBERS, SAKHA_WORDS, TEXT, logged_in, several

JSON = {"Accept": "application/json"}
NUMBER = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers(-(10**13), 10**13).map(str),
    st.decimals(min_value=-(10**6), max_value=10**6, places=3).map(lambda d: str(d)),
    st.decimals(places=2, min_value=-(10**6), max_value=10**6).map(
        lambda d: str(d).replace(".", ",")
    ),
)
DATE = st.one_of(
    st.sampled_from(DATES),
    st.dates().map(lambda day: day.strftime("%d.%m.%Y")),
    st.dates().map(lambda day: day.isoformat()),
)
CODE = st.sampled_from(["a", "b", "other", "r1", "c", "", "A", "a ", "\x00"])
BY_TYPE = {
    "integer": NUMBER,
    "decimal": NUMBER,
    "scale": NUMBER,
    "date": DATE,
    "single": CODE,
    "multiple": CODE,
    "yesno": st.sampled_from(["yes", "no", "YES", " no ", "да", "1", "true"]),
    "email": st.sampled_from(["a@example.ru", "Ҕ@пример.рф", "x@y", "a@b@c", "a" * 70 + "@x.ru"]),
    "phone": st.sampled_from(["+7 (914) 000-00-00", "12345", "1234", "9" * 21, "+7\x009140"]),
    "text": st.sampled_from(SAKHA_WORDS),
}


def _value(kind: str) -> st.SearchStrategy:
    return several(st.one_of(BY_TYPE.get(kind, st.nothing()), TEXT))


def _field_names() -> dict[str, st.SearchStrategy]:
    fields = {}
    for question in QUESTIONS:
        key, kind = question["key"], question["type"]
        fields[f"q.{key}"] = _value(kind)
        if question.get("other"):
            fields[f"q.{key}_other"] = _value("text")
        if kind == "multiple":
            fields[f"q.{key}.shown"] = st.sampled_from(["1", ""])
        if kind == "matrix":
            for row in ("r1", "r2", "zz"):
                fields[f"q.{key}.{row}"] = _value("single")
        if kind == "file":
            fields[f"q.{key}.id"] = several(st.one_of(st.sampled_from(["FILE", "0"]), TEXT))
            fields[f"q.{key}.name"] = _value("text")
        if kind == "table":
            for index in ("0", "1", "999999", "1000000", "x"):
                for column in COLUMNS:
                    fields[f"q.{key}.{index}.{column['key']}"] = _value(column["type"])
    return fields


FIELDS = _field_names()
UNKNOWN = st.dictionaries(
    st.one_of(st.sampled_from(["q.unknown", "q.", "q..", "q.t_text.x", "revision2"]), TEXT),
    several(TEXT),
    max_size=3,
)
FORM = st.fixed_dictionaries({}, optional=FIELDS)


def _stored(response_id: int) -> Response:
    db.session.expire_all()
    return db.session.get(Response, response_id)


def _setup(app, world) -> tuple:
    """The response, the school's client and the id of a file it uploaded, made by the first
    example and shared by the rest."""
    if "fuzz_setup" not in world.__dict__:
        response = every_type_response(world)
        client = logged_in(app, world, world.school_user_a1)
        upload = client.post(
            f"/responses/{response.id}/files",
            data={"key": "t_file", "file": (io.BytesIO(b"%PDF-1.4\n%test\n"), "Ҕалыҥ.pdf")},
        )
        assert upload.status_code == 200, upload.get_data(as_text=True)
        world.fuzz_setup = (response.id, client, upload.json["id"])
    return world.fuzz_setup


def form_data(fields: dict, unknown: dict, file_id: int, revision) -> MultiDict:
    data = MultiDict([("revision", revision)])
    for name, value in {**unknown, **fields}.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name, str(file_id) if item == "FILE" else item)
    return data


def _entered_keys() -> set[str]:
    return {
        q["key"]
        for q in QUESTIONS
        if q["type"] not in ("calculate", "file", "table", "note") and not q.get("read_only")
    }


@FUZZ
@given(fields=FORM, unknown=UNKNOWN, stale=st.booleans(), submit=st.booleans())
@example(
    fields={"q.t_integer": "1e309", "q.t_decimal": "-1e309", "q.t_scale": "NaN",
            "q.t_date": "31.02.2024", "q.t_date_bounded": "2024-02-31",
            "q.t_text": "Ҕҕ Ҥҥ Өө Һһ Үү",
            "q.t_table.0.c_decimal": "Infinity", "q.t_table.0.c_date": "0000-00-00",
            "q.t_table.0.c_integer": "0x10", "q.t_matrix.r1": "a", "q.t_yesno": "yes"},
    unknown={"q.nope": "1"}, stale=False, submit=True,
)  # fmt: skip
@example(
    fields={"q.t_integer": "12", "q.t_decimal": "1 000,5", "q.t_scale": "10",
            "q.t_single": "other", "q.t_single_other": "Һаҥа", "q.t_multiple": ["a", "b"],
            "q.t_date": "29.02.2024", "q.t_date_bounded": "2025-09-01",
            "q.t_email": "a@example.ru", "q.t_phone": "+7 (914) 000-00-00",
            "q.t_file.id": "FILE", "q.t_matrix.r1": "a", "q.t_matrix.r2": "b",
            "q.t_table.0.c_text": "Үөрэх", "q.t_table.0.c_integer": "5",
            "q.t_table.0.c_multiple": ["a", "b"], "q.t_table.0.c_calculate": "999",
            "q.t_calculate": "-1", "q.t_read_only": "changed", "q.t_yesno": "yes",
            "q.t_shown": "Өлүөхүмэ"},
    unknown={}, stale=False, submit=True,
)  # fmt: skip
@example(
    fields={"q.t_date": "1.9.2025", "q.t_date_bounded": " 2025-09-01 ", "q.t_yesno": " NO ",
            "q.t_text": "  Һаҥа  ", "q.t_single": "b"},
    unknown={}, stale=False, submit=True,
)  # fmt: skip
@example(
    fields={"q.t_integer": "9" * 4301, "q.t_decimal": "-" + "9" * 5000 + ",5",
            "q.t_table.0.c_integer": "9" * 4301, "q.t_table.0.c_decimal": "9" * 4301},
    unknown={}, stale=False, submit=False,
)  # fmt: skip
@example(
    fields={"q.t_integer": ["1", "2"], "q.t_date": ["31.12.9999", "01.01.0001"],
            "q.t_table.999999.c_text": "x", "q.t_table.1000000.c_text": "y",
            "q.t_file.id": "9" * 40, "q.t_textarea": "a\r\nb\rc" * 10_000},
    unknown={}, stale=False, submit=True,
)  # fmt: skip
def test_every_question_type_takes_hostile_values(app, world, fields, unknown, stale, submit):
    response_id, client, file_id = _setup(app, world)
    before = _stored(response_id)
    revision, data, status = before.revision, before.data, before.status
    sent = form_data(fields, unknown, file_id, revision - 1 if stale else revision)
    reply = client.post(f"/responses/{response_id}/save", data=sent, headers=JSON)
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    event(f"save: {reply.status_code}")
    after = _stored(response_id)
    definition = version_definition(after.campaign.form_version)
    if reply.status_code != 200:
        assert (after.data, after.revision, after.status) == (data, revision, status)
        assert 400 <= reply.status_code < 500  # refused: the page says so (fill.js)
        assert reply.json is None or "error" in reply.json
    else:
        assert not stale
        check_draft(definition, after.data, sent, file_id)
    assert client.get(f"/responses/{response_id}").status_code == 200
    if submit:
        _submit_and_check(app, world, client, after, definition)


def check_draft(definition: dict, stored: dict, sent: MultiDict, file_id: int) -> None:
    """The draft holds what was typed, the server's own values for what cannot be typed, and
    nothing validation cannot read."""
    typed = collect_answers(definition, sent)
    assert set(stored) <= answer_keys(definition)
    for key in _entered_keys() | {f"{q['key']}_other" for q in QUESTIONS if q.get("other")}:
        assert stored.get(key) == typed.get(key), key
    assert stored.get("t_read_only") == "Ҕалыҥ"  # its default: the school cannot type it
    if "t_file" in stored:
        assert stored["t_file"] == {"id": file_id, "name": "Ҕалыҥ.pdf"}
    typed_cells = [column["key"] for column in COLUMNS if column["type"] != "calculate"]
    assert _cells(stored.get("t_table"), typed_cells) == _cells(typed.get("t_table"), typed_cells)
    clean, errors = validate_answers(definition, stored, complete=False)
    assert stored.get("t_calculate") == clean.get("t_calculate")
    for key, value in clean.items():
        assert key in stored or value == [], key  # a clean answer comes from a stored one
        if key not in errors and key not in ("t_table", "t_calculate"):
            question = {q["key"]: q for q in QUESTIONS}.get(key)
            if question and question["type"] in ("text", "single", "yesno", "date"):
                assert value == _plain(stored[key], question["type"]), key


def _cells(rows, keys: list[str]) -> list[dict]:
    cells = ({key: row[key] for key in keys if key in row} for row in rows or [])
    return [row for row in cells if row]


def _plain(value, kind: str):
    if kind == "date":  # 1.9.2025 or 2025-09-01, as the page takes them
        text = value.strip()
        year, month, day = text.split("-") if "-" in text else reversed(text.split("."))
        return date(int(year), int(month), int(day)).isoformat()
    return value.strip().lower() if kind == "yesno" else value.strip() if kind == "text" else value


def _submit_and_check(app, world, client, response: Response, definition: dict) -> None:
    status = response.status
    reply = client.post(f"/responses/{response.id}/submit", data={"revision": response.revision})
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    after = _stored(response.id)
    event(f"submit: {after.status.value}")
    if after.status != ResponseStatus.SUBMITTED:
        assert after.status == status
        assert validate_answers(definition, after.data, complete=True)[1] or (
            status == ResponseStatus.SUBMITTED
        )
        return
    clean, errors = validate_answers(definition, after.data, complete=True)
    assert not errors and clean == after.data
    assert _answer_rows(after.id) == _rows_of(definition, clean)
    assert _api_answers(app, world, after) == after.data
    staff = logged_in(app, world, world.admin_a)
    for page in (f"/responses/{after.id}/review", f"/reports/campaigns/{after.campaign_id}"):
        assert staff.get(page).status_code == 200, page
    assert client.post(f"/responses/{after.id}/recall").status_code == 302
    assert _stored(after.id).status == ResponseStatus.DRAFT


def _answer_rows(response_id: int) -> list[tuple]:
    rows = db.session.scalars(sa.select(Answer).where(Answer.response_id == response_id))
    return sorted(_row_tuple(row) for row in rows)


def _rows_of(definition: dict, clean: dict) -> list[tuple]:
    rows = answer_rows(all_questions(as_reported(definition)), clean)
    return sorted(_row_tuple(row) for row in rows)


def _row_tuple(row: Answer) -> tuple:
    number = None if row.value_number is None else Decimal(row.value_number).normalize()
    return tuple(
        "" if value is None else str(value)
        for value in (
            row.question_key, row.row_index, row.part, row.value_text, number,
            row.value_choice, row.value_date,
        )
    )  # fmt: skip


def _api_answers(app, world, response: Response) -> dict:
    """The answers as the JSON API gives them to the district."""
    if "fuzz_token" not in world.__dict__:
        world.fuzz_token = api_tokens.create_token(world.admin_a, "Фаззинг")[1]
        db.session.commit()
    reply = app.test_client().get(
        f"/api/v1/campaigns/{response.campaign_id}/responses",
        headers={"Authorization": f"Bearer {world.fuzz_token}"},
    )
    assert reply.status_code == 200
    (item,) = [item for item in reply.json["items"] if item["id"] == response.id]
    return item["answers"]


def test_a_draft_number_of_thousands_of_digits_is_shown_as_typed(app, world):
    """Found by the fuzz run: the filling page wrote a typed number back through int(), which
    refuses more than 4,300 digits: a 500 on every later opening of the page."""
    response_id, client, file_id = _setup(app, world)
    huge = "9" * 4301
    fields = {"q.t_integer": huge, "q.t_table.0.c_decimal": f"-{huge},5"}
    sent = form_data(fields, {}, file_id, _stored(response_id).revision)
    assert client.post(f"/responses/{response_id}/save", data=sent, headers=JSON).status_code == 200
    page = client.get(f"/responses/{response_id}")
    assert page.status_code == 200
    assert "99" + "\u00a0999" * 1433 in page.get_data(as_text=True)  # 4,301 digits, grouped
    staff = logged_in(app, world, world.admin_a)
    assert staff.get(f"/responses/{response_id}/review").status_code == 200


def test_a_table_row_with_a_wrong_cell_is_shown_on_the_page(app, world):
    """Found by the fuzz run: the filling page kept per process is keyed by the JSON of each
    question's errors, and a table's errors are keyed by row numbers, which orjson refused
    (a 500 on the page of any draft with a wrong table cell)."""
    response_id, client, file_id = _setup(app, world)
    fields = {"q.t_table.0.c_integer": "пять", "q.t_table.1.c_date": "31.02.2024"}
    sent = form_data(fields, {}, file_id, _stored(response_id).revision)
    saved = client.post(f"/responses/{response_id}/save", data=sent, headers=JSON)
    assert saved.json["errors"]["t_table"]["rows"] == {
        "0": {"c_integer": "Введите целое число."},
        "1": {"c_date": "Введите дату в формате ДД.ММ.ГГГГ."},
    }
    for _twice in range(2):  # written, then taken from what the process kept
        page = client.get(f"/responses/{response_id}")
        assert page.status_code == 200
        assert "Введите целое число." in page.get_data(as_text=True)


@FUZZ
@given(body=st.binary(max_size=300), revision=st.sampled_from([b"", b"revision=1&"]))
@example(body=b"q.t_text=%FF%FE%ED%A0%80&q.t_date=%00", revision=b"revision=1&")
@example(body=b"q.t_table.0.c_text=" + b"%C3" * 1000, revision=b"revision=1&")
def test_save_takes_bytes_that_are_no_form(app, world, body, revision):
    """A body that is no valid urlencoded UTF-8 (what a broken client sends) is refused or
    read as well as it can be, never a 500."""
    response_id, client, _file_id = _setup(app, world)
    reply = client.post(
        f"/responses/{response_id}/save",
        data=revision + body,
        content_type="application/x-www-form-urlencoded",
        headers=JSON,
    )
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    after = _stored(response_id)
    assert set(after.data or {}) <= answer_keys(version_definition(after.campaign.form_version))
