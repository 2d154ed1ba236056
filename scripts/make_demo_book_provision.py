# Usage: .venv/bin/python scripts/make_demo_book_provision.py app/demo/forms/book_provision.xlsx
"""Builds app/demo/forms/book_provision.xlsx: a two-language XLSForm as a methodologist writes it
in KoboToolbox — calculation, strict bounds with messages, a default, read-only, a note with a
reference, an expression relevant and «Другое» written as pyxform recommends for a
translated form (an option and a text question shown when it is chosen)."""

import sys

from openpyxl import Workbook

RU, SAH = "Русский (ru)", "Саха тыла (sah)"
SURVEY = [
    "type",
    "name",
    f"label::{RU}",
    f"label::{SAH}",
    f"hint::{RU}",
    f"hint::{SAH}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{RU}",
    f"constraint_message::{SAH}",
    "calculation",
    "default",
    "read_only",
]
ROWS = [
    ["begin_group", "fund", "Фонд учебников", "Үөрэнии кинигэлэрин пуонда"],
    [
        "date",
        "filled_on",
        "Дата заполнения",
        "Толоруллубут күнэ",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "today()",
        "yes",
    ],
    [
        "integer",
        "pupils",
        "Число обучающихся",
        "Үөрэнээччи ахсаана",
        "На 1 сентября текущего учебного года",
        "Бу үөрэх сылын балаҕан ыйын 1 күнүгэр",
        "yes",
        "",
        ". > 0 and . < 3000",
        "Число обучающихся — от 1 до 2 999",
        "Үөрэнээччи ахсаана 1-тэн 2 999-ка диэри буолуохтаах",
    ],
    [
        "integer",
        "fund_textbooks",
        "Фонд учебников, экз.",
        "Үөрэнии кинигэлэрин пуонда, экз.",
        "",
        "",
        "yes",
        "",
        ". >= 0",
        "Число экземпляров не может быть отрицательным",
        "Кинигэ ахсаана минус буолар кыаҕа суох",
    ],
    [
        "calculate",
        "provision",
        "Книгообеспеченность, учебников на одного обучающегося",
        "Кинигэнэн хааччыллыы, биир үөрэнээччигэ кинигэ",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "round(${fund_textbooks} div ${pupils}, 1)",
    ],
    [
        "note",
        "provision_note",
        "Книгообеспеченность: ${provision} учебника на одного обучающегося",
        "Кинигэнэн хааччыллыы: биир үөрэнээччигэ ${provision} кинигэ",
    ],
    [
        "select_multiple subjects",
        "missing",
        "Каких учебников не хватает",
        "Ханнык үөрэнии кинигэлэрэ тиийбэттэр",
        "Отметьте все предметы",
        "Бары предметтэри бэлиэтээҥ",
        "",
        "${fund_textbooks} div ${pupils} < 12",
    ],
    [
        "text",
        "missing_other",
        "Каких ещё",
        "Ханнык атыттар",
        "",
        "",
        "yes",
        "selected(${missing}, 'other')",
    ],
    ["end_group"],
    ["begin_group", "staff", "Библиотекарь", "Бибилиэтиэкэр"],
    ["text", "librarian_name", "ФИО библиотекаря", "Бибилиэтиэкэр аата-суола", "", "", "yes"],
    [
        "decimal",
        "rate",
        "Ставка",
        "Ставка кээмэйэ",
        "Например, 0,5",
        "Холобур, 0,5",
        "yes",
        "",
        ". > 0 and . <= 1.5",
        "Ставка — больше 0 и не больше 1,5",
        "Ставка 0-тан үрдүк, 1,5-тан элбэҕэ суох буолуохтаах",
    ],
    ["select_one education", "education", "Образование", "Үөрэҕэ", "", "", "yes"],
    ["end_group"],
]
CHOICES = [
    ["subjects", "math", "Математика", "Математика"],
    ["subjects", "russian", "Русский язык", "Нуучча тыла"],
    ["subjects", "yakut", "Якутский язык", "Саха тыла"],
    ["subjects", "history", "История", "Историята"],
    ["subjects", "other", "Другое", "Атын"],
    ["education", "higher_library", "Высшее библиотечное", "Үрдүк бибилиэтиэкэ үөрэҕэ"],
    ["education", "higher_other", "Высшее небиблиотечное", "Атын үрдүк үөрэх"],
    ["education", "vocational", "Среднее профессиональное", "Орто идэлээх үөрэх"],
]

book = Workbook()
survey = book.active
survey.title = "survey"
survey.append(SURVEY)
for row in ROWS:
    survey.append(row)
choices = book.create_sheet("choices")
choices.append(["list_name", "name", f"label::{RU}", f"label::{SAH}"])
for row in CHOICES:
    choices.append(row)
settings = book.create_sheet("settings")
settings.append(["form_title", "form_id", "version", "default_language", "style"])
settings.append(["Книгообеспеченность учебниками", "book_provision", "2024-1", RU, "pages"])
book.save(sys.argv[1])
