"""Hostile input never breaks anything (issue 9, acceptance): the fill/save endpoints of a
monitoring and of a contest entry, the jury's score sheet and every import take huge numbers,
NaN and Infinity, control characters (NUL, CR/LF), deep nesting, overlong strings and wrong
types (several values for one field, objects for numbers) without a 500, and nothing is stored
that validation refuses: a refused save leaves the stored answers as they were.

Bounded so that the whole file runs in well under a minute; FUZZ_EXAMPLES=500 hunts longer.
"""

import io
import json
import os
import zipfile

import openpyxl
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.campaigns.models import Answer, Response, ResponseStatus
from app.contests import entries, scoring
from app.contests.models import Assignment, Contest, Entry, Score
from app.core.timefmt import local_today, utc_to_local
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.definition import version_definition
from app.questionnaires.definition_check import check_definition
from app.questionnaires.models import Form
from app.questionnaires.validation import validate_answers
from app.questionnaires.xlsform_writer import write_xlsform
from tests.conftest import login
from tests.contests.factory import judging_contest, make_contest
from tests.monitoring import DEFINITION, make_campaign, make_form, response_of
from tests.test_import_limits import upload_bytes
from tests.test_imports import ORG_HEADER, USER_HEADER

# FUZZ_EXAMPLES=500 hunts longer than the 30 examples a test runs in CI.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SPECIAL = [
    "NaN", "nan", "Infinity", "-Infinity", "inf", "1e999", "-1e999", "1e-999", "9" * 40,
    "9" * 400, "-" + "9" * 30 + ".5", "0x10", "1_000", "²", "١٢٣", "½", "\x00", "a\x00b",
    "\r\n", "line\r\nInjected: 1", "\u2028", "\ufeff", "=1+1", "@SUM(A1)", "${q}", "'", '"',
    "<script>", "../../etc/passwd", "", " ", "yes", "no", "true", "null", "[]", "{}",
    "2024-02-30", "31.12.9999", "00.00.0000", "+7 (914) 000-00-00", "a@b", "()" * 50,
    "(" * 600, "not(" * 300,
]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=30),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.builds(lambda part, times: part * times, st.sampled_from(["9", "я", "\x00", "\r\n", "("]),
              st.integers(1000, 100_000)),
)  # fmt: skip
FIELD = st.one_of(TEXT, st.lists(TEXT, min_size=2, max_size=3))  # several values for one field


def _client(app, world, user):
    """A client logged in as ``user``, once per test: the examples of a test share it."""
    clients = world.__dict__.setdefault("fuzz_clients", {})
    name = getattr(user, "username", user)
    if name not in clients:
        clients[name] = app.test_client()
        login(clients[name], user)
    return clients[name]


def _fields(names) -> st.SearchStrategy[dict]:
    """Some of ``names`` (and some unknown names) with hostile values."""
    return st.dictionaries(st.one_of(st.sampled_from(names), TEXT), FIELD, max_size=len(names) + 2)


# A monitoring


MONITORING_FIELDS = [
    "q.has_internet", "q.internet_speed", "q.zones", "q.staff.0.full_name", "q.staff.0.rate",
    "q.staff.99999999999999999999.rate", "q.staff.1.rate", "q.scan.id", "q.scan.name",
    "q.zones.shown", "revision",
]  # fmt: skip


def _stored(response_id: int) -> Response:
    db.session.expire_all()
    return db.session.get(Response, response_id)


@FUZZ
@given(fields=_fields(MONITORING_FIELDS), submit=st.booleans())
@example(fields=dict.fromkeys(MONITORING_FIELDS[:-1], "a\x00b\r\n"), submit=True)
@example(fields={"q.has_internet": "yes", "q.internet_speed": "9" * 40}, submit=True)
@example(fields={"q.has_internet": "yes", "q.internet_speed": "1e999999"}, submit=True)
def test_monitoring_save_and_submit_take_hostile_values(app, world, fields, submit):
    response = _monitoring_response(world)
    client = _client(app, world, world.school_user_a1)
    before = _stored(response.id)
    revision, data = before.revision, dict(before.data or {})
    sent = {"revision": revision, **fields} if "revision" not in fields else fields
    reply = client.post(
        f"/responses/{response.id}/save", data=sent, headers={"Accept": "application/json"}
    )
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    after = _stored(response.id)
    definition = version_definition(after.campaign.form_version)
    keys = {q["key"] for s in definition["sections"] for q in s["questions"]}
    if reply.status_code == 200:
        assert set(after.data) <= keys
        assert "scan" not in after.data  # no file was uploaded: no file answer can name one
        validate_answers(definition, after.data, complete=False)  # readable by validation
    else:
        assert after.data == data and after.revision == revision
    if submit:
        _submit_and_check(client, world, after, definition)


