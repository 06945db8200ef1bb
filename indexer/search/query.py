"""A search request as plain data, validated once, whoever sends it (page, API, CLI).

Every parameter a client can get wrong is checked here and refused with a
``QueryError`` naming it, so the web app answers 400 and the CLI prints one sentence.
Malformed query *text* is never an error: the engine falls back to plain words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from indexer.records.dates import parse_iso, span
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
    all_persons: bool = False  # the person facet with every person, not the top 30
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
        return bool(self.years or self.persons or self.date_from or self.date_to)

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
            self.all_persons,
            self.notes,
        )


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
) -> Query:
    """Build a Query from raw strings, refusing any parameter a client got wrong."""
    text = clean_text(text or "")
    if len(text) > MAX_TEXT_LENGTH:
        raise QueryError("q", f"q is {len(text)} characters long; the most is {MAX_TEXT_LENGTH}")
    year_values = [str(y).strip() for y in years if str(y).strip()]
    person_values = [clean_text(p) for p in persons if clean_text(p)]
    for param, values in (("year", year_values), ("person", person_values)):
        if len(values) > MAX_FILTER_VALUES:
            raise QueryError(
                param, f"at most {MAX_FILTER_VALUES} {param} values, not {len(values)}"
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
        persons=tuple(dict.fromkeys(person_values)),
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
