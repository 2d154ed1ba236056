"""XLSForm relevant expressions become condition dicts and back; anything else is refused."""

import pytest

from app.questionnaires.expressions import ExpressionError
from app.questionnaires.relevant import (
    RelevantError,
    both,
    normalize_condition,
    parse_condition,
    parse_relevant,
    to_relevant,
)


def eq(key, value):
    return {"key": key, "op": "eq", "value": value}


@pytest.mark.parametrize(
    ("expression", "condition"),
    [
        ("${has_internet} = 'yes'", eq("has_internet", "yes")),
        ('${software} != "other"', {"key": "software", "op": "ne", "value": "other"}),
        ("${readers_total} > 100", {"key": "readers_total", "op": "gt", "value": 100}),
        ("${area} < 66.5", {"key": "area", "op": "lt", "value": "66.5"}),
        ("${rate} >= 0.250", {"key": "rate", "op": "ge", "value": "0.25"}),
        ("${rate} <= 2.0", {"key": "rate", "op": "le", "value": 2}),
        ("${staff_count} >= -1", {"key": "staff_count", "op": "ge", "value": -1}),
        ("${opened} >= '2024-09-01'", {"key": "opened", "op": "ge", "value": "2024-09-01"}),
        ("${opened} < date('2025-01-01')", {"key": "opened", "op": "lt", "value": "2025-01-01"}),
        ("5 < ${loans}", {"key": "loans", "op": "gt", "value": 5}),
        (
            "selected(${zones}, 'coworking')",
            {"key": "zones", "op": "contains", "value": "coworking"},
        ),
        ("${comment} = ''", {"key": "comment", "op": "empty", "value": None}),
        ("${comment} != ''", {"key": "comment", "op": "answered", "value": None}),
        ("not(${has_internet} = 'yes')", {"not": eq("has_internet", "yes")}),
        ("${a} = 'x' and ${b} = 'y'", {"all": [eq("a", "x"), eq("b", "y")]}),
        ("${a} = 'x' or ${b} = 'y'", {"any": [eq("a", "x"), eq("b", "y")]}),
        (
            "${a} = 'x' and (${b} = 'y' and (${c} = 'z'))",
            {"all": [eq("a", "x"), eq("b", "y"), eq("c", "z")]},
        ),
        (
            "${a} = 'x' or ${b} = 'y' and ${c} = 'z'",
            {"any": [eq("a", "x"), {"all": [eq("b", "y"), eq("c", "z")]}]},
        ),
        (
            "(${a} = 'x' or ${b} = 'y') and not(selected(${z}, 'r'))",
            {
                "all": [
                    {"any": [eq("a", "x"), eq("b", "y")]},
                    {"not": {"key": "z", "op": "contains", "value": "r"}},
                ]
            },
        ),
        ("  ${a}='x'  ", eq("a", "x")),
        ('${title} = "it\'s"', eq("title", "it's")),
    ],
)
def test_each_supported_form_parses_into_a_condition(expression, condition):
    assert parse_relevant(expression) == condition


def test_empty_expression_is_no_condition():
    assert parse_relevant("") is None
    assert parse_relevant("   ") is None
    assert to_relevant(None) == ""


@pytest.mark.parametrize(
    "expression",
    [
        "${has_internet} = 'yes'",
        "${area} >= 66.5 and ${area} <= 2000",
        "${opened} >= date('2024-09-01') or ${opened} = '2024-01-01'",
        "not(selected(${zones}, 'coworking')) and (${a} = 'x' or ${b} != '')",
        "${a} = 'x' or (${b} = 'y' and not(${c} = '')) or ${d} < 3",
        '${title} = "it\'s"',
        "${code} = '007'",
    ],
)
def test_round_trip_gives_back_the_same_condition(expression):
    condition = parse_relevant(expression)
    assert parse_relevant(to_relevant(condition)) == condition


def test_date_bounds_are_written_as_xpath_dates():
    condition = {"key": "opened", "op": "ge", "value": "2024-09-01"}
    assert to_relevant(condition) == "${opened} >= date('2024-09-01')"


def test_decimal_text_is_written_as_a_number_and_other_text_quoted():
    assert to_relevant({"key": "area", "op": "gt", "value": "66.5"}) == "${area} > 66.5"
    assert to_relevant(eq("code", "007")) == "${code} = '007'"


