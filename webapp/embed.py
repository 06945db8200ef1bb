"""Search for other people's pages: an <iframe> page, and the help page for the widget.

/embed is the search's results without the site around them, links opening the full
record in a new tab. It is the only route other sites may frame.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from indexer.search import FACETS

from .engine import get_engine
from .params import hidden_fields, query_from_args, search_args, search_url

embed = Blueprint("embed", __name__)


@embed.before_request
def frameable() -> None:
    """The results page may be framed, and so may its errors (a bad query shows its 400 page in
    the frame, not the browser's refusal)."""
    if request.endpoint == "embed.embed_page":
        g.allow_framing = True


@embed.get("/embed")
def embed_page() -> str:
    query = query_from_args(search_args())
    results = get_engine().search(query)
    first = (results.page - 1) * results.per_page + 1
    response = render_template(
        "embed.html",
        query=query,
        results=results,
        first=first if results.results else 0,
        last=first + len(results.results) - 1 if results.results else 0,
        form_hidden=hidden_fields(query, "q"),
        prev_url=search_url(query, "/embed", page=results.page - 1) if results.page > 1 else None,
        next_url=search_url(query, "/embed", page=results.page + 1)
        if results.page < results.pages
        else None,
        full_url=search_url(query, "/search"),
        suggestion_url=search_url(query, "/embed", text=results.suggestion)
        if results.suggestion
        else None,
    )
    return response


@embed.get("/embed/help")
def embed_help() -> str:
    base = request.host_url.rstrip("/")
    return render_template(
        "embed_help.html",
        base=base,
        facets=FACETS,
        page_title="Put the search on your page",
        description=(
            "Copy a snippet to add a search of the archive to a course page or research guide."
        ),
    )
