"""The supported functions: how many arguments each takes and what it gives."""

from math import inf

# name -> (fewest arguments, most arguments, result type)
FUNCTIONS: dict[str, tuple[int, float, str]] = {
    "true": (0, 0, "boolean"),
    "false": (0, 0, "boolean"),
    "not": (1, 1, "boolean"),
    "boolean": (1, 1, "boolean"),
    "string": (1, 1, "text"),
    "number": (1, 1, "number"),
    "int": (1, 1, "number"),
    "round": (1, 2, "number"),
    "abs": (1, 1, "number"),
    "floor": (1, 1, "number"),
    "ceiling": (1, 1, "number"),
    "selected": (2, 2, "boolean"),
    "count-selected": (1, 1, "number"),
    "selected-at": (2, 2, "text"),
    "jr:choice-name": (2, 2, "text"),
    "string-length": (1, 1, "number"),
    "concat": (0, inf, "text"),
    "substr": (2, 3, "text"),
    "contains": (2, 2, "boolean"),
    "starts-with": (2, 2, "boolean"),
    "ends-with": (2, 2, "boolean"),
    "regex": (2, 2, "boolean"),
    "if": (3, 3, "text"),
    "coalesce": (2, 2, "text"),
    "min": (1, inf, "number"),
    "max": (1, inf, "number"),
    "sum": (1, 1, "number"),
    "count": (1, 1, "number"),
    "today": (0, 0, "date"),
    "date": (1, 1, "date"),
    "decimal-date-time": (1, 1, "number"),
    "format-date": (2, 2, "text"),
    "position": (1, 1, "number"),
    "indexed-repeat": (3, 3, "text"),
}

ARITHMETIC = ("+", "-", "*", "div", "mod")
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
LOGICAL = ("and", "or")
OPERATORS = ARITHMETIC + COMPARISONS + LOGICAL

# Binding strength of binary operators (XPath 1.0); unary minus binds tighter than all of them.
PRECEDENCE = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}
