"""The one way lists are paginated."""

from flask import current_app, request

from app.extensions import db

# Past any real list, and small enough that the offset fits every database's integer.
MAX_PAGE = 1_000_000


def requested_page() -> int:
    """The ``page`` query argument: 1 when missing or not a number, at most MAX_PAGE."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), MAX_PAGE)


def paginate(statement, per_page: int | None = None):
    """A page of ``statement`` chosen by the ``page`` query argument; out of range gives empty."""
    return db.paginate(
        statement,
        page=requested_page(),
        per_page=per_page or current_app.config["PER_PAGE"],
        max_per_page=200,
        error_out=False,
        count=True,
    )
