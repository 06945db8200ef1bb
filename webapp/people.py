"""Pages for people, as a library's name authority has them: /people and /people/<slug>.

``/people`` lists every person the records name, A-Z by family name, with their record
counts and a filter that also knows their other names ("Filippov" finds Stalin).
``/people/<slug>`` shows one person: the canonical name, every alias, short form and
pseudonym the authority file gives (a pseudonym with the years it was used), its
source, their records per year, the people most often named with them (each a link to
the search for both), and their records, newest first, paged. The same data is JSON at
``/api/people`` and ``/api/people/<slug>``: one model, two renderings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from indexer.search import (
    AuthorityEntry,
    PersonName,
    Query,
    QueryError,
    Results,
    authority_entry,
    format_archive_date,
    make_query,
    person_slug,
)

from .engine import get_engine
from .params import page_numbers, record_path, url_of
from .results_json import absolute

people = Blueprint("people", __name__)

PEOPLE_SORTS = ("name", "count")
RECORDS_PER_PAGE = 20
NAMED_WITH = 20
MAX_FILTER_LENGTH = 200
LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ#")


@dataclass(frozen=True)
class Listing:
    """The /people list as asked: filter, letter and order applied."""

    people: list[PersonName]
    total: int  # every person of the index
    text: str
    letter: str
    sort: str
    letters: dict[str, int]  # letter -> people filed under it (after the text filter)


@dataclass(frozen=True)
class Profile:
    """One person's page."""

    person: PersonName
    authority: AuthorityEntry | None
    records: Results  # their records, newest first, the page asked
    years: list[tuple[int, int]]
    named_with: list[tuple[PersonName, int]]


def _other_names(person: PersonName) -> list[str]:
    entry = authority_entry(person.name)
    if entry is None:
        return []
    return [*entry.aliases, *entry.short, *(p.name for p in entry.pseudonyms)]


def listing(args: Any) -> Listing:
    """The people list for a request's ``q`` (a name or part of one, any form the
    authority file knows), ``letter`` (A-Z, or # for names filed under no Latin letter)
    and ``sort`` (name, the default, or count); QueryError for a wrong one."""
    text = (args.get("q") or "").strip()
    if len(text) > MAX_FILTER_LENGTH:
        raise QueryError("q", f"q is {len(text)} characters long; the most is {MAX_FILTER_LENGTH}")
    letter = (args.get("letter") or "").strip().upper()
    if letter and letter not in LETTERS:
        raise QueryError("letter", f"letter must be one of A to Z or #, not {letter[:10]!r}")
    sort = (args.get("sort") or "name").strip()
    if sort not in PEOPLE_SORTS:
        raise QueryError("sort", f"sort must be name or count, not {sort[:40]!r}")
    everyone = get_engine().people()
    chosen = everyone
    if text:
        needle = person_slug(text)
        chosen = [
            person
            for person in everyone
            if needle in person.slug or any(needle in person_slug(o) for o in _other_names(person))
        ]
    letters: dict[str, int] = {}
    for person in chosen:
        letters[person.initial] = letters.get(person.initial, 0) + 1
    if letter:
        chosen = [person for person in chosen if person.initial == letter]
    if sort == "count":
        chosen = sorted(chosen, key=lambda person: (-person.count, person.sort_key))
    return Listing(chosen, len(everyone), text, letter, sort, letters)


def person_or_404(slug: str) -> PersonName:
    found = get_engine().person(slug) if len(slug) <= 300 else None
    if found is None:
        abort(404)
    return found


def profile(slug: str, args: Any) -> Profile:
    """A person's page model for a request's ``page`` and ``per_page``; 404 for an
    address no person has, 400 for a wrong page."""
    person = person_or_404(slug)
    engine = get_engine()
    records = engine.search(
        make_query(
            persons=[person.name],
            sort="-date",
            page=args.get("page"),
            per_page=args.get("per_page") or RECORDS_PER_PAGE,
        )
    )
    years = [(int(f.value), f.count) for f in records.facets["year"] if f.count]
    named_with: list[tuple[PersonName, int]] = []
    for value in records.facets["person"]:
        other = engine.person_named(str(value.value))
        if other is not None and other.name != person.name and len(named_with) < NAMED_WITH:
            named_with.append((other, value.count))
    return Profile(person, authority_entry(person.name), records, years, named_with)


def search_for(*names: str, year: int | None = None) -> str:
    query = Query()
    for name in names:
        query = query.toggled("person", name)
    if year is not None:
        query = query.toggled("year", year)
    return url_of(query)


def page_path(person: PersonName) -> str:
    return url_for("people.person_page", slug=person.slug)


def page_of_name(name: str) -> str | None:
    """The address of a person's page, for a name the index holds (a facet value)."""
    person = get_engine().person_named(name)
    return page_path(person) if person is not None else None


