"""The expression language: parsing, canonical text, refusals, and the conformance table run
by the server's evaluator (the browser's runs it in tests/e2e/test_expressions_browser.py)."""

import json
import math
import time
from datetime import date
from pathlib import Path

import pytest

from app.core.errors import DomainError
from app.questionnaires.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    ExpressionError,
    evaluate,
    functions,
    parse,
    references,
    result_type,
    stored_value,
    to_text,
    typed,
)
from app.questionnaires.expressions.catalog import FUNCTIONS, OPERATORS
from app.questionnaires.expressions.regex_safety import python_pattern
from app.questionnaires.expressions.text import walk

TABLE = Path(__file__).resolve().parents[1] / "fixtures" / "expressions" / "conformance.json"


def conformance_cases() -> list[dict]:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    assert table["format"] == "conformance/1"
    return table["cases"]


def parse_case(case: dict) -> list:
    """A case whose environment has a choices row is a choice_filter: bare names are columns."""
    return parse(case["expression"], allow_names=case["env"].get("choice") is not None)


def python_result(case: dict) -> dict:
    try:
        ast = parse_case(case)
    except ExpressionError:
        return {"type": "error", "value": None}
    return typed(evaluate(ast, case["env"]))


def mismatches(cases: list[dict], results: list[dict]) -> list[str]:
    return [
        f"{case['id']}: {case['expression']!r} expected {case['expected']}, got {result}"
        for case, result in zip(cases, results, strict=True)
        if result != case["expected"]
    ]


# The conformance table


def test_conformance_table_covers_every_function_and_operator():
    cases = conformance_cases()
    assert len(cases) >= 320
    assert len({case["id"] for case in cases}) == len(cases)
    used_functions, used_operators = set(), set()
    for case in cases:
        if case["expected"]["type"] == "error":
            continue
        for node in walk(parse_case(case)):
            if node[0] == "call":
                used_functions.add(node[1])
            elif node[0] == "op":
                used_operators.add(node[1])
    assert used_functions == set(FUNCTIONS)
    assert used_operators == set(OPERATORS)


def test_conformance_table_has_every_kind_of_result_and_refusals_by_name():
    cases = conformance_cases()
    kinds = {case["expected"]["type"] for case in cases}
    assert kinds == {"number", "string", "boolean", "date", "nodeset", "error"}
    refused = " ".join(c["expression"] for c in cases if c["expected"]["type"] == "error")
    for name in ("pulldata(", "search(", "once(", "now(", "random("):
        assert name in refused


def test_python_evaluator_passes_the_conformance_table():
    cases = conformance_cases()
    problems = mismatches(cases, [python_result(case) for case in cases])
    assert not problems, "\n".join(problems)


def test_every_parsed_case_round_trips_through_canonical_text():
    for case in conformance_cases():
        if case["expected"]["type"] == "error":
            continue
        ast = parse_case(case)
        text = to_text(ast)
        allow_names = case["env"].get("choice") is not None
        assert parse(text, allow_names=allow_names) == ast, case["id"]
        assert to_text(parse(text, allow_names=allow_names)) == text


# Parsing and canonical text


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("1+2*3", "1 + 2 * 3"),
        ("(1+2)*3", "(1 + 2) * 3"),
        ("${a} - (${b} - ${c})", "${a} - (${b} - ${c})"),
        ("(${a} - ${b}) - ${c}", "${a} - ${b} - ${c}"),
        (". > 0 and . < 2000", ". > 0 and . < 2000"),
        ("(.>0)and(.<2000)", ". > 0 and . < 2000"),
        ("-(1 + 2)", "-(1 + 2)"),
        ("- -2", "--2"),
        ('selected( ${q} , "x" )', "selected(${q}, 'x')"),
        ('concat("it\'s")', 'concat("it\'s")'),
        ("jr:choice-name(${s},'${s}')", "jr:choice-name(${s}, '${s}')"),
        ("position(..)", "position(..)"),
        ("007.50", "7.5"),
        ("(a or b) and c", None),
    ],
)
def test_canonical_text(text, canonical):
    if canonical is None:
        ast = parse(text, allow_names=True)
        assert to_text(ast) == "(a or b) and c"
    else:
        assert to_text(parse(text)) == canonical


