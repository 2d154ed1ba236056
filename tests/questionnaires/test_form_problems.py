"""The check before publishing: each problem named and pointing at its question or section."""

import pytest

from app.questionnaires.definition_check import check_definition
from app.questionnaires.expressions import parse
from app.questionnaires.form_problems import form_problems


def _q(key, kind="integer", **settings):
    return {
        "key": key,
        "type": kind,
        "label": key.title(),
        "help": "",
        "required": False,
        "condition": None,
        **settings,
    }


def _form(*questions, more_sections=()):
    first = {"key": "main", "title": "Фонд", "condition": None, "questions": list(questions)}
    return {"title": "Форма", "sections": [first, *more_sections]}


ZONES = _q(
    "zones", "single", choices=[{"code": "a", "label": "Зал"}, {"code": "b", "label": "Медиатека"}]
)


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def _found(definition):
    return [(problem.anchor, problem.message) for problem in form_problems(definition)]


def test_a_clean_form_has_no_problems():
    definition = _form(
        ZONES, _q("hall", required=True, condition={"key": "zones", "op": "eq", "value": "a"})
    )
    check_definition(definition)
    assert _found(definition) == []


def test_condition_on_a_later_question_is_named():
    definition = _form(
        _q("speed", condition={"expr": parse("${internet} = 'yes'")}), _q("internet", "yesno")
    )
    assert _found(definition) == [
        (
            "question-speed",
            "«Показывать вопрос, если» ссылается на ${internet}, а этот вопрос идёт не раньше.",
        )
    ]


def test_calculation_that_reads_itself_is_named():
    definition = _form(_q("total", "calculate", calculation=parse("${total} + 1")))
    assert _found(definition) == [("question-total", "«Формула» ссылается на сам этот вопрос.")]


def test_duplicate_option_labels_ignore_case_and_spaces():
    zones = _q(
        "zones",
        "multiple",
        choices=[
            {"code": "a", "label": "Зал"},
            {"code": "b", "label": "зал "},
            {"code": "c", "label": "Холл"},
        ],
    )
    definition = _form(zones)
    check_definition(definition)
    assert _found(definition) == [("question-zones", "Вариант «Зал» в списке больше одного раза.")]


def test_duplicate_labels_in_a_table_column():
    staff = _q(
        "staff",
        "table",
        columns=[
            {
                "key": "role",
                "type": "single",
                "label": "Должность",
                "required": False,
                "choices": [{"code": "1", "label": "Педагог"}, {"code": "2", "label": "Педагог"}],
            }
        ],
    )
    assert _found(_form(staff)) == [
        ("question-staff", "Столбец «Должность»: вариант «Педагог» в списке больше одного раза.")
    ]


@pytest.mark.parametrize(
    "condition",
    [
        {"expr": parse("${zones} = 'z'")},
        {"expr": parse("selected(${zones}, 'z') and ${zones} != 'a'")},
        {"key": "zones", "op": "in", "value": ["x", "y"]},
        {"key": "books", "op": "gt", "value": 100},
        {
            "any": [
                {"key": "books", "op": "lt", "value": 0},
                {"key": "books", "op": "eq", "value": 500},
            ]
        },
    ],
)
def test_required_question_behind_a_condition_that_never_holds(condition):
    definition = _form(
        ZONES, _q("books", min=0, max=100), _q("hall", required=True, condition=condition)
    )
    assert _found(definition) == [
        (
            "question-hall",
            "Вопрос обязателен, но его условие никогда не выполняется: он не будет показан.",
        )
    ]


@pytest.mark.parametrize(
    "condition",
    [
        {"expr": parse("${zones} = 'b'")},
        {"key": "books", "op": "ge", "value": 100},
        {
            "any": [
                {"key": "books", "op": "lt", "value": 0},
                {"key": "books", "op": "eq", "value": 5},
            ]
        },
    ],
)
def test_a_condition_that_can_hold_is_not_a_problem(condition):
    definition = _form(
        ZONES, _q("books", min=0, max=100), _q("hall", required=True, condition=condition)
    )
    assert _found(definition) == []


def test_an_optional_question_behind_a_never_true_condition_is_left_alone():
    definition = _form(ZONES, _q("hall", condition={"expr": parse("${zones} = 'z'")}))
    assert _found(definition) == []


def test_required_question_in_a_section_that_is_never_shown():
    hidden = {
        "key": "extra",
        "title": "",
        "condition": {"expr": parse("${zones} = 'z'")},
        "questions": [_q("hall", required=True)],
    }
    found = _found(_form(ZONES, more_sections=[hidden]))
    assert found == [
        (
            "question-hall",
            "Вопрос обязателен, но его условие никогда не выполняется: он не будет показан.",
        )
    ]


def test_section_without_questions_is_named_by_its_shown_name():
    empty = {"key": "razdel_2", "title": "", "condition": None, "questions": []}
    problems = form_problems(_form(ZONES, more_sections=[empty]))
    assert [(p.anchor, p.name, p.message) for p in problems] == [
        ("section-razdel_2", "Раздел 2", "В разделе нет вопросов.")
    ]
