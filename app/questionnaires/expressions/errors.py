"""The error every part of the expression language raises, and its limits."""

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError

# Characters of an expression's text: a long calculation of a real form is a few hundred.
MAX_LENGTH = 2000
# Levels of the syntax tree: `${a} + ${b} + ...` of 100 terms, or brackets 100 deep; well within
# the recursion of the walkers.
MAX_DEPTH = 100


class ExpressionError(DomainError):
    """An expression is malformed or uses something the language does not support."""


# A stored tree that is not one the parser makes.
MALFORMED = _l("the expression is malformed")
