"""Hostile values shared by the fuzz tests: what a school, a script or a spreadsheet may send.

The number of examples per test is bounded for CI; FUZZ_EXAMPLES=300 hunts longer.
"""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import login

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SAKHA = "ҔҕҤҥӨөҺһҮү"
SAKHA_WORDS = ["Ҕалыҥ", "Өлүөхүмэ", "Һаҥа", "Үөрэх", "Сахалыы ааҕыы", "Ньурба ҮӨ"]
NUMBERS = [
    "1e309", "-1e309", "1e-309", "NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "inf",
    "0x10", "0b1", "0o7", "1_000", "1 000,5", "1\u00a0000,5", "5\u202f400", "1,5", "1.5", ".5",
    "5.", "+7", "-0", "00012", "1e3", "9" * 20, "9" * 400, "-" + "9" * 30 + ".5", "²", "١٢٣",
    "½", "１２", "1/2", "10%", "1 000 000 000 000 000", "999999999999.999999",
    "1000000000000", "-1000000000000", "0,0000001",
]  # fmt: skip
DATES = [
    "31.02.2024", "2024-02-31", "0000-00-00", "00.00.0000", "29.02.2023", "29.02.2024",
    "2024-02-29", "31.12.9999", "01.01.0001", "9999-12-31", "0001-01-01", "10000-01-01",
    "1.1.2024", "2024-1-1", "2024/01/01", "01.13.2024", "32.01.2024", "2024-W01",
    "2024-01-01T00:00", " 01.09.2025 ", "2025-09-01\x00", "٠١.٠٩.٢٠٢٥",
]  # fmt: skip
HOSTILE = [
    "", " ", "\t", "\x00", "a\x00b", "\r\n", "line\r\nInjected: 1", "\x1b[31m", "\x7f", "\x85",
    "\u2028", "\u202e", "\ufeff", "\u200b", "=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "${t_int}",
    "'", '"', "<script>alert(1)</script>", "{{ 7*7 }}", "../../etc/passwd", "yes", "no", "other",
    "true", "null", "[]", "{}", "a", "b", "r1", "Ⅻ", "𝔘𝔫𝔦", "🙂" * 5, "مرحبا", "שלום",
    "中文", "Ελληνικά", *SAKHA_WORDS, "Латиница и Кириллица mixed Ҕ", "a@b", "x@пример.рф",
    "+7 (914) 000-00-00", "()" * 50, "(" * 600,
]  # fmt: skip
MIXED = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=["Cs"]),
        st.sampled_from(SAKHA + "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВ"),
    ),
    max_size=40,
)
HUGE = st.builds(
    lambda part, times: part * times,
    st.sampled_from(["9", "я", "Ҕ", "\x00", "\r\n", "(", "a ", "🙂"]),
    st.integers(1000, 40_000),
)
TEXT = st.one_of(
    st.sampled_from(HOSTILE + NUMBERS + DATES),
    MIXED,
    HUGE,
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


def several(values: st.SearchStrategy) -> st.SearchStrategy:
    """One value, or several values for one field (a repeated form field)."""
    return st.one_of(values, st.lists(values, min_size=2, max_size=3))


def logged_in(app, world, user):
    """A client logged in as ``user``, once per test: the examples of a test share it."""
    clients = world.__dict__.setdefault("fuzz_clients", {})
    if user.username not in clients:
        clients[user.username] = app.test_client()
        reply = login(clients[user.username], user)
        assert reply.status_code == 302
    return clients[user.username]
