"""Checking an expression stored in a definition: a stored AST is untrusted input.

An AST is accepted when it is what the parser makes of its own text (``parse(to_text(ast)) ==
ast``), so only trees the parser could have built reach an evaluator, and when every ${key} it
reads is one the question may read (``scope``).
"""

from collections.abc import Collection

from flask_babel import lazy_gettext as _l

from app.questionnaires.expressions import (
    MAX_DEPTH,
    ExpressionError,
    parse,
    references,
    to_text,
)

MALFORMED = _l("the expression is malformed")
# A level of the tree is at most two lists deep (a call holds a list of arguments).
MAX_NESTING = 2 * MAX_DEPTH + 2


def _too_deep(ast) -> bool:
    stack = [(ast, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, list):
            if level > MAX_NESTING:
                return True
            stack.extend((part, level + 1) for part in item)
    return False


def ast_problem(ast, *, allow_names: bool = False):
    """Why ``ast`` is no expression of the language, or None when it is one."""
    if not isinstance(ast, list) or _too_deep(ast):
        return MALFORMED
    try:
        same = parse(to_text(ast), allow_names=allow_names) == ast
    except ExpressionError as error:
        return error.message
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError):
        return MALFORMED
    return None if same else MALFORMED


def reference_problem(
    ast, scope: Collection[str], form_keys: Collection[str] = (), ambiguous: Collection[str] = ()
):
    """Why a ${key} of a well-formed ``ast`` may not be read here, or None."""
    for key in sorted(references(ast)):
        if key in ambiguous:
            return _l("${%(key)s} names several questions or table columns", key=key)
        if key not in scope:
            if key in form_keys:
                return _l("${%(key)s} does not come earlier in the form", key=key)
            return _l("there is no question ${%(key)s}", key=key)
    return None


def expression_problem(ast, scope, form_keys=(), *, allow_names=False, ambiguous=()):
    return ast_problem(ast, allow_names=allow_names) or reference_problem(
        ast, scope, form_keys, ambiguous
    )
