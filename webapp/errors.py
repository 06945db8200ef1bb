"""One error path: every failure becomes a page that says what happened, never a stack trace.

A parameter a client got wrong is a 400 naming it; an unknown page or record a 404;
an index that cannot be opened a 503 saying so. The API (issue 6) answers the same
errors as JSON from here.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.search import IndexUnavailable, QueryError

from .exports import TooManyToExport


def wants_json() -> bool:
    """The API, a .json URL, or a client that asks for JSON first gets its errors as JSON."""
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _answer(
    status: int, title: str, message: str, param: str | None = None, page_title: str | None = None
) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify({"error": {"code": status, "message": message, "param": param}}), status
    # Inside another site's frame, the error keeps the frame's compact look and its search box.
    template = "embed_error.html" if request.blueprint == "embed" else "error.html"
    return render_template(
        template,
        status=status,
        title=title,
        message=message,
        param=param,
        page_title=page_title or title,
    ), status


def register(app: Flask) -> None:
    @app.errorhandler(QueryError)
    def bad_parameter(error: QueryError) -> tuple[Response | str, int]:
        return _answer(
            400, "That search could not be read", error.message, error.param, "Bad request"
        )

    @app.errorhandler(TooManyToExport)
    def too_many(error: TooManyToExport) -> tuple[Response | str, int]:
        return _answer(400, "Too many records to export", str(error), None, "Bad request")

    @app.errorhandler(IndexUnavailable)
    def no_index(error: IndexUnavailable) -> tuple[Response | str, int]:
        app.logger.error("index unavailable: %s", error)
        return _answer(
            503,
            "The search is not available right now",
            "The archive's index could not be opened. Please try again in a few minutes.",
            page_title="Unavailable",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        titles = {404: "Not found", 405: "Not allowed", 413: "Too large", 429: "Too many requests"}
        body_limit = current_app.config["MAX_CONTENT_LENGTH"]
        messages = {
            404: "There is no page or record at this address.",
            413: f"The request's body is larger than the {body_limit:,} bytes this service "
            "reads. A search's text is at most 1,000 characters.",
            429: f"Too many requests from your address (the limit is {error.description}). "
            "Please wait a moment and try again: Retry-After says how long.",
        }
        code = error.code or 500
        return _answer(
            code,
            titles.get(code, error.name),
            messages.get(code, error.description or error.name),
            page_title=error.name,
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response | str, int]:
        app.logger.exception("unexpected error on %s", request.path)
        return _answer(
            500,
            "Something went wrong on our side",
            "The error has been logged. Please try again, or search again from the start.",
            page_title="Error",
        )
