"""The questionnaire definition: the one format every part of the forms engine speaks.

A form version is described by a plain dict (it is also the JSON export):

    {
      "title": str, "description": str,
      "form_id": str,            # a stable slug of the form (XLSForm settings.form_id)
      "version": str,            # free text, e.g. "2024-1" (XLSForm settings.version)
      "sections": [
        {
          "key": str,            # slug, unique in the form among sections and questions
          "title": str, "description": str,
          "condition": Condition | None,   # the section shows only when this holds
          "questions": [Question, ...],
        },
        ...
      ],
    }

A question:

    {
      "key": str,                # slug: a letter or "_" first, then letters, digits, "_";
                                 # unique in the form; used in exports, conditions, prefill
      "type": one of QUESTION_TYPES,
      "label": str, "help": str, "required": bool,
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
      "constraint_message": str,                      # shown when min/max fail, if given
    }

A table column is a question of a simple type (text, textarea, integer, decimal, single,
multiple, yesno, date, email, phone, scale) without "condition", "rows" or "columns".

Answer values (the JSON of a response; a missing key or None means unanswered):

    text, textarea, email, phone -> str          integer, scale -> int
    decimal -> str with a dot, e.g. "66.5"       single -> choice code
    multiple -> [codes] in choice order;         yesno -> "yes" | "no"
                [] when shown and none ticked
    date -> "YYYY-MM-DD"                         file -> {"id": int, "name": str}
    matrix -> {row code: choice code}            table -> [{column key: value}, ...]
    note -> never answered

Conditions are data, never code:

    Condition := {"all": [Condition, ...]} | {"any": [Condition, ...]} | {"not": Condition}
               | {"key": question key, "op": one of OPERATORS, "value": ...}

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
    "phone", "scale",
)  # fmt: skip

QUESTION_TYPES = (*COLUMN_TYPES, "file", "matrix", "table", "note")

OPERATORS = ("eq", "ne", "in", "contains", "gt", "lt", "ge", "le", "answered", "empty")

NUMERIC_TYPES = ("integer", "decimal", "scale")
CHOICE_TYPES = ("single", "multiple", "matrix")
YES, NO = "yes", "no"
DEFAULT_SCALE = (1, 5)
MAX_SCALE_POINTS = 101  # e.g. 0..100
# An integer or decimal answer (a table cell too) lies in this range unless its question sets
# min or max; a bound itself lies within NUMBER_BOUND, the largest whole number the answer
# table stores (numeric(20, 6): 14 digits before the point), so no answer can overflow it.
DEFAULT_NUMBER_RANGE = (-(10**12), 10**12)
NUMBER_BOUND = 10**14 - 1
