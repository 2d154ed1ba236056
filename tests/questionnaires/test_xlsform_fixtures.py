"""XLSForm workbooks as KoboToolbox and ODK write them (tests/fixtures/xlsform, built by its
make_fixtures.py): each imports, or is refused naming the sheet, row and the feature it does not
support — nothing is dropped silently."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.spreadsheets import SpreadsheetError
from app.questionnaires.xlsform_writer import write_xlsform
from tests.questionnaires.test_xlsform import names_row, pyxform_converts, read, refusal

FIXTURES = Path(__file__).parents[1] / "fixtures" / "xlsform"


@dataclass
class Imports:
    """The import succeeds; ``questions`` are (key, type, label) of some of its questions."""

    questions: tuple = ()
    settings: tuple = ()  # (title, form_id, version, style)


@dataclass
class Refused:
    """The import is refused; the message names the sheet, the row and the feature."""

    sheet: str
    row: int | None
    feature: str


OUTCOMES = {
    "spellings.xlsx": Imports(
        (
            ("kind", "single", "Вид библиотеки"),
            ("kinds_all", "multiple", "Виды"),
            ("kinds_many", "multiple", "Ещё виды"),
            ("kind_again", "single", "Вид ещё раз"),
            ("phone", "phone", "Телефон"),
            ("books", "integer", "Книг"),
            ("staff", "table", "Работники"),
        )
    ),
    "pyxform_aliases.xlsx": Imports(
        (
            ("kind", "single", "Вид"),
            ("kinds", "multiple", "Виды"),
            ("books", "integer", "Книг"),
            ("school", "text", "Школа"),
            ("staff", "table", "Работники"),
            ("twice", "calculate", ""),
        )
    ),
    "aliases_with_calculate_column.xlsx": Imports(
        (("teachers", "integer", "Педагогов"), ("staff", "table", "Педагоги")),
        settings=("Кадры", "staff_form", "", ""),
    ),
    "every_type_spelling.xlsx": Imports(
        (("single_4", "single", "q select1 kinds"), ("table_3", "table", "begin lgroup"))
    ),
    "language_columns.xlsx": Imports((("school", "text", "Школа"), ("kind", "single", "Вид"))),
    "sakha_labels.xlsx": Imports((("school", "text", "Оскуола аата"),)),
    "settings_kept.xlsx": Imports(
        settings=("Паспорт библиотеки", "library_passport", "2024-2", "")
    ),
    "empty_unknown_column.xlsx": Imports((("school", "text", "Школа"),)),
    "kobo_bookkeeping.xlsx": Imports((("school", "text", "Школа"),)),
    "calculation.xlsx": Imports((("per_pupil", "calculate", ""),)),
    "calculate_chain.xlsx": Imports(
        (("per_pupil", "calculate", ""), ("rounded", "calculate", ""), ("low", "calculate", ""))
    ),
    "choices_extra_column.xlsx": Imports((("school", "single", "Школа"),)),
    "cascading_selects.xlsx": Imports(
        (("district", "single", "Улус (район)"), ("position", "single", "Должность"))
    ),
    "default.xlsx": Imports((("filled", "date", "Дата"),)),
    "defaults.xlsx": Imports((("books", "integer", "Книг"), ("internet", "yesno", "Интернет"))),
    "read_only.xlsx": Imports((("school", "text", "Школа"),)),
    "read_only_values.xlsx": Imports((("region", "text", "Регион"),)),
    "notes_with_references.xlsx": Imports((("summary", "note", "${school}: фонд ${fund} экз."),)),
    "required_and_relevant_expressions.xlsx": Imports((("plan", "text", "План"),)),
    "strict_bounds.xlsx": Imports((("area", "decimal", "Площадь, м²"),)),
    "groups_and_repeats.xlsx": Imports(
        (("books", "integer", "Книг"), ("rooms", "table", "Помещения"))
    ),
    "repeat_count_from_answer.xlsx": Imports(
        (("staff", "table", "Педагоги"), ("staff_count", "calculate", ""))
    ),
    "matrix_table_list.xlsx": Imports((("difficulties", "matrix", "Затруднения"),)),
    "or_other.xlsx": Imports((("kind", "single", "Вид"),)),
    "or_specify_other.xlsx": Imports((("kind", "single", "Вид"),)),
    "two_languages.xlsx": Imports((("school", "text", "Школа"),)),
    "sakha_default_language.xlsx": Imports((("school", "text", "Оскуола аата"),)),
    "russian_and_sakha.xlsx": Imports((("position", "single", "Должность"),)),
    "empty_labels.xlsx": Refused("survey", None, "label"),
    "calculate_type.xlsx": Refused("survey", 3, "calculation"),
    "choice_filter.xlsx": Refused("survey", 2, "district"),
    "settings_style.xlsx": Imports(settings=("Паспорт", "", "", "pages")),
    "select_from_file.xlsx": Refused("survey", 3, "select_one_from_file"),
    "geopoint.xlsx": Refused("survey", 3, "geopoint"),
    "pulldata.xlsx": Refused("survey", 3, "pulldata()"),
    "search_appearance.xlsx": Refused("survey", 2, "search()"),
    "nested_repeat.xlsx": Refused("survey", 3, "type"),
    "relevant_in_repeat_group.xlsx": Refused("survey", 5, "relevant"),
    "only_unsupported.xlsx": Refused("survey", 2, "image"),
    "empty.xlsx": Refused("survey", None, "survey"),
}
CORRUPT = "corrupt.xlsx"  # not a workbook at all: refused before any sheet is read


def test_every_fixture_has_its_expected_outcome():
    assert sorted(path.name for path in FIXTURES.glob("*.xlsx")) == sorted([*OUTCOMES, CORRUPT])
    assert len(OUTCOMES) >= 30


def test_a_corrupt_file_is_refused_as_not_a_workbook():
    with pytest.raises(SpreadsheetError):
        read((FIXTURES / CORRUPT).read_bytes())


@pytest.mark.parametrize("name", [name for name, o in OUTCOMES.items() if isinstance(o, Imports)])
def test_fixture_imports_with_its_questions_and_settings(name):
    expected = OUTCOMES[name]
    definition = read((FIXTURES / name).read_bytes())
    questions = {
        question["key"]: (question["key"], question["type"], question["label"])
        for section in definition["sections"]
        for question in section["questions"]
    }
    assert [questions.get(key) for key, *_ in expected.questions] == list(expected.questions)
    if expected.settings:
        kept = (definition["title"], definition["form_id"], definition["version"])
        kept += (definition.get("style", ""),)
        assert kept == expected.settings


@pytest.mark.parametrize("name", [name for name, o in OUTCOMES.items() if isinstance(o, Imports)])
def test_fixture_round_trips_through_export_pyxform_and_import(name, tmp_path):
    definition = read((FIXTURES / name).read_bytes())
    exported = write_xlsform(definition)
    pyxform_converts(exported, tmp_path)
    assert read(exported) == definition


@pytest.mark.parametrize("name", [name for name, o in OUTCOMES.items() if isinstance(o, Refused)])
def test_fixture_is_refused_naming_its_sheet_row_and_feature(name):
    expected = OUTCOMES[name]
    message = refusal((FIXTURES / name).read_bytes())
    assert expected.feature in message
    assert expected.sheet in message
    if expected.row is None:
        assert not names_row(message, 2)
    else:
        assert names_row(message, expected.row)


def test_spelled_out_types_keep_their_groups_repeats_and_choice_lists():
    definition = read((FIXTURES / "spellings.xlsx").read_bytes())
    sections = {section["key"]: section for section in definition["sections"]}
    assert [question["key"] for question in sections["fund"]["questions"]] == ["books"]
    staff = sections["staff_group"]["questions"][0]
    assert [column["key"] for column in staff["columns"]] == ["full_name"]
    kind = sections["main"]["questions"][0]
    assert [choice["code"] for choice in kind["choices"]] == ["school", "city"]


def test_every_type_spelling_of_pyxform_gives_our_type():
    """The fixture names each question after the type its spelling must give."""
    definition = read((FIXTURES / "every_type_spelling.xlsx").read_bytes())
    questions = [q for section in definition["sections"] for q in section["questions"]]
    types = {"calc": "calculate"}
    assert len(questions) == 42
    assert [q["type"] for q in questions] == [
        types.get(q["key"].rsplit("_", 1)[0], q["key"].rsplit("_", 1)[0]) for q in questions
    ]
