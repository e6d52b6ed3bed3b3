"""URL converters: an <int:...> in a route only matches an id a row can have."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

from portfolio.domain.limits import ROW_ID


class RowIdConverter(IntegerConverter):
    """`<int:id>` bounded to the range of a database id: `/costs/99999999999999999999/edit` is a
    404, not a database error about an integer out of range (a 500)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", ROW_ID.maximum)
        super().__init__(map, *args, **kwargs)


def init_app(app) -> None:
    """Use the bounded converter for every `<int:...>` (call before registering blueprints)."""
    app.url_map.converters["int"] = RowIdConverter
