"""Request arguments -> a validated Query, and every search URL the pages link to.

The URL is the whole state of a search: words, filters, sort and page. Parameters are
read here once; nothing downstream reads ``request.args``. Every link a page offers
(a facet value, a chip's remove button, a page number, a sort) is built by
``search_url`` from the current Query, so each keeps everything else.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from flask import request
from werkzeug.datastructures import MultiDict

from indexer.search import (
    DEFAULT_PER_PAGE,
    FACETS,
    KEYWORD_FACETS,
    Query,
    QueryError,
    make_query,
)

# The longest link a page offers: gunicorn reads request lines of at most 8,190 bytes.
LINK_LIMIT = 8000
# Parameters the search pages understand; anything else is ignored (and kept out of links).
SEARCH_PARAMS = (
    "q",
    *(facet.name for facet in FACETS),
    "from",
    "to",
    "sort",
    "page",
    "per_page",
    "all",
    "people",
)


def search_args() -> MultiDict[str, str]:
    """The search parameters of this request, however they came: the query string of a
    GET, the form of a POST from a page, or the JSON object of a POST to the API. Long
    searches come by POST: a GET's request line is limited (serve.py)."""
    if request.method != "POST":
        return request.args
    if request.mimetype == "application/json":
        return args_from_json(request.get_json(silent=True, cache=True))
    return request.form


def args_from_json(body: object) -> MultiDict[str, str]:
    """A JSON object of search parameters as the query string would give them.

    Values are strings, numbers, or lists of them for the repeatable ones (the facets,
    such as year, person and subject); keys that are not search parameters are ignored,
    as in a query string.
    """
    if not isinstance(body, dict):
        raise QueryError(
            "body", 'the body must be a JSON object of search parameters, such as {"q": "Stalin"}'
        )
    pairs: list[tuple[str, str]] = []
    for name, value in body.items():
        if name not in SEARCH_PARAMS or value is None:
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise QueryError(name, f"{name} must be text or a number (or a list of them)")
            pairs.append((name, str(item)))
    return MultiDict(pairs)


def query_from_args(args: MultiDict[str, str]) -> Query:
    """The Query a request asks for; QueryError (a 400 naming the parameter) when it is wrong."""
    for name in ("q", "from", "to", "sort"):
        if len(args.getlist(name)) > 1:
            raise QueryError(name, f"{name} may be given once, not {len(args.getlist(name))} times")
    expanded = args.getlist("all") + (["person"] if args.get("people") == "all" else [])
    return make_query(
        text=args.get("q", ""),
        years=args.getlist("year"),
        persons=args.getlist("person"),
        date_from=args.get("from"),
        date_to=args.get("to"),
        sort=args.get("sort"),
        page=args.getlist("page") or None,
        per_page=args.getlist("per_page") or None,
        values={facet.name: args.getlist(facet.name) for facet in KEYWORD_FACETS},
        expanded=expanded,
    )


def query_params(query: Query) -> list[tuple[str, str]]:
    """A Query as URL parameters, in a stable order, defaults left out."""
    params: list[tuple[str, str]] = []
    if query.text:
        params.append(("q", query.text))
    for facet in FACETS:
        params += [(facet.name, str(value)) for value in query.selected(facet.name)]
    if query.date_from:
        params.append(("from", query.date_from))
    if query.date_to:
        params.append(("to", query.date_to))
    if query.sort:
        params.append(("sort", query.sort))
    if query.per_page != DEFAULT_PER_PAGE:
        params.append(("per_page", str(query.per_page)))
    params += [("all", name) for name in query.expanded]
    if query.page != 1:
        params.append(("page", str(query.page)))
    return params


def search_url(query: Query, path: str = "/search", **changes: Any) -> str:
    """This search with some things changed; any change but paging goes back to page 1."""
    if changes and "page" not in changes:
        changes["page"] = 1
    changed = query.with_changes(**changes) if changes else query
    return url_of(changed, path)


def url_of(query: Query, path: str = "/search") -> str:
    params = query_params(query)
    return f"{path}?{urlencode(params)}" if params else path


