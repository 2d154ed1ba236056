"""Answers checked against the expressions of their questions: calculate, constraint,
required-if, expression conditions, choice_filter, "other", table rows, defaults, read_only."""

from datetime import UTC, date, datetime

from app.core.timefmt import local_timezone, local_today
from app.questionnaires.conditions import holds, is_required
from app.questionnaires.expressions import parse
from app.questionnaires.validation import default_answers, draft_answers, validate_answers


def form(*questions):
    return {"sections": [{"key": "main", "condition": None, "questions": list(questions)}]}


def question(key, kind="integer", **fields):
    return {"key": key, "type": kind, "label": key, "required": False, **fields}


def expr(text, **options):
    return parse(text, **options)


BOOKS = form(
    question("fund", required=True),
    question("pupils", required=True),
    question("ratio", "calculate", calculation=expr("${fund} div ${pupils}")),
    question("ratio_rounded", "calculate", calculation=expr("round(${ratio}, 0)")),
)
STRICT = form(
    question("rate", "decimal", constraint=expr(". > 0 and . < 2000"),
             constraint_message="Ставка больше 0 и меньше 2000"),
)  # fmt: skip


def test_book_provision_is_computed_on_the_server_whatever_the_browser_sent():
    answers, errors = validate_answers(
        BOOKS, {"fund": "500", "pupils": "40", "ratio": "9999", "ratio_rounded": 1}, complete=True
    )
    assert errors == {}
    assert answers["ratio"] == 12.5
    assert answers["ratio_rounded"] == 13  # a later calculation reads an earlier one


def test_a_calculation_over_an_unanswered_number_stores_nothing():
    answers, _ = validate_answers(BOOKS, {"fund": "500"}, complete=False)
    assert "ratio" not in answers and "ratio_rounded" not in answers


def test_a_strict_bound_refuses_zero_with_its_message_and_accepts_a_half():
    for complete in (False, True):
        _, errors = validate_answers(STRICT, {"rate": "0"}, complete=complete)
        assert str(errors["rate"]) == "Ставка больше 0 и меньше 2000"
    answers, errors = validate_answers(STRICT, {"rate": "0,5"}, complete=True)
    assert errors == {} and answers == {"rate": "0.5"}
    assert "rate" in validate_answers(STRICT, {"rate": "2000"}, complete=True)[1]


def test_a_constraint_without_a_message_gives_a_russian_one():
    definition = form(question("pupils", constraint=expr(". mod 2 = 0")))
    _, errors = validate_answers(definition, {"pupils": "3"}, complete=False)
    assert str(errors["pupils"]) == "Значение не удовлетворяет условию, заданному для вопроса."


def test_an_unanswered_question_is_not_judged_by_its_constraint():
    assert validate_answers(STRICT, {}, complete=True) == ({}, {})


def test_required_if_holds_only_while_its_condition_holds():
    definition = form(
        question("has_library", "yesno"),
        question("books", required={"expr": expr("${has_library} = 'yes'")}),
    )
    _, errors = validate_answers(definition, {"has_library": "yes"}, complete=True)
    assert str(errors["books"]) == "Ответьте на этот вопрос."
    assert validate_answers(definition, {"has_library": "no"}, complete=True)[1] == {}
    assert is_required(definition["sections"][0]["questions"][1], {"has_library": "yes"})
    assert not is_required(definition["sections"][0]["questions"][1], {})


def test_an_expression_condition_hides_a_question_and_drops_its_answer():
    definition = form(
        question("pupils"),
        question("why_few", "text", required=True,
                 condition={"expr": expr("${pupils} > 0 and ${pupils} < 10")}),
    )  # fmt: skip
    answers, errors = validate_answers(definition, {"pupils": "50", "why_few": "x"}, complete=True)
    assert answers == {"pupils": 50} and errors == {}
    _, errors = validate_answers(definition, {"pupils": "5"}, complete=True)
    assert "why_few" in errors
    assert holds({"expr": expr("${a} = 1")}, {"a": 1}) and not holds({"expr": expr("1 = 2")}, {})


CASCADE = form(
    question("district", "single", choices=[{"code": "north", "label": "Север"},
                                            {"code": "west", "label": "Запад"}]),
    question("village", "single", choice_filter=expr("district = ${district}", allow_names=True),
             choices=[{"code": "nyurba", "label": "Нюрба", "extra": {"district": "north"}},
                      {"code": "suntar", "label": "Сунтар", "extra": {"district": "west"}}]),
)  # fmt: skip


def test_a_choice_the_filter_leaves_out_is_refused():
    answers, errors = validate_answers(
        CASCADE, {"district": "north", "village": "nyurba"}, complete=True
    )
    assert errors == {} and answers["village"] == "nyurba"
    _, errors = validate_answers(CASCADE, {"district": "north", "village": "suntar"}, complete=True)
    assert str(errors["village"]) == "Выберите из предложенных вариантов."


