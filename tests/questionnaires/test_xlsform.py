"""XLSForm workbooks: our definitions survive a round trip, the demo forms read, mistakes are
refused with their sheet and row."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from flask import current_app
from pyxform.xls2xform import convert

from app.core.spreadsheets import SpreadsheetError
from app.questionnaires.xlsform import XLSFormError, read_xlsform
from app.questionnaires.xlsform_writer import write_xlsform

DEMO_FORMS = Path(__file__).parents[2] / "app" / "demo" / "forms"
SURVEY_HEADER = ["type", "name", "label", "hint", "required", "relevant", "constraint"]


def question(key, kind, label, **settings):
    return {
        "key": key,
        "type": kind,
        "label": label,
        "help": "",
        "required": False,
        "condition": None,
        **settings,
    }


def column(key, kind, label, **settings):
    result = question(key, kind, label, **settings)
    del result["condition"]
    return result


LEVELS = [
    {"code": "none", "label": "Нет затруднений"},
    {"code": "some", "label": "Есть затруднения"},
]
POSITIONS = [
    {"code": "teacher_librarian", "label": "Педагог-библиотекарь"},
    {"code": "librarian", "label": "Библиотекарь"},
]
ZONES = [
    {"code": "reading_room", "label": "Читальный зал"},
    {"code": "coworking", "label": "Зона коворкинга"},
]

EVERY_TYPE = {
    "title": "Паспорт школьной библиотеки",
    "description": "Все типы вопросов",
    "form_id": "library_passport",
    "version": "2024-1",
    "sections": [
        {
            "key": "general",
            "title": "Общие сведения",
            "description": "Заполняет педагог-библиотекарь",
            "condition": None,
            "questions": [
                question("intro", "note", "Данные указываются на 1 сентября"),
                question("librarian", "text", "ФИО", required=True, min=3, max=200),
                question("duties", "textarea", "Обязанности", help="Кратко", max=2000),
                question("email", "email", "Электронная почта", constraint_message="Проверьте"),
                question("phone", "phone", "Телефон"),
                question("has_internet", "yesno", "Есть Интернет", required=True),
                question(
                    "speed",
                    "decimal",
                    "Скорость, Мбит/с",
                    condition={"key": "has_internet", "op": "eq", "value": "yes"},
                    min="0.5",
                    max=1000,
                ),
                question("seats", "integer", "Посадочных мест", min=0, max=500),
                question("software", "single", "АИБС", choices=POSITIONS, display="list"),
                question("position", "single", "Должность", choices=POSITIONS, display="radio"),
                question("zones", "multiple", "Зоны", choices=ZONES, min=1, max=2),
                question("opened", "date", "Дата открытия", min="2000-01-01", max="2026-12-31"),
                question("readiness", "scale", "Готовность", min=1, max=5),
                question("scan", "file", "Скан паспорта"),
            ],
        },
        {
            "key": "details",
            "title": "Подробности",
            "description": "",
            "condition": {
                "any": [
                    {"key": "zones", "op": "contains", "value": "coworking"},
                    {"not": {"key": "seats", "op": "le", "value": 10}},
                    {
                        "all": [
                            {"key": "opened", "op": "ge", "value": "2020-01-01"},
                            {"key": "librarian", "op": "answered", "value": None},
                        ]
                    },
                ]
            },
            "questions": [
                question(
                    "difficulties",
                    "matrix",
                    "Затруднения",
                    required=True,
                    choices=LEVELS,
                    rows=[
                        {"code": "aibs", "label": "Работа с АИБС"},
                        {"code": "ict", "label": "ИКТ"},
                    ],
                ),
                question(
                    "staff",
                    "table",
                    "Работники",
                    required=True,
                    min=1,
                    max=10,
                    condition={"key": "email", "op": "empty", "value": None},
                    columns=[
                        column("full_name", "text", "ФИО", required=True, max=200),
                        column("notes", "textarea", "Примечание"),
                        column("post", "single", "Должность", choices=POSITIONS, display="list"),
                        column("rate", "decimal", "Ставка", min="0.25", max=2),
                        column("experience", "integer", "Стаж", min=0),
                        column("work_zones", "multiple", "Зоны", choices=ZONES),
                        column("courses", "yesno", "Курсы пройдены"),
                        column("course_date", "date", "Дата курсов"),
                        column("mail", "email", "Почта"),
                        column("tel", "phone", "Телефон"),
                        column("mark", "scale", "Оценка", min=0, max=10),
                    ],
                ),
                question(
                    "comment",
                    "textarea",
                    "=СУММ(A1) — формула не исполняется",
                    help="-5 °C, +7, @библиотека",
                    condition={"key": "position", "op": "ne", "value": "librarian"},
                ),
            ],
        },
    ],
}


CUR = ["cur"]
GT_0 = ["op", ">", CUR, ["num", 0]]
LT_2000 = ["op", "<", CUR, ["num", 2000]]
GE_5 = ["op", ">=", CUR, ["num", 5]]


def read(data: bytes) -> dict:
    config = current_app.config
    return read_xlsform(
        io.BytesIO(data),
        max_bytes=config["IMPORT_MAX_BYTES"],
        max_uncompressed=config["IMPORT_MAX_UNCOMPRESSED_BYTES"],
        max_ratio=config["IMPORT_MAX_COMPRESSION_RATIO"],
    )


def workbook(survey, choices=(), settings=(), survey_header=SURVEY_HEADER, choices_header=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in [survey_header, *survey]:
        sheet.append(list(row))
    if choices:
        choices_sheet = book.create_sheet("choices")
        for row in [choices_header or ["list_name", "name", "label"], *choices]:
            choices_sheet.append(list(row))
    if settings:
        settings_sheet = book.create_sheet("settings")
        for row in settings:
            settings_sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refusal(data: bytes) -> str:
    with pytest.raises(XLSFormError) as caught:
        read(data)
    return str(caught.value.message)


def pyxform_converts(data: bytes, tmp_path) -> None:
    """pyxform, the reference converter, turns our export into an XForm without an error or a
    warning."""
    path = tmp_path / "exported.xlsx"
    path.write_bytes(data)
    warnings: list[str] = []
    convert(xlsform=path, warnings=warnings)
    assert warnings == []


def test_every_question_type_survives_a_round_trip(tmp_path):
    data = write_xlsform(EVERY_TYPE)
    assert read(data) == EVERY_TYPE
    pyxform_converts(data, tmp_path)


def test_round_trip_fills_defaults_of_a_sparse_definition():
    sparse = {
        "title": "Опрос",
        "sections": [
            {
                "key": "main",
                "questions": [
                    {"key": "mark", "type": "scale", "label": "Оценка"},
                    {"key": "kind", "type": "single", "label": "Вид", "choices": POSITIONS},
                    {"key": "rate", "type": "decimal", "label": "Ставка", "min": 0.25},
                ],
            }
        ],
    }
    result = read(write_xlsform(sparse))
    mark, kind, rate = result["sections"][0]["questions"]
    assert (mark["min"], mark["max"]) == (1, 5)
    assert kind["display"] == "radio"
    assert rate["min"] == "0.25" and "max" not in rate
    assert read(write_xlsform(result)) == result


def test_written_workbook_uses_xlsform_types():
    book = openpyxl.load_workbook(io.BytesIO(write_xlsform(EVERY_TYPE)))
    types = [row[0] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert "select_one yes_no" in types
    assert types.count("select_one difficulties") == 2  # a matrix: a select_one per row
    assert "matrix" not in " ".join(filter(None, types))
    assert {"begin_group", "end_group", "begin_repeat", "end_repeat", "range"} <= set(types)
    settings = list(book["settings"].iter_rows(values_only=True))
    assert settings[0][:3] == ("form_title", "form_id", "version")
    assert settings[1][:3] == ("Паспорт школьной библиотеки", "library_passport", "2024-1")


def test_text_that_looks_like_a_formula_is_written_as_text():
    book = openpyxl.load_workbook(io.BytesIO(write_xlsform(EVERY_TYPE)))
    cells = [row[2] for row in book["survey"].iter_rows(min_row=2)]
    formula = next(cell for cell in cells if cell.value == "=СУММ(A1) — формула не исполняется")
    assert formula.data_type == "s" and formula.quotePrefix


@pytest.mark.parametrize(
    "name", ["staffing", "ibc_readiness", "local_regulations", "book_provision"]
)
def test_demo_forms_are_imported(name, tmp_path):
    definition = read((DEMO_FORMS / f"{name}.xlsx").read_bytes())
    assert definition["form_id"] and definition["title"] and definition["version"]
    assert read(write_xlsform(definition)) == definition
    pyxform_converts(write_xlsform(definition), tmp_path)


def keyed(definition: dict) -> dict:
    return {q["key"]: q for section in definition["sections"] for q in section["questions"]}


def test_staffing_demo_has_the_staff_table_and_the_difficulty_map():
    questions = keyed(read((DEMO_FORMS / "staffing.xlsx").read_bytes()))
    staff = questions["staff"]
    assert staff["type"] == "table"
    assert [c["key"] for c in staff["columns"]] == [
        "full_name",
        "position",
        "rate",
        "education",
        "experience",
        "category",
        "last_course_year",
    ]
    rate = staff["columns"][2]
    assert (rate["type"], rate["min"], rate["max"]) == ("decimal", "0.25", 2)
    assert questions["difficulties"]["type"] == "matrix"
    assert len(questions["difficulties"]["rows"]) == 6
    assert questions["difficulty_details"]["condition"] == {
        "key": "has_difficulties",
        "op": "eq",
        "value": "yes",
    }


def test_ibc_demo_reads_russian_label_columns_and_conditions():
    questions = keyed(read((DEMO_FORMS / "ibc_readiness.xlsx").read_bytes()))
    assert {"fund_total", "readers_total", "loans", "has_internet"} <= set(questions)
    assert questions["has_internet"]["type"] == "yesno"
    assert questions["internet_speed"]["condition"]["key"] == "has_internet"
    assert questions["area"]["label"] == "Общая площадь библиотеки, м²"
    assert questions["readiness"]["type"] == "scale"
    assert questions["library_software"]["display"] == "list"


def test_local_regulations_demo_asks_a_date_for_each_document_present():
    questions = keyed(read((DEMO_FORMS / "local_regulations.xlsx").read_bytes()))
    dates = [q for q in questions.values() if q["type"] == "date"]
    assert len(dates) == 7
    assert all(q["condition"]["key"] == "has_" + q["key"][: -len("_date")] for q in dates)
    assert questions["documents_scan"]["type"] == "file"


def names_row(message: str, number: int) -> bool:
    """The refusal names the row, in English or in the Russian catalogue."""
    return re.search(rf"(row|строка) {number}\b", message) is not None


def test_a_relevant_outside_the_language_is_refused_naming_its_row_and_function():
    data = workbook(
        [
            ["text", "school", "Школа"],
            ["text", "why", "Почему", "", "", "pulldata('f', 'x', 'y', ${school}) > 1"],
        ]
    )
    message = refusal(data)
    assert names_row(message, 3)
    assert "pulldata()" in message


def test_a_relevant_the_builder_cannot_show_is_kept_as_an_expression():
    data = workbook(
        [
            ["select_multiple zones", "zones", "Зоны"],
            ["text", "why", "Почему", "", "", "count-selected(${zones}) > 1"],
        ],
        choices=[["zones", "reading", "Читальный зал"], ["zones", "lending", "Абонемент"]],
    )
    why = read(data)["sections"][0]["questions"][1]
    assert why["condition"] == {
        "expr": ["op", ">", ["call", "count-selected", [["ref", "zones"]]], ["num", 1]]
    }
    assert read(write_xlsform(read(data))) == read(data)


def test_unknown_type_is_refused_with_its_row():
    data = workbook(
        [["integer", "seats", "Мест"], ["note", "hello", "Привет"], ["geopoint", "x", "Где"]]
    )
    message = refusal(data)
    assert names_row(message, 4) and "geopoint" in message


def test_groups_inside_groups_become_sections_one_after_another():
    data = workbook(
        [
            ["integer", "books", "Книг"],
            ["begin_group", "outer", "Внешняя", "", "", "${books} > 0"],
            ["text", "first", "Первый"],
            ["begin group", "inner", "Внутренняя", "", "", "${first} = 'x'"],
            ["text", "name", "Имя"],
            ["begin group", "deep", "Глубже", "", "", "string-length(${name}) > 2"],
            ["text", "deepest", "Ещё"],
            ["end group"],
            ["end group"],
            ["text", "last", "Последний"],
            ["end_group"],
        ]
    )
    definition = read(data)
    sections = {s["key"]: s for s in definition["sections"]}
    assert list(sections) == ["main", "outer", "inner", "deep", "outer_2"]
    books, first = (
        {"key": "books", "op": "gt", "value": 0},
        {"key": "first", "op": "eq", "value": "x"},
    )
    assert sections["inner"]["condition"] == {"all": [books, first]}
    assert sections["deep"]["condition"]["expr"][:2] == ["op", "and"]
    assert sections["outer_2"]["title"] == "Внешняя"
    assert sections["outer_2"]["condition"] == books
    assert [q["key"] for q in sections["outer_2"]["questions"]] == ["last"]
    assert read(write_xlsform(definition)) == definition


@pytest.mark.parametrize(
    ("rows", "row"),
    [
        ([["integer", "seats", "Мест", "", "", "", ". > 0 or"]], 2),
        ([["text", "a", "А"], ["text", "b", "Б", "", "maybe"]], 3),
        ([["select_one missing", "kind", "Вид"]], 2),
        ([["text", "bad-name", "Имя"]], 2),
        ([["begin_repeat", "staff", "Работники"], ["note", "n", "Заметка"], ["end_repeat"]], 3),
        ([["begin_repeat", "staff", "Работники"], ["text", "n", "Имя"]], 2),
        ([["end_group"]], 2),
        ([["range", "mark", "Оценка", "", "", "", ""]], None),
        ([["text", "why", "Почему", "", "", "", "regex(., '(?=x)')"]], 2),
        ([["integer", "n", "N", "", "", "", "jr:itext('x')"]], 2),
    ],
)
def test_malformed_rows_are_refused_with_their_row(rows, row):
    data = workbook(rows)
    if row is None:
        read(data)  # a range without parameters is XLSForm's 1..10
        return
    assert names_row(refusal(data), row)


@pytest.mark.parametrize(
    ("kind", "constraint", "expected"),
    [
        (
            "integer",
            ". > 0 or . < 5",
            {"constraint": ["op", "or", GT_0, ["op", "<", CUR, ["num", 5]]]},
        ),
        ("decimal", ". > 0 and . < 2000", {"constraint": ["op", "and", GT_0, LT_2000]}),
        ("decimal", ". >= 0.5 and . < 2000", {"min": "0.5", "constraint": LT_2000}),
        ("integer", ". > 0 and . < 2000", {"min": 1, "max": 1999}),
        ("integer", ". >= 0 and . >= 5", {"min": 0, "constraint": [*GE_5]}),
        ("text", "regex(., '^[А-Я]')", {"constraint": ["call", "regex", [CUR, ["str", "^[А-Я]"]]]}),
        ("yesno", ". = 'yes'", {"constraint": ["op", "=", CUR, ["str", "yes"]]}),
    ],
)
def test_a_constraint_gives_bounds_and_keeps_the_rest_as_an_expression(kind, constraint, expected):
    data = workbook([[kind, "q", "Вопрос", "", "", "", constraint]])
    if kind == "yesno":
        data = workbook(
            [["select_one yn", "q", "Вопрос", "", "", "", constraint]],
            choices=[["yn", "yes", "Да"], ["yn", "no", "Нет"]],
        )
    question = read(data)["sections"][0]["questions"][0]
    kept = {name: question[name] for name in ("min", "max", "constraint") if name in question}
    assert kept == expected
    assert read(write_xlsform(read(data))) == read(data)


def test_questions_outside_groups_go_to_the_default_section():
    data = workbook(
        [
            ["text", "school", "Школа", "", "yes"],
            ["begin_group", "fund", "Фонд", "", "", "${school} != ''"],
            ["integer", "fund_total", "Всего", "", "true", "", ". >= 0 and . <= 100000"],
            ["end_group"],
            ["text", "comment", "Комментарий"],
        ]
    )
    definition = read(data)
    assert [s["key"] for s in definition["sections"]] == ["main", "fund", "main_2"]
    fund = definition["sections"][1]
    assert fund["condition"] == {"key": "school", "op": "answered", "value": None}
    total = fund["questions"][0]
    assert (total["required"], total["min"], total["max"]) == (True, 0, 100000)


def test_translated_columns_are_read_and_list_name_may_have_a_space():
    header = ["type", "name", "Label::Русский (ru)", "label::English (en)", "hint:English"]
    data = workbook(
        [["select_one kinds", "kind", "Вид", "", "Pick one"]],
        choices=[["kinds", "a", "Первый", ""], ["kinds", "b", "Второй", ""]],
        settings=[["form_title", "form_id"], ["Форма", "form"]],
        survey_header=header,
        choices_header=["list name", "name", "label::Русский (ru)", "label:english"],
    )
    kind = read(data)["sections"][0]["questions"][0]
    assert kind["label"] == "Вид" and kind["translations"] == {"english": {"help": "Pick one"}}
    assert kind["choices"] == [{"code": "a", "label": "Первый"}, {"code": "b", "label": "Второй"}]


def test_a_second_language_with_text_is_read_as_a_translation_not_dropped():
    header = ["type", "name", "label::English (en)", "label::Русский (ru)"]
    data = workbook([["text", "kind", "Kind", "Вид"]], survey_header=header)
    kind = read(data)["sections"][0]["questions"][0]
    assert kind["label"] == "Kind" and kind["translations"] == {"ru": {"label": "Вид"}}


def test_select_one_of_yes_and_no_is_a_yes_no_question():
    data = workbook(
        [["select_one yn", "ok", "Всё в порядке?"]],
        choices=[["yn", "no", "Нет"], ["yn", "yes", "Да"]],
    )
    assert read(data)["sections"][0]["questions"][0]["type"] == "yesno"


def test_selected_on_a_single_choice_means_equality():
    data = workbook(
        [
            ["select_one software", "software", "АИБС"],
            ["text", "other", "Какая?", "", "", "selected(${software}, 'other')"],
        ],
        choices=[["software", "irbis", "ИРБИС"], ["software", "other", "Другая"]],
    )
    other = read(data)["sections"][0]["questions"][1]
    assert other["condition"] == {"key": "software", "op": "eq", "value": "other"}


def test_strict_whole_number_and_date_bounds_become_inclusive():
    data = workbook(
        [
            ["integer", "seats", "Мест", "", "", "", ". > 0 and . < 100"],
            ["date", "opened", "Открыта", "", "", "", ". > date('2023-12-31')"],
        ]
    )
    seats, opened = read(data)["sections"][0]["questions"]
    assert (seats["min"], seats["max"]) == (1, 99)
    assert opened["min"] == "2024-01-01"


def test_metadata_rows_are_skipped():
    data = workbook([["start", "start"], ["today", "today"], ["text", "name", "Имя"]])
    assert [q["key"] for q in read(data)["sections"][0]["questions"]] == ["name"]


def test_workbook_without_survey_sheet_is_refused():
    book = openpyxl.Workbook()
    book.active.title = "Лист1"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(XLSFormError):
        read(buffer.getvalue())


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(SpreadsheetError):
        read(b"type,name,label\ntext,name,Name\n")


def test_definition_rules_still_apply_and_name_the_row():
    data = workbook([["text", "name", "Имя"], ["text", "name", "Ещё раз"]])
    message = refusal(data)
    assert names_row(message, 3) and "name" in message


def test_a_condition_on_a_later_question_is_refused_with_its_row():
    data = workbook([["text", "a", "А", "", "", "${later} = 'x'"], ["text", "later", "Б"]])
    message = refusal(data)
    assert names_row(message, 2) and ("later" in message or "позже" in message)
