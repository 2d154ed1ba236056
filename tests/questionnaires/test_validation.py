"""Cleaning answers as people type them, whole responses, and checking form definitions."""

import datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.core.errors import DomainError
from app.questionnaires.cleaning import typed_number
from app.questionnaires.conditions import all_questions, visible_keys
from app.questionnaires.definition_check import DefinitionError, check_definition
from app.questionnaires.spec import OPERATORS, QUESTION_TYPES
from app.questionnaires.validation import AnswerError, clean_value, validate_answers

SMALL = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CHOICES = [{"code": code, "label": code.upper()} for code in ("a", "b", "c")]
ROWS = [{"code": code, "label": code.upper()} for code in ("r1", "r2")]
COLUMNS = [
    {"key": "name", "type": "text", "label": "Name", "required": True},
    {"key": "age", "type": "integer", "label": "Age"},
    {"key": "subjects", "type": "multiple", "label": "Subjects", "choices": CHOICES},
]


def q(kind, **fields):
    question = {"key": "q", "type": kind, "label": "Q", **fields}
    if kind in ("single", "multiple", "matrix"):
        question.setdefault("choices", CHOICES)
    if kind == "matrix":
        question.setdefault("rows", ROWS)
    if kind == "table":
        question.setdefault("columns", COLUMNS)
    return question


def refused(question, raw, **options):
    with pytest.raises(AnswerError) as error:
        clean_value(question, raw, **options)
    return error.value


# One value, by type

ALL_TYPES = list(QUESTION_TYPES)


@pytest.mark.parametrize("kind", ALL_TYPES)
@pytest.mark.parametrize("empty", [None, "", "   ", [], {}])
def test_empty_input_is_no_answer(kind, empty):
    assert clean_value(q(kind, required=True), empty) is None


