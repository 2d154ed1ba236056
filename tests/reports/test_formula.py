"""Indicator formulas: read by our own parser, evaluated in Decimal, "no data" instead of errors,
every malformed formula refused with the place it goes wrong."""

from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.core.errors import DomainError
from app.questionnaires.xlsform import read_xlsform
from app.reports.formula import (
    MAX_DEPTH,
    MAX_LENGTH,
    STANDARD_INDICATORS,
    FormulaError,
    parse,
)

DEMO_FORMS = Path(__file__).parents[2] / "app" / "demo" / "forms"
SMALL = settings(max_examples=200, deadline=None, database=None)


@pytest.fixture(autouse=True)
def _english():
    """These tests compare messages with their English ids."""
    with force_locale("en"):
        yield


def value_of(text: str, **values) -> Decimal | None:
    return parse(text).evaluate(values)


def refusal(text: str) -> FormulaError:
    with pytest.raises(FormulaError) as caught:
        parse(text)
    return caught.value


# Arithmetic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 - 4 - 3", 3),
        ("2 + 3 * 4", 14),
        ("(2+3)*4", 20),
        ("-3 * 2", -6),
        ("8 / 4 / 2", 1),
        ("2 * 3 - 4 / 2", 4),
        ("-(2 + 3)", -5),
        ("2 - -3", 5),
        ("--3", 3),
        ("  7\t*\n( 1 )  ", 7),
        ("((((1))))", 1),
    ],
)
def test_precedence_and_left_associativity(text, expected):
    assert value_of(text) == Decimal(expected)


def test_decimals_are_written_with_a_comma_or_a_dot():
    assert value_of("12,5 * 2") == Decimal("25")
    assert value_of("12.5 * 2") == Decimal("25")
    assert value_of("0,1 + 0,2") == Decimal("0.3")  # Decimal, not binary floating point


def test_division_keeps_decimal_precision():
    assert value_of("1 / 3") == Decimal("0.3333333333333333333333333333")
    assert value_of("loans / readers_total", loans=1839, readers_total=305).quantize(
        Decimal("0.1")
    ) == Decimal("6.0")


def test_keys_take_the_answers_whatever_their_numeric_form():
    values = {"a": 3, "b": Decimal("1.5"), "c": "2.5", "d": "0,5", "e": " 4 "}
    assert parse("a + b + c + d + e").evaluate(values) == Decimal("11.5")


def test_xlsform_references_name_the_same_keys():
    assert parse("${loans} / ${readers_total}") == parse("loans / readers_total")


# No data


@pytest.mark.parametrize(
    "values",
    [
        {"readers_total": 305},
        {"loans": None, "readers_total": 305},
        {"loans": "", "readers_total": 305},
        {"loans": "много", "readers_total": 305},
        {"loans": "NaN", "readers_total": 305},
        {"loans": "Infinity", "readers_total": 305},
        {"loans": Decimal("NaN"), "readers_total": 305},
        {"loans": True, "readers_total": 305},
        {"loans": ["1"], "readers_total": 305},
        {"loans": 1839, "readers_total": 0},
        {"loans": 1839, "readers_total": "0.0"},
        {"loans": 0, "readers_total": 0},
    ],
)
def test_missing_or_non_numeric_answers_and_division_by_zero_give_no_data(values):
    assert parse("loans / readers_total").evaluate(values) is None


def test_division_by_zero_inside_a_formula_gives_no_data():
    assert value_of("1 + 2 / (3 - 3)") is None
    share = parse("computers_online * 100 / (computers_readers + computers_librarian)")
    assert share.evaluate({"computers_online": 0, "computers_readers": 0}) is None
    assert share.evaluate(dict.fromkeys(share.keys, 0)) is None


def test_an_overflow_gives_no_data():
    assert value_of("a * a", a=Decimal("1e999999")) is None


# The formula as data


