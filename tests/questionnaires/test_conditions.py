"""Conditions: their structure is checked against the form, and they are evaluated as data."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import DomainError
from app.questionnaires.conditions import (
    ConditionError,
    check_condition,
    holds,
    prune_hidden,
    visible_keys,
)

SMALL = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def when(key, op, value=None):
    return {"key": key, "op": op, "value": value}


# Evaluating


def test_no_condition_always_holds():
    assert holds(None, {})


@pytest.mark.parametrize(
    ("answer", "value", "expected"),
    [
        ("yes", "yes", True),
        ("no", "yes", False),
        ("yes", True, True),
        ("no", False, True),
        (12, "12", True),
        (12, 12.0, True),
        ("66.5", 66.5, True),
        ("66.50", "66.5", True),
        ("66.5", "66", False),
        ("2026-11-25", "2026-11-25", True),
        ("b", "b", True),
        ("b", "a", False),
        (["b"], "b", True),
        (["a", "b"], "b", False),
        ({"id": 1, "name": "x"}, "x", False),
    ],
)
def test_eq_compares_numbers_by_value_and_the_rest_as_text(answer, value, expected):
    assert holds(when("q", "eq", value), {"q": answer}) is expected
    assert holds(when("q", "ne", value), {"q": answer}) is not expected


@pytest.mark.parametrize("unanswered", [None, "", "  ", [], {}])
def test_unanswered_question_fails_every_comparison_but_ne_and_empty(unanswered):
    answers = {"q": unanswered}
    for op, value in [
        ("eq", "a"),
        ("in", ["a"]),
        ("contains", "a"),
        ("gt", 1),
        ("lt", 1),
        ("ge", 1),
        ("le", 1),
        ("answered", None),
    ]:
        assert not holds(when("q", op, value), answers), op
    assert holds(when("q", "ne", "a"), answers)
    assert holds(when("q", "empty"), answers)


def test_missing_key_is_unanswered():
    assert holds(when("q", "ne", "a"), {})
    assert holds(when("q", "empty"), {})
    assert not holds(when("q", "answered"), {})


@pytest.mark.parametrize("answer", ["x", 0, ["a"], {"r": "c"}, {"id": 1, "name": "f"}])
def test_answered_and_empty(answer):
    assert holds(when("q", "answered"), {"q": answer})
    assert not holds(when("q", "empty"), {"q": answer})


def test_in_is_any_of_the_values():
    assert holds(when("q", "in", ["a", "b"]), {"q": "b"})
    assert not holds(when("q", "in", ["a", "b"]), {"q": "c"})
    assert holds(when("q", "in", [1, 2]), {"q": "2"})
    assert holds(when("q", "in", ["a", "b"]), {"q": ["b"]})
    assert not holds(when("q", "in", ["a", "b"]), {"q": ["a", "b"]})
    assert not holds(when("q", "in", "ab"), {"q": "a"})


def test_contains_looks_into_a_multiple_choice():
    assert holds(when("q", "contains", "b"), {"q": ["a", "b"]})
    assert not holds(when("q", "contains", "c"), {"q": ["a", "b"]})
    assert not holds(when("q", "contains", "a"), {"q": "a"})


@pytest.mark.parametrize(
    ("op", "answer", "value", "expected"),
    [
        ("gt", 5, 4, True),
        ("gt", 5, 5, False),
        ("ge", 5, "5", True),
        ("lt", "9.5", 10, True),
        ("lt", "10", "9.5", False),
        ("le", "66.5", "66.50", True),
        ("gt", 10, "9", True),  # numbers, not text: "10" < "9" as text
        ("gt", "2026-01-02", "2026-01-01", True),
        ("lt", "2025-12-31", "2026-01-01", True),
        ("le", "2026-01-01", "2026-01-01", True),
        ("ge", "2025-12-31", "2026-01-01", False),
        ("gt", "abc", 1, False),
        ("gt", "2026-01-02", 1, False),
        ("gt", ["a"], 1, False),
    ],
)
def test_orderings(op, answer, value, expected):
    assert holds(when("q", op, value), {"q": answer}) is expected


def test_all_any_not_nest():
    answers = {"a": "yes", "b": 3, "c": ["x"]}
    condition = {
        "all": [
            when("a", "eq", "yes"),
            {"any": [when("b", "gt", 5), when("c", "contains", "x")]},
            {"not": when("b", "eq", 4)},
        ]
    }
    assert holds(condition, answers)
    assert not holds({"not": condition}, answers)
    assert not holds({"all": [condition, when("a", "eq", "no")]}, answers)
    assert holds({"any": [{"not": condition}, when("b", "le", 3)]}, answers)


def test_empty_groups():
    assert holds({"all": []}, {})
    assert not holds({"any": []}, {})


def test_malformed_condition_is_refused_at_evaluation():
    with pytest.raises(ConditionError):
        holds(when("q", "matches", "x"), {"q": "x"})
    with pytest.raises(ConditionError):
        holds("q == 1", {"q": 1})


LEAVES = st.builds(
    when,
    st.sampled_from(["a", "b"]),
    st.sampled_from(["eq", "ne", "gt", "le", "answered", "empty"]),
    st.sampled_from([1, "2", "yes"]),
)
CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: (
        st.builds(lambda parts: {"all": parts}, st.lists(inner, max_size=3))
        | st.builds(lambda parts: {"any": parts}, st.lists(inner, max_size=3))
        | inner.map(lambda part: {"not": part})
    ),
    max_leaves=6,
)
ANSWERS = st.fixed_dictionaries(
    {}, optional={"a": st.sampled_from([1, "2", "yes", None, ""]), "b": st.integers(0, 3)}
)


@SMALL
@given(CONDITIONS, ANSWERS)
def test_not_negates_and_groups_follow_logic(condition, answers):
    assert holds({"not": condition}, answers) is not holds(condition, answers)
    assert holds({"all": [condition, condition]}, answers) is holds(condition, answers)
    assert holds({"any": [condition, {"not": condition}]}, answers)


# Checking

KNOWN = {
    "name": "text",
    "age": "integer",
    "weight": "decimal",
    "mark": "scale",
    "grade": "single",
    "subjects": "multiple",
    "agree": "yesno",
    "born": "date",
    "grid": "matrix",
    "pupils": "table",
    "photo": "file",
    "intro": "note",
}


@pytest.mark.parametrize(
    "condition",
    [
        None,
        when("name", "eq", "Ivan"),
        when("age", "ge", 18),
        when("age", "lt", "18"),
        when("weight", "gt", "66.5"),
        when("mark", "in", [4, 5]),
        when("grade", "in", ["a", "b"]),
        when("grade", "ne", "a"),
        when("subjects", "contains", "math"),
        when("subjects", "eq", "math"),
        when("agree", "eq", "yes"),
        when("agree", "eq", True),
        when("born", "le", "2010-09-01"),
        {"key": "grid", "op": "answered"},
        when("pupils", "empty"),
        when("photo", "answered"),
        {"all": [when("age", "gt", 1), {"any": [when("agree", "eq", "no")]}]},
        {"not": {"not": when("name", "empty")}},
    ],
)
def test_well_formed_conditions_pass(condition):
    check_condition(condition, KNOWN)


@pytest.mark.parametrize(
    "condition",
    [
        "age > 1",
        ["age"],
        {},
        {"all": []},
        {"all": when("age", "gt", 1)},
        {"any": [when("age", "gt", 1)], "all": [when("age", "gt", 1)]},
        {"not": None},
        {"not": when("age", "gt", 1), "key": "age"},
        {"key": "age"},
        {"op": "eq", "value": 1},
        {"key": "age", "op": "eq", "value": 1, "extra": True},
        {"key": 5, "op": "eq", "value": 1},
        {"all": [when("age", "gt", 1), "nonsense"]},
    ],
)
def test_bad_shapes_are_refused(condition):
    with pytest.raises(ConditionError):
        check_condition(condition, KNOWN)


@pytest.mark.parametrize(
    "condition",
    [
        when("missing", "eq", 1),
        when("age", "matches", 1),
        when("age", "contains", 1),
        when("grade", "contains", "a"),
        when("name", "gt", "a"),
        when("agree", "lt", "yes"),
        when("grade", "in", "a"),
        when("grade", "in", []),
        when("age", "eq", "abc"),
        when("age", "eq", None),
        when("weight", "gt", "66,5"),
        when("born", "gt", "25.11.2026"),
        when("born", "eq", "2026-02-30"),
        when("agree", "eq", "maybe"),
        when("grade", "eq", ""),
        when("grade", "eq", ["a"]),
        when("grid", "eq", "x"),
        when("pupils", "in", ["x"]),
        when("photo", "eq", "x"),
        when("intro", "empty"),
        {"any": [when("age", "gt", 1), when("missing", "empty")]},
    ],
)
def test_conditions_that_do_not_fit_the_questions_are_refused(condition):
    with pytest.raises(ConditionError):
        check_condition(condition, KNOWN)


def test_a_key_that_comes_later_is_refused_and_said_so():
    with pytest.raises(ConditionError) as later:
        check_condition(when("next", "empty"), KNOWN, form_keys={*KNOWN, "next"})
    with pytest.raises(ConditionError) as unknown:
        check_condition(when("next", "empty"), KNOWN, form_keys=set(KNOWN))
    assert str(later.value.message) != str(unknown.value.message)


def test_condition_error_is_a_domain_error():
    assert issubclass(ConditionError, DomainError)


# Visibility


def form(*sections):
    return {"sections": list(sections)}


def section(key, *questions, condition=None):
    return {"key": key, "condition": condition, "questions": list(questions)}


def question(key, kind="text", condition=None):
    return {"key": key, "type": kind, "condition": condition}


CHAIN = form(
    section(
        "main",
        question("a", "yesno"),
        question("b", "integer", when("a", "eq", "yes")),
        question("c", "text", when("b", "gt", 3)),
        question("d", "text", when("b", "empty")),
    ),
    section("extra", question("e"), condition=when("c", "answered")),
)


def test_everything_unconditional_is_visible():
    definition = form(section("s", question("a"), question("b")), section("t", question("c")))
    assert visible_keys(definition, {}) == {"s", "a", "b", "t", "c"}


def test_chain_of_conditions_shows_each_step():
    answers = {"a": "yes", "b": 5, "c": "x"}
    assert visible_keys(CHAIN, answers) == {"main", "a", "b", "c", "extra", "e"}


def test_hiding_a_question_hides_what_depends_on_it():
    # b is hidden, so c sees b unanswered (hidden), d sees b empty, and the section on c hides.
    answers = {"a": "no", "b": 5, "c": "x", "e": "y"}
    assert visible_keys(CHAIN, answers) == {"main", "a", "d"}


def test_hidden_section_hides_its_questions():
    definition = form(
        section("s", question("a", "yesno")),
        section("t", question("b"), question("c"), condition=when("a", "eq", "yes")),
        section("u", question("d", condition=when("b", "empty"))),
    )
    assert visible_keys(definition, {"a": "no", "b": "x"}) == {"s", "a", "u", "d"}
    assert visible_keys(definition, {"a": "yes", "b": "x"}) == {"s", "a", "t", "b", "c", "u"}


def test_a_condition_on_a_later_question_sees_it_unanswered():
    definition = form(section("s", question("a", condition=when("b", "answered")), question("b")))
    assert visible_keys(definition, {"b": "x"}) == {"s", "b"}


def test_prune_hidden_drops_stale_answers_of_hidden_questions():
    answers = {"a": "no", "b": 5, "c": "x", "d": "kept", "e": "y", "unrelated": 1}
    assert prune_hidden(CHAIN, answers) == {"a": "no", "d": "kept", "unrelated": 1}


def test_prune_hidden_keeps_visible_answers():
    answers = {"a": "yes", "b": 5, "c": "x", "e": "y"}
    assert prune_hidden(CHAIN, answers) == answers
