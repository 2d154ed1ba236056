"""Walking the rows of an XLSForm survey sheet into sections, questions and tables (the
format is described in xlsform.py)."""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.questionnaires.expressions import ExpressionError
from app.questionnaires.relevant import RelevantError, both
from app.questionnaires.spec import COLUMN_TYPES
from app.questionnaires.xlsform_columns import (
    Row,
    RowError,
    XLSFormError,
    appearance_function,
    cell_message,
    row_error,
)
from app.questionnaires.xlsform_matrix import MatrixReader
from app.questionnaires.xlsform_questions import (
    GROUP_UNUSED,
    common_fields,
    condition,
    question_name,
    read_question,
    refuse_filled,
    table_fields,
)
from app.questionnaires.xlsform_types import split_type

METADATA_TYPES = ("start", "end", "today", "deviceid", "username", "simserial")
METADATA_TYPES += ("subscriberid", "phonenumber", "audit", "start-geopoint")
DEFAULT_SECTION = "main"
REPEAT_UNUSED = ("calculation", "default", "read_only", "choice_filter", "parameters", "authors")
TABLE_COLUMN_TYPES = (*COLUMN_TYPES, "calculate")


@dataclass
class Opened:
    """A section, group, repeat or question being read: where it is and which row began it."""

    item: dict
    row: int
    path: str


@dataclass
class Group:
    """A group being read. A group inside it ends its section; the questions after the inner
    group go into a continuation section with the outer group's title and condition."""

    row: Row
    condition: dict | None
    section: Opened | None = None


