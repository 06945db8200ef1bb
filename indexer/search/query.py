"""A search request as plain data, validated once, whoever sends it (page, API, CLI).

Every parameter a client can get wrong is checked here and refused with a
``QueryError`` naming it, so the web app answers 400 and the CLI prints one sentence.
Malformed query *text* is never an error: the engine falls back to plain words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from indexer.records.dates import parse_iso, span
from indexer.records.facets import FACETS, FACETS_BY_NAME, KEYWORD_FACETS, value_problem
from indexer.records.text import clean_text

from .querydates import lift_dates

SORTS = ("relevance", "date", "-date")
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_TEXT_LENGTH = 1_000
MAX_FILTER_VALUES = 20
MIN_YEAR, MAX_YEAR = 1000, 2100


class QueryError(ValueError):
    """A parameter a client got wrong: which one, and a sentence saying what is wrong."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


@dataclass(frozen=True)
class Query:
    text: str = ""
    years: tuple[int, ...] = ()
    persons: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    sort: str | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # The selected values of every keyword facet but person (subject, place ...), by facet
    # name in FACETS order: read and changed through selected() and with_selected().
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Facets shown with every value, not only the first ones (facet.shown).
    expanded: tuple[str, ...] = ()
    # What the text said that could not be used as it was written ("year:1952-06 was left
    # out: ..."), for the page and the API to show.
    notes: tuple[str, ...] = ()

    @property
    def effective_sort(self) -> str:
        """Relevance when there are words to rank by; oldest first when browsing."""
        if self.sort:
            return self.sort
        return "relevance" if self.text.strip() else "date"

    @property
    def has_filters(self) -> bool:
        return bool(self.years or self.persons or self.values or self.date_from or self.date_to)

    def selected(self, name: str) -> tuple[Any, ...]:
        """The values selected of the facet ``name`` (years as numbers, others as text)."""
        if name == "year":
            return self.years
        if name == "person":
            return self.persons
        return dict(self.values).get(name, ())

    def with_selected(self, name: str, values: Iterable[Any]) -> Query:
        """This query with the facet ``name``'s selection replaced."""
        chosen = tuple(values)
        if name == "year":
            return replace(self, years=tuple(sorted({int(year) for year in chosen})))
        if name == "person":
            return replace(self, persons=chosen)
        return replace(self, values=_ordered_values({**dict(self.values), name: chosen}))

    def toggled(self, name: str, value: Any) -> Query:
        """This query with one value of a facet selected, or unselected if it was."""
        current = self.selected(name)
        if value in current:
            return self.with_selected(name, (item for item in current if item != value))
        return self.with_selected(name, (*current, value))

    def with_expanded(self, name: str, expanded: bool) -> Query:
        names = set(self.expanded) - {name} | ({name} if expanded else set())
        return replace(self, expanded=tuple(f.name for f in FACETS if f.name in names))

    def with_changes(self, **changes: Any) -> Query:
        return replace(self, **changes)

    def cache_key(self) -> tuple[object, ...]:
        return (
            self.text,
            self.years,
            self.persons,
            self.date_from,
            self.date_to,
            self.effective_sort,
            self.page,
            self.per_page,
            self.values,
            self.expanded,
            self.notes,
        )