def test_note_is_never_answered():
    assert clean_value(q("note"), "anything") is None


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("text", "  Иван  ", "Иван"),
        ("text", 12, "12"),
        ("textarea", " one\r\ntwo\r ", "one\ntwo"),
        ("integer", "12", 12),
        ("integer", " 12 ", 12),
        ("integer", "-3", -3),
        ("integer", 12, 12),
        ("integer", 12.0, 12),
        ("decimal", "66,5", "66.5"),
        ("decimal", "66.5", "66.5"),
        ("decimal", " 66.50 ", "66.5"),
        ("decimal", "10.0", "10"),
        ("decimal", ".5", "0.5"),
        ("decimal", "-0,0", "0"),
        ("decimal", 66.5, "66.5"),
        # numbers as Russians write them: groups of three split by a space of any kind
        ("integer", "5 400", 5400),
        ("integer", "5\u00a0400", 5400),
        ("integer", "5\u202f400", 5400),
        ("integer", "-1 000 000", -1000000),
        ("decimal", "5 400", "5400"),
        ("decimal", "5\u00a0400,5", "5400.5"),
        ("decimal", "5\u202f400.5", "5400.5"),
        ("decimal", "5400,5", "5400.5"),
        ("decimal", "5400.5", "5400.5"),
        ("decimal", 3, "3"),
        ("decimal", 1e-7, "0.0000001"),
        ("decimal", 1e12, "1000000000000"),  # the largest of the default range
        ("single", "b", "b"),
        ("multiple", ["c", "a"], ["a", "c"]),
        ("multiple", ["b", "b", ""], ["b"]),
        ("multiple", "b", ["b"]),
        ("yesno", "yes", "yes"),
        ("yesno", " No ", "no"),
        ("yesno", True, "yes"),
        ("yesno", False, "no"),
        ("date", "2026-11-25", "2026-11-25"),
        ("date", "25.11.2026", "2026-11-25"),
        ("date", "5.1.2026", "2026-01-05"),
        ("date", datetime.date(2026, 11, 25), "2026-11-25"),
        ("email", " director@school.ru ", "director@school.ru"),
        ("email", "Director@School.RU", "Director@school.ru"),
        ("phone", "+7 (411) 234-56-78", "+7 (411) 234-56-78"),
        ("phone", " 8  914\t123 45 67 ", "8 914 123 45 67"),
        ("phone", "12345", "12345"),
        ("scale", "3", 3),
        ("scale", 5, 5),
        ("file", {"id": 7, "name": "plan.pdf", "size": 10}, {"id": 7, "name": "plan.pdf"}),
        ("matrix", {"r2": "b", "r1": "a"}, {"r1": "a", "r2": "b"}),
        ("matrix", {"r1": "a", "r2": ""}, {"r1": "a"}),
    ],
)
def test_values_are_cleaned(kind, raw, expected):
    assert clean_value(q(kind), raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("text", ["a"]),
        ("text", True),
        ("integer", "12.5"),
        ("integer", 12.5),
        ("integer", "abc"),
        ("integer", "5 40"),
        ("integer", "54 00"),
        ("integer", "5400,5"),
        ("integer", "5 400 0"),
        ("decimal", "5 40,5"),
        ("decimal", "5,400,5"),
        ("integer", True),
        ("integer", "9" * 5000),
        ("decimal", "abc"),
        ("decimal", "1e5"),
        ("decimal", "1.000,5"),
        ("decimal", float("nan")),
        ("decimal", float("inf")),
        ("decimal", True),
        ("single", "z"),
        ("single", ["a"]),
        ("multiple", ["a", "z"]),
        ("multiple", [["a"]]),
        ("yesno", "maybe"),
        ("yesno", 1),
        ("date", "2026-02-30"),
        ("date", "30.02.2026"),
        ("date", "2026/11/25"),
        ("date", "20261125"),
        ("date", 20261125),
        ("email", "not an address"),
        ("email", "someone@localhost"),
        ("phone", "1234"),
        ("phone", "1" * 21),
        ("phone", "+7 914 abc 45 67"),
        ("phone", "+7 914 123 45 67 доб. 5"),
        ("scale", "2.5"),
        ("scale", 0),
        ("scale", 6),
        ("file", {"id": "7", "name": "plan.pdf"}),
        ("file", {"id": True, "name": "plan.pdf"}),
        ("file", {"id": 7}),
        ("file", "plan.pdf"),
        ("matrix", {"r9": "a"}),
        ("matrix", {"r1": "z"}),
        ("matrix", ["a"]),
        ("table", {"name": "x"}),
        ("table", ["x"]),
    ],
)
def test_bad_values_are_refused(kind, raw):
    assert refused(q(kind), raw).message


@pytest.mark.parametrize(
    ("question", "good", "bad"),
    [
        (q("text", min=2, max=4), ["ab", " abcd "], ["a", "abcde"]),
        (q("textarea", max=3), ["a\r\nb"], ["a\r\nbc"]),
        (q("integer", min=0, max=10), [0, "10"], [-1, "11"]),
        (q("integer", min="-5"), ["-5"], ["-6"]),
        (q("decimal", min="0.5", max=2), ["0,5", "2.0"], ["0.49", "2.01"]),
        (q("scale"), [1, 5], [0, 6]),
        (q("scale", min=0, max=10), [0, 10], [-1, 11]),
        (
            q("date", min="2026-01-01", max="2026-12-31"),
            ["01.01.2026"],
            ["31.12.2025", "2027-01-01"],
        ),
        (q("multiple", min=2, max=2), [["a", "b"]], [["a"], ["a", "b", "c"]]),
    ],
)
def test_bounds(question, good, bad):
    for raw in good:
        assert clean_value(question, raw) is not None
    for raw in bad:
        assert refused(question, raw).message


def test_constraint_message_replaces_the_bounds_message():
    question = q("integer", min=1, max=3, constraint_message="Три урока в день, не больше.")
    assert refused(question, 4).message == "Три урока в день, не больше."
    assert refused(question, 0).message == "Три урока в день, не больше."
    assert refused(question, "x").message != "Три урока в день, не больше."


