"""Machine-readable doors into the search: an OpenSearch description and Atom feeds.

/opensearch.xml lets a browser offer the archive as a search engine. /search.atom
is any search as a feed, newest documents first unless another sort is asked for, so
a historian can follow "records about Molotov" in a feed reader.
"""

from __future__ import annotations

from flask import Blueprint, Response, make_response, render_template, request

from indexer.search import FACETS, format_archive_date

from .engine import get_engine
from .params import query_from_args, record_path, search_args, search_url

feeds = Blueprint("feeds", __name__)


@feeds.get("/opensearch.xml")
def opensearch() -> Response:
    response = make_response(render_template("opensearch.xml", base=request.host_url.rstrip("/")))
    response.mimetype = "application/opensearchdescription+xml"
    return response


@feeds.get("/search.atom")
def atom() -> Response:
    query = query_from_args(search_args())
    if not query.sort:
        query = query.with_changes(sort="-date")
    search_engine = get_engine()
    results = search_engine.search(query)
    base = request.host_url.rstrip("/")
    updated = search_engine.info.built_at or "1970-01-01T00:00:00Z"
    entries = [
        {
            "hit": hit,
            "url": base + record_path(hit.id),
            "shown_date": format_archive_date(hit.date, hit.date_precision),
            "updated": updated,
        }
        for hit in results.results
    ]
    response = make_response(
        render_template(
            "atom.xml",
            query=query,
            results=results,
            entries=entries,
            updated=updated,
            base=base,
            facets=FACETS,
            self_url=base + search_url(query, "/search.atom"),
            html_url=base + search_url(query, "/search"),
        )
    )
    response.mimetype = "application/atom+xml"
    return response
