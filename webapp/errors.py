"""One error path: every failure becomes a page that says what happened, never a stack trace.

A parameter a client got wrong is a 400 naming it; an unknown page or record a 404;
an index that cannot be opened a 503 saying so. The API (issue 6) answers the same
errors as JSON from here.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.indexdir import IndexUnavailable
from indexer.query import QueryError


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def register(app: Flask) -> None:
    @app.errorhandler(QueryError)
    def bad_parameter(error: QueryError):
        return render_template(
            "error.html", status=400, title="That search could not be read",
            message=error.message, param=error.param, page_title="Bad request",
        ), 400

    @app.errorhandler(IndexUnavailable)
    def no_index(error: IndexUnavailable):
        app.logger.error("index unavailable: %s", error)
        return render_template(
            "error.html", status=503, title="The search is not available right now",
            message="The archive's index could not be opened. Please try again in a few minutes.",
            page_title="Unavailable",
        ), 503

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        titles = {404: "Not found", 405: "Not allowed", 413: "Too large"}
        messages = {404: "There is no page or record at this address."}
        return render_template(
            "error.html", status=error.code, title=titles.get(error.code, error.name),
            message=messages.get(error.code, error.description), page_title=error.name,
        ), error.code

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return render_template(
            "error.html", status=500, title="Something went wrong on our side",
            message="The error has been logged. Please try again, or search again from the start.",
            page_title="Error",
        ), 500
