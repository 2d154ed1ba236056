"""Random expressions from the grammar over random answers give the same typed value on the
server and in the browser, and survive their canonical text.

Hypothesis draws 300 expressions with their environments (derandomized: CI draws the same
ones every run); the server evaluates each and a single Chromium page evaluates them all in
one round trip.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.questionnaires.expressions import evaluate, parse, to_text, typed
from app.questionnaires.expressions.catalog import FUNCTIONS, OPERATORS
from tests.e2e.test_expressions_browser import evaluate_in_browser, launched_page

pytestmark = pytest.mark.e2e

SAKHA = "үөһҥҕҮӨҺҤҔабвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВ"
ALPHABET = SAKHA + "abcxyzXYZ0123456789 .-_:;,!?%'\"\t\n😀"
KEYS = ["n", "x", "s", "t", "d", "m", "e"]
TABLE, COLUMNS = "tb", ["c1", "c2"]
CODES = ["ru", "sah", "en", "1", "01", ""]
PATTERNS = [
    "^[0-9]+$",
    "^\\d{2,4}$",
    "[А-Яа-яҤҥӨөҺһҮүҔҕ]",
    "^\\w+$",
    "a|b",
    "^(ab){1,2}",
    ".",
    "^$",
    "ү.*ө",
    "\\bx",
    "[^a-z]",
    "x$",
]
PATTERN_CHARS = "ab0.*+?()[]{}|^$\\-dwsu12,?="

numbers = st.one_of(
    st.integers(-1000, 1000),
    st.sampled_from([0.5, -0.5, 2.5, 0.1, 1e21, 1e-7, 123.456, 1 / 3, 1e16, -0.0]),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
texts = st.text(ALPHABET, max_size=8)
iso_dates = st.sampled_from(
    [
        "2024-02-29",
        "2023-02-28",
        "2024-03-01",
        "1970-01-01",
        "1969-12-31",
        "2026-11-30",
        "2024-12-31",
        "2025-01-01",
        "2024-02-30",
        "2024-13-01",
        "0001-01-01",
        "9999-12-31",
    ]
)
numeric_texts = st.sampled_from(
    [
        "12",
        " 12 ",
        "66.5",
        "-3",
        ".5",
        "5.",
        "0",
        "-0",
        "1e3",
        "40,5",
        "+5",
        "007",
        "-.25",
        "9007199254740993",
    ]
)
scalars = st.one_of(numbers, numeric_texts, texts, iso_dates, st.just(""), st.none(), st.booleans())
answers_of = st.one_of(scalars, st.lists(st.sampled_from(CODES[:-1]), max_size=3, unique=True))
rows = st.lists(st.fixed_dictionaries({}, optional={c: scalars for c in COLUMNS}), max_size=4)


@st.composite
def environments(draw):
    answers = {key: draw(answers_of) for key in KEYS if draw(st.booleans())}
    answers[TABLE] = draw(rows)
    inside = draw(st.booleans())
    return {
        "answers": answers,
        "current": draw(st.sampled_from([*KEYS, "c1", None])),
        "row": {"table": TABLE, "index": draw(st.integers(0, 4))} if inside else None,
        "tables": {TABLE: COLUMNS},
        "choices": {"m": {"ru": "Русский", "sah": "Саха тыла", "1": "Один"}},
        "choice": None,
        "today": draw(iso_dates),
    }


literal_numbers = st.one_of(
    st.integers(0, 100000),
    st.sampled_from([0.5, 2.5, 0.1, 1e21, 0.000123, 123.456, 1e16]),
)
literal_texts = st.text(ALPHABET.replace("'", ""), max_size=6)
leaves = st.one_of(
    st.tuples(st.just("num"), literal_numbers).map(list),
    st.tuples(st.just("str"), literal_texts | numeric_texts | iso_dates).map(list),
    st.tuples(st.just("ref"), st.sampled_from([*KEYS, "c1", "c2", TABLE, "missing"])).map(list),
    st.just(["cur"]),
)
PLAIN_FUNCTIONS = sorted(
    name
    for name in FUNCTIONS
    if name not in ("position", "indexed-repeat", "jr:choice-name", "regex")
)


SPECIAL = ["position", "indexed-repeat", "jr:choice-name", "regex", "regex-computed"]
KINDS = ["leaf", "op", "op", "call", "call", "neg"]


@st.composite
def trees(draw, depth: int = 4):
    """A tree of at most ``depth`` levels; every function about as likely as any other."""
    kind = draw(st.sampled_from(KINDS)) if depth > 1 else "leaf"
    if kind == "leaf":
        return draw(leaves)
    child = trees(depth - 1)
    if kind == "neg":
        return ["neg", draw(child)]
    if kind == "op":
        return ["op", draw(st.sampled_from(OPERATORS)), draw(child), draw(child)]
    name = draw(st.sampled_from(PLAIN_FUNCTIONS + SPECIAL))
    if name in SPECIAL:
        return _special(draw, name, child)
    fewest, most, _type = FUNCTIONS[name]
    count = draw(st.integers(fewest, int(min(most, fewest + 2))))
    return ["call", name, [draw(child) for _ in range(count)]]


def _special(draw, name: str, child) -> list:
    if name == "position":
        return ["call", "position", [["parent"]]]
    if name == "indexed-repeat":
        return [
            "call",
            name,
            [["ref", draw(st.sampled_from(COLUMNS))], ["ref", TABLE], draw(child)],
        ]
    if name == "jr:choice-name":
        return ["call", name, [draw(child), ["str", "${m}"]]]
    if name == "regex":
        return ["call", name, [draw(child), ["str", draw(st.sampled_from(PATTERNS))]]]
    computed = ["call", "concat", [["str", draw(st.text(PATTERN_CHARS, max_size=6))]]]
    return ["call", "regex", [draw(child), computed]]


DRAW = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module")
def expressions_page():
    with launched_page() as page:
        yield page


def drawn_examples() -> list[tuple[list, dict]]:
    """300 (tree, environment) pairs drawn by hypothesis, the same ones every run."""
    drawn = []

    @DRAW
    @given(tree=trees(), env=environments())
    def draw(tree, env):
        drawn.append((tree, env))

    draw()
    return drawn


def test_server_and_browser_agree_on_random_expressions(expressions_page):
    """Drawn first and sent to the page in one batch: one round trip instead of 300. A
    disagreement is reported with its canonical text and environment (not shrunk)."""
    batch = drawn_examples()
    assert len(batch) >= 250
    server = [typed(evaluate(ast, env)) for ast, env in batch]
    browser = evaluate_in_browser(expressions_page, [{"ast": a, "env": e} for a, e in batch])
    disagreements = [
        f"{to_text(ast)} over {env}: server {one}, browser {other}"
        for (ast, env), one, other in zip(batch, server, browser, strict=True)
        if one != other
    ]
    assert not disagreements, "\n".join(disagreements)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(tree=trees())
def test_canonical_text_parses_back_to_the_same_tree(tree):
    text = to_text(tree)
    parsed = parse(text)
    assert parsed == tree
    assert to_text(parsed) == text