def test_keys_are_the_questions_referred_to():
    formula = parse("computers_online * 100 / (computers_readers + ${computers_librarian})")
    assert formula.keys == {"computers_online", "computers_readers", "computers_librarian"}
    assert parse("2 * (3 + 4)").keys == set()
    assert parse("a + a").keys == {"a"}


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("loans/readers_total", "loans / readers_total"),
        ("${loans} / ${readers_total}", "loans / readers_total"),
        ("((a)) + (b * c)", "a + b * c"),
        ("(a + b) * c", "(a + b) * c"),
        ("a - (b - c)", "a - (b - c)"),
        ("a / (b * c)", "a / (b * c)"),
        ("(a - b) - c", "a - b - c"),
        ("-(a)", "-a"),
        ("-(a * b)", "-(a * b)"),
        ("a*-b", "a * -b"),
        ("12,50 + 007", "12.5 + 7"),
        ("100", "100"),
        ("100,000", "100"),
        ("0,00", "0"),
        ("12345678901234567890123456789012,5", "12345678901234567890123456789012.5"),
    ],
)
def test_text_is_normalised_and_reads_back_to_the_same_formula(text, normalised):
    formula = parse(text)
    assert formula.text == normalised
    assert str(formula) == normalised
    assert parse(formula.text) == formula
    assert hash(parse(formula.text)) == hash(formula)


def test_a_formula_is_immutable():
    formula = parse("a + 1")
    with pytest.raises(AttributeError):
        formula.tree = parse("b").tree
    assert repr(formula) == "Formula('a + 1')"


