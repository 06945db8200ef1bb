"""The Record: the one shape every source becomes, and how copies of one document merge.

A document can reach us several times: in a text listing, a saved HTML listing, its
own record page and the CSV export. Its id comes from what every one of those shows
(the title and the date), so all copies get the same id and merge into one record
that keeps what each source added.
"""

from __future__ import annotations

import hashlib
from dataclasses import Field, dataclass, field, fields
from typing import Any

import orjson

from .dates import PRECISIONS
from .text import match_key, slugify

# How a field of two copies of one document merges (merge_into), and whether JSON writes it
# always or only when a source gave it.
_MERGE = "merge"
_ALWAYS = "always"
_PRECISION_RANK = {precision: rank for rank, precision in enumerate(reversed(PRECISIONS), 1)}

# A list a source may give: copies merge by union; written when not empty.
_GIVEN_LIST = {_MERGE: "union"}
# A text a source may give: the first copy that has it wins; written when given.
_GIVEN_TEXT = {_MERGE: "first"}


@dataclass(kw_only=True)
class SourceFields:
    """What a source tells of a document: the one declaration readers fill (as RawRecord),
    the Record keeps, JSON Lines writes and reads back, and copies merge by.

    A new field of the archive's records is one line here: every reader may set it,
    clean_record copies it, merge_into folds it by its rule, to_dict writes it and the
    JSON Lines reader reads it back.
    """

    title: str = field(metadata={_ALWAYS: True})
    summary: str = field(default="", metadata={_ALWAYS: True, _MERGE: "longer"})
    source_url: str | None = field(default=None, metadata={_ALWAYS: True, _MERGE: "first"})
    persons: list[str] = field(default_factory=list, metadata={_ALWAYS: True, _MERGE: "union"})
    places: list[str] = field(default_factory=list, metadata=_GIVEN_LIST)
    subjects: list[str] = field(default_factory=list, metadata=_GIVEN_LIST)
    languages: list[str] = field(default_factory=list, metadata=_GIVEN_LIST)
    authors: list[str] = field(default_factory=list, metadata=_GIVEN_LIST)
    organizations: list[str] = field(default_factory=list, metadata=_GIVEN_LIST)
    original_archive: list[str] = field(default_factory=list, metadata=_GIVEN_LIST)
    record_id: str | None = field(default=None, metadata=_GIVEN_TEXT)
    source_note: str | None = field(default=None, metadata=_GIVEN_TEXT)
    rights: str | None = field(default=None, metadata=_GIVEN_TEXT)
    classification: str | None = field(default=None, metadata=_GIVEN_TEXT)
    uploaded: str | None = field(default=None, metadata=_GIVEN_TEXT)
    # The document itself (a record page's transcript, the CSV's text_body): searched, and
    # stored once, in the record's JSON. Copies keep the longer text.
    text: str = field(default="", metadata={_MERGE: "longest"})


# The declaration above never changes once the module is loaded, and readers and
# clean_record ask for these per record: they are worked out once, here.
_SOURCE_FIELDS = fields(SourceFields)
_LIST_FIELDS = tuple(f.name for f in _SOURCE_FIELDS if f.metadata.get(_MERGE) == "union")
_TEXT_FIELDS = tuple(f.name for f in _SOURCE_FIELDS if f.metadata.get(_MERGE) == "first")


def source_fields() -> tuple[Field[Any], ...]:
    return _SOURCE_FIELDS


def list_fields() -> tuple[str, ...]:
    """The source fields that hold lists of values (places, subjects, ...)."""
    return _LIST_FIELDS


def text_fields() -> tuple[str, ...]:
    """The source fields that hold one optional text (record_id, source_note, ...)."""
    return _TEXT_FIELDS


def record_key(title: str, date: str | None) -> str:
    """What makes two copies the same document: the title as words, and the date."""
    return f"{match_key(title)}|{date or ''}"


def make_record_id(title: str, date: str | None) -> str:
    """A stable, readable id: the title's first words and a hash of title and date."""
    digest = hashlib.sha1(record_key(title, date).encode("utf-8")).hexdigest()[:8]
    return f"{slugify(title)}-{digest}"


@dataclass(kw_only=True)
class Record(SourceFields):
    """One archive document, as clean as we can make it: what its sources told, plus the
    id, the date at its precision and the sources it was read from."""

    id: str = field(metadata={_ALWAYS: True})
    date: str | None = field(default=None, metadata={_ALWAYS: True})
    date_precision: str | None = field(default=None, metadata={_ALWAYS: True})
    year: int | None = field(default=None, metadata={_ALWAYS: True})
    date_end: str | None = None
    date_circa: bool = False
    # The kind of document its title names ("Telegram", "Memorandum of Conversation"), from
    # the vocabulary in indexer/data/document_types.tsv; None when the title names none.
    document_type: str | None = None
    sources: list[str] = field(default_factory=list, metadata={_ALWAYS: True, _MERGE: "union"})

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of a record: the id first, then every field that is always
        written and every other that has a value (date_circa only when true)."""
        data: dict[str, Any] = {"id": self.id}
        for name, always in _RECORD_FIELDS:
            value = getattr(self, name)
            if always or value:
                data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        """A record from its JSON object (the inverse of to_dict); unknown keys are ignored."""
        names = cls.field_names()
        return cls(**{key: value for key, value in data.items() if key in names})

    @classmethod
    def field_names(cls) -> set[str]:
        return {f.name for f in fields(cls)}


# Record's fields but the id, in order, and whether JSON always writes each: worked out
# once (to_dict runs for every record a build reads).
_RECORD_FIELDS = tuple(
    (item.name, bool(item.metadata.get(_ALWAYS))) for item in fields(Record) if item.name != "id"
)


def record_json(data: dict[str, Any]) -> bytes:
    """A record's JSON object as compact UTF-8 JSON: what the build spools and the index
    stores (read back by any JSON reader; orjson writes it several times faster)."""
    return orjson.dumps(data)


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
    title and summary win; a longer summary still replaces a truncated one, the more
    precise date wins, and every other field merges by its declared rule.
    """
    if other.date and (
        not kept.date
        or _PRECISION_RANK[other.date_precision or ""] > _PRECISION_RANK[kept.date_precision or ""]
    ):
        kept.date, kept.date_precision, kept.year = other.date, other.date_precision, other.year
        kept.date_end, kept.date_circa = other.date_end, other.date_circa
    for item in fields(kept):
        rule = item.metadata.get(_MERGE)
        mine, theirs = getattr(kept, item.name), getattr(other, item.name)
        if rule == "union":
            setattr(kept, item.name, _union(mine, theirs))
        elif rule == "first" and not mine and theirs:
            setattr(kept, item.name, theirs)
        elif rule == "longer" and (not mine or len(theirs) > len(mine) * 1.2):
            setattr(kept, item.name, theirs or mine)
        elif rule == "longest" and len(theirs) > len(mine):
            # A record page gives the start of a text the CSV export gives whole.
            setattr(kept, item.name, theirs)