def _monitoring_response(world) -> Response:
    response = db.session.scalar(sa.select(Response).order_by(Response.id))
    if response is None:
        form = make_form(world.admin_a)
        campaign = make_campaign(world.admin_a, form, [world.school_a1])
        response = response_of(campaign, world.school_a1)
    return response


def _submit_and_check(client, world, response: Response, definition: dict) -> None:
    reply = client.post(f"/responses/{response.id}/submit", data={"revision": response.revision})
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    after = _stored(response.id)
    if after.status != ResponseStatus.SUBMITTED:
        return
    clean, errors = validate_answers(definition, after.data, complete=True)
    assert not errors and clean == after.data
    rows = db.session.scalar(
        sa.select(sa.func.count(Answer.id)).where(Answer.response_id == response.id)
    )
    assert rows >= len(after.data) - ("staff" in after.data)
    assert client.post(f"/responses/{response.id}/recall").status_code < 500
    # the report of the monitoring reads what was accepted
    staff = _client(client.application, world, world.admin_a)
    report = staff.get(f"/reports/campaigns/{after.campaign_id}")
    assert report.status_code < 500


@FUZZ
@given(fields=_fields([*MONITORING_FIELDS, "visited_on"]))
@example(fields={"visited_on": "31.12.9999", "q.has_internet": "no"})
@example(fields={"visited_on": ["01.01.0001", "a\x00b"], "q.internet_speed": "1e999"})
def test_visit_save_takes_hostile_values(app, world, fields):
    """Staff on a visit: a refused date of the visit keeps nothing; a kept one is in range."""
    response = _monitoring_response(world)
    client = _client(app, world, world.admin_a)
    before = _stored(response.id)
    revision, data, visited_on = before.revision, dict(before.data or {}), before.visited_on
    sent = {"revision": revision, **fields} if "revision" not in fields else fields
    reply = client.post(
        f"/responses/{response.id}/visit/save", data=sent, headers={"Accept": "application/json"}
    )
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    after = _stored(response.id)
    if reply.status_code == 200:
        assert after.visited_by_id == world.admin_a.id
        opened = utc_to_local(after.campaign.opens_at).date()
        assert opened <= after.visited_on <= local_today()
    else:
        assert (after.data, after.revision, after.visited_on) == (data, revision, visited_on)


# A contest entry and the jury's sheet


ENTRY_FIELDS = ["q.author", "q.summary", "q.material.id", "q.material.name", "title", "revision"]


@FUZZ
@given(fields=_fields(ENTRY_FIELDS))
@example(fields=dict.fromkeys(ENTRY_FIELDS[:-1], "a\x00b\r\n"))
@example(fields={"q.material.id": "²", "title": "\x00"})
def test_entry_save_takes_hostile_values(app, world, fields):
    entry = db.session.scalar(sa.select(Entry).order_by(Entry.id))
    if entry is None:
        judged = make_contest(world)
        entry = _new_entry(world, judged)
    client = _client(app, world, world.school_user_a1)
    db.session.expire_all()
    before = db.session.get(Entry, entry.id)
    revision, data, title = before.revision, dict(before.data or {}), before.title
    sent = {"revision": revision, **fields} if "revision" not in fields else fields
    reply = client.post(
        f"/entries/{entry.id}/save", data=sent, headers={"Accept": "application/json"}
    )
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    db.session.expire_all()
    after = db.session.get(Entry, entry.id)
    if reply.status_code != 200:
        assert after.data == data and after.revision == revision and after.title == title
    else:
        assert "material" not in after.data
        assert 0 < len(after.title) <= 300


def _new_entry(world, judged) -> Entry:
    entry = entries.create_entry(world.school_user_a1, judged.contest, judged.first.id, "Работа")
    db.session.commit()
    return entry


SCORE = st.one_of(TEXT, st.decimals(allow_nan=True, allow_infinity=True).map(str))