def test_empty_bounds_are_no_bounds():
    assert clean_value(q("integer", min="", max=None), -100) == -100


# Matrix


def test_required_matrix_needs_every_row_on_submission_only():
    question = q("matrix", required=True)
    assert refused(question, {"r1": "a"}).message
    assert clean_value(question, {"r1": "a"}, complete=False) == {"r1": "a"}
    assert clean_value(q("matrix"), {"r1": "a"}) == {"r1": "a"}


# Table


def test_table_cells_are_cleaned_by_their_columns_and_empty_rows_dropped():
    raw = [
        {"name": " Аня ", "age": "12", "subjects": ["b", "a"]},
        {"name": "", "age": " ", "subjects": []},
        {"name": "Петя", "ignored": "x"},
    ]
    assert clean_value(q("table"), raw) == [
        {"name": "Аня", "age": 12, "subjects": ["a", "b"]},
        {"name": "Петя"},
    ]


def test_table_cells_take_numbers_as_russians_write_them():
    question = q("table", columns=[{"key": "books", "type": "integer", "label": "Books"}])
    assert clean_value(question, [{"books": "5\u00a0400"}]) == [{"books": 5400}]


def test_table_of_empty_rows_is_no_answer():
    assert clean_value(q("table", min=2), [{"name": ""}, {}]) is None


def test_table_errors_point_at_submitted_rows_and_columns():
    raw = [{"name": "Аня", "age": "x"}, {}, {"age": 5}, {"name": "Петя", "subjects": ["z"]}]
    error = refused(q("table"), raw)
    assert error.message is None
    assert set(error.rows) == {0, 2, 3}
    assert set(error.rows[0]) == {"age"}
    assert set(error.rows[2]) == {"name"}  # a required column, left empty
    assert set(error.rows[3]) == {"subjects"}


def test_required_column_is_not_required_in_a_draft():
    assert clean_value(q("table"), [{"age": 5}], complete=False) == [{"age": 5}]


def test_table_row_count_bounds():
    question = q("table", min=2, max=3)
    row = {"name": "x"}
    assert clean_value(question, [row, row]) == [row, row]
    short = refused(question, [row, {}])
    assert short.message and short.rows == {}
    assert refused(question, [row] * 4).message
    both = refused(question, [{"age": "x", "name": "y"}])
    assert both.message and set(both.rows) == {0}


# Whole responses

FORM = {
    "title": "Анкета",
    "sections": [
        {
            "key": "main",
            "title": "Main",
            "questions": [
                q("note") | {"key": "intro"},
                q("yesno") | {"key": "has_pupils", "required": True},
                q("integer")
                | {"key": "pupils", "required": True, "min": 1}
                | {"condition": {"key": "has_pupils", "op": "eq", "value": "yes"}},
                q("table")
                | {"key": "pupil_list", "required": True}
                | {"condition": {"key": "pupils", "op": "ge", "value": 1}},
                q("text") | {"key": "comment"},
            ],
        },
        {
            "key": "extra",
            "title": "Extra",
            "condition": {"key": "comment", "op": "answered"},
            "questions": [q("email") | {"key": "contact", "required": True}],
        },
    ],
}


def test_submission_reports_required_visible_questions():
    answers, errors = validate_answers(FORM, {"has_pupils": "yes"}, complete=True)
    assert answers == {"has_pupils": "yes"}
    assert set(errors) == {"pupils"}


def test_draft_skips_required_but_reports_bad_values():
    answers, errors = validate_answers(FORM, {"has_pupils": "yes", "pupils": "x"}, complete=False)
    assert answers == {"has_pupils": "yes"}
    assert set(errors) == {"pupils"}
    assert validate_answers(FORM, {"has_pupils": "yes"}, complete=False) == (
        {"has_pupils": "yes"},
        {},
    )


