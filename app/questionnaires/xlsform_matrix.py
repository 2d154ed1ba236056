"""A matrix as pyxform knows it: a group with appearance ``table-list`` holding one
``select_one`` of the same list per row. The reader gathers the group's rows; if they are not
such a matrix, they are read again as an ordinary group."""

from app.questionnaires.xlsform_columns import Row
from app.questionnaires.xlsform_questions import (
    GROUP_UNUSED,
    condition,
    question_name,
    required_of,
    split_type,
)

# A row of the matrix uses these columns only.
ROW_COLUMNS = ("type", "name", "label", "required", "constraint_message", "appearance")
SHARED = ("required", "constraint_message")  # the same in every row: the matrix's own
ROW_APPEARANCES = ("", "list-nolabel")


class MatrixReader:
    def __init__(self, begin: Row):
        self.begin = begin
        self.rows: list[Row] = []
        self.depth = 0

    def add(self, row: Row, kind: str) -> bool:
        """Gathers a row; True when it closes the group."""
        self.rows.append(row)
        if kind == "begin_group":
            self.depth += 1
        elif kind == "end_group":
            if not self.depth:
                return True
            self.depth -= 1
        return False

    def question(self, choices: dict[str, list[dict]]) -> dict | None:
        """The matrix question, or None when the group is not a matrix."""
        rows = self.rows[:-1]
        lists = {_list_name(row) for row in rows}
        if not rows or len(lists) != 1 or None in lists or not self._plain(rows):
            return None
        options = choices.get(lists.pop())
        if options is None or any(len({row.get(f) for row in rows}) != 1 for f in SHARED):
            return None
        key = question_name(self.begin)
        return {
            "key": key,
            "type": "matrix",
            "label": self.begin.get("label"),
            "help": self.begin.get("hint"),
            "required": required_of(rows[0]),
            "condition": condition(self.begin),
            "choices": [dict(option) for option in options],
            "rows": [{"code": _code(row, key), "label": row.get("label")} for row in rows],
            "constraint_message": rows[0].get("constraint_message"),
        }

    def _plain(self, rows: list[Row]) -> bool:
        if any(self.begin.get(field) for field in GROUP_UNUSED):
            return False
        return all(
            row.get("appearance").lower() in ROW_APPEARANCES
            and not any(text for name, text in row.cells.items() if name not in ROW_COLUMNS)
            for row in rows
        )


def _list_name(row: Row) -> str | None:
    kind, arguments = split_type(row.get("type"))
    return arguments[0] if kind == "select_one" and len(arguments) == 1 else None


def _code(row: Row, key: str) -> str:
    name = row.get("name")
    return name[len(key) + 1 :] if name.startswith(f"{key}_") and len(name) > len(key) + 1 else name