# -- HTML ------------------------------------------------------------------------------


@people.get("/people")
def people_page() -> str:
    found = listing(request.args)
    groups: dict[str, list[PersonName]] = {}
    if found.sort == "name":
        for person in found.people:
            groups.setdefault(person.initial, []).append(person)
    return render_template(
        "people.html",
        listing=found,
        groups=groups,
        letters=LETTERS,
        letter_url=lambda letter: url_for(
            "people.people_page", q=found.text or None, letter=letter, sort=_sort_param(found)
        ),
        sort_url=lambda sort: url_for(
            "people.people_page",
            q=found.text or None,
            letter=found.letter or None,
            sort=None if sort == "name" else sort,
        ),
        page_title="People",
        description=f"The {found.total:,} people named in the archive's records, A to Z, "
        "with their other names and pseudonyms.",
    )


def _sort_param(found: Listing) -> str | None:
    return None if found.sort == "name" else found.sort


@people.get("/people/<slug>")
def person_page(slug: str) -> str:
    shown = profile(slug, request.args)
    person, records = shown.person, shown.records
    top = max((count for _, count in shown.years), default=0)
    counts = dict(shown.years)
    # Every year from the first to the last, so a gap in the record shows as one.
    span = range(min(counts), max(counts) + 1) if counts else range(0)
    return render_template(
        "person.html",
        profile=shown,
        person=person,
        authority=shown.authority,
        search_url=search_for(person.name),
        years=[
            {
                "year": year,
                "count": counts.get(year, 0),
                "share": round(100 * counts.get(year, 0) / top, 1) if top else 0,
                "url": search_for(person.name, year=year) if year in counts else None,
            }
            for year in span
        ],
        named_with=[
            {
                "person": other,
                "count": count,
                "page": page_path(other),
                "search": search_for(person.name, other.name),
            }
            for other, count in shown.named_with
        ],
        hits=[
            {
                "id": hit.id,
                "title": hit.title,
                "summary": hit.summary,
                "shown_date": format_archive_date(hit.date, hit.date_precision),
                "document_type": hit.document_type,
                "url": record_path(hit.id),
            }
            for hit in records.results
        ],
        pages=[
            (
                number,
                url_for(
                    "people.person_page",
                    slug=slug,
                    page=number,
                    per_page=request.args.get("per_page"),
                )
                if number
                else None,
            )
            for number in page_numbers(records.page, records.pages)
        ]
        if records.pages > 1
        else [],
        page_title=person.name,
        description=f"{person.name}: {person.count} records in the archive"
        + (f"; {shown.authority.role}" if shown.authority and shown.authority.role else "")
        + ".",
    )


# -- JSON ------------------------------------------------------------------------------


def _person_json(person: PersonName) -> dict[str, Any]:
    return {
        "name": person.name,
        "slug": person.slug,
        "count": person.count,
        "url": absolute(page_path(person)),
        "api_url": absolute(url_for("people.person_json", slug=person.slug)),
        "search_url": absolute(search_for(person.name)),
    }


@people.get("/api/people")
def people_json() -> Response:
    found = listing(request.args)
    return jsonify(
        {
            "total": found.total,
            "matched": len(found.people),
            "q": found.text,
            "letter": found.letter or None,
            "sort": found.sort,
            "letters": found.letters,
            "people": [_person_json(person) for person in found.people],
        }
    )


def _authority_json(entry: AuthorityEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "aliases": list(entry.aliases),
        "short_forms": list(entry.short),
        "pseudonyms": [{"name": p.name, "from": p.start, "to": p.end} for p in entry.pseudonyms],
        "born": entry.born,
        "died": entry.died,
        "role": entry.role or None,
        "source": entry.source or None,
    }


@people.get("/api/people/<slug>")
def person_json(slug: str) -> Response:
    shown = profile(slug, request.args)
    person, records = shown.person, shown.records
    data = _person_json(person)
    data["authority"] = _authority_json(shown.authority)
    data["years"] = [
        {"year": year, "count": count, "search_url": absolute(search_for(person.name, year=year))}
        for year, count in shown.years
    ]
    data["named_with"] = [
        dict(
            _person_json(other),
            together=count,
            search_both_url=absolute(search_for(person.name, other.name)),
        )
        for other, count in shown.named_with
    ]
    data["records"] = {
        "total": records.total,
        "page": records.page,
        "pages": records.pages,
        "per_page": records.per_page,
        "results": [
            {
                "id": hit.id,
                "title": hit.title,
                "date": hit.date,
                "date_precision": hit.date_precision,
                "document_type": hit.document_type,
                "url": absolute(record_path(hit.id)),
            }
            for hit in records.results
        ],
    }
    return jsonify(data)