def test_the_longest_flat_formula_reads_back():
    formula = parse("+".join(["1"] * ((MAX_LENGTH + 1) // 2)))
    assert parse(formula.text) == formula
    assert formula.evaluate({}) == (MAX_LENGTH + 1) // 2


# Refusals


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_formula_is_refused(text):
    error = refusal(text)
    assert str(error) == "The formula is empty."
    assert error.position is None


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("(1 + 2", "The parenthesis opened at position 1 is not closed.", 1),
        ("a * (b + (c - d)", "The parenthesis opened at position 5 is not closed.", 5),
        ("1 + 2)", 'Unexpected ")" at position 6.', 6),
        ("()", 'Unexpected ")" at position 2.', 2),
        (")", 'Unexpected ")" at position 1.', 1),
        ("1 + * 2", 'Unexpected "*" at position 5.', 5),
        ("1 */ 2", 'Unexpected "/" at position 4.', 4),
        ("1 + + 2", 'Unexpected "+" at position 5.', 5),
        ("* 2", 'Unexpected "*" at position 1.', 1),
        ("1 2", 'Unexpected "2" at position 3.', 3),
        ("loans readers", 'Unexpected "readers" at position 7.', 7),
        ("(1)(2)", 'Unexpected "(" at position 4.', 4),
        ("__import__(1)", 'Unexpected "(" at position 11.', 11),
        (
            "1 +",
            'The formula ends after "+" at position 3; a number or a question key must follow.',
            3,
        ),
        (
            "a / -",
            'The formula ends after "-" at position 5; a number or a question key must follow.',
            5,
        ),
        (
            "(",
            'The formula ends after "(" at position 1; a number or a question key must follow.',
            1,
        ),
        ("1;2", 'Unknown character ";" at position 2.', 2),
        ("__import__('os')", 'Unknown character "\'" at position 12.', 12),
        ("2 ** 3", 'Unexpected "*" at position 4.', 4),
        ("12.", 'Unknown character "." at position 3.', 3),
        (".5", 'Unknown character "." at position 1.', 1),
        ("1, 2", 'Unknown character "," at position 2.', 2),
        ("фонд / 2", 'Unknown character "ф" at position 1.', 1),
        ("${loans", 'Unknown character "$" at position 1.', 1),
        ("${} + 1", 'Unknown character "$" at position 1.', 1),
        ("2 ^ 3", 'Unknown character "^" at position 3.', 3),
        ("a == b", 'Unknown character "=" at position 3.', 3),
        ("[1]", 'Unknown character "[" at position 1.', 1),
    ],
)
def test_malformed_formulas_are_refused_with_the_position(text, message, position):
    error = refusal(text)
    assert str(error) == message
    assert error.position == position
    assert isinstance(error, DomainError)


def test_code_never_runs(monkeypatch):
    monkeypatch.setattr("builtins.eval", pytest.fail)
    monkeypatch.setattr("builtins.exec", pytest.fail)
    monkeypatch.setattr("builtins.compile", pytest.fail)
    for text in ["__import__('os').system('true')", "1;2", "open('x')", "lambda: 1"]:
        with pytest.raises(FormulaError):
            parse(text)


def test_a_formula_longer_than_the_limit_is_refused():
    assert parse("1" * MAX_LENGTH).text == "1" * MAX_LENGTH
    assert str(refusal("1" * (MAX_LENGTH + 1))) == "The formula is longer than 500 characters."
    assert str(refusal("1 +" + " " * 4 * MAX_LENGTH + "1")).startswith("The formula is longer")


def test_spaces_do_not_count_towards_the_length():
    assert parse(" + ".join(["1"] * (MAX_LENGTH // 2))).evaluate({}) == MAX_LENGTH // 2


def test_nesting_deeper_than_the_limit_is_refused():
    assert parse("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH).evaluate({}) == 1
    assert parse("-" * MAX_DEPTH + "1").evaluate({}) == 1
    deep = "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)
    error = refusal(deep)
    assert str(error) == "The formula is nested more than 50 levels deep at position 51."
    assert error.position == MAX_DEPTH + 1
    assert refusal("-(" * 26 + "1" + ")" * 26).position == 51


# Checking against a form


TYPES = {
    "loans": "integer",
    "area": "decimal",
    "readiness": "scale",
    "comment": "text",
    "has_internet": "yesno",
}


def test_check_accepts_numeric_questions():
    parse("loans / area * readiness").check(TYPES)


def test_check_refuses_an_unknown_question_first_in_reading_order():
    with pytest.raises(FormulaError) as caught:
        parse("loans / visits + comment").check(TYPES)
    assert str(caught.value) == 'The formula refers to an unknown question "visits".'


@pytest.mark.parametrize("key", ["comment", "has_internet"])
def test_check_refuses_a_question_that_is_not_numeric(key):
    with pytest.raises(FormulaError) as caught:
        parse(f"loans / {key}").check(TYPES)
    assert str(caught.value) == f'The question "{key}" is not numeric; a formula cannot use it.'


# The standard indicators


def readiness_types() -> dict[str, str]:
    with (DEMO_FORMS / "ibc_readiness.xlsx").open("rb") as stream:
        definition = read_xlsform(
            stream, max_bytes=5 * 2**20, max_uncompressed=50 * 2**20, max_ratio=100
        )
    return {q["key"]: q["type"] for s in definition["sections"] for q in s["questions"]}


def test_standard_indicators_fit_the_readiness_form():
    types = readiness_types()
    for indicator in STANDARD_INDICATORS:
        formula = parse(indicator["formula"])
        formula.check(types)
        assert formula.text == indicator["formula"]
        assert indicator["threshold_direction"] == "below"
        assert indicator["threshold"] is None or isinstance(indicator["threshold"], Decimal)
    keys = [indicator["key"] for indicator in STANDARD_INDICATORS]
    assert len(keys) == len(set(keys)) == 7


def test_standard_indicators_of_a_village_school():
    answers = {
        "fund_total": 15795,
        "fund_main": 10129,
        "fund_textbooks": 5666,
        "readers_total": 305,
        "readers_pupils": 273,
        "visits": 1434,
        "loans": 1839,
        "computers_readers": 3,
        "computers_librarian": 1,
        "computers_online": 3,
    }
    results = {
        indicator["key"]: parse(indicator["formula"]).evaluate(answers).quantize(Decimal("0.01"))
        for indicator in STANDARD_INDICATORS
    }
    assert results == {
        "books_per_reader": Decimal("51.79"),
        "main_fund_per_reader": Decimal("33.21"),
        "textbooks_per_pupil": Decimal("20.75"),
        "loans_per_reader": Decimal("6.03"),
        "visits_per_reader": Decimal("4.70"),
        "fund_turnover": Decimal("0.12"),
        "computers_online_share": Decimal("75.00"),
    }


# Properties: random expression trees against a direct computation

KEY_VALUES = {"a": 7, "b": -2, "c": 0, "fund_total": 15}
OPERATIONS = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": lambda x, y: None if y == 0 else x / y,
}


def leaves():
    return st.one_of(
        st.integers(min_value=0, max_value=20).map(lambda n: ("number", n)),
        st.sampled_from(sorted(KEY_VALUES)).map(lambda key: ("key", key)),
    )


def trees(operators: str):
    def extend(children):
        return st.one_of(
            st.tuples(st.just("negate"), children),
            st.tuples(st.sampled_from(operators), children, children),
        )

    return st.recursive(leaves(), extend, max_leaves=12)


def written(tree, draw_style) -> str:
    """Fully parenthesised text, with the writer's choice of spaces, commas and ${}."""
    kind = tree[0]
    if kind == "number":
        return f"{tree[1]},0" if draw_style() else str(tree[1])
    if kind == "key":
        return f"${{{tree[1]}}}" if draw_style() else tree[1]
    space = " " if draw_style() else ""
    if kind == "negate":
        return f"-{written(tree[1], draw_style)}"
    left, right = written(tree[1], draw_style), written(tree[2], draw_style)
    return f"({left}{space}{kind}{space}{right})"


def computed(tree, exact):
    """The tree computed directly: ints for exact arithmetic, or Decimal in its default context."""
    kind = tree[0]
    if kind in ("number", "key"):
        value = tree[1] if kind == "number" else KEY_VALUES[tree[1]]
        return value if exact else Decimal(value)
    if kind == "negate":
        value = computed(tree[1], exact)
        return None if value is None else -value
    left, right = computed(tree[1], exact), computed(tree[2], exact)
    if left is None or right is None:
        return None
    return OPERATIONS[kind](left, right)


def keys_of(tree):
    if tree[0] == "key":
        yield tree[1]
    elif tree[0] != "number":
        for child in tree[1:]:
            yield from keys_of(child)


def depth(tree) -> int:
    return 0 if tree[0] in ("number", "key") else 1 + max(depth(child) for child in tree[1:])


@SMALL
@given(tree=trees("+-*"), styles=st.randoms(use_true_random=False))
def test_formulas_without_division_compute_exactly(tree, styles):
    assume(depth(tree) <= MAX_DEPTH)
    formula = parse(written(tree, lambda: styles.random() < 0.5))
    assert formula.evaluate(KEY_VALUES) == computed(tree, exact=True)
    assert parse(formula.text) == formula


@SMALL
@given(tree=trees("+-*/"), styles=st.randoms(use_true_random=False))
def test_formulas_compute_as_decimal_and_divisions_by_zero_give_no_data(tree, styles):
    assume(depth(tree) <= MAX_DEPTH)
    formula = parse(written(tree, lambda: styles.random() < 0.5))
    expected = computed(tree, exact=False)
    assert formula.evaluate(KEY_VALUES) == expected
    assert parse(formula.text) == formula
    assert formula.keys == set(keys_of(tree))


@SMALL
@given(tree=trees("+-*/"))
def test_normalised_text_computes_the_same(tree):
    assume(depth(tree) <= MAX_DEPTH)
    formula = parse(written(tree, lambda: True))
    again = parse(formula.text)
    assert again.text == formula.text
    assert again.evaluate(KEY_VALUES) == formula.evaluate(KEY_VALUES)
