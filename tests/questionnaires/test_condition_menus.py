"""The builder's menus for conditions and checks (condition_menus.py): which conditions they can
show and as which rows, and — with the fixture the browser's serializer is held to as well
(tests/e2e/test_condition_menus_browser.py) — that the text written of the rows reads back as
the same condition."""

import json
from pathlib import Path

import pytest

from app.questionnaires import condition_menus
from app.questionnaires.condition_menus import (
    EMPTY,
    check_rows,
    check_rows_of_text,
    condition_rows,
    earlier_questions,
    formula_problem,
    menu_question,
    questions_before_section,
    rows_of_text,
)
from app.questionnaires.expressions import parse, to_text
from app.questionnaires.relevant import parse_condition, to_relevant

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "condition_menus.json"


def serializer_cases() -> dict:
    table = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert table["format"] == "condition-menus/1"
    return table


TABLE = serializer_cases()


@pytest.fixture
def russian(app):
    """Translated words: a request of the app, whose locale is Russian."""
    with app.test_request_context():
        yield


@pytest.fixture
def questions(russian) -> list[dict]:
    return [menu_question(question) for question in TABLE["questions"]]


def _ids(cases):
    return [case["id"] for case in cases]


@pytest.mark.parametrize("case", TABLE["conditions"], ids=_ids(TABLE["conditions"]))
def test_menu_rows_and_their_text_are_one_condition(case, questions):
    assert parse_condition(case["text"]) == case["condition"]
    assert to_relevant(case["condition"]) == case["text"]
    assert condition_rows(case["condition"], questions) == case["rows"]


@pytest.mark.parametrize("case", TABLE["typed_conditions"], ids=_ids(TABLE["typed_conditions"]))
def test_what_the_menus_write_of_typed_values_is_canonical_text(case, questions):
    condition = parse_condition(case["text"])
    assert to_relevant(condition) == case["text"]
    assert condition_rows(condition, questions) is not None


@pytest.mark.parametrize("case", TABLE["checks"], ids=_ids(TABLE["checks"]))
def test_check_rows_and_their_text_are_one_check(case, questions):
    assert check_rows_of_text(case["text"], case["type"], questions) == case["rows"]
    if case["text"]:
        assert to_text(parse(case["text"])) == case["text"]


@pytest.mark.parametrize("case", TABLE["typed_checks"], ids=_ids(TABLE["typed_checks"]))
def test_what_the_menus_write_of_typed_checks_is_canonical_text(case, questions):
    assert to_text(parse(case["text"])) == case["text"]
    assert check_rows(parse(case["text"]), case["type"], questions) is not None


def test_the_fixture_tries_every_operator_both_joins_and_every_kind_of_value(questions):
    inputs = {question["key"]: question["input"] for question in questions}
    rows = [row for case in TABLE["conditions"] for row in case["rows"]["rows"]]
    every = {op for question in questions for op in question["operators"]}
    assert {row["op"] for row in rows} == every
    assert {row["op"] for row in rows if inputs[row["key"]] == "date"} >= {
        "eq",
        "gt",
        "lt",
        "ge",
        "le",
    }
    assert {inputs[row["key"]] for row in rows} == {"choice", "number", "date", "text", None}
    assert {case["rows"]["join"] for case in TABLE["conditions"]} == {"all", "any"}
    checks = [row for case in TABLE["checks"] for row in case["rows"]["rows"]]
    assert {row["op"] for row in checks} == {"eq", "ne", "gt", "lt", "ge", "le"}


def test_operators_suit_the_question_type(russian):
    def operators(kind, **more):
        return menu_question({"key": "q", "type": kind, "label": "В", **more})["operators"]

    ordered = ["eq", "ne", "gt", "lt", "ge", "le", "answered", "empty"]
    assert operators("integer") == operators("decimal") == operators("scale") == ordered
    assert operators("date") == ordered
    assert operators("single", choices=[]) == ["eq", "ne", "answered", "empty"]
    assert operators("yesno") == operators("text") == operators("phone") == operators("single")
    assert operators("multiple", choices=[]) == ["contains", "not_contains", "answered", "empty"]
    for kind in ("file", "matrix", "table", "calculate"):
        assert operators(kind) == ["answered", "empty"]


def test_yes_and_no_are_offered_in_words_and_other_among_the_options(russian):
    yesno = menu_question({"key": "wifi", "type": "yesno", "label": "Есть Wi-Fi?"})
    assert yesno["choices"] == [{"code": "yes", "label": "Да"}, {"code": "no", "label": "Нет"}]
    assert yesno["input"] == "choice"
    single = menu_question(TABLE["questions"][6])
    assert [choice["label"] for choice in single["choices"]] == ["Городская", "Сельская", "Другое"]


