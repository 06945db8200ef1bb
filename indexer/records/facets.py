"""The facets, declared once: what a reader can narrow a search by.

Each ``Facet`` names a record field and says how the index keeps it, how several
selected values combine, in what order its values are shown and how many. The index
schema, the per-searcher columns, the Query and its URL parameters, the chips, the
sidebar, the API's ``facets``, the OpenAPI document, the widget, ``/embed`` and the
Atom feed all read this tuple: a new facet of the keyword kind is one entry here.

How selected values combine (docs/search.md says it for readers):

- ``any`` (OR, disjunctive): a record holds one value of the facet (one year, one
  language, one type, one original archive), so picking two values can only mean
  "either". The facet's own counts leave its selection out, so picking 1950 still
  shows what 1951 would add.
- ``all`` (AND): a record holds several values (persons, subjects, places, authors), and
  picking two means "records that hold both", which narrows, as a historian expects
  when adding "Zhou Enlai" to "Stalin".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .text import clean_text

MAX_VALUE_LENGTH = 200
# A control character in a facet value is a broken source (or a hostile URL), never a value.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Facet:
    """One facet: ``name`` is its URL parameter, its key in the API's ``facets`` and its
    index field; ``record_field`` is the Record field its values come from."""

    name: str
    label: str  # "Subject": a chip's kind, a row of the advanced search
    heading: str  # "Subjects": the sidebar's heading
    record_field: str
    combine: Literal["any", "all"]
    order: Literal["count", "value"]  # by count (then value), or by value (years)
    shown: int | None  # values shown before "show all"; None: all of them
    kind: Literal["year", "person", "keyword"] = "keyword"
    # For field search (subject:korea): the text field the words are searched in, and the
    # names a person may write before the colon. None: not searched by words.
    words_field: str | None = None
    field_names: tuple[str, ...] = ()

    @property
    def disjunctive(self) -> bool:
        return self.combine == "any"


FACETS: tuple[Facet, ...] = (
    Facet("year", "Year", "Years", "year", "any", "value", None, kind="year"),
    Facet("person", "Person", "People", "persons", "all", "count", 30, kind="person"),
    Facet(
        "type",
        "Document type",
        "Document types",
        "document_type",
        "any",
        "count",
        None,
        words_field="type_words",
        field_names=("type", "types"),
    ),
    Facet(
        "subject",
        "Subject",
        "Subjects",
        "subjects",
        "all",
        "count",
        15,
        words_field="subject_words",
        field_names=("subject", "subjects"),
    ),
    Facet(
        "place",
        "Place",
        "Places",
        "places",
        "all",
        "count",
        15,
        words_field="place_words",
        field_names=("place", "places"),
    ),
    Facet(
        "language",
        "Language",
        "Languages",
        "languages",
        "any",
        "count",
        10,
        words_field="language_words",
        field_names=("language", "languages"),
    ),
    Facet(
        "archive",
        "Original archive",
        "Original archives",
        "original_archive",
        "any",
        "count",
        10,
        words_field="archive_words",
        field_names=("archive", "archives"),
    ),
    Facet(
        "author",
        "Author",
        "Authors",
        "authors",
        "all",
        "count",
        15,
        words_field="author_words",
        field_names=("author", "authors"),
    ),
)
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
KEYWORD_FACETS = tuple(facet for facet in FACETS if facet.kind == "keyword")


def facet_named(name: str) -> Facet:
    return FACETS_BY_NAME[name]


def value_problem(value: str) -> str | None:
    """Why a text cannot be a facet value, or None: control characters, or too long."""
    if _CONTROL.search(value):
        return "holds a control character"
    if len(value) > MAX_VALUE_LENGTH:
        return f"is {len(value)} characters long; the most is {MAX_VALUE_LENGTH}"
    return None


def facet_value(value: str) -> str:
    """A value as one display form: spaces collapsed and trimmed, a value written all in
    small letters given a capital ('russian' is 'Russian'); anything else as written."""
    value = clean_text(value)
    if value and value == value.lower() and value[0].isalpha():
        value = value[0].upper() + value[1:]
    return value


def value_key(value: str) -> str:
    """What makes two values one: 'Russian', 'russian' and ' RUSSIAN ' share a key."""
    return " ".join(value.split()).casefold()


def record_values(record: dict[str, object], facet: Facet) -> list[str]:
    """A record's values of a keyword facet (from its JSON object), each in display form,
    once each by key, the ones that could not be values left out."""
    raw = record.get(facet.record_field)
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    values: dict[str, str] = {}
    for item in items:
        if not isinstance(item, str):
            continue
        value = facet_value(item)
        if value and value_problem(value) is None:
            values.setdefault(value_key(value), value)
    return list(values.values())
