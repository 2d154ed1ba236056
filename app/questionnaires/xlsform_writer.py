"""Definition dicts (spec.py) to XLSForm workbooks: the format is described in xlsform.py."""

from flask_babel import lazy_gettext as _l

from app.core.spreadsheets import workbook_bytes
from app.questionnaires.definition_check import check_definition
from app.questionnaires.jsonio import normalize_definition
from app.questionnaires.relevant import to_relevant
from app.questionnaires.spec import NO, YES
from app.questionnaires.xlsform import (
    CHOICES_COLUMNS,
    SETTINGS_COLUMNS,
    SURVEY_COLUMNS,
    YES_NO_LIST,
)
from app.questionnaires.xlsform_questions import MEASURES, NUMBER


def write_xlsform(definition: dict) -> bytes:
    """An XLSForm workbook that read_xlsform reads back into the same (normalised) definition."""
    definition = normalize_definition(definition)
    check_definition(definition)
    writer = SurveyWriter()
    for section in definition["sections"]:
        writer.write_section(section)
    settings = [definition["title"], definition["form_id"], definition["version"]]
    return workbook_bytes(
        [
            ("survey", [list(SURVEY_COLUMNS), *writer.survey_rows()]),
            ("choices", [list(CHOICES_COLUMNS), *writer.choices]),
            ("settings", [list(SETTINGS_COLUMNS), [*settings, definition["description"]]]),
        ]
    )


class SurveyWriter:
    def __init__(self):
        self.survey: list[dict] = []
        self.choices: list[list[str]] = []
        self.lists = {YES_NO_LIST}
        self.yes_no_written = False

    def survey_rows(self) -> list[list[str]]:
        return [[row.get(column, "") for column in SURVEY_COLUMNS] for row in self.survey]

    def add_list(self, base: str, options: list[dict]) -> str:
        name, number = base, 2
        while name in self.lists:
            name, number = f"{base}_{number}", number + 1
        self.lists.add(name)
        self.choices.extend([name, option["code"], option["label"]] for option in options)
        return name

    def yes_no_list(self) -> str:
        if not self.yes_no_written:
            self.choices.append([YES_NO_LIST, YES, str(_l("Yes"))])
            self.choices.append([YES_NO_LIST, NO, str(_l("No"))])
            self.yes_no_written = True
        return YES_NO_LIST

    def write_section(self, section: dict) -> None:
        self.survey.append(
            {
                "type": "begin_group",
                "name": section["key"],
                "label": section["title"],
                "hint": section["description"],
                "relevant": to_relevant(section["condition"]),
                "appearance": "field-list",
            }
        )
        for question in section["questions"]:
            self.write_question(question, list_base=question["key"])
        self.survey.append({"type": "end_group"})

    def write_question(self, question: dict, list_base: str) -> None:
        row = {
            "name": question["key"],
            "label": question["label"],
            "hint": question["help"],
            "required": "yes" if question["required"] else "",
            "relevant": to_relevant(question.get("condition")),
            "constraint_message": question.get("constraint_message", ""),
            "constraint": _constraint(question),
        }
        if question["type"] == "table":
            self.survey.append({**row, "type": "begin_repeat"})
            for column in question["columns"]:
                self.write_question(column, list_base=f"{list_base}_{column['key']}")
            self.survey.append({"type": "end_repeat"})
            return
        row.update(TYPE_WRITERS[question["type"]](self, question, list_base))
        self.survey.append(row)


def _constraint(question: dict) -> str:
    measure = MEASURES.get(question["type"])
    if not measure:
        return ""
    parts = [
        f"{measure} {operator} {_literal(question[name])}"
        for name, operator in (("min", ">="), ("max", "<="))
        if question.get(name) is not None
    ]
    return " and ".join(parts)


def _literal(value) -> str:
    if isinstance(value, str) and not NUMBER.match(value):
        return f"date('{value}')"
    return str(value)


def _write_plain(_writer: SurveyWriter, question: dict, _base: str) -> dict:
    return {"type": question["type"]}


def _write_textarea(_writer: SurveyWriter, _question: dict, _base: str) -> dict:
    return {"type": "text", "appearance": "multiline"}


def _write_single(writer: SurveyWriter, question: dict, base: str) -> dict:
    appearance = "minimal" if question["display"] == "list" else ""
    name = writer.add_list(base, question["choices"])
    return {"type": f"select_one {name}", "appearance": appearance}


def _write_multiple(writer: SurveyWriter, question: dict, base: str) -> dict:
    return {"type": f"select_multiple {writer.add_list(base, question['choices'])}"}


def _write_yesno(writer: SurveyWriter, _question: dict, _base: str) -> dict:
    return {"type": f"select_one {writer.yes_no_list()}"}


def _write_scale(_writer: SurveyWriter, question: dict, _base: str) -> dict:
    return {"type": "range", "parameters": f"start={question['min']} end={question['max']} step=1"}


def _write_matrix(writer: SurveyWriter, question: dict, base: str) -> dict:
    options = writer.add_list(base, question["choices"])
    rows = writer.add_list(f"{base}_rows", question["rows"])
    return {"type": f"matrix {options} {rows}"}


TYPE_WRITERS = {
    "text": _write_plain,
    "textarea": _write_textarea,
    "integer": _write_plain,
    "decimal": _write_plain,
    "date": _write_plain,
    "email": _write_plain,
    "phone": _write_plain,
    "note": _write_plain,
    "file": _write_plain,
    "single": _write_single,
    "multiple": _write_multiple,
    "yesno": _write_yesno,
    "scale": _write_scale,
    "matrix": _write_matrix,
}