def test_hidden_questions_are_not_required_and_lose_their_values():
    raw = {"has_pupils": "no", "pupils": "7", "pupil_list": [{"name": "x"}], "contact": "bad"}
    assert validate_answers(FORM, raw, complete=True) == ({"has_pupils": "no"}, {})


def test_an_invalid_answer_counts_as_unanswered_for_conditions():
    raw = {"has_pupils": "yes", "pupils": "many", "pupil_list": [{"age": "x"}]}
    _answers, errors = validate_answers(FORM, raw, complete=True)
    assert set(errors) == {"pupils"}  # the table depends on pupils, so it is hidden


def test_table_error_shape():
    raw = {"has_pupils": "yes", "pupils": 2, "pupil_list": [{"name": "Аня"}, {"age": "x"}]}
    _answers, errors = validate_answers(FORM, raw, complete=True)
    table = errors["pupil_list"]
    assert set(table) == {"rows"}
    assert set(table["rows"]) == {1}
    assert set(table["rows"][1]) == {"name", "age"}

    _answers, errors = validate_answers(FORM, {"has_pupils": "yes", "pupils": 2}, complete=True)
    assert set(errors["pupil_list"]) == {"rows", "message"}
    assert errors["pupil_list"]["rows"] == {}


def test_errors_follow_the_order_of_the_form():
    raw = {"comment": "x", "contact": "bad", "has_pupils": "maybe"}
    _answers, errors = validate_answers(FORM, raw, complete=True)
    assert list(errors) == ["has_pupils", "contact"]


def test_clean_answers_of_a_full_response():
    raw = {
        "intro": "ignored",
        "has_pupils": "yes",
        "pupils": " 2 ",
        "pupil_list": [{"name": "Аня", "age": "12"}, {}, {"name": "Петя"}],
        "comment": " Всё хорошо ",
        "contact": "school@example.ru",
        "unknown": "dropped",
    }
    answers, errors = validate_answers(FORM, raw, complete=True)
    assert errors == {}
    assert answers == {
        "has_pupils": "yes",
        "pupils": 2,
        "pupil_list": [{"name": "Аня", "age": 12}, {"name": "Петя"}],
        "comment": "Всё хорошо",
        "contact": "school@example.ru",
    }


# Checking definitions


def test_the_sample_form_is_valid():
    check_definition(FORM)


def test_definition_error_is_a_domain_error_with_a_path():
    assert issubclass(DefinitionError, DomainError)
    error = DefinitionError("message", "sections[0]")
    assert error.path == "sections[0]"


def with_question(**fields):
    question = {"key": "q", "type": "text", "label": "Q"} | fields
    return {
        "sections": [
            {"key": "s", "questions": [{"key": "first", "type": "single", "choices": CHOICES}]},
            {"key": "t", "questions": [question]},
        ]
    }


QUESTION = "sections[1].questions[0]"


