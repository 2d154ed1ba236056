"""The one way lists are paginated."""

from flask import current_app, request

from app.extensions import db


def paginate(statement, per_page: int | None = None):
    """A page of ``statement`` chosen by the ``page`` query argument; out of range gives empty."""
    return db.paginate(
        statement,
        page=request.args.get("page", 1, type=int),
        per_page=per_page or current_app.config["PER_PAGE"],
        max_per_page=200,
        error_out=False,
        count=True,
    )
