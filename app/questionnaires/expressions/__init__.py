"""The expression language of the forms engine: a subset of XLSForm's XPath (see README).

An expression is parsed once into a syntax tree of plain JSON lists, stored in the definition
as data and evaluated by walking it: here on the server, by ``app/static/js/expressions.js``
in the browser, with one behaviour that ``tests/fixtures/expressions/conformance.json`` pins.
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