@FUZZ
@given(
    values=st.lists(st.one_of(SCORE, st.lists(SCORE, min_size=2, max_size=2)), min_size=2,
                    max_size=2),
    notes=st.lists(FIELD, min_size=2, max_size=2),
    comment=FIELD,
    action=st.one_of(st.sampled_from(["save", "next", "complete"]), FIELD),
)  # fmt: skip
@example(values=["1e-999999999", "5"], notes=["a\x00b", ""], comment="\x00", action="save")
@example(values=["NaN", "sNaN"], notes=["", ""], comment="", action="complete")
def test_score_sheet_takes_hostile_values(app, world, values, notes, comment, action):
    assignment_id = _assignment_id(world)
    client = _client(app, world, world.jury_a)
    before = _scores(assignment_id)
    criteria = sorted(
        db.session.get(Assignment, assignment_id).entry.contest.criteria, key=lambda c: c.id
    )
    fields = {"comment": comment, "action": action}
    for criterion, value, note in zip(criteria, values, notes, strict=False):
        fields[f"c{criterion.id}"] = value
        fields[f"note{criterion.id}"] = note
    reply = client.post(f"/jury/assignments/{assignment_id}/scores", data=fields)
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    after = _scores(assignment_id)
    if reply.status_code >= 400:
        assert after == before
    for criterion in criteria:
        value = after.get(criterion.id)
        assert value is None or criterion.min_score <= value <= criterion.max_score


def _assignment_id(world) -> int:
    """The chair's assignment on school A1's entry; the contest is made by the first example."""
    contest = db.session.scalar(sa.select(Contest))
    if contest is None:
        return judging_contest(world).assignment.id
    (assignment,) = [
        assignment
        for assignment in scoring.juror_assignments(world.jury_a, contest)
        if assignment.entry.organization_id == world.school_a1.id
    ]
    return assignment.id


def _scores(assignment_id: int) -> dict:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Score.criterion_id, Score.value).where(Score.assignment_id == assignment_id)
    )
    return dict(rows.all())


# Imports


