"""The JSON API's routes: searches, records and the OpenAPI document.

`/api/search` takes the page's parameters and answers the contract in docs/api.md
(rendered by results_json.py); `/api/records/<id>` one record, and
`/api/records/<id>/cite` its citation in a CSL style. Every HTML search URL also answers
as JSON (`/search.json?...`, or `/search` with `Accept: application/json`).
"""

from __future__ import annotations

from datetime import date
from typing import NoReturn

from flask import Blueprint, Response, abort, jsonify, request

from . import citations, openapi
from .downloads import reference_url
from .engine import record_or_404
from .params import record_path
from .results_json import absolute, search_json

api = Blueprint("api", __name__)

API_VERSION = "1.4.0"


@api.route("/api/search", methods=["GET", "POST"])
def search() -> Response:
    """A search; POST takes a JSON object of the same parameters, for searches too long
    for a request line."""
    return search_json("/api/search")


@api.get("/search.json")
def search_dot_json() -> Response:
    return search_json("/search.json")


@api.get("/api/records/<record_id>")
def record(record_id: str) -> Response:
    data = dict(record_or_404(record_id))
    data["url"] = absolute(record_path(record_id))
    return jsonify(data)


@api.get("/api/records/<record_id>/cite")
def cite(record_id: str) -> Response:
    """A record cited in ``style`` (any installed CSL style; Chicago notes-bibliography
    when none is named), as HTML and as plain text."""
    record = record_or_404(record_id)
    name = citations.style_name(request.args.get("style"))
    cited = citations.cite(record, reference_url(record), name, date.today())
    data = cited.as_json()
    data["record"] = absolute(record_path(record_id))
    return jsonify(data)


@api.get("/api/openapi.json")
def openapi_document() -> Response:
    return jsonify(openapi.document(request.host_url.rstrip("/"), API_VERSION))


@api.route("/api/", defaults={"rest": ""})
@api.route("/api/<path:rest>")
def unknown(rest: str) -> NoReturn:
    abort(404)