def toggle_url(query: Query, facet: str, value: Any, path: str = "/search") -> str:
    """This search with one value of a facet picked, or dropped if it was picked."""
    return url_of(query.toggled(facet, value).with_changes(page=1), path)


def toggle_year_url(query: Query, year: int, path: str = "/search") -> str:
    return toggle_url(query, "year", year, path)


def toggle_person_url(query: Query, person: str, path: str = "/search") -> str:
    return toggle_url(query, "person", person, path)


class FacetLinks:
    """Every facet value's toggle URL for one search, from pieces encoded once.

    A page shows up to ~150 facet values; building each URL from scratch (a Query copy
    and a full urlencode) cost more than the search itself. The URLs are exactly those
    of toggle_url (a test holds them equal).
    """

    def __init__(self, query: Query, path: str = "/search"):
        self.query, self.path = query, path
        params = query_params(query.with_changes(page=1))
        self._text = urlencode([p for p in params if p[0] == "q"])
        self._selected = {
            facet.name: [p[1] for p in params if p[0] == facet.name] for facet in FACETS
        }
        self._encoded = {
            facet.name: {
                value: urlencode([(facet.name, value)]) for value in self._selected[facet.name]
            }
            for facet in FACETS
        }
        names = {"q", *self._selected}
        self._rest = urlencode([p for p in params if p[0] not in names])

    def value(self, name: str, value: Any) -> str:
        """The URL that toggles ``value`` of the facet ``name``."""
        toggled = [str(item) for item in self.query.toggled(name, value).selected(name)]
        pieces = [self._text]
        for facet in FACETS:
            encoded = self._encoded[facet.name]
            values = toggled if facet.name == name else self._selected[facet.name]
            pieces.append(
                "&".join(encoded.get(item) or urlencode([(facet.name, item)]) for item in values)
            )
        pieces.append(self._rest)
        joined = "&".join(piece for piece in pieces if piece)
        return f"{self.path}?{joined}" if joined else self.path

    def year(self, year: int) -> str:
        return self.value("year", year)

    def person(self, person: str) -> str:
        return self.value("person", person)


def chips(query: Query, path: str = "/search") -> list[dict[str, Any]]:
    """The selected filters as removable chips: a label, the search without it, and its URL."""
    found: list[tuple[str, str, Query]] = [
        (facet.label, str(value), query.toggled(facet.name, value))
        for facet in FACETS
        for value in query.selected(facet.name)
    ]
    if query.date_from:
        found.append(("Date", f"from {query.date_from}", query.with_changes(date_from=None)))
    if query.date_to:
        found.append(("Date", f"to {query.date_to}", query.with_changes(date_to=None)))
    return [
        {
            "kind": kind,
            "label": label,
            "without": without.with_changes(page=1),
            "remove": url_of(without.with_changes(page=1), path),
        }
        for kind, label, without in found
    ]


def clear_filters_url(query: Query, path: str = "/search") -> str:
    return search_url(query, path, years=(), persons=(), values=(), date_from=None, date_to=None)


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to show, None for a gap: 1 … 4 5 [6] 7 8 … 20."""
    shown = {1, pages} | set(range(max(1, page - around), min(pages, page + around) + 1))
    numbers: list[int | None] = []
    last = 0
    for number in sorted(shown):
        if last and number - last == 2:
            numbers.append(number - 1)  # a gap of one page shows the page, not an ellipsis
        elif last and number - last > 2:
            numbers.append(None)
        numbers.append(number)
        last = number
    return numbers


def hidden_fields(query: Query, *replaced: str) -> list[tuple[str, str]]:
    """The hidden inputs a form needs to keep this search while it changes ``replaced``."""
    return [
        (name, value)
        for name, value in query_params(query)
        if name not in replaced and name != "page"
    ]


def record_path(record_id: str, words: str = "") -> str:
    """A record page's path: what url_for gives, without routing it for every hit of a page.
    With the search's ``words``, the page marks them in the record's text."""
    path = f"{request.script_root}/records/{quote(record_id, safe='')}"
    return f"{path}?{urlencode([('q', words)])}" if words and len(words) < LINK_LIMIT // 2 else path