@pytest.mark.parametrize(
    ("definition", "path"),
    [
        (None, "sections"),
        ({}, "sections"),
        ({"sections": {}}, "sections"),
        ({"sections": ["x"]}, "sections[0]"),
        ({"sections": [{"key": "1s", "questions": []}]}, "sections[0].key"),
        ({"sections": [{"key": "s", "questions": "x"}]}, "sections[0].questions"),
        ({"sections": [{"key": "s"}, {"key": "s"}]}, "sections[1].key"),
        (with_question(key="s"), f"{QUESTION}.key"),
        (with_question(key="first"), f"{QUESTION}.key"),
        (with_question(key="with space"), f"{QUESTION}.key"),
        (with_question(key="ключ"), f"{QUESTION}.key"),
        (with_question(key="a" * 65), f"{QUESTION}.key"),
        (with_question(key=None), f"{QUESTION}.key"),
        (with_question(type="slider"), f"{QUESTION}.type"),
        (with_question(type="single"), f"{QUESTION}.choices"),
        (with_question(type="multiple", choices=[]), f"{QUESTION}.choices"),
        (with_question(type="single", choices=[{"label": "A"}]), f"{QUESTION}.choices[0].code"),
        (
            with_question(type="single", choices=[{"code": "a"}, {"code": " "}]),
            f"{QUESTION}.choices[1].code",
        ),
        (
            with_question(type="single", choices=[{"code": "a"}, {"code": "a"}]),
            f"{QUESTION}.choices[1].code",
        ),
        (with_question(type="matrix", choices=CHOICES), f"{QUESTION}.rows"),
        (with_question(type="matrix", choices=CHOICES, rows=["r1"]), f"{QUESTION}.rows[0].code"),
        (with_question(type="table"), f"{QUESTION}.columns"),
        (
            with_question(type="table", columns=[{"key": "x", "type": "file"}]),
            f"{QUESTION}.columns[0].type",
        ),
        (
            with_question(type="table", columns=[{"key": "x", "type": "text"}] * 2),
            f"{QUESTION}.columns[1].key",
        ),
        (
            with_question(type="table", columns=[{"key": "x", "type": "single"}]),
            f"{QUESTION}.columns[0].choices",
        ),
        (
            with_question(
                type="table",
                columns=[
                    {"key": "x", "type": "text", "condition": {"key": "first", "op": "empty"}}
                ],
            ),
            f"{QUESTION}.columns[0]",
        ),
        (
            with_question(type="table", columns=[{"key": "x", "type": "integer", "min": "a"}]),
            f"{QUESTION}.columns[0].min",
        ),
        (with_question(type="integer", min=5, max=1), f"{QUESTION}.min"),
        (with_question(type="decimal", min="1,5"), f"{QUESTION}.min"),
        (with_question(type="scale", min=6), f"{QUESTION}.min"),
        (with_question(type="scale", max=7.5), f"{QUESTION}.max"),
        (with_question(type="date", min="2026-12-31", max="2026-01-01"), f"{QUESTION}.min"),
        (with_question(type="date", max="31.12.2026"), f"{QUESTION}.max"),
        (with_question(type="text", min=-1), f"{QUESTION}.min"),
        (with_question(type="multiple", choices=CHOICES, max=1.5), f"{QUESTION}.max"),
        (with_question(type="table", columns=COLUMNS, min=3, max=2), f"{QUESTION}.min"),
        (
            with_question(condition={"key": "q", "op": "answered"}),
            f"{QUESTION}.condition",
        ),
        (
            with_question(condition={"key": "nowhere", "op": "answered"}),
            f"{QUESTION}.condition",
        ),
        (
            with_question(condition={"key": "first", "op": "eq", "value": "z"}),
            f"{QUESTION}.condition",
        ),
        (
            with_question(condition={"key": "first", "op": "in", "value": ["a", "z"]}),
            f"{QUESTION}.condition",
        ),
        (
            with_question(condition={"key": "first", "op": "gt", "value": "a"}),
            f"{QUESTION}.condition",
        ),
        (
            {
                "sections": [
                    {"key": "s", "condition": {"key": "q", "op": "empty"}, "questions": []},
                    {"key": "t", "questions": [{"key": "q", "type": "text"}]},
                ]
            },
            "sections[0].condition",
        ),
    ],
)
def test_bad_definitions_are_refused_with_a_path(definition, path):
    with pytest.raises(DefinitionError) as error:
        check_definition(definition)
    assert error.value.path == path
    assert str(error.value.message)


@pytest.mark.parametrize(
    "definition",
    [
        {"sections": []},
        {"sections": [{"key": "s", "questions": []}]},
        with_question(key="_x9", condition={"key": "first", "op": "in", "value": ["a", "b"]}),
        with_question(condition={"key": "first", "op": "ne", "value": "c"}),
        with_question(type="scale", min=0, max=10),
        with_question(type="scale", max="3"),
        with_question(type="integer", min="1", max=1),
        with_question(type="text", min="", max=None),
        with_question(type="date", min="2026-01-01"),
        with_question(type="yesno", min="whatever"),
        with_question(type="table", columns=COLUMNS, min=1, max=10),
        with_question(key="a" * 64),
    ],
)
def test_good_definitions_pass(definition):
    check_definition(definition)


