"""Request arguments -> a validated Query, and every search URL the pages link to.

The URL is the whole state of a search: words, filters, sort and page. Parameters are
read here once; nothing downstream reads ``request.args``. Every link a page offers
(a facet value, a chip's remove button, a page number, a sort) is built by
``search_url`` from the current Query, so each keeps everything else.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, quote_plus, urlencode

from flask import request
from werkzeug.datastructures import MultiDict

from indexer.search import DEFAULT_PER_PAGE, Query, QueryError, make_query

# The longest link a page offers: gunicorn reads request lines of at most 8,190 bytes.
LINK_LIMIT = 8000
# Parameters the search pages understand; anything else is ignored (and kept out of links).
SEARCH_PARAMS = ("q", "year", "person", "from", "to", "sort", "page", "per_page", "people")


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

    Values are strings, numbers, or lists of them for the repeatable ones (year,
    person); keys that are not search parameters are ignored, as in a query string.
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
    return make_query(
        text=args.get("q", ""),
        years=args.getlist("year"),
        persons=args.getlist("person"),
        date_from=args.get("from"),
        date_to=args.get("to"),
        sort=args.get("sort"),
        page=args.getlist("page") or None,
        per_page=args.getlist("per_page") or None,
    ).with_changes(all_persons=args.get("people") == "all")


def query_params(query: Query) -> list[tuple[str, str]]:
    """A Query as URL parameters, in a stable order, defaults left out."""
    params: list[tuple[str, str]] = []
    if query.text:
        params.append(("q", query.text))
    params += [("year", str(year)) for year in query.years]
    params += [("person", person) for person in query.persons]
    if query.date_from:
        params.append(("from", query.date_from))
    if query.date_to:
        params.append(("to", query.date_to))
    if query.sort:
        params.append(("sort", query.sort))
    if query.per_page != DEFAULT_PER_PAGE:
        params.append(("per_page", str(query.per_page)))
    if query.all_persons:
        params.append(("people", "all"))
    if query.page != 1:
        params.append(("page", str(query.page)))
    return params


def search_url(query: Query, path: str = "/search", **changes: Any) -> str:
    """This search with some things changed; any change but paging goes back to page 1."""
    if changes and "page" not in changes:
        changes["page"] = 1
    changed = query.with_changes(**changes) if changes else query
    params = query_params(changed)
    return f"{path}?{urlencode(params)}" if params else path


def _toggled_years(query: Query, year: int) -> tuple[int, ...]:
    if year in query.years:
        return tuple(y for y in query.years if y != year)
    return tuple(sorted((*query.years, year)))


def _toggled_persons(query: Query, person: str) -> tuple[str, ...]:
    if person in query.persons:
        return tuple(p for p in query.persons if p != person)
    return (*query.persons, person)


def toggle_year_url(query: Query, year: int, path: str = "/search") -> str:
    return search_url(query, path, years=_toggled_years(query, year))


def toggle_person_url(query: Query, person: str, path: str = "/search") -> str:
    return search_url(query, path, persons=_toggled_persons(query, person))


class FacetLinks:
    """Every facet value's toggle URL for one search, from pieces encoded once.

    A page shows up to ~80 facet values; building each URL from scratch (a Query copy
    and a full urlencode) cost more than the search itself. The URLs are exactly those
    of toggle_year_url and toggle_person_url (a test holds them equal).
    """

    def __init__(self, query: Query, path: str = "/search"):
        self.query, self.path = query, path
        params = query_params(query.with_changes(page=1))
        self._text = urlencode([p for p in params if p[0] == "q"])
        self._years = [p[1] for p in params if p[0] == "year"]
        self._persons = [p[1] for p in params if p[0] == "person"]
        self._rest = urlencode([p for p in params if p[0] not in ("q", "year", "person")])
        self._encoded_persons = {person: "person=" + quote_plus(person) for person in self._persons}

    def _url(self, years: list[str], persons: list[str]) -> str:
        pieces = [
            self._text,
            "&".join(f"year={y}" for y in years),
            "&".join(self._encoded_persons.get(p) or "person=" + quote_plus(p) for p in persons),
            self._rest,
        ]
        joined = "&".join(piece for piece in pieces if piece)
        return f"{self.path}?{joined}" if joined else self.path

    def year(self, year: int) -> str:
        return self._url([str(y) for y in _toggled_years(self.query, year)], self._persons)

    def person(self, person: str) -> str:
        return self._url(self._years, list(_toggled_persons(self.query, person)))


def chips(query: Query, path: str = "/search") -> list[dict[str, Any]]:
    """The selected filters as removable chips: a label, the search without it, and its URL."""
    found: list[tuple[str, str, dict[str, Any]]] = [
        ("Year", str(year), {"years": _toggled_years(query, year)}) for year in query.years
    ]
    found += [
        ("Person", person, {"persons": _toggled_persons(query, person)}) for person in query.persons
    ]
    if query.date_from:
        found.append(("Date", f"from {query.date_from}", {"date_from": None}))
    if query.date_to:
        found.append(("Date", f"to {query.date_to}", {"date_to": None}))
    return [
        {
            "kind": kind,
            "label": label,
            "without": query.with_changes(page=1, **change),
            "remove": search_url(query, path, **change),
        }
        for kind, label, change in found
    ]


def clear_filters_url(query: Query, path: str = "/search") -> str:
    return search_url(query, path, years=(), persons=(), date_from=None, date_to=None)


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


def record_path(record_id: str) -> str:
    """A record page's path: what url_for gives, without routing it for every hit of a page."""
    return f"{request.script_root}/records/{quote(record_id, safe='')}"