def test_normalising_flattens_lists_and_spells_in_as_any():
    condition = {
        "all": [
            {"all": [eq("a", "x")]},
            {"key": "software", "op": "in", "value": ["irbis", "marc_sql"]},
            {"key": "rate", "op": "ge", "value": 0.5},
            {"key": "has_internet", "op": "eq", "value": True},
        ]
    }
    assert normalize_condition(condition) == {
        "all": [
            eq("a", "x"),
            {"any": [eq("software", "irbis"), eq("software", "marc_sql")]},
            {"key": "rate", "op": "ge", "value": "0.5"},
            eq("has_internet", "yes"),
        ]
    }


def test_in_condition_round_trips_as_any_of_equalities():
    condition = {"key": "software", "op": "in", "value": ["irbis", "other"]}
    written = to_relevant(condition)
    assert written == "${software} = 'irbis' or ${software} = 'other'"
    assert parse_relevant(written) == normalize_condition(condition)


@pytest.mark.parametrize(
    "expression",
    [
        "count-selected(${zones}) > 1",
        "string-length(${comment}) > 3",
        ". >= 0",
        "${loans} div ${readers} > 10",
        "${a} + 1 = 2",
        "${a} = ${b}",
        "${a} = 'x' and",
        "${a} = 'x')",
        "(${a} = 'x'",
        "not ${a} = 'x'",
        "${a}",
        "${a-b} = 1",
        "true()",
        "selected(${zones}, ${other})",
        "${opened} > date('01.09.2024')",
        "${a} = 'x' && ${b} = 'y'",
        "${a} = ‘x’",
    ],
)
def test_unsupported_expressions_are_refused_not_dropped(expression):
    with pytest.raises(RelevantError):
        parse_relevant(expression)


def test_refusal_names_the_unsupported_function():
    with pytest.raises(RelevantError) as caught:
        parse_relevant("count-selected(${zones}) > 1")
    assert "count-selected" in str(caught.value.message)


@pytest.mark.parametrize(
    "condition",
    [
        {"key": "a", "op": "eq", "value": 'it\'s "quoted"'},
        {"key": "a", "op": "eq", "value": ["x"]},
        {"key": "a", "op": "unknown", "value": "x"},
        {"all": []},
    ],
)
def test_conditions_that_cannot_be_written_are_refused(condition):
    with pytest.raises(RelevantError):
        to_relevant(condition)


# parse_condition: the structured reading first, then an expression of the language


@pytest.mark.parametrize(
    ("expression", "condition"),
    [
        ("${has_internet} = 'yes'", eq("has_internet", "yes")),
        (
            "count-selected(${zones}) > 1",
            {"expr": ["op", ">", ["call", "count-selected", [["ref", "zones"]]], ["num", 1]]},
        ),
        ("${a} + 1 = 2", {"expr": ["op", "=", ["op", "+", ["ref", "a"], ["num", 1]], ["num", 2]]}),
        ("${rate} > .5", {"key": "rate", "op": "gt", "value": "0.5"}),
        ("true()", {"expr": ["call", "true", []]}),
    ],
)
def test_a_condition_is_structured_when_it_can_be_and_an_expression_otherwise(
    expression, condition
):
    assert parse_condition(expression) == condition
    assert parse_condition(to_relevant(condition)) == condition


@pytest.mark.parametrize("expression", ["pulldata('a', 'b') > 1", "${a} = 'x' and", "${a} # 2"])
def test_text_outside_the_expression_language_is_refused_by_the_parser(expression):
    with pytest.raises(ExpressionError):
        parse_condition(expression)


def test_an_expression_condition_is_kept_as_it_is_by_normalising():
    condition = {"expr": ["op", "and", ["ref", "a"], ["ref", "b"]]}
    assert normalize_condition(condition) == condition
    assert to_relevant({"any": [eq("c", "x"), condition]}) == "${c} = 'x' or (${a} and ${b})"


def test_both_conditions_join_structured_ones_and_expressions():
    expression = {"expr": ["op", ">", ["call", "count-selected", [["ref", "n"]]], ["num", 1]]}
    assert both(None, eq("a", "x")) == eq("a", "x")
    assert both(eq("a", "x"), None) == eq("a", "x")
    assert both(eq("a", "x"), eq("b", "y")) == {"all": [eq("a", "x"), eq("b", "y")]}
    joined = both(eq("a", "x"), expression)
    assert joined == {
        "expr": ["op", "and", ["op", "=", ["ref", "a"], ["str", "x"]], expression["expr"]]
    }
    assert parse_condition(to_relevant(joined)) == joined
