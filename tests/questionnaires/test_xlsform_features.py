"""XLSForm features of issue 10 on import and export: every key of the definition survives
export → pyxform → import, and what cannot be represented is refused by row and column."""

from datetime import date

import pytest
from pyxform.utils import default_is_dynamic

from app.questionnaires.xlsform_expressions import looks_dynamic
from app.questionnaires.xlsform_writer import write_xlsform
from tests.questionnaires.test_xlsform import (
    column,
    names_row,
    pyxform_converts,
    question,
    read,
    refusal,
    workbook,
)

CUR = ["cur"]
SCHOOLS = [
    {"code": "s1", "label": "Майинская СОШ", "extra": {"district": "d1"}},
    {"code": "s2", "label": "Намская гимназия", "extra": {"district": "d2"}},
]
DISTRICTS = [{"code": "d1", "label": "Мегино-Кангаласский"}, {"code": "d2", "label": "Намский"}]
LEVELS = [{"code": "none", "label": "Нет"}, {"code": "some", "label": "Есть"}]
FUND = ["ref", "fund"]

RICH = {
    "title": "Паспорт библиотеки",
    "description": "",
    "form_id": "passport",
    "version": "2026-1",
    "sections": [
        {
            "key": "general",
            "title": "Общие сведения",
            "description": "",
            "condition": None,
            "questions": [
                question("filled", "date", "Дата", default=["call", "today", []], read_only=True),
                question(
                    "district", "single", "Улус", choices=DISTRICTS, display="list", other=True
                ),
                question(
                    "school",
                    "single",
                    "Школа",
                    choices=SCHOOLS,
                    display="radio",
                    choice_filter=["op", "=", ["name", "district"], ["ref", "district"]],
                ),
                question("fund", "integer", "Фонд", required=True, min=0, default=["num", 0]),
                question("team", "textarea", "Авторы работы", authors=True),
                question(
                    "area",
                    "decimal",
                    "Площадь",
                    constraint=[
                        "op",
                        "and",
                        ["op", ">", CUR, ["num", 0]],
                        ["op", "<", CUR, ["num", 2000]],
                    ],
                    constraint_message="Больше 0 и меньше 2000",
                ),
                question(
                    "rate",
                    "decimal",
                    "Ставка",
                    min="0.25",
                    constraint=["op", "!=", CUR, ["num", 1.5]],
                    default=["num", 1.25],
                ),
                question(
                    "pupils",
                    "integer",
                    "Учащихся",
                    required={"key": "fund", "op": "gt", "value": 0},
                ),
                question(
                    "per_pupil",
                    "calculate",
                    "",
                    calculation=["op", "div", FUND, ["ref", "pupils"]],
                ),
                question("summary", "note", "На ученика: ${per_pupil}"),
                question(
                    "mail",
                    "email",
                    "Почта",
                    required={
                        "expr": ["op", ">", ["op", "+", FUND, ["ref", "pupils"]], ["num", 1000]]
                    },
                ),
                question("tel", "phone", "Телефон"),
                question("city", "text", "Город", default=["str", "Майя"], max=100),
            ],
        },
        {
            "key": "staff_section",
            "title": "Кадры",
            "description": "",
            "condition": {
                "expr": ["op", ">", ["call", "string-length", [["ref", "city"]]], ["num", 2]]
            },
            "questions": [
                question("teachers", "integer", "Педагогов", min=0, max=20),
                question(
                    "staff",
                    "table",
                    "Педагоги",
                    repeat_count=["ref", "teachers"],
                    columns=[
                        column("full_name", "text", "ФИО", required=True),
                        column(
                            "hours", "integer", "Часов", constraint=["op", "!=", CUR, ["num", 13]]
                        ),
                        column(
                            "share",
                            "calculate",
                            "",
                            calculation=["op", "div", ["ref", "hours"], ["num", 40]],
                        ),
                    ],
                ),
                question(
                    "rooms",
                    "table",
                    "Помещения",
                    min=2,
                    max=2,
                    columns=[column("room", "text", "Помещение")],
                ),
                question(
                    "difficulties",
                    "matrix",
                    "Затруднения",
                    help="По каждой строке",
                    required=True,
                    constraint_message="Ответьте по каждой строке",
                    condition={"key": "teachers", "op": "gt", "value": 0},
                    choices=LEVELS,
                    rows=[{"code": "aibs", "label": "АИБС"}, {"code": "ict", "label": "ИКТ"}],
                ),
            ],
        },
    ],
}