def test_a_question_is_named_by_its_text_cut_short_or_by_its_key(russian):
    long = menu_question({"key": "long", "type": "text", "label": "Очень\nдлинный " * 20})
    assert long["label"].startswith("Очень длинный Очень") and long["label"].endswith("…")
    assert len(long["label"]) == condition_menus.LABEL_LENGTH
    assert menu_question({"key": "total", "type": "calculate", "label": ""})["label"] == "total"


@pytest.mark.parametrize(
    "text",
    [
        "${has_internet} = 'yes' and ${computers} > 2 or ${city} = 'Нюрба'",
        "${has_internet} = 'yes' and (${computers} > 2 or ${city} = 'Нюрба')",
        "not(${has_internet} = 'yes')",
        "not(selected(${zones}, 'media') and selected(${zones}, 'reading'))",
        "${computers} + 1 > 2",
        "count-selected(${zones}) > 1",
        "${nowhere} = 'yes'",
        "${zones} = 'media'",
        "${city} > 'А'",
        "${total} = 5",
        "${school} = '3'",
        "${has_internet} = 'maybe'",
        "${computers} = 'много'",
        "${computers} = '2.50'",
        "${opened} > 5",
        "${city} = 5",
        "${city} = ' Нюрба'",
        "${computers} > ",
    ],
)
def test_what_the_menus_cannot_show_is_none(text, questions):
    assert rows_of_text(text, questions) is None


def test_an_expression_condition_is_not_shown_in_menus(questions):
    assert condition_rows({"expr": parse("${computers} > 2")}, questions) is None


def test_no_condition_is_no_rows(questions):
    assert condition_rows(None, questions) == EMPTY
    assert rows_of_text("", questions) == rows_of_text("  ", questions) == EMPTY


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (". > 0 and . < 10 or . = 50", "integer"),
        ("5 > .", "integer"),
        (". > ${city}", "integer"),
        (". < ${opened}", "integer"),
        (". > ${computers}", "date"),
        (". > date('2024-09-01')", "integer"),
        (". > 5", "date"),
        ("string-length(.) < 5", "integer"),
        (". + 1 > 5", "integer"),
        (". > 'пять'", "integer"),
        ("regex(., '^[0-9]+$')", "text"),
        (". >", "integer"),
    ],
)
def test_checks_the_menus_cannot_show_are_none(text, kind, questions):
    assert check_rows_of_text(text, kind, questions) is None


def test_a_check_may_compare_with_a_calculation_but_a_date_only_with_dates(questions):
    assert check_rows(parse(". <= ${total}"), "decimal", questions) == {
        "join": "all",
        "rows": [{"op": "le", "key": "total", "value": ""}],
    }
    assert check_rows(parse(". <= ${total}"), "date", questions) is None


SECTIONS = {
    "sections": [
        {"key": "first", "questions": [
            {"key": "a", "type": "integer", "label": "А"},
            {"key": "note", "type": "note", "label": "Пояснение"},
            {"key": "b", "type": "text", "label": "Б"},
        ]},
        {"key": "second", "questions": [{"key": "c", "type": "date", "label": "В"}]},
        {"key": "third", "questions": [{"key": "d", "type": "yesno", "label": "Г"}]},
    ]
}  # fmt: skip


def _keys(questions):
    return [question["key"] for question in questions]


def test_earlier_questions_are_those_before_the_question_notes_aside():
    assert _keys(earlier_questions(SECTIONS, "c", "second")) == ["a", "b"]
    assert _keys(earlier_questions(SECTIONS, "a", "first")) == []


def test_a_new_question_may_read_its_section_up_to_its_end():
    assert _keys(earlier_questions(SECTIONS, None, "first")) == ["a", "b"]
    assert _keys(earlier_questions(SECTIONS, None, "third")) == ["a", "b", "c", "d"]


def test_a_section_condition_reads_the_sections_before_it():
    assert _keys(questions_before_section(SECTIONS, "second")) == ["a", "b"]
    assert _keys(questions_before_section(SECTIONS, "first")) == []
    assert _keys(questions_before_section(SECTIONS, None)) == ["a", "b", "c", "d"]


def test_formula_problem_is_the_message_saving_would_give(russian):
    earlier = earlier_questions(SECTIONS, "c", "second")
    assert formula_problem("${a} * 2", earlier, SECTIONS) == ""
    assert formula_problem("", earlier, SECTIONS) == ""
    assert formula_problem("${a} div", earlier, SECTIONS) == "выражение обрывается"
    assert "идёт в форме не раньше этого" in formula_problem("${a} + ${d}", earlier, SECTIONS)
    assert "вопроса ${zz} в форме нет" in formula_problem("${zz} + 1", earlier, SECTIONS)
