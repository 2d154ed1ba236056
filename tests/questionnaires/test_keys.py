"""Keys made from titles: Russian and Sakha letters, numbers first, length, collisions."""

import pytest

from app.questionnaires.cleaning import KEY, MAX_KEY_LENGTH
from app.questionnaires.keys import key_from_text, transliterate, unique_key


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Есть ли Интернет?", "est_li_internet"),
        ("Объём фонда", "obem_fonda"),
        ("Щука, юла, яма, цех, хлеб, жук", "shchuka_iula_iama_tsekh_khleb"),
        ("Число учащихся 1–4 классов", "chislo_uchashchikhsia_1_4"),
        ("Оҕо ахсаана", "ogho_akhsaana"),
        ("Үөрэнээччи ахсаана һөп", "uoreneechchi_akhsaana_hop"),
        ("Кинигэ ҥ", "kinige_ng"),
        ("Library fund, 2024", "library_fund_2024"),
    ],
)
def test_title_becomes_a_latin_key(title, key):
    assert key_from_text(title) == key


def test_every_russian_and_sakha_letter_has_a_latin_spelling():
    letters = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяҕҥөһү"
    spelled = transliterate(letters + letters.upper())
    assert spelled.isascii()
    assert transliterate("ЁЖЩЪЬҔҤӨҺҮ") == "ezhshchghngohu"


@pytest.mark.parametrize(
    ("title", "key"), [("5 класс", "q_5_klass"), ("", "q"), ("?!", "q"), ("№ 1", "q_1")]
)
def test_key_starts_with_a_letter(title, key):
    assert key_from_text(title) == key


def test_long_title_stops_at_a_word_and_stays_a_valid_key():
    title = "Количество посещений школьной библиотеки обучающимися за учебный год " * 3
    key = key_from_text(title)
    assert key == "kolichestvo_poseshchenii"
    assert KEY.fullmatch(key)
    assert key_from_text("Ы" * 200) == "y" * 32


def test_collisions_get_the_next_free_number():
    assert unique_key("fond", set()) == "fond"
    assert unique_key("fond", {"fond"}) == "fond_2"
    assert unique_key("fond", {"fond", "fond_2", "fond_3"}) == "fond_4"
    assert unique_key("klass_5", {"klass_5"}) == "klass_5_2"


def test_a_suffix_never_makes_a_key_too_long():
    base = "a" * MAX_KEY_LENGTH
    key = unique_key(base, {base})
    assert len(key) == MAX_KEY_LENGTH
    assert key.endswith("_2")