def _ordered_values(
    values: dict[str, tuple[str, ...]],
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Selections in FACETS order, empty ones left out: one spelling per selection."""
    return tuple(
        (facet.name, values[facet.name]) for facet in KEYWORD_FACETS if values.get(facet.name)
    )


def _facet_values(param: str, values: Iterable[str]) -> tuple[str, ...]:
    """A facet parameter's values, cleaned, each once; refused when one cannot be a value."""
    cleaned: list[str] = []
    for raw in values:
        problem = value_problem(str(raw))
        if problem is not None:
            raise QueryError(param, f"a {param} value {problem}")
        value = clean_text(str(raw))
        if value:
            cleaned.append(value)
    if len(cleaned) > MAX_FILTER_VALUES:
        raise QueryError(param, f"at most {MAX_FILTER_VALUES} {param} values, not {len(cleaned)}")
    return tuple(dict.fromkeys(cleaned))


def _single(values: Iterable[str] | str | None, param: str) -> str | None:
    if values is None or isinstance(values, str):
        return values
    values = [v for v in values if v not in (None, "")]
    if len(values) > 1:
        raise QueryError(param, f"{param} may be given once, not {len(values)} times")
    return values[0] if values else None


def _integer(value: str | None, param: str, default: int, low: int, high: int) -> int:
    if value is None or str(value).strip() == "":
        return default
    text = str(value).strip()
    if not text.lstrip("-").isdigit() or len(text) > 9:
        raise QueryError(
            param, f"{param} must be a whole number from {low} to {high}, not {text[:40]!r}"
        )
    number = int(text)
    if not low <= number <= high:
        raise QueryError(param, f"{param} must be from {low} to {high}, not {number}")
    return number


def _date(value: str | None, param: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        parse_iso(text)
    except ValueError as error:
        raise QueryError(param, f"{param}: {error}") from None
    return text


def make_query(
    text: str | None = None,
    years: Iterable[str | int] = (),
    persons: Iterable[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str | None = None,
    page: str | int | Iterable[str] | None = None,
    per_page: str | int | Iterable[str] | None = None,
    values: Mapping[str, Iterable[str]] | None = None,
    expanded: Iterable[str] = (),
) -> Query:
    """Build a Query from raw strings, refusing any parameter a client got wrong.

    ``values``: the selected values of the keyword facets (subject, place ...) by name."""
    text = clean_text(text or "")
    if len(text) > MAX_TEXT_LENGTH:
        raise QueryError("q", f"q is {len(text)} characters long; the most is {MAX_TEXT_LENGTH}")
    year_values = [str(y).strip() for y in years if str(y).strip()]
    if len(year_values) > MAX_FILTER_VALUES:
        raise QueryError("year", f"at most {MAX_FILTER_VALUES} year values, not {len(year_values)}")
    person_values = _facet_values("person", persons)
    chosen = {}
    for name, given in (values or {}).items():
        if name not in FACETS_BY_NAME or FACETS_BY_NAME[name].kind != "keyword":
            raise QueryError(name, f"{name} is not a facet to narrow by")
        chosen[name] = _facet_values(name, given)
    shown_whole = {name.strip() for name in expanded if name and name.strip()}
    unknown = shown_whole - set(FACETS_BY_NAME)
    if unknown:
        raise QueryError(
            "all", f"all names a facet ({', '.join(FACETS_BY_NAME)}), not {sorted(unknown)[0]!r}"
        )
    parsed_years = sorted({_integer(y, "year", 0, MIN_YEAR, MAX_YEAR) for y in year_values})
    date_from, date_to = _date(date_from, "from"), _date(date_to, "to")
    if date_from and date_to and span(date_from)[0] > span(date_to)[1]:
        raise QueryError("from", f"from ({date_from}) is after to ({date_to})")
    sort = (sort or "").strip() or None
    if sort is not None and sort not in SORTS:
        raise QueryError("sort", f"sort must be one of {', '.join(SORTS)}, not {sort[:40]!r}")
    query = Query(
        text=text,
        years=tuple(parsed_years),
        persons=person_values,
        values=_ordered_values(chosen),
        expanded=tuple(f.name for f in FACETS if f.name in shown_whole),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_integer(
            _single(page, "page") if not isinstance(page, int) else str(page),
            "page",
            1,
            1,
            MAX_PAGE,
        ),
        per_page=_integer(
            _single(per_page, "per_page") if not isinstance(per_page, int) else str(per_page),
            "per_page",
            DEFAULT_PER_PAGE,
            1,
            MAX_PER_PAGE,
        ),
    )
    return lift_date_clauses(query)


def lift_date_clauses(query: Query, force: bool = False) -> Query:
    """The query with the text's year: and date: clauses moved into its filters, where they
    mean what the filters mean (querydates.py). With ``force``, nested clauses too: the
    search to offer when one cannot stand where it was typed."""
    lifted = lift_dates(query.text, force=force)
    if not lifted.lifted and not lifted.notes:
        return query
    notes = list(query.notes + lifted.notes)
    years = tuple(sorted(set(query.years) | set(lifted.years)))
    if len(years) > MAX_FILTER_VALUES:
        notes.append(
            f"at most {MAX_FILTER_VALUES} years can be picked; the text's years were left out"
        )
        years = query.years
    starts = [iso for iso in (query.date_from, lifted.date_from) if iso]
    ends = [iso for iso in (query.date_to, lifted.date_to) if iso]
    date_from = max(starts, key=lambda iso: span(iso)[0]) if starts else None
    date_to = min(ends, key=lambda iso: span(iso)[1]) if ends else None
    if date_from and date_to and span(date_from)[0] > span(date_to)[1]:
        notes.append(
            f"the text's dates and the date filter exclude each other ({date_from} is after "
            f"{date_to}); the text's dates were left out"
        )
        date_from, date_to = query.date_from, query.date_to
    return replace(
        query,
        text=lifted.text,
        years=years,
        date_from=date_from,
        date_to=date_to,
        notes=tuple(notes),
    )