def test_the_tree_is_plain_json_data():
    ast = parse("if(selected(${langs}, 'sah'), round(${fund} div ${pupils}, 1), -1)")
    assert json.loads(json.dumps(ast)) == ast
    assert ast == [
        "call",
        "if",
        [
            ["call", "selected", [["ref", "langs"], ["str", "sah"]]],
            ["call", "round", [["op", "div", ["ref", "fund"], ["ref", "pupils"]], ["num", 1]]],
            ["neg", ["num", 1]],
        ],
    ]


def test_precedence_follows_xpath():
    assert parse("1 = 1 or 2 = 3 and 4 = 5")[1] == "or"
    assert parse("-2 * 3") == ["op", "*", ["neg", ["num", 2]], ["num", 3]]
    assert parse("1 < 2 = 2 < 3")[1] == "="
    left_first = ["op", "mod", ["op", "div", ["num", 6], ["num", 2]], ["num", 2]]
    assert parse("6 div 2 mod 2") == left_first


def test_references_and_functions():
    ast = parse(
        "concat(jr:choice-name(${district}, '${district}'), ${a} + sum(${col}), "
        "indexed-repeat(${col}, ${tbl}, 1))"
    )
    assert references(ast) == {"district", "a", "col", "tbl"}
    assert functions(ast) == {"concat", "jr:choice-name", "sum", "indexed-repeat"}
    assert references(parse(". > 0")) == set()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("${a} div ${b}", "number"),
        ("-${a}", "number"),
        (". > 0 and . < 10", "boolean"),
        ("selected(${a}, 'x')", "boolean"),
        ("concat(${a}, 'x')", "text"),
        ("${a}", "text"),
        ("today()", "date"),
        ("if(${a} = '', 0, ${a} * 2)", "number"),
        ("if(${a}, 0, 'x')", "text"),
        ("coalesce(${a}, date(${b}))", "text"),
        ("count(${t})", "number"),
    ],
)
def test_result_type_is_guessed_from_the_root(text, kind):
    assert result_type(parse(text)) == kind


# Refusals, in Russian, naming what is refused


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pulldata('fruits', 'name', 'key', ${x})", "функция pulldata() не поддерживается"),
        ("search('schools')", "функция search() не поддерживается"),
        ("once(today())", "функция once() не поддерживается"),
        ("${a} + now()", "функция now() не поддерживается"),
        ("1 # 2", "неизвестный символ “#”"),
        ("1 | 2", "неизвестный символ “|”"),
        ("/data/a", "неизвестный символ “/”"),
        ("'abc", "кавычка ' не закрыта"),
        ("1 +", "выражение обрывается"),
        ("(1 + 2", "выражение обрывается"),
        ("1 2", "неожиданное «2»"),
        ("${a} ${b}", "неожиданное «${b}»"),
        ("district = 'x'", "неизвестное имя «district»: вопрос записывается как ${district}"),
        ("..", "«..» допускается только в position(..)"),
        ("round()", "round(): число аргументов должно быть от 1 до 2"),
        ("if(1, 2)", "if(): число аргументов должно быть 3"),
        ("min()", "min(): число аргументов должно быть не меньше 1"),
        ("position(.)", "position() записывается так: position(..)"),
        ("jr:choice-name(${a}, 'a')", "второй аргумент jr:choice-name()"),
        ("indexed-repeat('x', ${t}, 1)", "indexed-repeat() записывается так"),
        ("regex(., '(?=a)')", "регулярное выражение в regex() не поддерживается: «(?»"),
        ("regex(., '(a+)+')", "повторяемая группа"),
        ("regex(., '\\s')", "«\\s» не поддерживается"),
        ("regex(., '(a)\\1')", "обратные ссылки"),
        ("regex(., '" + "a" * 201 + "')", "длиннее 200 символов"),
        ("", "выражение пустое"),
        ("1" * 400, "слишком большое"),
    ],
)
def test_refusal_names_what_is_refused_in_russian(text, message):
    with pytest.raises(ExpressionError) as refused:
        parse(text)
    assert message in str(refused.value.message)
    assert refused.value.status_code == 400
    assert isinstance(refused.value, DomainError)


