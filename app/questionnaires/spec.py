"""The questionnaire definition: the one format every part of the forms engine speaks.

A form version is described by a plain dict (it is also the JSON export):

    {
      "title": str, "description": str,
      "form_id": str,            # a stable slug of the form (XLSForm settings.form_id)
      "version": str,            # free text, e.g. "2024-1" (XLSForm settings.version)
      "style": str,              # XLSForm settings.style ("pages", "theme-grid"…), kept for
                                 # export; absent when empty. The filling page always shows a
                                 # section per page.
      "sections": [
        {
          "key": str,            # slug, unique in the form among sections and questions
          "title": str, "description": str,
          "condition": Condition | None,   # the section shows only when this holds
          "questions": [Question, ...],
        },
        ...
      ],
      # Optional, for a form in several languages (languages.py):
      "languages": [{"code": "ru", "name": "Русский"}, {"code": "sah", "name": "Саха тыла"}],
      "default_language": "ru",
    }

In a form in several languages the base fields hold the default language's texts. The form, a
section, a question, a table column, a choice and a matrix row may carry
"translations": {code: {field: text}} for the other declared languages: title/description (form,
section), label/help/constraint_message (question, column), label (choice, row).

A question:

    {
      "key": str,                # slug: a letter or "_" first, then letters, digits, "_";
                                 # unique in the form; used in exports, conditions, prefill
      "type": one of QUESTION_TYPES,
      "label": str, "help": str,
      "required": bool | Condition,  # a Condition: required only while it holds; read it
                                     # through conditions.is_required(question, answers)
      "condition": Condition | None,
      "min": number | str | None,  # bounds, by type: value (integer, decimal: by default
      "max": number | str | None,  # DEFAULT_NUMBER_RANGE; scale: by default 1..5), ISO date
                                   # (date), length in characters (text, textarea), number of
                                   # selected options (multiple), number of rows (table)
      "choices": [{"code": str, "label": str}, ...],  # single, multiple, matrix (the options
                                                      # of every row)
      "rows": [{"code": str, "label": str}, ...],     # matrix rows
      "columns": [Column, ...],                       # table columns
      "display": "radio" | "list",                    # single choice only
      "constraint_message": str,                      # shown when min/max or the
                                                      # constraint fail, if given
      "constraint": AST,         # must be true of an answer ("." is the answer; in a table
                                 # cell the cell, with its row as context)
      "calculation": AST,        # type "calculate" only: its value, computed by the server on
                                 # every save (the browser's value is never taken)
      "default": AST,            # the initial answer of a new response (a literal, today(), ...)
      "read_only": bool,         # shown, not editable: the value comes from default/calculation
      "choice_filter": AST,      # single, multiple: a choice is offered while this is true of
                                 # it (bare names read the choice: name = code, label, extra)
      "other": bool,             # single, multiple: adds the option "other" and a text answer
                                 # "<key>_other", required while "other" is chosen
      "repeat_count": AST,       # table: the number of rows, e.g. ${teachers}
      "authors": bool,           # text, textarea: the answer names the authors of a contest
                                 # entry, one per line (or separated by ";" or ",")
    }

Choice items may carry "extra": {column: text} (the extra columns of an XLSForm choices sheet).

AST is an expression of app.questionnaires.expressions, stored as JSON lists (see its module).
Every ${key} of an expression names a question that comes earlier in the form (a constraint
may also name its own question; inside a table, a column may name earlier columns of its row,
and any expression may name a column of an earlier table, meaning all its cells).

A table column is a question of a simple type (text, textarea, integer, decimal, single,
multiple, yesno, date, email, phone, scale, calculate) without "condition", "rows", "columns",
"other" or "repeat_count"; its "required" is a bool.

Answer values (the JSON of a response; a missing key or None means unanswered):

    text, textarea, email, phone -> str          integer, scale -> int
    decimal -> str with a dot, e.g. "66.5"       single -> choice code
    multiple -> [codes] in choice order;         yesno -> "yes" | "no"
                [] when shown and none ticked
    date -> "YYYY-MM-DD"                         file -> {"id": int, "name": str}
    matrix -> {row code: choice code}            table -> [{column key: value}, ...]
    note -> never answered                       calculate -> expressions.stored_value()
                                                 (int, float or str)
    "<key>_other" -> str, the text of the option "other" of a single or multiple choice

Conditions are data, never code:

    Condition := {"all": [Condition, ...]} | {"any": [Condition, ...]} | {"not": Condition}
               | {"key": question key, "op": one of OPERATORS, "value": ...}
               | {"expr": AST}       # holds when the expression is true (an XLSForm
                                     # relevant the comparisons cannot say)

    eq, ne        answer equals / differs from value (a yes/no, single choice code, number,
                  text or ISO date); for a multiple choice, eq means exactly that one option
    in            answer is one of value (a list)
    contains      a multiple choice answer includes value (a code)
    gt, lt, ge, le  numeric (integer, decimal, scale) or date comparison with value
    answered, empty  the question has / has no answer (value is ignored)

A question whose condition refers to a hidden question sees that question as unanswered.
"""

COLUMN_TYPES = (
    "text", "textarea", "integer", "decimal", "single", "multiple", "yesno", "date", "email",
    "phone", "scale", "calculate",
)  # fmt: skip

QUESTION_TYPES = (*COLUMN_TYPES, "file", "matrix", "table", "note")

OPERATORS = ("eq", "ne", "in", "contains", "gt", "lt", "ge", "le", "answered", "empty")

NUMERIC_TYPES = ("integer", "decimal", "scale")
CHOICE_TYPES = ("single", "multiple", "matrix")
# Questions whose answer an expression can constrain or a default can give.
SIMPLE_TYPES = tuple(kind for kind in COLUMN_TYPES if kind != "calculate")
OTHER = "other"  # the code of the option "other" and the suffix of its text answer
YES, NO = "yes", "no"
DEFAULT_SCALE = (1, 5)
MAX_SCALE_POINTS = 101  # e.g. 0..100
# An integer or decimal answer (a table cell too) lies in this range unless its question sets
# min or max; a bound itself lies within NUMBER_BOUND, the largest whole number the answer
# table stores (numeric(20, 6): 14 digits before the point), so no answer can overflow it.
DEFAULT_NUMBER_RANGE = (-(10**12), 10**12)
NUMBER_BOUND = 10**14 - 1
STYLE_LENGTH = 100  # of XLSForm settings.style
