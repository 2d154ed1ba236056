"""The справка carries what the report page carries: a table's rows broken down by each choice
column, and a section without a title under the one name the builder and the page give it."""

import io
import re

import openpyxl
import pytest

from app.accounts.models import Role
from app.campaigns import responses
from app.extensions import db
from app.reports.aggregates import ReportFilter
from app.reports.exports.summary import write_summary
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_campaign, make_form, response_of
from tests.reports.test_docx_report import _document, _headings, _tables

POSITIONS = [
    {"code": "librarian", "label": "Педагог-библиотекарь"},
    {"code": "head", "label": "Заведующий библиотекой"},
    {"code": "other", "label": "Другое"},
]
DEFINITION = {
    "title": "Кадры библиотек",
    "description": "",
    "form_id": "library-staff",
    "version": "1",
    "sections": [
        {
            "key": "staffing",
            "title": "Кадры",
            "description": "",
            "condition": None,
            "questions": [
                {
                    "key": "staff",
                    "type": "table",
                    "label": "Сотрудники",
                    "help": "",
                    "required": False,
                    "condition": None,
                    "columns": [
                        {"key": "full_name", "type": "text", "label": "ФИО", "required": True},
                        {
                            "key": "position",
                            "type": "single",
                            "label": "Должность",
                            "required": False,
                            "choices": POSITIONS,
                        },
                    ],
                }
            ],
        },
        {
            "key": "untitled",
            "title": "",
            "description": "",
            "condition": None,
            "questions": [
                {
                    "key": "readers",
                    "type": "integer",
                    "label": "Число читателей",
                    "help": "",
                    "required": False,
                    "condition": None,
                }
            ],
        },
    ],
}
ANSWERS = {
    "school_a1": {
        "staff": [
            {"full_name": "Иванова", "position": "librarian"},
            {"full_name": "Петрова", "position": "head"},
        ],
        "readers": "300",
    },
    "school_a2": {"staff": [{"full_name": "Сидорова", "position": "librarian"}], "readers": "90"},
}


@pytest.fixture
def staffed(world):
    form = make_form(world.admin_a, DEFINITION)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    for name, answers in ANSWERS.items():
        school = getattr(world, name)
        user = make_user(Role.SCHOOL, school)
        response = response_of(campaign, school)
        responses.save_draft(user, response, answers, 0)
        responses.submit(user, response, response.revision)
    db.session.commit()
    return campaign


def test_spravka_breaks_the_staff_down_by_position_as_the_page_does(client, world, staffed):
    tables = _tables(_document(world, staffed))
    assert tables["Сотрудники: должность"] == [
        ["Вариант ответа", "Строк", "% строк"],
        ["Педагог-библиотекарь", "2", "66,7 %"],
        ["Заведующий библиотекой", "1", "33,3 %"],
        ["Другое", "0", "0,0 %"],
    ]
    login(client, world.admin_a)
    page = client.get(f"/reports/campaigns/{staffed.id}").get_data(as_text=True)
    assert "Педагог-библиотекарь: 2; Заведующий библиотекой: 1; Другое: 0" in page


def test_a_section_without_a_title_has_one_name_everywhere(client, world, staffed):
    assert "Раздел 2" in _headings(_document(world, staffed))
    buffer = io.BytesIO()
    write_summary(world.admin_a, staffed, ReportFilter(), buffer)
    block = openpyxl.load_workbook(buffer)["2. Раздел 2"]
    assert "Раздел 2" in [row[0] for row in block.iter_rows(values_only=True)]
    login(client, world.admin_a)
    page = client.get(f"/reports/campaigns/{staffed.id}").get_data(as_text=True)
    assert '<h2 class="h5 border-bottom pb-1">Раздел 2</h2>' in page
    form_id = staffed.form_version.form_id
    builder = client.get(f"/forms/{form_id}").get_data(as_text=True)
    assert re.search(r'<a class="fw-semibold builder-open" href="[^"]+">Раздел 2</a>', builder)


def test_a_table_caption_stays_with_its_table(world, staffed):
    document = _document(world, staffed)
    captions = [p for p in document.paragraphs if p.text.startswith("Таблица ")]
    assert captions and all(p.paragraph_format.keep_with_next for p in captions)