class SurveyReader:
    """Walks the survey rows: groups become sections, repeats become tables, a table-list group
    of one list's select_one rows a matrix.

    ``paths`` maps the path of each section, question and column (as check_definition names
    them, e.g. "sections[1].questions[0]") to the row it came from.
    """

    def __init__(self, choices: dict[str, list[dict]], rows: list[Row]):
        self.choices = choices
        self.rows = rows
        self.names = {row.get("name") for row in rows}
        self.sections: list[dict] = []
        self.section_keys: set = set()
        self.key_numbers: dict[str, int] = {}
        self.paths: dict[str, int] = {}
        self.groups: list[Group] = []
        self.table: Opened | None = None
        self.table_groups = 0  # groups open inside the table, whose questions are its columns
        self.loose: Opened | None = None
        self.matrix: MatrixReader | None = None

    def read(self) -> list[dict]:
        for row in self.rows:
            self.take_reported(row)
        if self.matrix:
            raise row_error("survey", self.matrix.begin.number, _l("begin_group has no end_group"))
        if self.table:
            raise row_error("survey", self.table.row, _l("begin_repeat has no end_repeat"))
        if self.groups:
            raise row_error(
                "survey", self.groups[-1].row.number, _l("begin_group has no end_group")
            )
        if not any(section["questions"] for section in self.sections):
            raise XLSFormError(_l("The survey sheet has no questions."), field="file")
        return self.sections

    def take_reported(self, row: Row) -> None:
        """Reads a row; a problem is refused with the row and, when known, its column."""
        try:
            self.take(row)
        except RowError as error:
            if error.field:
                header = row.headers.get(error.field, error.field)
                message = cell_message("survey", row.number, header, error.message)
                raise XLSFormError(message, field="file") from None
            raise row_error("survey", row.number, error.message) from None
        except (RelevantError, ExpressionError) as error:
            raise row_error("survey", row.number, error.message) from None

    def row_of(self, path: str) -> int | None:
        """The row a path of check_definition points into, if it is known."""
        while path not in self.paths:
            shorter = re.sub(r"(\.\w+|\[\d+\])\Z", "", path)
            if shorter == path:
                return None
            path = shorter
        return self.paths[path]

    def take(self, row: Row) -> None:
        kind, arguments = split_type(row.get("type"))
        if self.matrix:
            self.take_into_matrix(row, kind)
            return
        if not kind:
            raise RowError(_l("the type is missing"), "type")
        if kind in METADATA_TYPES:
            return
        function = appearance_function(row.get("appearance"))
        if function:
            problem = _l("the function %(name)s() is not supported", name=function)
            raise RowError(problem, "appearance")
        structure = {
            "begin_group": self.begin_group,
            "end_group": self.end_group,
            "begin_repeat": self.begin_repeat,
            "end_repeat": self.end_repeat,
        }
        if kind in structure:
            structure[kind](row)
        elif self.table:
            self.add_column(read_question(kind, arguments, row, self.choices), row)
        else:
            question = read_question(kind, arguments, row, self.choices)
            self.place(question, row, self.current_section(row), "questions")

    def take_into_matrix(self, row: Row, kind: str) -> None:
        matrix = self.matrix
        if not matrix.add(row, kind):
            return
        self.matrix = None
        question = matrix.question(self.choices)
        if question is None:
            self.open_group(matrix.begin)
            for item in matrix.rows:
                self.take_reported(item)
            return
        section = self.current_section(matrix.begin)
        opened = self.place(question, matrix.begin, section, "questions")
        for number, item in enumerate(matrix.rows[:-1]):
            self.paths[f"{opened.path}.rows[{number}]"] = item.number

    def place(self, item: dict, row: Row, parent: Opened, field: str) -> Opened:
        items = parent.item[field]
        items.append(item)
        path = f"{parent.path}.{field}[{len(items) - 1}]"
        self.paths[path] = row.number
        return Opened(item, row.number, path)

    def open_section(self, section: dict, row: Row) -> Opened:
        self.sections.append(section)
        self.section_keys.add(section["key"])
        path = f"sections[{len(self.sections) - 1}]"
        self.paths[path] = row.number
        return Opened(section, row.number, path)

    def begin_group(self, row: Row) -> None:
        if self.table:
            if row.get("relevant"):
                problem = _l("a group inside a repeat cannot have a relevant condition")
                raise RowError(problem, "relevant")
            self.table_groups += 1
            return
        if "table-list" in row.get("appearance").lower().split():
            self.matrix = MatrixReader(row)
            return
        self.open_group(row)

    def open_group(self, row: Row) -> None:
        refuse_filled(row, GROUP_UNUSED)
        outer = self.groups[-1].condition if self.groups else None
        group = Group(row, both(outer, condition(row)))
        group.section = self.open_group_section(group, question_name(row))
        self.groups.append(group)
        self.loose = None

    def open_group_section(self, group: Group, key: str) -> Opened:
        section = {
            "key": key,
            "title": group.row.get("label"),
            "description": group.row.get("hint"),
            "condition": group.condition,
            "questions": [],
        }
        return self.open_section(section, group.row)

    def end_group(self, _row: Row) -> None:
        if self.table and self.table_groups:
            self.table_groups -= 1
            return
        if self.table:
            raise RowError(_l("end_group inside a repeat: close the repeat first"), "type")
        if not self.groups:
            raise RowError(_l("end_group without a matching begin_group"), "type")
        self.groups.pop()
        if self.groups:
            self.groups[-1].section = None

    def begin_repeat(self, row: Row) -> None:
        if self.table:
            raise RowError(_l("a repeat inside another repeat is not supported"), "type")
        refuse_filled(row, REPEAT_UNUSED)
        question = {**common_fields(row), "type": "table", "columns": [], **table_fields(row)}
        self.table = self.place(question, row, self.current_section(row), "questions")

    def end_repeat(self, _row: Row) -> None:
        if not self.table or self.table_groups:
            raise RowError(_l("end_repeat without a matching begin_repeat"), "type")
        self.table = None

    def add_column(self, question: dict, row: Row) -> None:
        if question["type"] not in TABLE_COLUMN_TYPES:
            problem = _l(
                "a question of type “%(type)s” cannot be inside a repeat", type=question["type"]
            )
            raise RowError(problem, "type")
        if question.pop("condition") is not None:
            raise RowError(
                _l("a question inside a repeat cannot have a relevant condition"), "relevant"
            )
        self.place(question, row, self.table, "columns")

    def current_section(self, row: Row) -> Opened:
        """The open group's section (a continuation after an inner group), else the default
        section that gathers questions outside groups."""
        if self.groups:
            group = self.groups[-1]
            if group.section is None:
                key = self.free_key(question_name(group.row))
                group.section = self.open_group_section(group, key)
            return group.section
        if self.loose is None:
            section = {"key": self.free_key(DEFAULT_SECTION), "title": "", "description": ""}
            self.loose = self.open_section({**section, "condition": None, "questions": []}, row)
        return self.loose

    def free_key(self, base: str) -> str:
        """``base``, else ``base_2``, ``base_3``… : the first key no row or section has (counted
        on from the last one given, so that many sections stay linear)."""
        key = base
        while key in self.names or key in self.section_keys:
            number = self.key_numbers.get(base, 2)
            key, self.key_numbers[base] = f"{base}_{number}", number + 1
        return key
