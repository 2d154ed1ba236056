"""Forms in several languages: the declared languages and translations are checked, survive
JSON and XLSForm round trips, and a form is shown in any of its languages."""

import copy
import io

import openpyxl
import pytest

from app.accounts.models import User
from app.campaigns import responses
from app.campaigns.models import Response
from app.extensions import db
from app.questionnaires.definition import version_definition
from app.questionnaires.definition_check import DefinitionError, check_definition
from app.questionnaires.jsonio import normalize_definition, read_json, write_json
from app.questionnaires.languages import (
    choose_language,
    language_names,
    localized,
    localized_errors,
)
from app.questionnaires.xlsform_writer import write_xlsform
from tests.conftest import login
from tests.monitoring import make_campaign, make_form, response_of
from tests.questionnaires.test_xlsform import pyxform_converts, read, refusal, workbook
from tests.questionnaires.test_xlsform_fixtures import FIXTURES

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


# XLSForm


def _sakha_fixture() -> dict:
    return read((FIXTURES / "russian_and_sakha.xlsx").read_bytes())


def test_the_russian_and_sakha_fixture_reads_every_language_column():
    definition = _sakha_fixture()
    assert definition["languages"] == [
        {"code": "ru", "name": "Русский"},
        {"code": "sah", "name": "Саха тыла"},
    ]
    assert definition["default_language"] == "ru"
    section = definition["sections"][0]
    assert section["title"] == "Кадры"
    assert section["translations"] == {"sah": {"title": "Үлэһиттэр"}}
    position, rate, courses = section["questions"]
    assert position["label"] == "Должность"
    assert position["translations"] == {"sah": {"label": "Дуоһунас", "help": "Сүрүн дуоһунас"}}
    assert position["choices"][0]["translations"] == {"sah": {"label": "Бибилиэтиэкэ сэбиэдиссэйэ"}}
    assert rate["constraint_message"] == "Больше 0 и меньше 2"
    sakha_message = "0-тан үрдүк, 2-тэн намыһах буолуохтаах"
    assert rate["translations"]["sah"]["constraint_message"] == sakha_message
    # a yes/no list with translations stays a choice, so that its labels are translated
    assert courses["type"] == "single"
    assert [c["translations"]["sah"]["label"] for c in courses["choices"]] == ["Сөп", "Суох ҥ ҕ ө"]


def test_the_two_language_form_round_trips_through_pyxform(tmp_path):
    definition = _sakha_fixture()
    exported = write_xlsform(definition)
    pyxform_converts(exported, tmp_path)
    assert read(exported) == definition
    survey = openpyxl.load_workbook(io.BytesIO(exported))["survey"]
    header = [cell.value for cell in survey[1]]
    assert "label::Русский (ru)" in header and "label::Саха тыла (sah)" in header
    assert "constraint_message::Саха тыла (sah)" in header
    header, values = openpyxl.load_workbook(io.BytesIO(exported))["settings"].values
    assert values[header.index("default_language")] == "Русский (ru)"


def test_default_language_by_code_picks_the_base_texts():
    header = ["type", "name", "label::Русский (ru)", "label::Саха тыла (sah)"]
    data = workbook(
        [["text", "school", "Школа", "Оскуола"]],
        settings=[["default_language"], ["sah"]],
        survey_header=header,
    )
    definition = read(data)
    school = definition["sections"][0]["questions"][0]
    assert definition["default_language"] == "sah"
    assert school["label"] == "Оскуола" and school["translations"] == {"ru": {"label": "Школа"}}


def test_plain_columns_are_the_default_language_named_by_the_settings():
    header = ["type", "name", "label", "label::Саха тыла (sah)"]
    data = workbook(
        [["text", "school", "Школа", "Оскуола"]],
        settings=[["default_language"], ["Русский (ru)"]],
        survey_header=header,
    )
    definition = read(data)
    assert definition["languages"][0] == {"code": "ru", "name": "Русский"}
    assert definition["sections"][0]["questions"][0]["translations"] == {
        "sah": {"label": "Оскуола"}
    }


def test_without_default_language_the_plain_columns_are_the_default():
    header = ["type", "name", "label:english", "label"]
    definition = read(workbook([["text", "school", "School", "Школа"]], survey_header=header))
    school = definition["sections"][0]["questions"][0]
    assert definition["default_language"] == "default"
    assert school["label"] == "Школа"
    assert school["translations"] == {"english": {"label": "School"}}


def test_without_plain_columns_the_first_language_is_the_default():
    header = ["type", "name", "label::Саха тыла (sah)", "label::Русский (ru)"]
    definition = read(workbook([["text", "school", "Оскуола", "Школа"]], survey_header=header))
    assert definition["default_language"] == "sah"


def test_a_default_language_without_columns_is_refused_by_name():
    header = ["type", "name", "label::Саха тыла (sah)", "label::Русский (ru)"]
    data = workbook(
        [["text", "school", "Оскуола", "Школа"]],
        settings=[["default_language"], ["English (en)"]],
        survey_header=header,
    )
    assert "English (en)" in refusal(data) and "default_language" in refusal(data)


