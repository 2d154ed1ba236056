"""The XLSForm features of a definition (format.md): what check_definition accepts and refuses,
and the JSON round trip that keeps them."""

import json

import pytest

from app.extensions import db
from app.questionnaires import services as questionnaires
from app.questionnaires.definition import version_definition
from app.questionnaires.definition_check import DefinitionError, check_definition
from app.questionnaires.expressions import parse
from app.questionnaires.jsonio import read_json, write_json
from app.questionnaires.spec import STYLE_LENGTH
from app.questionnaires.xlsform_writer import write_xlsform
from tests.questionnaires.test_xlsform import read

CHOICES = [
    {"code": "nyurba", "label": "Нюрба", "extra": {"district": "north"}},
    {"code": "suntar", "label": "Сунтар", "extra": {"district": "west"}},
]


def form(*questions, sections=None):
    return {
        "title": "Фонд",
        "description": "",
        "form_id": "fund",
        "version": "1",
        "sections": sections
        or [{"key": "main", "title": "", "description": "", "condition": None,
             "questions": list(questions)}],
    }  # fmt: skip


def question(key, kind="integer", **fields):
    return {"key": key, "type": kind, "label": key, "help": "", "required": False,
            "condition": None, **fields}  # fmt: skip


def refusal(definition) -> DefinitionError:
    with pytest.raises(DefinitionError) as error:
        check_definition(definition)
    return error.value


FULL = form(
    question("fund"),
    question("pupils", constraint=parse(". > 0 and . < 2000"),
             constraint_message="От 1 до 1999"),
    question("ratio", "calculate", calculation=parse("${fund} div ${pupils}")),
    question("filled_on", "date", default=parse("today()"), read_only=True),
    question("district", "single", choices=[{"code": "north", "label": "Север"},
                                            {"code": "west", "label": "Запад"}]),
    question("village", "single", choices=CHOICES, other=True,
             choice_filter=parse("district = ${district}", allow_names=True)),
    question("reason", "text", required={"expr": parse("${ratio} < 10")},
             condition={"expr": parse("${village} != 'suntar' and ${fund} > 0")}),
    question("teachers", "table", repeat_count=parse("${pupils} div 20"), columns=[
        {"key": "hours", "type": "integer", "label": "Часы", "required": True,
         "constraint": parse(". <= 40")},
        {"key": "rate", "type": "calculate", "label": "Ставка", "required": False,
         "calculation": parse("${hours} div 18")},
    ]),
    question("total_hours", "calculate", calculation=parse("sum(${hours})")),
)  # fmt: skip


def test_every_feature_of_format_md_is_accepted():
    check_definition(FULL)


def test_every_feature_survives_a_json_round_trip():
    assert read_json(write_json(FULL)) == read_json(json.dumps(FULL))
    stored = read_json(write_json(FULL))
    questions = {q["key"]: q for q in stored["sections"][0]["questions"]}
    assert questions["ratio"]["calculation"] == ["op", "div", ["ref", "fund"], ["ref", "pupils"]]
    assert questions["reason"]["required"] == {"expr": parse("${ratio} < 10")}
    assert questions["reason"]["condition"]["expr"][0] == "op"
    assert questions["village"]["other"] is True
    assert questions["village"]["choices"][0]["extra"] == {"district": "north"}
    assert questions["filled_on"]["read_only"] is True
    assert questions["teachers"]["columns"][1]["calculation"] == parse("${hours} div 18")
    assert "read_only" not in questions["fund"]