def test_every_new_key_survives_export_pyxform_and_import(tmp_path):
    data = write_xlsform(RICH)
    pyxform_converts(data, tmp_path)
    assert read(data) == read(write_xlsform(read(data)))
    assert read(data) == read(write_xlsform(RICH))
    imported = {q["key"]: q for s in read(data)["sections"] for q in s["questions"]}
    for key, original in ((q["key"], q) for s in RICH["sections"] for q in s["questions"]):
        assert {name: imported[key].get(name) for name in original} == original


def test_email_and_phone_are_text_with_an_appearance_pyxform_accepts(tmp_path):
    import io

    import openpyxl

    data = write_xlsform(RICH)
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["survey"].iter_rows(values_only=True))
    header = rows[0]
    written = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert (written["mail"]["type"], written["mail"]["appearance"]) == ("text", "email")
    assert (written["tel"]["type"], written["tel"]["appearance"]) == ("text", "phone")
    assert written["difficulties"]["appearance"] == "table-list"
    assert written["difficulties_aibs"]["type"].startswith("select_one ")


def test_or_other_imports_as_other_and_its_export_converts(tmp_path):
    data = workbook(
        [
            ["select_one kinds or_other", "kind", "Вид"],
            ["select all that apply kinds or specify other", "many", "Виды"],
        ],
        choices=[["kinds", "school", "Школьная"], ["kinds", "city", "Городская"]],
    )
    kind, many = read(data)["sections"][0]["questions"]
    assert (kind["type"], kind["other"], many["type"], many["other"]) == (
        "single",
        True,
        "multiple",
        True,
    )
    assert [choice["code"] for choice in kind["choices"]] == ["school", "city"]
    pyxform_converts(write_xlsform(read(data)), tmp_path)


@pytest.mark.parametrize(
    ("rows", "choices", "row", "column"),
    [
        ([["select_one kinds or_other", "kind", "Вид"]], [["kinds", "other", "Другое"]], 2, "type"),
        (
            [["select_one kinds or_other", "kind", "Вид", "", "", "", "", "name = 'a'"]],
            [["kinds", "a", "А"]],
            2,
            "type",
        ),
        ([["integer", "n", "N", "", "", "", "", "", "${n} * 2"]], (), 2, "calculation"),
        ([["integer", "n", "N", "", "", "", "", "", "", "пять"]], (), 2, "default"),
        ([["date", "d", "Дата", "", "", "", "", "", "", "вчера"]], (), 2, "default"),
        ([["text", "t", "Т", "", "", "", "", "", "", "", "maybe"]], (), 2, "read_only"),
        ([["text", "t", "Т", "", "", "", "", "name = 'x'"]], (), 2, "choice_filter"),
        (
            [
                ["text", "t", "Т"],
                ["begin_repeat", "r", "Р", "", "", "", "", "", "", "", "", "${t} +"],
                ["text", "c", "С"],
                ["end_repeat"],
            ],
            (),
            3,
            "repeat_count",
        ),
        ([["integer", "n", "N", "", "", "", "", "", "once(${n})"]], (), 2, "calculation"),
        ([["select_one_from_file a.csv", "s", "Школа"]], (), 2, "type"),
        (
            [["date", "d", "Месяц", "", "", "", "", "", "", "", "", "", "month-year"]],
            (),
            2,
            "appearance",
        ),
        (
            [
                ["begin_repeat", "r", "Р", "", "", "", "", "", "", "3"],
                ["text", "c", "С"],
                ["end_repeat"],
            ],
            (),
            2,
            "default",
        ),
        (
            [["begin_group", "g", "Г", "", "yes"], ["text", "c", "С"], ["end_group"]],
            (),
            2,
            "required",
        ),
    ],
)
def test_what_cannot_be_represented_is_refused_by_row_and_column(rows, choices, row, column):
    header = ["type", "name", "label", "hint", "required", "relevant", "constraint"]
    header += ["choice_filter", "calculation", "default", "read_only", "repeat_count"]
    header += ["appearance", "parameters"]
    data = workbook(rows, choices=choices, survey_header=header)
    message = refusal(data)
    assert names_row(message, row)
    assert f" {column}:" in message


def test_static_defaults_are_literals_of_their_type_and_expressions_stay_trees():
    header = ["type", "name", "label", "default"]
    data = workbook(
        [
            ["integer", "n", "N", "-5"],
            ["decimal", "x", "X", "0.5"],
            ["date", "d", "Дата", date(2026, 9, 1)],
            ["date", "t", "Сегодня", "today()"],
            ["text", "s", "Текст", "Иванов-Петров"],
            ["integer", "sum", "Сумма", "${n} + 1"],
        ],
        survey_header=header,
    )
    defaults = [q["default"] for q in read(data)["sections"][0]["questions"]]
    assert defaults == [
        ["neg", ["num", 5]],
        ["num", 0.5],
        ["str", "2026-09-01"],
        ["call", "today", []],
        ["str", "Иванов-Петров"],
        ["op", "+", ["ref", "n"], ["num", 1]],
    ]