def test_a_form_with_no_label_in_any_language_stays_refused():
    header = ["type", "name", "label::Саха тыла (sah)", "hint::Русский (ru)"]
    data = workbook([["text", "school", "", "Подсказка"]], survey_header=header)
    assert "label" in refusal(data)


def test_a_label_only_in_another_language_counts_as_a_label():
    header = ["type", "name", "label::Русский (ru)", "label::Саха тыла (sah)", "hint::Русский (ru)"]
    data = workbook(
        [["text", "school", "", "Оскуола", "Подсказка"]],
        settings=[["default_language"], ["ru"]],
        survey_header=header,
    )
    school = read(data)["sections"][0]["questions"][0]
    assert school["label"] == "" and school["translations"] == {"sah": {"label": "Оскуола"}}


def test_a_message_for_a_required_question_stays_refused_by_name_in_any_language():
    header = ["type", "name", "label::Русский (ru)", "required_message::Саха тыла (sah)"]
    data = workbook([["text", "school", "Школа", "Толорун"]], survey_header=header)
    assert "required_message::Саха тыла (sah)" in refusal(data)


def test_a_repeated_language_column_is_refused():
    header = ["type", "name", "label::Русский (ru)", "label::Саха (sah)", "label::Саха тыла (sah)"]
    data = workbook([["text", "school", "Школа", "Оскуола", "Оскуола"]], survey_header=header)
    assert "label::Саха тыла (sah)" in refusal(data)


def test_a_matrix_and_a_table_keep_their_translations(tmp_path):
    header = ["type", "name", "appearance"]
    header += ["label::Русский (ru)", "label::Саха тыла (sah)", "hint::Саха тыла (sah)"]
    header += ["constraint_message::Русский (ru)", "constraint_message::Саха тыла (sah)"]
    rows = [
        ["begin_group", "grid", "table-list", "Оценки", "Сыанабыл", "Ыйыы", "", ""],
        ["select_one marks", "grid_fund", "", "Фонд", "Фоонд", "", "Оцените", "Сыаналаа"],
        ["select_one marks", "grid_room", "", "Помещение", "Хос", "", "Оцените", "Сыаналаа"],
        ["end_group", "", "", "", "", "", "", ""],
        ["begin_repeat", "staff", "", "Сотрудники", "Үлэһиттэр", "", "", ""],
        ["text", "full_name", "", "ФИО", "Аата", "Толору аата", "", ""],
        ["end_repeat", "", "", "", "", "", "", ""],
    ]
    choices = [["marks", "good", "Хорошо", "Үчүгэй"], ["marks", "bad", "Плохо", "Куһаҕан"]]
    choices_header = ["list_name", "name", "label::Русский (ru)", "label::Саха тыла (sah)"]
    data = workbook(rows, choices=choices, survey_header=header, choices_header=choices_header)
    definition = read(data)
    grid, staff = definition["sections"][0]["questions"]
    assert grid["type"] == "matrix"
    assert grid["translations"] == {
        "sah": {"label": "Сыанабыл", "help": "Ыйыы", "constraint_message": "Сыаналаа"}
    }
    assert grid["rows"][1]["translations"] == {"sah": {"label": "Хос"}}
    assert grid["choices"][1]["translations"] == {"sah": {"label": "Куһаҕан"}}
    assert staff["columns"][0]["translations"] == {"sah": {"label": "Аата", "help": "Толору аата"}}
    exported = write_xlsform(definition)
    pyxform_converts(exported, tmp_path)
    assert read(exported) == definition


# Stored versions, the filling page and the preview


def _two_language_campaign(world):
    form = make_form(world.admin_a, TWO_LANGUAGES)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    return form, campaign


