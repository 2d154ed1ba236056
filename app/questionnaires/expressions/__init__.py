"""The expression language of the forms engine: a subset of XLSForm's XPath (see README).

An expression is parsed once into a syntax tree of plain JSON lists, stored in the definition
as data and evaluated by walking it: here on the server, by ``app/static/js/expressions.js``
in the browser, with one behaviour that ``tests/fixtures/expressions/conformance.json`` pins.

The tree:

    ["num", 2.5]  ["str", "текст"]  ["ref", key] (${key})  ["cur"] (.)  ["parent"] (..,
    only in position(..))  ["name", column] (a column of the choices row, choice_filter only)
    ["neg", a]  ["op", OP, a, b] (+ - * div mod = != < <= > >= and or)  ["call", FN, [args]]

The environment of an evaluation (the same JSON in Python and in the browser):

    {
      "answers": {key: value},   # as spec.py stores them; a table is [{column: value}, ...]
      "current": key | None,     # the question "." stands for
      "row": {"table": key, "index": 0} | None,   # evaluating inside a table row
      "tables": {table key: [column keys]},
      "choices": {question key: {code: label}},   # for jr:choice-name
      "choice": {column: value} | None,           # the choices row of a choice_filter
      "today": "YYYY-MM-DD",                      # never the evaluator's clock
    }

A value is a float, a str, a bool, a ``Date`` (``datetime.date``) or a list (a nodeset: the
cells of a column, the rows of a table).
"""

from app.questionnaires.expressions.errors import MAX_DEPTH, MAX_LENGTH, ExpressionError
from app.questionnaires.expressions.evaluator import evaluate
from app.questionnaires.expressions.parser import parse
from app.questionnaires.expressions.regex_safety import MAX_PATTERN, MAX_TEXT
from app.questionnaires.expressions.text import functions, references, result_type, to_text
from app.questionnaires.expressions.values import (
    Date,
    as_boolean,
    as_number,
    as_string,
    stored_value,
    typed,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_PATTERN",
    "MAX_TEXT",
    "Date",
    "ExpressionError",
    "as_boolean",
    "as_number",
    "as_string",
    "evaluate",
    "functions",
    "parse",
    "references",
    "result_type",
    "stored_value",
    "to_text",
    "typed",
]
