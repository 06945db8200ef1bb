"""A search's Results rendered as the API's JSON: the one shape /api/search, /search.json
and /search with ``Accept: application/json`` answer (documented in docs/api.md).

Facet values carry their own ``toggle_url``, so clients never rebuild URLs.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from indexer.search import FACETS, KEYWORD_FACETS, FacetValue, Query, Results

from .engine import get_engine
from .params import FacetLinks, query_from_args, record_path, search_args, search_url


def absolute(path: str) -> str:
    return request.host_url.rstrip("/") + path


def api_results(query: Query, results: Results, path: str = "/api/search") -> dict[str, Any]:
    """The API's answer for one search: exactly the documented keys."""
    host = request.host_url.rstrip("/")
    links = FacetLinks(query, path)

    def facet(value: FacetValue, toggle: str) -> dict[str, Any]:
        return {
            "value": value.value,
            "count": value.count,
            "selected": value.selected,
            "toggle_url": host + toggle,
        }

    return {
        "query": {
            "q": query.text,
            **{facet.name: list(query.selected(facet.name)) for facet in FACETS},
            "from": query.date_from,
            "to": query.date_to,
            "sort": query.effective_sort,
            "page": query.page,
            "per_page": query.per_page,
            "fallback": results.fallback,
            "any_words": results.any_words,
            "name_variants": results.name_variants,
            "partial": results.partial,
            "notes": list(query.notes),
            "offer": host + search_url(results.offer, path) if results.offer else None,
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
                "type": hit.document_type,
                **{
                    facet.name: hit.values.get(facet.name, [])
                    for facet in KEYWORD_FACETS
                    if facet.name != "type"
                },
                "highlights": {name: value.html() for name, value in hit.highlights.items()},
                "source_url": hit.source_url,
            }
            for hit in results.results
        ],
        "facets": {
            name: [facet(f, links.value(name, f.value)) for f in values]
            for name, values in results.facets.items()
        },
        "suggestion": results.suggestion,
    }


def page_links(query: Query, results: Results, path: str) -> str:
    """An RFC 8288 Link header: first, prev, next and last pages of this search."""
    links = [
        (search_url(query, path, page=1), "first"),
        (search_url(query, path, page=results.pages), "last"),
    ]
    if results.page > 1:
        links.append((search_url(query, path, page=min(results.page - 1, results.pages)), "prev"))
    if results.page < results.pages:
        links.append((search_url(query, path, page=results.page + 1), "next"))
    return ", ".join(f'<{absolute(url)}>; rel="{rel}"' for url, rel in links)


def search_json(path: str) -> Response:
    """The search the request asks for, as the API's JSON with paging links."""
    query = query_from_args(search_args())
    results = get_engine().search(query)
    response = jsonify(api_results(query, results, path))
    response.headers["Link"] = page_links(query, results, path)
    return response