@pytest.mark.parametrize(
    ("definition", "path", "words"),
    [
        (form(question("a", constraint=["op", "div", ["ref", "a"]])),
         "sections[0].questions[0].constraint", ["a", "constraint"]),
        (form(question("a", constraint=["call", "pulldata", []])),
         "sections[0].questions[0].constraint", ["pulldata"]),
        (form(question("a", constraint="a > 1")),
         "sections[0].questions[0].constraint", ["a"]),
        (form(question("c", "calculate", calculation=parse("${later} + 1")), question("later")),
         "sections[0].questions[0].calculation", ["c", "later"]),
        (form(question("c", "calculate", calculation=parse("${nowhere} + 1"))),
         "sections[0].questions[0].calculation", ["c", "nowhere"]),
        (form(question("c", "calculate")), "sections[0].questions[0].calculation", ["c"]),
        (form(question("a", calculation=parse("1"))),
         "sections[0].questions[0].calculation", ["a"]),
        (form(question("a", choice_filter=parse("1 = 1"))),
         "sections[0].questions[0].choice_filter", ["a"]),
        (form(question("a", "single", choices=CHOICES, choice_filter=parse("${a} = 1"))),
         "sections[0].questions[0].choice_filter", ["a"]),
        (form(question("a", read_only="yes")), "sections[0].questions[0].read_only", ["a"]),
        (form(question("a", other=True)), "sections[0].questions[0].other", ["a"]),
        (form(question("a", repeat_count=parse("2"))),
         "sections[0].questions[0].repeat_count", ["a"]),
        (form(question("a", "single", choices=CHOICES, other=True), question("a_other", "text")),
         "sections[0].questions[0].other", ["a_other"]),
        (form(question("a" * 60, "single", other=True, choices=CHOICES)),
         "sections[0].questions[0].other", ["a" * 60 + "_other", "64"]),
        (form(question("a", "single", other=True, choices=[{"code": "other", "label": "И"}])),
         "sections[0].questions[0].choices", ["a", "other"]),
        (form(question("a", "single", choices=[{"code": "x", "label": "X", "extra": {"d": 1}}])),
         "sections[0].questions[0].choices", ["a", "x"]),
        (form(question("a", condition={"expr": parse("${b} > 1")}), question("b")),
         "sections[0].questions[0].condition", ["a", "b"]),
        (form(question("a", condition={"expr": ["ref"]})),
         "sections[0].questions[0].condition", ["a"]),
        (form(question("a", required={"expr": parse("${b} > 1")}), question("b")),
         "sections[0].questions[0].required", ["a", "b"]),
        (form(question("t", "table", columns=[
            {"key": "x", "type": "integer", "label": "X", "required": {"expr": parse("1")}}])),
         "sections[0].questions[0].columns[0]", []),
        (form(question("t", "table", columns=[
            {"key": "x", "type": "calculate", "label": "X", "calculation": parse("${y}")},
            {"key": "y", "type": "integer", "label": "Y"}])),
         "sections[0].questions[0].columns[0].calculation", ["x", "y"]),
        (form(question("x"), question("t", "table", columns=[
            {"key": "x", "type": "integer", "label": "X"}]),
            question("c", "calculate", calculation=parse("sum(${x})"))),
         "sections[0].questions[2].calculation", ["x"]),
    ],
)  # fmt: skip
def test_a_malformed_or_misplaced_feature_is_refused_naming_the_question(definition, path, words):
    error = refusal(definition)
    assert error.path == path
    for word in words:
        assert word in str(error.message)


def test_a_stored_ast_the_parser_would_not_build_is_refused():
    deep = ["num", 1]
    for _ in range(300):
        deep = ["neg", deep]
    for ast in (["op", "+", ["num", 1]], ["bogus"], ["num", "1"], deep, {"op": 1}):
        assert refusal(form(question("a", constraint=ast))).path.endswith("constraint")


def test_a_constraint_reads_its_own_question_and_a_cell_its_row():
    check_definition(form(question("a", constraint=parse("${a} > 0 and . < 10"))))
    check_definition(form(question("t", "table", columns=[
        {"key": "x", "type": "integer", "label": "X"},
        {"key": "y", "type": "integer", "label": "Y", "constraint": parse(". > ${x}")},
    ])))  # fmt: skip


def test_an_unknown_function_is_refused_in_russian_by_name(app):
    error = refusal(form(question("a", constraint=["call", "pulldata", []])))
    assert "pulldata()" in str(error.message)
    assert "Вопрос «a»" in str(error.message)


def test_every_feature_survives_the_database(world):
    form = questionnaires.create_form(world.admin_a, read_json(write_json(FULL)))
    db.session.commit()
    db.session.expire_all()
    assert version_definition(form.latest) == read_json(write_json(FULL))


def test_the_form_style_survives_the_database_and_the_xlsform_export(world):
    styled = read_json(write_json({**form(question("fund")), "style": "pages"}))
    styled_form = questionnaires.create_form(world.admin_a, styled)
    db.session.commit()
    db.session.expire_all()
    assert version_definition(styled_form.latest)["style"] == "pages"
    exported = read(write_xlsform(version_definition(styled_form.latest)))
    assert exported["style"] == "pages"
    assert "style" not in read_json(write_json(FULL))


def test_a_style_longer_than_its_column_is_refused():
    with pytest.raises(DefinitionError):
        check_definition({**FULL, "style": "x" * (STYLE_LENGTH + 1)})
