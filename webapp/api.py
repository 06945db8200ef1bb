"""The JSON API: the search page's Results, rendered as data.

`/api/search` takes the page's parameters and answers the contract in
docs/api.md; `/api/records/<id>` one record. Every HTML search URL also answers as
JSON (`/search.json?...`, or `/search` with `Accept: application/json`). Facet values
carry their own `toggle_url`, so clients never rebuild URLs.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from indexer.search.query import Query
from indexer.search.engine import FacetValue, Results

from . import openapi
from .params import FacetLinks, query_from_args, search_url
from .views import engine, record_or_404, record_path

api = Blueprint("api", __name__)

API_VERSION = "1.0.0"


def absolute(path: str) -> str:
    return request.host_url.rstrip("/") + path


def api_results(query: Query, results: Results, path: str = "/api/search") -> dict:
    """The API's answer for one search: exactly the documented keys."""

    host = request.host_url.rstrip("/")
    links = FacetLinks(query, path)

    def facet(value: FacetValue, toggle: str) -> dict:
        return {"value": value.value, "count": value.count, "selected": value.selected, "toggle_url": host + toggle}

    return {
        "query": {
            "q": query.text,
            "year": list(query.years),
            "person": list(query.persons),
            "from": query.date_from,
            "to": query.date_to,
            "sort": query.effective_sort,
            "page": query.page,
            "per_page": query.per_page,
            "fallback": results.fallback,
            "any_words": results.any_words,
            "name_variants": results.name_variants,
            "partial": results.partial,
        },
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "pages": results.pages,
        "results": [
            {
                "id": hit.id,
                "url": host + record_path(hit.id),
                "title": hit.title,
                "summary": hit.summary,
                "date": hit.date,
                "date_precision": hit.date_precision,
                "year": hit.year,
                "persons": hit.persons,
                "highlights": hit.highlights,
                "source_url": hit.source_url,
            }
            for hit in results.results
        ],
        "facets": {
            "year": [facet(f, links.year(f.value)) for f in results.facets["year"]],
            "person": [facet(f, links.person(f.value)) for f in results.facets["person"]],
        },
        "suggestion": results.suggestion,
    }


def page_links(query: Query, results: Results, path: str) -> str:
    """An RFC 8288 Link header: first, prev, next and last pages of this search."""
    links = [(search_url(query, path, page=1), "first"), (search_url(query, path, page=results.pages), "last")]
    if results.page > 1:
        links.append((search_url(query, path, page=min(results.page - 1, results.pages)), "prev"))
    if results.page < results.pages:
        links.append((search_url(query, path, page=results.page + 1), "next"))
    return ", ".join(f'<{absolute(url)}>; rel="{rel}"' for url, rel in links)


def search_json(path: str):
    query = query_from_args(request.args)
    results = engine().search(query)
    response = jsonify(api_results(query, results, path))
    response.headers["Link"] = page_links(query, results, path)
    return response


@api.get("/api/search")
def search():
    return search_json("/api/search")


@api.get("/search.json")
def search_dot_json():
    return search_json("/search.json")


@api.get("/api/records/<record_id>")
def record(record_id: str):
    data = dict(record_or_404(record_id))
    data["url"] = absolute(record_path(record_id))
    return jsonify(data)


@api.get("/api/openapi.json")
def openapi_document():
    return jsonify(openapi.document(request.host_url.rstrip("/"), API_VERSION))


@api.route("/api/", defaults={"rest": ""})
@api.route("/api/<path:rest>")
def unknown(rest: str):
    abort(404)
