"""A published form holding every question type (and every column type in a table), sent to
school A1: what the fuzz tests of the filling page post into."""

from app.questionnaires.expressions import parse
from app.questionnaires.spec import COLUMN_TYPES, QUESTION_TYPES
from tests.monitoring import make_campaign, make_form, one_section, response_of

CHOICES = [{"code": "a", "label": "Ҕ-а"}, {"code": "b", "label": "Өлүөхүмэ"}]


def _question(key: str, kind: str, **extra) -> dict:
    question = {"key": key, "type": kind, "label": f"Вопрос {key} Һ", "help": "", "required": False}
    if kind in ("single", "multiple", "matrix"):
        question["choices"] = CHOICES
    if kind == "matrix":
        question["rows"] = [{"code": "r1", "label": "Үөрэх"}, {"code": "r2", "label": "Ньурба"}]
    if kind == "calculate":
        question["calculation"] = parse("${t_integer} * 2")
    return {**question, **extra}


COLUMNS = [
    _question(f"c_{kind}", kind, **({"calculation": parse("${c_integer} + 1")}
                                    if kind == "calculate" else {}))
    for kind in COLUMN_TYPES
]  # fmt: skip
QUESTIONS = [
    _question("t_text", "text", max=200),
    _question("t_textarea", "textarea"),
    _question("t_integer", "integer"),
    _question("t_decimal", "decimal", min=-5.5, max=100000),
    _question("t_single", "single", other=True),
    _question("t_multiple", "multiple", other=True, max=2),
    _question("t_yesno", "yesno"),
    _question("t_date", "date"),
    _question("t_date_bounded", "date", min="2020-01-01", max="2030-12-31"),
    _question("t_email", "email"),
    _question("t_phone", "phone"),
    _question("t_scale", "scale", min=0, max=10),
    _question("t_calculate", "calculate"),
    _question("t_file", "file"),
    _question("t_matrix", "matrix"),
    _question("t_table", "table", max=3, columns=COLUMNS),
    _question("t_note", "note"),
    _question("t_shown", "text", condition={"key": "t_yesno", "op": "eq", "value": "yes"}),
    _question("t_read_only", "text", read_only=True, default=parse("'Ҕалыҥ'")),
]
DEFINITION = one_section("every-type", *QUESTIONS, title="Все типы вопросов")
assert {q["type"] for q in QUESTIONS} == set(QUESTION_TYPES)
assert {c["type"] for c in COLUMNS} == set(COLUMN_TYPES)


def every_type_response(world):
    form = make_form(world.admin_a, DEFINITION)
    campaign = make_campaign(world.admin_a, form, [world.school_a1])
    return response_of(campaign, world.school_a1)
