"""Answers from the fields of the filling page (the same for a plain POST and for autosave).

Field names: ``q.<key>`` for a question (repeated for a multiple choice), ``q.<key>.<row>``
for a matrix row, ``q.<key>.<index>.<column>`` for a table cell, ``q.<key>.id`` and
``q.<key>.name`` for an attached file, ``q.<key>_other`` for the text of the option "other". A
multiple choice also sends ``q.<key>.shown`` while it is shown (the page disables the fields of
hidden questions), so that ticking nothing arrives as the empty selection ``[]``, not as a
missing answer. Calculate questions send nothing the server takes: it computes them.
"""

import re

from app.questionnaires.spec import OTHER

SHOWN = "shown"
# A row index of at most six digits: no table has more rows, and int() takes any of them.
CELL = re.compile(r"^([0-9]{1,6})\.([A-Za-z_][A-Za-z0-9_]*)$")


def field_name(key: str, *parts) -> str:
    return ".".join(["q", key, *(str(part) for part in parts)])


def _table(key: str, columns: list[dict], fields) -> list[dict]:
    kinds = {column["key"]: column["type"] for column in columns}
    rows: dict[int, dict] = {}
    prefix = field_name(key) + "."
    for name in fields:
        match = CELL.match(name[len(prefix) :]) if name.startswith(prefix) else None
        if match and match.group(2) in kinds:
            index, column = int(match.group(1)), match.group(2)
            values = fields.getlist(name)
            cell = values if kinds[column] == "multiple" else (values[-1] if values else None)
            rows.setdefault(index, {})[column] = cell
    return [rows[index] for index in sorted(rows) if any(rows[index].values())]


def _value(question: dict, fields):
    key, kind = question["key"], question["type"]
    name = field_name(key)
    if kind == "multiple":
        chosen = [code for code in fields.getlist(name) if code]
        return chosen if chosen or field_name(key, SHOWN) in fields else None
    if kind == "matrix":
        return {
            row["code"]: fields.get(field_name(key, row["code"]))
            for row in question.get("rows") or []
            if fields.get(field_name(key, row["code"]))
        }
    if kind == "table":
        return _table(key, question.get("columns") or [], fields)
    if kind == "file":
        file_id = fields.get(field_name(key, "id"), "")
        # "²" is a digit int() refuses; past 18 digits no id, and past 4,300 int() refuses
        if not (file_id.isascii() and file_id.isdigit()) or len(file_id) > 18:
            return None
        return {"id": int(file_id), "name": fields.get(field_name(key, "name"), "")}
    if kind in ("note", "calculate"):
        return None
    return fields.get(name)


def collect_answers(definition: dict, fields) -> dict:
    """Raw answers of every question of ``definition`` present in ``fields`` (a MultiDict)."""
    answers = {}
    for section in definition["sections"]:
        for question in section["questions"]:
            value = _value(question, fields)
            if value not in (None, "", [], {}) or (value == [] and question["type"] == "multiple"):
                answers[question["key"]] = value
            other = f"{question['key']}_{OTHER}"
            if question.get("other") and fields.get(field_name(other)):
                answers[other] = fields.get(field_name(other))
    return answers