def test_too_long_is_refused():
    with pytest.raises(ExpressionError, match=str(MAX_LENGTH)):
        parse("1" + " + 1" * MAX_LENGTH)


@pytest.mark.parametrize(
    "text",
    [
        "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1),
        "-" * (MAX_DEPTH + 1) + "1",
        "1" + " + 1" * (MAX_DEPTH + 1),
        "not(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1),
        "(" * 1000 + "1",
    ],
)
def test_too_deep_is_refused_before_recursion_runs_out(text):
    with pytest.raises(ExpressionError) as refused:
        parse(text)
    assert "вложенности" in str(refused.value.message)


def test_depth_within_the_limit_is_parsed_and_evaluated():
    text = "1" + " + 1" * (MAX_DEPTH - 2)
    assert evaluate(parse(text), {}) == MAX_DEPTH - 1


def test_bare_names_only_in_choice_filters():
    assert parse("district = ${region}", allow_names=True)[2] == ["name", "district"]
    with pytest.raises(ExpressionError):
        parse("district = ${region}")


# Values stored by a calculate


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (45.0, 45),
        (40.5, 40.5),
        (-0.25, -0.25),
        (math.nan, None),
        (math.inf, None),
        (-math.inf, None),
        ("", None),
        ("текст", "текст"),
        (True, "true"),
        (False, "false"),
        (date(2024, 2, 29), "2024-02-29"),
        ([3.0, 4.0], 3),
        ([], None),
    ],
)
def test_stored_value(value, stored):
    result = stored_value(value)
    assert result == stored
    assert type(result) is type(stored)


def test_unanswered_number_stores_nothing_and_compares_empty():
    env = {"answers": {"fund": 5400, "pupils": None}}
    assert stored_value(evaluate(parse("${fund} div ${pupils}"), env)) is None
    assert evaluate(parse("${pupils} = ''"), env) is True
    assert evaluate(parse("${pupils} = 0"), env) is False


def test_evaluation_does_not_read_the_clock():
    env = {"answers": {}, "today": "2024-02-29"}
    assert evaluate(parse("format-date(today(), '%e %b %Y')"), env) == "29 февраля 2024"
    assert evaluate(parse("today()"), {"answers": {}}) == ""


@pytest.mark.parametrize("tree", [["bogus"], ["neg", ["call-me"]], ["op", "+", ["num", 1], ["x"]]])
def test_a_tree_the_parser_does_not_make_is_refused_in_russian(tree):
    with pytest.raises(ExpressionError, match="выражение повреждено"):
        evaluate(tree, {})
    with pytest.raises(ExpressionError, match="выражение повреждено"):
        to_text(tree)


@pytest.mark.parametrize(
    ("pattern", "limit"),
    [("a*b", 10_000), (".*.*x", 300), ("a*a*a*b", 100), ("(a|b)" * 13 + "x", 10_000)],
)
def test_the_worst_accepted_patterns_stay_fast_on_their_longest_text(pattern, limit):
    def search(text: str):
        return evaluate(["call", "regex", [["str", text], ["str", pattern]]], {})

    assert python_pattern(pattern)[1] == limit
    started = time.perf_counter()
    assert search("a" * limit) is False
    assert time.perf_counter() - started < 3
    assert search("a" * limit + "bx") is False  # would match, but is longer than the limit


@pytest.mark.parametrize("pattern", ["a*a*a*a*b", "(a|b)" * 30, "[ab]*[ab]*[ab]*a*x"])
def test_patterns_too_costly_for_even_short_text_are_refused(pattern):
    with pytest.raises(ExpressionError) as refused:
        parse(f"regex(., '{pattern}')")
    assert "слишком много времени" in str(refused.value.message)