CELL = st.one_of(
    TEXT.map(lambda text: text[:2000]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)


def _xlsx(sheets: dict[str, list[list]], raw: str | None = None) -> bytes:
    """A workbook; ``raw`` (written into the first sheet's XML as is) carries what openpyxl will
    not write, such as NUL and other control characters."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([_writable(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    if raw is None:
        return buffer.getvalue()
    return _with_raw_cell(buffer.getvalue(), raw)


def _writable(value):
    if isinstance(value, str):
        return openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, int) and abs(value) > 2**53:
        return str(value)
    return value


def _with_raw_cell(data: bytes, raw: str) -> bytes:
    escaped = raw.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8", "surrogatepass")
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                cell = b'<c r="A2" t="inlineStr"><is><t>' + escaped + b"</t></is></c>"
                content = content.replace(b'<row r="2"', b'<row r="2"', 1)
                content = content.replace(b'<row r="2">', b'<row r="2">' + cell, 1)
            archive.writestr(member, content)
    return target.getvalue()


def _org_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(Organization.id)))


@FUZZ
@given(
    users=st.booleans(),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=7), min_size=1, max_size=6),
    raw=st.one_of(st.none(), TEXT.map(lambda text: text[:500])),
)
@example(users=False, rows=[["Школа", "", "школа", "", ""]], raw="a\x00b")
@example(users=True, rows=[["login", "ФИО", "a@b.ru", "школа", "МКУ «УОНР»"]], raw="\x00")
def test_organization_and_user_imports_take_hostile_cells(app, world, users, rows, raw):
    client = _client(app, world, world.admin_a)
    header = USER_HEADER if users else ORG_HEADER
    data = _xlsx({"Данные": [header, *rows]}, raw)
    before = _org_count()
    reply = upload_bytes(
        client, "/users/import" if users else "/organizations/import", data, "x.xlsx"
    )
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    if reply.status_code >= 400:
        assert _org_count() == before


SURVEY_TYPES = [
    "integer", "decimal", "text", "select_one yes_no", "select_multiple zones", "date",
    "range", "begin_group", "end_group", "begin_repeat", "end_repeat", "note", "matrix a b",
    "email", "phone", "file", "calculate", "select_one", "",
]  # fmt: skip
SURVEY_ROW = st.tuples(
    st.one_of(st.sampled_from(SURVEY_TYPES), TEXT),
    st.one_of(st.sampled_from(["q1", "q2", "g1", "r1", "main"]), TEXT),
    TEXT,
    st.one_of(st.sampled_from(["${q1} = 1", "(${q1} > 2) and not(${q2} = 'x')", ""]), TEXT),
    st.one_of(st.sampled_from([". >= 0 and . <= 10", ". > 1e300", "string-length(.) <= 5"]),
              TEXT),
    st.one_of(st.sampled_from(["start=1 end=1e99 step=0", "start=5 end=1", ""]), TEXT),
    st.one_of(st.sampled_from(["yes", "true", "", "1"]), TEXT),
)  # fmt: skip


@FUZZ
@given(
    survey=st.lists(SURVEY_ROW, min_size=1, max_size=8),
    choices=st.lists(st.tuples(st.sampled_from(["yes_no", "zones", "a", "b", ""]), TEXT, TEXT),
                     max_size=5),
    raw=st.one_of(st.none(), TEXT.map(lambda text: text[:500])),
)  # fmt: skip
def test_xlsform_import_takes_hostile_rows(app, world, survey, choices, raw):
    header = ["type", "name", "label", "relevant", "constraint", "parameters", "required"]
    data = _xlsx(
        {
            "survey": [header, *[list(row) for row in survey]],
            "choices": [["list_name", "name", "label"], *[list(row) for row in choices]],
        },
        raw,
    )
    _import_form(app, world, data, "form.xlsx")


def _json_values():
    scalars = st.one_of(
        TEXT, st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
        st.none(),
    )  # fmt: skip
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)
        ),
        max_leaves=10,
    )


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


@FUZZ
@given(
    choice=st.integers(min_value=0),
    replacement=st.one_of(_json_values(), st.sampled_from(["DEEP"])),
    as_text=st.booleans(),
)
@example(choice=3, replacement="a\x00b", as_text=False)
@example(choice=5, replacement="\ud800", as_text=False)
@example(choice=7, replacement="DEEP", as_text=True)
@example(choice=9, replacement=float("nan"), as_text=False)
@example(choice=11, replacement=[{"all": [[[[]]]]}], as_text=False)
def test_json_definition_import_takes_hostile_values(app, world, choice, replacement, as_text):
    definition = json.loads(json.dumps(DEFINITION))
    paths = list(_paths(definition))[1:]
    path = paths[choice % len(paths)]
    deep = "[" * 5000 + "]" * 5000
    target = definition
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = "DEEP" if replacement == "DEEP" else replacement
    text = json.dumps(definition, allow_nan=True).replace('"DEEP"', deep)
    if as_text:
        data = write_xlsform(DEFINITION)  # and a form exported, re-imported
        _import_form(app, world, data, "form.xlsx")
    _import_form(app, world, text.encode("utf-8", "surrogatepass"), "form.json")


def _import_form(app, world, data: bytes, name: str) -> None:
    client = _client(app, world, world.admin_a)
    db.session.expire_all()
    before = db.session.scalar(sa.select(sa.func.count(Form.id)))
    reply = upload_bytes(client, "/forms/import", data, name)
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    db.session.expire_all()
    forms = list(db.session.scalars(sa.select(Form).order_by(Form.id)))
    if reply.status_code >= 400:
        assert len(forms) == before
    else:
        check_definition(version_definition(forms[-1].latest))
        assert client.get(f"/forms/{forms[-1].id}").status_code == 200


# The form builder


QUESTION_TYPES = ["text", "integer", "decimal", "single", "multiple", "matrix", "table", "scale"]
QUESTION_FIELDS = st.fixed_dictionaries(
    {
        "label": TEXT,
        "key": st.one_of(st.sampled_from(["q1", "has_internet", "main"]), TEXT),
        "type": st.one_of(st.sampled_from(QUESTION_TYPES), TEXT),
    },
    optional={
        name: FIELD
        for name in ("help", "required", "min", "max", "constraint_message", "choices",
                     "display", "rows", "columns", "condition")
    },
)  # fmt: skip


@FUZZ
@given(fields=QUESTION_FIELDS, section=st.one_of(st.none(), st.sampled_from(["main"]), TEXT))
@example(
    fields={"label": "В", "key": "deep", "type": "integer",
            "condition": "(" * 400 + "${has_internet} = 'yes'" + ")" * 400},
    section=None,
)  # fmt: skip
@example(
    fields={"label": "Сколько?", "key": "q1", "type": "integer", "max": "9" * 20}, section=None
)
@example(fields={"label": "Выбор", "key": "q2", "type": "single", "choices": "a|\x00\nb"},
         section="main")  # fmt: skip
def test_builder_takes_hostile_questions(app, world, fields, section):
    form = db.session.scalar(sa.select(Form))
    if form is None:
        form = make_form(world.admin_a)  # published: the builder edits a new draft of it
    client = _client(app, world, world.admin_a)
    query = {} if section is None else {"section": section}
    reply = client.post(f"/forms/{form.id}/questions/new", query_string=query, data=fields)
    assert reply.status_code < 500, reply.get_data(as_text=True)[:500]
    db.session.expire_all()
    check_definition(version_definition(db.session.get(Form, form.id).latest))
