"""The Record: the one shape every source becomes, and how copies of one document merge.

A document can reach us several times: in a text listing, a saved HTML listing, its
own record page and the CSV export. Its id comes from what every one of those shows
(the title and the date), so all copies get the same id and merge into one record
that keeps what each source added.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any

from .dates import PRECISIONS
from .text import match_key, slugify

# Fields every record has, in the order they are written.
CORE_FIELDS = (
    "id", "title", "summary", "date", "date_precision", "year",
    "persons", "source_url", "sources",
)
# Fields written only when a source gave them.
LIST_FIELDS = (
    "places", "subjects", "languages", "authors", "organizations", "original_archive",
)
TEXT_FIELDS = (
    "record_id", "date_end", "source_note", "rights", "classification", "uploaded",
)
_PRECISION_RANK = {precision: rank for rank, precision in enumerate(reversed(PRECISIONS), 1)}


def record_key(title: str, date: str | None) -> str:
    """What makes two copies the same document: the title as words, and the date."""
    return f"{match_key(title)}|{date or ''}"


def make_record_id(title: str, date: str | None) -> str:
    """A stable, readable id: the title's first words and a hash of title and date."""
    digest = hashlib.sha1(record_key(title, date).encode("utf-8")).hexdigest()[:8]
    return f"{slugify(title)}-{digest}"


@dataclass
class Record:
    """One archive document, as clean as we can make it."""

    id: str
    title: str
    summary: str = ""
    date: str | None = None
    date_precision: str | None = None
    year: int | None = None
    persons: list[str] = field(default_factory=list)
    source_url: str | None = None
    sources: list[str] = field(default_factory=list)
    date_circa: bool = False
    places: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    original_archive: list[str] = field(default_factory=list)
    record_id: str | None = None
    date_end: str | None = None
    source_note: str | None = None
    rights: str | None = None
    classification: str | None = None
    uploaded: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of a record: core fields always, the others when present."""
        data: dict[str, Any] = {name: getattr(self, name) for name in CORE_FIELDS}
        for name in LIST_FIELDS + TEXT_FIELDS:
            value = getattr(self, name)
            if value:
                data[name] = value
        if self.date_circa:
            data["date_circa"] = True
        return data

    @classmethod
    def field_names(cls) -> set[str]:
        return {f.name for f in fields(cls)}


def _union(first: list[str], second: list[str]) -> list[str]:
    seen = {match_key(item) for item in first}
    merged = list(first)
    for item in second:
        key = match_key(item)
        if key not in seen:
            seen.add(key)
            merged.append(item)
    return merged


def merge_into(kept: Record, other: Record) -> None:
    """Fold a second copy of a document into the first, keeping what each adds.

    Callers pass the richer source first (a record page before a listing), so its
    title and summary win; a longer summary still replaces a truncated one, and the
    more precise date wins.
    """
    if not kept.summary or len(other.summary) > len(kept.summary) * 1.2:
        kept.summary = other.summary or kept.summary
    if other.date and (
        not kept.date
        or _PRECISION_RANK[other.date_precision] > _PRECISION_RANK[kept.date_precision]
    ):
        kept.date, kept.date_precision, kept.year = other.date, other.date_precision, other.year
        kept.date_end, kept.date_circa = other.date_end, other.date_circa
    for name in ("source_url",) + TEXT_FIELDS:
        if not getattr(kept, name) and getattr(other, name):
            setattr(kept, name, getattr(other, name))
    for name in ("persons", "sources") + LIST_FIELDS:
        setattr(kept, name, _union(getattr(kept, name), getattr(other, name)))
