"""JSON exports of definitions: a round trip keeps the definition, readers normalise alike."""

import json
from pathlib import Path

import pytest

from app.questionnaires import files
from app.questionnaires.definition_check import DefinitionError
from app.questionnaires.jsonio import JsonFormError, normalize_definition, read_json, write_json
from tests.questionnaires.test_xlsform import EVERY_TYPE


def test_every_question_type_survives_a_json_round_trip():
    assert read_json(write_json(EVERY_TYPE)) == EVERY_TYPE


def test_json_is_readable_utf8_with_an_indent_of_two():
    text = write_json(EVERY_TYPE).decode("utf-8")
    assert "Паспорт школьной библиотеки" in text
    assert '\n  "title"' in text


def test_text_and_bytes_are_both_read():
    text = write_json(EVERY_TYPE).decode("utf-8")
    assert read_json(text) == read_json(text.encode("utf-8"))


def test_reading_fills_defaults_and_normalises_numbers_and_conditions():
    definition = {
        "title": " Опрос ",
        "sections": [
            {
                "key": "main",
                "questions": [
                    {
                        "key": "kind",
                        "type": "single",
                        "label": "Вид",
                        "choices": [{"code": "a", "label": "А"}, {"code": "b", "label": "Б"}],
                    },
                    {"key": "mark", "type": "scale", "label": "Оценка"},
                    {"key": "rate", "type": "decimal", "label": "Ставка", "min": 0.25, "max": 2.0},
                    {
                        "key": "why",
                        "type": "text",
                        "label": "Почему",
                        "min": None,
                        "condition": {"key": "kind", "op": "in", "value": ["a", "b"]},
                    },
                ],
            }
        ],
    }
    result = read_json(json.dumps(definition))
    assert result["title"] == "Опрос" and result["form_id"] == "" and result["version"] == ""
    kind, mark, rate, why = result["sections"][0]["questions"]
    assert kind["display"] == "radio" and kind["help"] == "" and kind["required"] is False
    assert (mark["min"], mark["max"]) == (1, 5)
    assert (rate["min"], rate["max"]) == ("0.25", 2)
    assert "min" not in why
    assert why["condition"] == {
        "any": [
            {"key": "kind", "op": "eq", "value": "a"},
            {"key": "kind", "op": "eq", "value": "b"},
        ]
    }
    assert normalize_definition(result) == result


@pytest.mark.parametrize(
    "data",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"title": "x"}',
        b'{"sections": [1]}',
        b'{"sections": [{"key": "main", "questions": ["q"]}]}',
    ],
)
def test_malformed_json_is_refused(data):
    with pytest.raises(JsonFormError):
        read_json(data)


def test_a_json_definition_breaking_the_rules_is_refused():
    definition = {
        "sections": [{"key": "main", "questions": [{"key": "1bad", "type": "text"}]}],
    }
    with pytest.raises(DefinitionError):
        read_json(json.dumps(definition))


@pytest.mark.parametrize("suffix", ["json", "xlsx"])
def test_definition_files_are_written_and_read_by_extension(tmp_path: Path, suffix):
    path = tmp_path / f"passport.{suffix}"
    files.write_definition_file(EVERY_TYPE, path)
    assert files.read_definition_file(path) == EVERY_TYPE


def test_a_file_of_another_format_is_refused(tmp_path: Path):
    path = tmp_path / "passport.csv"
    path.write_text("type,name\n")
    with pytest.raises(files.UnknownFormat):
        files.read_definition_file(path)


def test_the_authors_flag_survives_json_and_is_refused_on_a_number():
    question = {"key": "who", "type": "textarea", "label": "Авторы", "authors": True}
    definition = {
        "title": "Заявка",
        "sections": [{"key": "s", "title": "С", "questions": [question]}],
    }
    read = read_json(json.dumps(definition))
    assert read["sections"][0]["questions"][0]["authors"] is True
    question["authors"] = False
    assert "authors" not in read_json(json.dumps(definition))["sections"][0]["questions"][0]
    question.update(type="integer", authors=True)
    with pytest.raises(DefinitionError):
        read_json(json.dumps(definition))
