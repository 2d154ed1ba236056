"""The authors of an entry, read from the question its form marks as holding them."""

from app.contests.authors import authors_key, names


def test_names_split_on_lines_semicolons_and_commas():
    text = "Иванова Анна Петровна\n Петрова  Мария;Сидоров Иван, \n\n"
    assert names(text) == ["Иванова Анна Петровна", "Петрова Мария", "Сидоров Иван"]


def test_names_of_nothing():
    assert names("") == []
    assert names(None) == []


def test_authors_key_is_the_first_marked_question():
    definition = {
        "sections": [
            {"questions": [{"key": "title", "type": "text"}]},
            {
                "questions": [
                    {"key": "who", "type": "textarea", "authors": True},
                    {"key": "also", "type": "text", "authors": True},
                ]
            },
        ]
    }
    assert authors_key(definition) == "who"
    assert authors_key({"sections": [{"questions": [{"key": "a", "type": "text"}]}]}) is None
