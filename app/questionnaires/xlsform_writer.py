"""Definition dicts (spec.py) to XLSForm workbooks that pyxform converts and read_xlsform reads
back into the same definition: the format is described in xlsform.py."""

from flask_babel import lazy_gettext as _l

from app.core.spreadsheets import workbook_bytes
from app.questionnaires.definition_check import check_definition
from app.questionnaires.expressions import to_text
from app.questionnaires.jsonio import normalize_definition
from app.questionnaires.relevant import to_relevant
from app.questionnaires.spec import NO, YES
from app.questionnaires.xlsform import (
    CHOICES_COLUMNS,
    SETTINGS_COLUMNS,
    SURVEY_COLUMNS,
    YES_NO_LIST,
)
from app.questionnaires.xlsform_expressions import write_constraint, write_default
from app.questionnaires.xlsform_languages import (
    MATRIX_COLUMNS,
    OPTION_COLUMNS,
    QUESTION_COLUMNS,
    SECTION_COLUMNS,
    default_language_setting,
    language_table,
    written_translations,
)


def write_xlsform(definition: dict) -> bytes:
    """An XLSForm workbook that read_xlsform reads back into the same (normalised) definition."""
    definition = normalize_definition(definition)
    check_definition(definition)
    writer = SurveyWriter()
    for section in definition["sections"]:
        writer.write_section(section)
    settings = [definition["title"], definition["form_id"], definition["version"]]
    settings += [definition["description"], definition.get("style") or ""]
    language = default_language_setting(definition)
    return workbook_bytes(
        [
            ("survey", language_table(definition, SURVEY_COLUMNS, writer.survey)),
            ("choices", writer.choices_rows(definition)),
            ("settings", [[*SETTINGS_COLUMNS, *language], [*settings, *language.values()]]),
        ]
    )


class SurveyWriter:
    def __init__(self):
        self.survey: list[dict] = []
        self.choices: list[dict] = []
        self.extra_columns: dict[str, None] = {}
        self.lists = {YES_NO_LIST}
        self.yes_no_written = False

    def choices_rows(self, definition: dict) -> list[list[str]]:
        header, *rows = language_table(definition, CHOICES_COLUMNS, self.choices)
        header.extend(self.extra_columns)
        for row, choice in zip(rows, self.choices, strict=True):
            row.extend(choice.get("extra", {}).get(column, "") for column in self.extra_columns)
        return [header, *rows]

    def add_list(self, base: str, options: list[dict]) -> str:
        name, number = base, 2
        while name in self.lists:
            name, number = f"{base}_{number}", number + 1
        self.lists.add(name)
        for option in options:
            self.extra_columns.update(dict.fromkeys(option.get("extra", {})))
            self.choices.append({"list_name": name, "name": option["code"], **option})
        return name

    def yes_no_list(self) -> str:
        if not self.yes_no_written:
            self.choices.append({"list_name": YES_NO_LIST, "name": YES, "label": str(_l("Yes"))})
            self.choices.append({"list_name": YES_NO_LIST, "name": NO, "label": str(_l("No"))})
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
                "translations": written_translations(section, SECTION_COLUMNS),
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
            "required": _required(question["required"]),
            "relevant": to_relevant(question.get("condition")),
            "constraint_message": question.get("constraint_message", ""),
            "constraint": write_constraint(question),
            "default": write_default(question),
            "read_only": "yes" if question.get("read_only") else "",
            "authors": "yes" if question.get("authors") else "",
            "translations": written_translations(question, QUESTION_COLUMNS),
        }
        if question["type"] == "table":
            self.write_table(question, row, list_base)
            return
        if question["type"] == "matrix":
            self.write_matrix(question, row, list_base)
            return
        row.update(TYPE_WRITERS[question["type"]](self, question, list_base))
        self.survey.append(row)

    def write_table(self, question: dict, row: dict, list_base: str) -> None:
        count = question.get("repeat_count")
        low, high = question.get("min"), question.get("max")
        if count:
            row["repeat_count"] = to_text(count)
        elif low is not None and low == high:
            row["repeat_count"], row["constraint"] = str(low), ""
        self.survey.append({**row, "type": "begin_repeat"})
        for column in question["columns"]:
            self.write_question(column, list_base=f"{list_base}_{column['key']}")
        self.survey.append({"type": "end_repeat"})

    def write_matrix(self, question: dict, row: dict, list_base: str) -> None:
        """A table-list group: one select_one of the options per row (see xlsform_matrix.py)."""
        options = self.add_list(list_base, question["choices"])
        key = question["key"]
        group = {name: row[name] for name in ("name", "label", "hint", "relevant")}
        group["translations"] = written_translations(question, MATRIX_COLUMNS)
        self.survey.append({**group, "type": "begin_group", "appearance": "table-list"})
        for item in question["rows"]:
            self.survey.append(
                {
                    "type": f"select_one {options}",
                    "name": f"{key}_{item['code']}",
                    "label": item["label"],
                    "required": row["required"],
                    "constraint_message": row["constraint_message"],
                    "translations": _row_translations(question, item),
                }
            )
        self.survey.append({"type": "end_group"})


def _row_translations(matrix: dict, row: dict) -> dict:
    """A matrix row's label and the matrix's constraint message, in each language."""
    messages = written_translations(matrix, {"constraint_message": "constraint_message"})
    labels = written_translations(row, OPTION_COLUMNS)
    codes = {*messages, *labels}
    return {code: {**messages.get(code, {}), **labels.get(code, {})} for code in codes}


def _required(required) -> str:
    if isinstance(required, dict):
        return to_relevant(required)
    return "yes" if required else ""


def _write_plain(_writer: SurveyWriter, question: dict, _base: str) -> dict:
    return {"type": question["type"]}


def _write_text_as(appearance: str):
    def write(_writer: SurveyWriter, _question: dict, _base: str) -> dict:
        return {"type": "text", "appearance": appearance}

    return write


def _select_fields(question: dict, list_name: str, kind: str) -> dict:
    other = " or_other" if question.get("other") else ""
    fields = {"type": f"{kind} {list_name}{other}"}
    if question.get("choice_filter"):
        fields["choice_filter"] = to_text(question["choice_filter"])
    return fields


def _write_single(writer: SurveyWriter, question: dict, base: str) -> dict:
    appearance = "minimal" if question["display"] == "list" else ""
    name = writer.add_list(base, question["choices"])
    return {**_select_fields(question, name, "select_one"), "appearance": appearance}


def _write_multiple(writer: SurveyWriter, question: dict, base: str) -> dict:
    name = writer.add_list(base, question["choices"])
    return _select_fields(question, name, "select_multiple")


def _write_yesno(writer: SurveyWriter, _question: dict, _base: str) -> dict:
    return {"type": f"select_one {writer.yes_no_list()}"}


def _write_scale(_writer: SurveyWriter, question: dict, _base: str) -> dict:
    return {"type": "range", "parameters": f"start={question['min']} end={question['max']} step=1"}


def _write_calculate(_writer: SurveyWriter, question: dict, _base: str) -> dict:
    return {"type": "calculate", "calculation": to_text(question["calculation"])}


TYPE_WRITERS = {
    "text": _write_plain,
    "textarea": _write_text_as("multiline"),
    "email": _write_text_as("email"),
    "phone": _write_text_as("phone"),
    "integer": _write_plain,
    "decimal": _write_plain,
    "date": _write_plain,
    "note": _write_plain,
    "file": _write_plain,
    "calculate": _write_calculate,
    "single": _write_single,
    "multiple": _write_multiple,
    "yesno": _write_yesno,
    "scale": _write_scale,
}