def test_a_section_condition_may_use_questions_of_earlier_sections():
    definition = with_question()
    definition["sections"][1]["condition"] = {"key": "first", "op": "eq", "value": "a"}
    check_definition(definition)


# Properties

KINDS = ["yesno", "integer", "decimal", "single", "multiple", "text", "date"]
CONDITION_VALUES = {
    "yesno": st.sampled_from(["yes", "no"]),
    "integer": st.integers(-2, 5),
    "decimal": st.sampled_from(["0.5", "2", 3]),
    "single": st.sampled_from(["a", "b", "c"]),
    "multiple": st.sampled_from(["a", "b", "c"]),
    "text": st.sampled_from(["x", "y"]),
    "date": st.sampled_from(["2026-01-01", "2026-06-01"]),
}
APPLICABLE = {
    "yesno": ["eq", "ne", "in", "answered", "empty"],
    "integer": list(OPERATORS[:3]) + ["gt", "lt", "ge", "le", "answered", "empty"],
    "decimal": ["eq", "ne", "gt", "le", "empty"],
    "single": ["eq", "ne", "in", "answered"],
    "multiple": ["eq", "ne", "in", "contains", "empty"],
    "text": ["eq", "ne", "answered", "empty"],
    "date": ["eq", "gt", "lt", "ge", "le"],
}
RAW_VALUES = {
    "yesno": st.sampled_from(["yes", "no", True, "maybe"]),
    "integer": st.integers(-3, 6) | st.sampled_from(["4", " 2 ", "x", "1.5"]),
    "decimal": st.sampled_from(["0,5", "2", 3, "abc", "1.25"]),
    "single": st.sampled_from(["a", "b", "c", "z"]),
    "multiple": st.lists(st.sampled_from(["a", "b", "c", "z"]), max_size=3),
    "text": st.sampled_from(["x", "y", " x "]),
    "date": st.sampled_from(["2026-01-01", "01.06.2026", "2026-12-31", "31.02.2026"]),
}


def comparison(draw, earlier: list[dict]) -> dict:
    question = draw(st.sampled_from(earlier))
    op = draw(st.sampled_from(APPLICABLE[question["type"]]))
    values = CONDITION_VALUES[question["type"]]
    value = draw(st.lists(values, min_size=1, max_size=2) if op == "in" else values)
    return {"key": question["key"], "op": op, "value": value}


def condition(draw, earlier: list[dict], depth: int = 2):
    """A random condition on earlier questions, or None; drawn by hand, st.recursive is slow."""
    shape = draw(st.sampled_from(["none", "leaf", "group", "not"] if depth else ["leaf"]))
    if not earlier or shape == "none":
        return None
    if shape == "leaf":
        return comparison(draw, earlier)
    if shape == "not":
        return {"not": condition(draw, earlier, depth - 1) or comparison(draw, earlier)}
    parts = [
        condition(draw, earlier, depth - 1) or comparison(draw, earlier)
        for _ in range(draw(st.integers(1, 3)))
    ]
    return {draw(st.sampled_from(["all", "any"])): parts}


@st.composite
def forms(draw):
    sections, earlier = [], []
    for section_number in range(draw(st.integers(1, 3))):
        section = {"key": f"s{section_number}", "condition": condition(draw, earlier)}
        section["questions"] = []
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(KINDS))
            question = q(kind) | {
                "key": f"q{len(earlier)}",
                "required": draw(st.booleans()),
                "condition": condition(draw, earlier),
            }
            section["questions"].append(question)
            earlier.append(question)
        sections.append(section)
    return {"sections": sections}


@st.composite
def forms_and_answers(draw):
    form = draw(forms())
    raw = {}
    for question in all_questions(form):
        if draw(st.booleans()):
            raw[question["key"]] = draw(RAW_VALUES[question["type"]])
    return form, raw


