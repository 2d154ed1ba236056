"""URL converters: an id in a path beyond what the database can hold matches no route (404)
instead of overflowing the query (a 500)."""

from werkzeug.routing import IntegerConverter

ID_MAX = 2**31 - 1  # the largest INTEGER primary key of PostgreSQL


class IdConverter(IntegerConverter):
    """``<int:…>`` capped at ``ID_MAX`` unless the rule names its own maximum."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", ID_MAX)
        super().__init__(url_map, *args, **kwargs)


def register_converters(app) -> None:
    """Before the blueprints: a rule takes its converters when it is added."""
    app.url_map.converters["int"] = IdConverter
