"""Search and sort keys for Russian and Sakha text, the same on SQLite and PostgreSQL.

SQLite's ``LIKE`` and ``lower()`` fold only ASCII, and PostgreSQL's ordering depends on the
server's locale. So both keys are computed here, stored beside the data, and compared byte by
byte by the database.
"""

import re

# Russian alphabet with the five Sakha letters in their places in the Sakha alphabet.
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzабвгҕдеёжзийклмнҥоөпрстуүфхһцчшщъыьэюя"
_RANK = {letter: index for index, letter in enumerate(ALPHABET)}
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character (CR, LF, NUL…), which would split a header."""
    return _CONTROL.search(text) is not None


def one_line(text: str) -> str:
    """``text`` with control characters and runs of whitespace made single spaces, trimmed: fit
    for a mail header or a file name."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def fold(text: str | None) -> str:
    """Case- and ё-insensitive form used for searching."""
    if not text:
        return ""
    return _SPACES.sub(" ", text.casefold().replace("ё", "е")).strip()


def search_key(*parts: str | None) -> str:
    return " | ".join(fold(part) for part in parts if part)


def sort_key(text: str | None) -> str:
    """A key whose byte order is Russian alphabetical order, numbers compared by value.

    Letters of the alphabet map to consecutive characters from U+0100; anything else (spaces,
    punctuation) sorts before every letter. Runs of digits are padded so that "№2" < "№10".
    """
    padded = _DIGITS.sub(lambda match: match.group().zfill(10), fold(text))
    return "".join(chr(0x100 + _RANK[char]) if char in _RANK else " " for char in padded)


# Quotation marks: «» outside, „“ for any quote inside («Конкурс „Библиотека 5.0“»).
_OPENING, _CLOSING, _EITHER = "«„", "»”", '"“'
_BEFORE_OPENING = "([{«„-—–/"


def _quote_marks(text: str) -> list[tuple[int, bool]]:
    """The positions of the quotation marks in ``text``, each with whether it opens: «„ open,
    »” close, and " “ open at the start of a word and close at its end."""
    marks = []
    for index, char in enumerate(text):
        if char in _OPENING:
            marks.append((index, True))
        elif char in _CLOSING:
            marks.append((index, False))
        elif char in _EITHER:
            before = text[index - 1] if index else " "
            marks.append((index, before.isspace() or before in _BEFORE_OPENING))
    return marks


def _unwrapped(text: str, marks: list[tuple[int, bool]]) -> str:
    """``text`` without the pair of quotes around all of it, if it is so wrapped."""
    if len(marks) < 2 or marks[0] != (0, True) or marks[-1] != (len(text) - 1, False):
        return text
    depth = 0
    for index, opens in marks:
        depth += 1 if opens else -1
        if depth <= 0 and index != len(text) - 1:
            return text
    return text[1:-1].strip() if depth == 0 else text


def quoted(text: str | None) -> str:
    """``text`` in «», the quotation marks inside it made „“, as Russian typography nests
    them: «Конкурс «Библиотека 5.0»» and 'Конкурс "Библиотека 5.0"' both become
    «Конкурс „Библиотека 5.0“»; a text already wrapped in quotes is not wrapped twice."""
    text = " ".join((text or "").split())
    text = _unwrapped(text, _quote_marks(text))
    chars = list(text)
    for index, opens in _quote_marks(text):
        chars[index] = "„" if opens else "“"
    return f"«{''.join(chars)}»"