@SMALL
@given(forms_and_answers())
def test_hidden_questions_are_never_required_nor_kept(form_and_answers):
    form, raw = form_and_answers
    check_definition(form)
    answers, errors = validate_answers(form, raw, complete=True)
    visible = visible_keys(form, answers)
    for question in all_questions(form):
        key = question["key"]
        if key not in visible:
            assert key not in errors
            assert key not in answers
        elif question["required"] and key not in answers:
            assert key in errors


SAMPLES = {
    "text": (q("text", min=1, max=10), st.text(max_size=12)),
    "textarea": (q("textarea", max=20), st.text(max_size=22)),
    "integer": (
        q("integer", min=-50, max=50),
        st.integers(-60, 60) | st.integers(-60, 60).map(lambda n: f" {n} ") | st.text(max_size=4),
    ),
    "decimal": (
        q("decimal", min="-1000.5", max=1000),
        st.decimals(min_value=-2000, max_value=2000, places=3).map(str)
        | st.decimals(min_value=-2000, max_value=2000, places=2).map(
            lambda number: str(number).replace(".", ",")
        )
        | st.floats(min_value=-2000, max_value=2000)
        | st.text(max_size=5),
    ),
    "single": (q("single"), st.sampled_from(["a", "b", "c", "z", 1])),
    "multiple": (
        q("multiple", max=2),
        st.lists(st.sampled_from(["a", "b", "c", "z", ""]), max_size=4),
    ),
    "yesno": (q("yesno"), st.sampled_from(["yes", "no", " YES ", True, False, "da"])),
    "date": (
        q("date", min="2000-01-01"),
        st.dates().map(datetime.date.isoformat)
        | st.dates().map(lambda day: day.strftime("%d.%m.%Y"))
        | st.dates()
        | st.text(max_size=10),
    ),
    "email": (q("email"), st.emails() | st.text(max_size=15)),
    "phone": (q("phone"), st.text(alphabet="0123456789 +-()x\t", max_size=25)),
    "scale": (q("scale", min=0, max=10), st.integers(-2, 12) | st.sampled_from(["3", "x"])),
    "file": (
        q("file"),
        st.fixed_dictionaries({"id": st.integers(1, 10**6), "name": st.text(max_size=10)})
        | st.fixed_dictionaries({"id": st.text(max_size=3)}),
    ),
    "matrix": (
        q("matrix"),
        st.dictionaries(st.sampled_from(["r1", "r2", "r9"]), st.sampled_from(["a", "b", "z", ""])),
    ),
    "table": (
        q("table", max=3),
        st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": st.sampled_from(["", " Аня ", "Петя"]),
                    "age": st.sampled_from(["", "12", " 7 ", "x", 9]),
                    "subjects": st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
                },
            ),
            max_size=4,
        ),
    ),
}


@SMALL
@given(
    st.sampled_from(sorted(SAMPLES)).flatmap(
        lambda kind: st.tuples(st.just(SAMPLES[kind][0]), SAMPLES[kind][1])
    )
)
def test_cleaning_a_clean_value_changes_nothing(sample):
    question, raw = sample
    try:
        value = clean_value(question, raw)
    except AnswerError:
        assume(False)
    assert clean_value(question, value) == value


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (5400, "5\u00a0400"),
        ("5400.5", "5\u00a0400,5"),
        ("-1000000.125", "-1\u00a0000\u00a0000,125"),
        ("0.0000001", "0,0000001"),
        (12, "12"),
        ("5 400", "5 400"),  # a draft keeps what was typed
        ("abc", "abc"),
        (None, ""),
    ],
)
def test_a_stored_number_is_shown_back_as_russians_type_it(stored, shown):
    assert typed_number(stored) == shown
    if stored is not None and shown != stored:
        assert clean_value(q("decimal", min=-(10**7)), shown) in (str(stored), format(stored))