def _fresh_user(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_a_stored_version_keeps_its_languages_and_translations(world):
    form = make_form(world.admin_a, TWO_LANGUAGES)
    assert normalize_definition(version_definition(form.published)) == TWO_LANGUAGES


def test_a_school_picks_sakha_and_its_forms_are_shown_in_it(client, world):
    _form, campaign = _two_language_campaign(world)
    response = response_of(campaign, world.school_a1)
    login(client, world.school_user_a1)
    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Язык анкеты" in page and "Должность" in page and "Дуоһунас" not in page
    reply = client.post(f"/responses/{response.id}/language", data={"lang": "sah"})
    assert reply.status_code == 302
    assert _fresh_user(world.school_user_a1).form_language == "sah"
    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Дуоһунас" in page and "Сэбиэдиссэй" in page and "Үлэһиттэр" in page
    assert "Основная должность" in page  # no Sakha text: the default language's


def test_a_language_the_form_does_not_have_is_not_remembered(client, world):
    _form, campaign = _two_language_campaign(world)
    response = response_of(campaign, world.school_a1)
    login(client, world.school_user_a1)
    client.post(f"/responses/{response.id}/language", data={"lang": "en"})
    assert _fresh_user(world.school_user_a1).form_language is None


def test_the_remembered_language_is_used_for_another_form_that_has_it(client, world):
    _form, campaign = _two_language_campaign(world)
    other = make_campaign(world.admin_a, make_form(world.admin_a, TWO_LANGUAGES), [world.school_a1])
    login(client, world.school_user_a1)
    client.post(
        f"/responses/{response_of(campaign, world.school_a1).id}/language", data={"lang": "sah"}
    )
    page = client.get(f"/responses/{response_of(other, world.school_a1).id}").get_data(as_text=True)
    assert "Дуоһунас" in page


def test_only_a_school_sets_its_own_language_and_only_on_its_own_response(client, world):
    _form, campaign = _two_language_campaign(world)
    other_school = response_of(campaign, world.school_a2)
    login(client, world.school_user_a1)
    reply = client.post(f"/responses/{other_school.id}/language", data={"lang": "sah"})
    assert reply.status_code in (403, 404)
    assert _fresh_user(world.school_user_a1).form_language is None
    assert _fresh_user(world.school_user_b1).form_language is None


def test_staff_have_no_language_to_set_on_a_response(client, world):
    _form, campaign = _two_language_campaign(world)
    login(client, world.admin_a)
    reply = client.post(
        f"/responses/{response_of(campaign, world.school_a1).id}/language", data={"lang": "sah"}
    )
    assert reply.status_code == 403
    assert _fresh_user(world.admin_a).form_language is None


def test_the_server_says_a_constraint_message_in_the_chosen_language(client, world):
    _form, campaign = _two_language_campaign(world)
    response = response_of(campaign, world.school_a1)
    login(client, world.school_user_a1)
    client.get(f"/responses/{response.id}")

    def save(revision):
        return client.post(
            f"/responses/{response.id}/save",
            data={"revision": revision, "q.hours": "0"},
            headers={"Accept": "application/json"},
        ).get_json()

    assert save(0)["errors"] == {"hours": "Больше нуля"}
    client.post(f"/responses/{response.id}/language", data={"lang": "sah"})
    assert save(1)["errors"] == {"hours": "Нуөлтан үрдүк"}
    assert "Нуөлтан үрдүк" in client.get(f"/responses/{response.id}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Response, response.id).data == {"hours": "0"}


def test_staff_preview_a_form_in_each_of_its_languages(client, world):
    form = make_form(world.admin_a, TWO_LANGUAGES)
    login(client, world.admin_a)
    russian = client.get(f"/forms/{form.id}/preview").get_data(as_text=True)
    assert "Язык анкеты" in russian and "Должность" in russian
    sakha = client.get(f"/forms/{form.id}/preview?lang=sah").get_data(as_text=True)
    assert "Дуоһунас" in sakha and "Нэдиэлэҕэ чаас" in sakha
    assert _fresh_user(world.admin_a).form_language is None


# Reports and exports


def _answered_in_sakha(world):
    _form, campaign = _two_language_campaign(world)
    response = response_of(campaign, world.school_a1)
    world.school_user_a1.form_language = "sah"
    responses.save_draft(world.school_user_a1, response, {"position": "head", "hours": "12"}, 0)
    responses.submit(world.school_user_a1, response, response.revision)
    db.session.commit()
    return campaign


def _export(client, campaign, query=""):
    started = client.post(
        f"/reports/campaigns/{campaign.id}/exports{query}", data={"format": "xlsx"}
    )
    assert started.status_code == 302
    data = client.get(started.headers["Location"] + "/download").data
    return [list(row) for row in openpyxl.load_workbook(io.BytesIO(data)).active.values]


def test_reports_and_exports_use_the_default_language_with_the_others_offered(client, world):
    campaign = _answered_in_sakha(world)
    login(client, world.admin_a)
    page = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Должность" in page and "Дуоһунас" not in page
    assert "lang=sah" in page and "Саха тыла" in page
    header, *rows = _export(client, campaign)
    assert "Должность" in header and "Заведующий" in rows[-1]
    header, *rows = _export(client, campaign, "?lang=sah")
    assert "Дуоһунас" in header and "Сэбиэдиссэй" in rows[-1]


def test_errors_of_a_table_cell_and_a_question_are_said_in_the_chosen_language():
    column = {"key": "pages", "type": "integer", "label": "Страниц", "constraint_message": "Мало"}
    column["translations"] = {"sah": {"constraint_message": "Аҕыйах"}}
    table = {"key": "books", "type": "table", "label": "Книги", "columns": [column]}
    definition = copy.deepcopy(TWO_LANGUAGES)
    definition["sections"][0]["questions"].append(table)
    errors = {
        "hours": "Больше нуля",
        "position": "Выберите вариант из списка.",
        "books": {"rows": {0: {"pages": "Мало"}}},
    }
    assert localized_errors(errors, normalize_definition(definition), "sah") == {
        "hours": "Нуөлтан үрдүк",
        "position": "Выберите вариант из списка.",
        "books": {"rows": {0: {"pages": "Аҕыйах"}}},
    }
    assert localized_errors(errors, definition, "ru") == errors