@pytest.mark.parametrize(
    "text",
    [
        "5",
        "-5",
        "2.5",
        "2024-09-01",
        "today()",
        "${a}",
        "a + b",
        "a - b",
        "Иванов-Петров",
        "Школа № 1",
        "x(y)",
        "1 div 2",
        "a|b",
        "x[1]",
        "'quoted - text'",
        "concat('a', 'b')",
        "-x",
        "2 * 3",
        "Майя",
        "mod",
        "a mod b",
    ],
)
@pytest.mark.parametrize("kind", ["text", "date", "integer"])
def test_a_default_is_an_expression_exactly_when_pyxform_takes_it_for_one(text, kind):
    assert looks_dynamic(text, kind) == default_is_dynamic(text, kind)


def test_a_yes_no_list_with_labels_of_its_own_stays_a_single_choice():
    data = workbook(
        [["select_one yn", "ok", "Библиотека есть?"]],
        choices=[["yn", "yes", "Имеется"], ["yn", "no", "Отсутствует"]],
    )
    ok = read(data)["sections"][0]["questions"][0]
    assert ok["type"] == "single"
    assert [c["label"] for c in ok["choices"]] == ["Имеется", "Отсутствует"]


def test_a_table_list_group_that_is_no_matrix_is_read_as_a_section():
    header = ["type", "name", "label", "appearance"]
    data = workbook(
        [
            ["begin_group", "grid", "Сетка", "table-list"],
            ["select_one levels", "a", "А"],
            ["text", "b", "Б"],
            ["end_group"],
        ],
        choices=[["levels", "none", "Нет"], ["levels", "some", "Есть"]],
        survey_header=header,
    )
    (section,) = read(data)["sections"]
    assert section["key"] == "grid"
    assert [(q["key"], q["type"]) for q in section["questions"]] == [("a", "single"), ("b", "text")]


def test_a_namespaced_column_with_a_language_is_read():
    header = ["type", "name", "label", "constraint", "jr:constraintMsg::Русский (ru)"]
    data = workbook([["integer", "n", "N", ". >= 0", "Не меньше нуля"]], survey_header=header)
    question = read(data)["sections"][0]["questions"][0]
    assert question["translations"] == {"ru": {"constraint_message": "Не меньше нуля"}}


def test_a_group_inside_a_repeat_adds_its_questions_as_columns(tmp_path):
    data = workbook(
        [
            ["begin_repeat", "staff", "Педагоги"],
            ["text", "full_name", "ФИО"],
            ["begin_group", "course", "Курсы"],
            ["date", "course_date", "Дата курсов"],
            ["calculate", "years", "", "", "", "", "", "", "2026 - 2020"],
            ["end_group"],
            ["end_repeat"],
        ],
        survey_header=[
            "type",
            "name",
            "label",
            "hint",
            "required",
            "relevant",
            "constraint",
            "choice_filter",
            "calculation",
        ],
    )
    staff = read(data)["sections"][0]["questions"][0]
    assert [(c["key"], c["type"]) for c in staff["columns"]] == [
        ("full_name", "text"),
        ("course_date", "date"),
        ("years", "calculate"),
    ]
    pyxform_converts(write_xlsform(read(data)), tmp_path)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        ("4", {"min": 4, "max": 4}),
        ("${teachers} + 1", {"repeat_count": ["op", "+", ["ref", "teachers"], ["num", 1]]}),
    ],
)
def test_repeat_count_is_a_fixed_number_of_rows_or_an_expression(count, expected):
    data = workbook(
        [
            ["integer", "teachers", "Педагогов"],
            ["begin_repeat", "staff", "Педагоги", count],
            ["text", "c", "ФИО"],
            ["end_repeat"],
        ],
        survey_header=["type", "name", "label", "repeat_count"],
    )
    staff = read(data)["sections"][0]["questions"][1]
    assert {name: staff[name] for name in expected} == expected
    assert "repeat_count" in staff or "repeat_count" not in expected


def test_a_definition_rule_on_an_expression_names_the_row_it_came_from():
    header = ["type", "name", "label", "calculation"]
    data = workbook(
        [
            ["integer", "a", "А", ""],
            ["calculate", "twice", "", "${later} * 2"],
            ["integer", "later", "Б", ""],
        ],
        survey_header=header,
    )
    message = refusal(data)
    assert names_row(message, 3) and "later" in message
