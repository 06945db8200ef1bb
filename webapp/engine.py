"""The process's search engine, kept on the app the way flaskr keeps its database.

Every blueprint asks this module for the engine and for records; none imports another
blueprint to get them.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, current_app

from indexer.search import Engine

_EXTENSION = "archive_search"
_RECORD_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")


def init_app(app: Flask) -> None:
    """One Engine per app (per worker process): one searcher, reopened when the index changes."""
    app.extensions[_EXTENSION] = Engine(
        app.config["INDEX_PATH"], time_budget=app.config["SEARCH_TIME_BUDGET"]
    )


def get_engine() -> Engine:
    engine: Engine = current_app.extensions[_EXTENSION]
    return engine


def record_or_404(record_id: str) -> dict[str, Any]:
    """A stored record by id, or a 404 for an id that is malformed or not in the index."""
    if not _RECORD_ID.fullmatch(record_id):
        abort(404)
    record = get_engine().record(record_id)
    if record is None:
        abort(404)
    return record
