"""Forms in several languages: the declared languages and translations are checked, survive
JSON and XLSForm round trips, and a form is shown in any of its languages."""

import copy

import pytest

from app.questionnaires.definition_check import DefinitionError, check_definition
from app.questionnaires.jsonio import normalize_definition, read_json, write_json
from app.questionnaires.languages import choose_language, language_names, localized

TWO_LANGUAGES = normalize_definition(
    {
        "title": "Кадры библиотеки",
        "translations": {"sah": {"title": "Библиотека кадрлара"}},
        "languages": [{"code": "ru", "name": "Русский"}, {"code": "sah", "name": "Саха тыла"}],
        "default_language": "ru",
        "sections": [
            {
                "key": "staff",
                "title": "Сотрудники",
                "translations": {"sah": {"title": "Үлэһиттэр"}},
                "questions": [
                    {
                        "key": "position",
                        "type": "single",
                        "label": "Должность",
                        "help": "Основная должность",
                        "translations": {"sah": {"label": "Дуоһунас"}},
                        "choices": [
                            {
                                "code": "head",
                                "label": "Заведующий",
                                "translations": {"sah": {"label": "Сэбиэдиссэй"}},
                            },
                            {"code": "other", "label": "Библиотекарь"},
                        ],
                    },
                    {
                        "key": "hours",
                        "type": "decimal",
                        "label": "Часов в неделю",
                        "constraint": ["op", ">", ["cur"], ["num", 0]],
                        "constraint_message": "Больше нуля",
                        "translations": {
                            "sah": {
                                "label": "Нэдиэлэҕэ чаас",
                                "constraint_message": "Нуөлтан үрдүк",
                            }
                        },
                    },
                ],
            }
        ],
    }
)


def _refusal(definition: dict) -> DefinitionError:
    with pytest.raises(DefinitionError) as refused:
        check_definition(definition)
    return refused.value


def test_a_two_language_form_is_accepted_and_survives_json():
    check_definition(TWO_LANGUAGES)
    assert read_json(write_json(TWO_LANGUAGES)) == TWO_LANGUAGES


def test_the_default_language_must_be_declared():
    definition = {**TWO_LANGUAGES, "default_language": "en"}
    assert _refusal(definition).path == "default_language"


def test_one_declared_language_is_refused():
    definition = {**TWO_LANGUAGES, "languages": [{"code": "ru", "name": "Русский"}]}
    assert _refusal(definition).path == "languages"


def test_a_language_declared_twice_or_with_a_bad_code_is_refused():
    twice = [{"code": "ru", "name": "Русский"}, {"code": "ru", "name": "Саха"}]
    assert _refusal({**TWO_LANGUAGES, "languages": twice}).path == "languages[1].code"
    bad = [{"code": "ru", "name": "Русский"}, {"code": "sa h", "name": "Саха"}]
    assert _refusal({**TWO_LANGUAGES, "languages": bad}).path == "languages[1].code"


def test_a_translation_into_the_default_or_an_undeclared_language_is_refused():
    for code in ("ru", "en"):
        definition = copy.deepcopy(TWO_LANGUAGES)
        definition["sections"][0]["translations"] = {code: {"title": "Staff"}}
        assert _refusal(definition).path == f"sections[0].translations.{code}"


def test_translations_without_declared_languages_are_refused():
    definition = copy.deepcopy(TWO_LANGUAGES)
    del definition["languages"], definition["default_language"]
    assert _refusal(definition).path == "translations.sah"


def test_only_texts_of_translatable_fields_are_accepted():
    definition = copy.deepcopy(TWO_LANGUAGES)
    definition["sections"][0]["questions"][0]["translations"]["sah"]["key"] = "x"
    assert _refusal(definition).path == "sections[0].questions[0].translations.sah.key"
    definition = copy.deepcopy(TWO_LANGUAGES)
    definition["sections"][0]["questions"][0]["choices"][0]["translations"]["sah"]["label"] = 5
    path = "sections[0].questions[0].choices[0].translations.sah.label"
    assert _refusal(definition).path == path


def test_a_translated_title_is_as_long_as_a_title_may_be():
    definition = copy.deepcopy(TWO_LANGUAGES)
    definition["sections"][0]["translations"]["sah"]["title"] = "ү" * 301
    assert _refusal(definition).path == "sections[0].translations.sah.title"
    definition["sections"][0]["translations"]["sah"]["title"] = "ү" * 300
    check_definition(definition)


def test_normalising_strips_translations_and_drops_empty_ones():
    definition = copy.deepcopy(TWO_LANGUAGES)
    definition["sections"][0]["translations"] = {
        "sah": {"title": "  Үлэһиттэр ", "description": " "}
    }
    definition["sections"][0]["questions"][1]["translations"] = {"sah": {"label": ""}}
    normal = normalize_definition(definition)
    assert normal["sections"][0]["translations"] == {"sah": {"title": "Үлэһиттэр"}}
    assert "translations" not in normal["sections"][0]["questions"][1]


def test_localized_puts_the_language_in_the_base_fields_and_falls_back_per_text():
    sakha = localized(TWO_LANGUAGES, "sah")
    position, hours = sakha["sections"][0]["questions"]
    assert sakha["title"] == "Библиотека кадрлара"
    assert sakha["sections"][0]["title"] == "Үлэһиттэр"
    assert position["label"] == "Дуоһунас"
    assert position["help"] == "Основная должность"  # no Sakha hint: the default language's
    assert [c["label"] for c in position["choices"]] == ["Сэбиэдиссэй", "Библиотекарь"]
    assert [c["code"] for c in position["choices"]] == ["head", "other"]
    assert hours["constraint_message"] == "Нуөлтан үрдүк"
    assert "translations" not in position
    assert TWO_LANGUAGES["sections"][0]["questions"][0]["label"] == "Должность"


def test_localized_in_the_default_language_is_the_base_text():
    russian = localized(TWO_LANGUAGES, "ru")
    assert russian["sections"][0]["questions"][0]["label"] == "Должность"
    assert russian["sections"][0]["questions"][1]["constraint_message"] == "Больше нуля"


def test_the_chosen_language_is_the_first_wanted_the_form_has():
    assert language_names(TWO_LANGUAGES) == [("ru", "Русский"), ("sah", "Саха тыла")]
    assert choose_language(TWO_LANGUAGES, "en", "sah") == "sah"
    assert choose_language(TWO_LANGUAGES, None, "en") == "ru"
    assert choose_language({"sections": []}, "sah") == ""
