"""Russian quotation marks («» outside, „“ inside, whatever the typist used), and a name as
a signature prints it."""

import pytest

from app.certificates.pages import signature_name
from app.core.text import quoted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Библиотека 5.0", "«Библиотека 5.0»"),
        ("Конкурс «Библиотека 5.0»", "«Конкурс „Библиотека 5.0“»"),
        ('Конкурс "Библиотека 5.0"', "«Конкурс „Библиотека 5.0“»"),
        ("Конкурс „Библиотека 5.0“", "«Конкурс „Библиотека 5.0“»"),
        ("Конкурс “Библиотека 5.0”", "«Конкурс „Библиотека 5.0“»"),
        ("«Читающая семья»", "«Читающая семья»"),
        ("«Конкурс «Библиотека 5.0»»", "«Конкурс „Библиотека 5.0“»"),
        ("«Книга» и «Чтение»", "«„Книга“ и „Чтение“»"),
        ('Проект "Книга" (школа "Маар")', "«Проект „Книга“ (школа „Маар“)»"),
        ("  Два   пробела\n", "«Два пробела»"),
        ("", "«»"),
        (None, "«»"),
    ],
)
def test_quoted_nests_the_quotes_inside(text, expected):
    assert quoted(text) == expected


def test_a_name_is_signed_with_initials_before_the_surname():
    assert signature_name("Иванова Сардаана Петровна") == "С. П. Иванова"
    assert signature_name("Иванова Сардаана") == "С. Иванова"
    assert signature_name(" Иванова ") == "Иванова"