OTHER = form(
    question("kind", "single", other=True, required=True,
             choices=[{"code": "school", "label": "Школьная"}]),
)  # fmt: skip


def test_other_needs_its_text_and_keeps_it_only_while_chosen():
    _, errors = validate_answers(OTHER, {"kind": "other"}, complete=True)
    assert str(errors["kind_other"]) == "Ответьте на этот вопрос."
    assert validate_answers(OTHER, {"kind": "other"}, complete=False)[1] == {}
    answers, errors = validate_answers(
        OTHER, {"kind": "other", "kind_other": " Сельская "}, complete=True
    )
    assert errors == {} and answers == {"kind": "other", "kind_other": "Сельская"}
    answers, _ = validate_answers(OTHER, {"kind": "school", "kind_other": "x"}, complete=True)
    assert answers == {"kind": "school"}


STAFF = form(
    question("teachers"),
    question("staff", "table", repeat_count=expr("${teachers}"), columns=[
        {"key": "hours", "type": "integer", "label": "Часы", "required": True,
         "constraint": expr(". <= 40"), "constraint_message": "Не больше 40 часов"},
        {"key": "rate", "type": "calculate", "label": "Ставка",
         "calculation": expr("${hours} div 18")},
        {"key": "place", "type": "calculate", "label": "№", "calculation": expr("position(..)")},
    ]),
    question("total", "calculate", calculation=expr("sum(${hours})")),
)  # fmt: skip


def test_table_cells_are_computed_per_row_and_a_cell_constraint_names_its_row():
    rows = [{"hours": "36", "rate": "7"}, {"hours": "9"}]
    answers, errors = validate_answers(STAFF, {"teachers": 2, "staff": rows}, complete=True)
    assert errors == {}
    assert answers["staff"] == [{"hours": 36, "rate": 2, "place": 1},
                                {"hours": 9, "rate": 0.5, "place": 2}]  # fmt: skip
    assert answers["total"] == 45
    rows = [{"hours": "36"}, {}, {"hours": "41"}]
    _, errors = validate_answers(STAFF, {"teachers": 2, "staff": rows}, complete=False)
    assert errors["staff"] == {"rows": {2: {"hours": "Не больше 40 часов"}}}


def test_repeat_count_from_an_answer_sets_the_number_of_rows():
    one_row = [{"hours": "10"}]
    _, errors = validate_answers(STAFF, {"teachers": 2, "staff": one_row}, complete=True)
    assert str(errors["staff"]["message"]) == "Слишком мало строк: нужно не менее 2."
    _, errors = validate_answers(STAFF, {"teachers": 2}, complete=True)
    assert str(errors["staff"]["message"]) == "Слишком мало строк: нужно не менее 2."
    assert validate_answers(STAFF, {"teachers": 1, "staff": one_row}, complete=True)[1] == {}
    assert validate_answers(STAFF, {"staff": one_row}, complete=True)[1] == {}


def test_a_draft_stores_the_servers_calculations_and_keeps_read_only_answers():
    definition = form(
        *BOOKS["sections"][0]["questions"],
        question("checked_on", "date", read_only=True, default=expr("today()")),
        STAFF["sections"][0]["questions"][1],
    )
    typed = {"fund": "500", "pupils": "40", "ratio": 1, "checked_on": "2020-01-01",
             "staff": [{"hours": "36", "rate": "99"}, {"rate": "5"}]}  # fmt: skip
    stored, errors = draft_answers(definition, typed, {"checked_on": "2026-09-01"})
    assert errors == {}
    assert stored["fund"] == "500"  # as typed
    assert (stored["ratio"], stored["ratio_rounded"]) == (12.5, 13)
    assert stored["checked_on"] == "2026-09-01"
    assert stored["staff"] == [{"hours": "36", "rate": 2, "place": 1}, {}]
    stored, _ = draft_answers(definition, {"ratio": 5, "checked_on": "2020-01-01"}, {})
    assert stored == {}


def test_defaults_are_the_initial_answers_with_the_districts_today():
    definition = form(
        question("filled_on", "date", default=expr("today()")),
        question("books", default=expr("100")),
        question("zones", "multiple", default=expr("'reading media'"),
                 choices=[{"code": "reading", "label": "Ч"}, {"code": "media", "label": "М"}]),
        question("bad", "integer", default=expr("'many'")),
        question("double", default=expr("${books} * 2")),
    )  # fmt: skip
    assert default_answers(definition, date(2026, 9, 1)) == {
        "filled_on": "2026-09-01", "books": 100, "zones": ["reading", "media"], "double": 200,
    }  # fmt: skip
    assert default_answers(definition)["filled_on"] == local_today().isoformat()
    assert local_today() == datetime.now(UTC).astimezone(local_timezone()).date()
