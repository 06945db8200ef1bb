"""The Whoosh schema: one declaration the writer and the searcher both import.

Titles and summaries are stemmed English with accents folded, so "telegrams" finds
"telegram" and "Kwasniewski" finds "Kwaśniewski". Person names are searchable in
``names`` (every form the authority knows, unstemmed) and countable in ``person``
(canonical names, one keyword each). Dates are integer columns YYYYMMDD: ``date_sort``
(the first day) and ``date_end`` (the last) span a record's whole precision ("February,
1950" is 19500201..19500228), undated records sorting last. The full record is stored as JSON
(titles and summaries are not stored twice). "Did you mean" draws on the unstemmed
vocabulary the build writes beside the index (see vocabulary.py), not on a field: a
second copy of every word in the index would cost 40% of the build time.
"""

from __future__ import annotations

from datetime import date
from hashlib import blake2b
from typing import cast

from whoosh import columns, fields
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.tokenizers import default_pattern
from whoosh.support.charset import accent_map

from indexer.records.facets import KEYWORD_FACETS

# Bump when the schema changes: an index of another version must be rebuilt.
SCHEMA_VERSION = 4
UNDATED_SORT = 99_999_999  # after every real YYYYMMDD
# Searched when the words name no field: titles, summaries, persons' names, full texts.
DEFAULT_FIELDS = ("title", "summary", "names", "text")
# The words of each keyword facet (subject:korea, place:berlin): searched only when named.
FACET_WORD_FIELDS = tuple(f.words_field for f in KEYWORD_FACETS if f.words_field)
TEXT_FIELDS = DEFAULT_FIELDS + FACET_WORD_FIELDS
# A word in a title weighs most, then in a summary, then in the document's text.
FIELD_BOOSTS = {
    "title": 3.0,
    "summary": 1.0,
    "names": 1.5,
    "text": 0.5,
    **dict.fromkeys(FACET_WORD_FIELDS, 1.0),
}
# Between the values of a facet in a document: a value never holds it (value_problem).
VALUE_SEPARATOR = "\x1f"
# The words every analyzer finds: RegexTokenizer's own default pattern, named so that
# highlighting finds exactly the words the index holds.
WORD_PATTERN = default_pattern


def text_analyzer() -> Analyzer:
    """Stemmed English, case and accents folded."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter()
    )


def name_analyzer() -> Analyzer:
    """Names as written, case and accents folded: no stemming, no stop words ('Ho', 'Le')."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


class FacetValues(fields.KEYWORD):
    """A keyword facet's values (subjects, places ...), each whole, as written: values hold
    commas and spaces ("Korean War, 1950-1953"), so they are split at VALUE_SEPARATOR."""

    def __init__(self) -> None:
        super().__init__(scorable=False)
        # A tokenizer alone is an analyzer, as in Whoosh's own KEYWORD.
        self.analyzer = cast(Analyzer, RegexTokenizer(f"[^{VALUE_SEPARATOR}]+"))


def build_schema() -> fields.Schema:
    facet_fields = {facet.name: FacetValues() for facet in KEYWORD_FACETS}
    word_fields = {
        facet.words_field: fields.TEXT(
            analyzer=name_analyzer() if facet.name == "author" else text_analyzer()
        )
        for facet in KEYWORD_FACETS
        if facet.words_field
    }
    return fields.Schema(
        **facet_fields,
        **word_fields,
        # The document's own text: searched and marked, stored once (in ``record``).
        text=fields.TEXT(analyzer=text_analyzer()),
        # A record is found by its id through this column (a 64-bit hash of the id, read
        # into a sorted array per searcher), not a term: a term per record was the
        # costliest thing in a build (one posting block each).
        id_key=fields.COLUMN(columns.NumericColumn("Q")),
        title=fields.TEXT(analyzer=text_analyzer()),
        summary=fields.TEXT(analyzer=text_analyzer()),
        names=fields.TEXT(analyzer=name_analyzer()),
        person=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        # Columns only: the engine filters, counts and sorts by them with numpy, and never
        # searches them (a year: in the text becomes the year filter), so they need no
        # postings: NUMERIC would index 8 terms a value, a third of a record's postings.
        # The year is date_sort's, and newest-first order comes from date_end: no columns.
        date_end=fields.COLUMN(columns.NumericColumn("i")),
        date_sort=fields.COLUMN(columns.NumericColumn("i", default=UNDATED_SORT)),
        record=fields.STORED(),
    )


def id_key(record_id: str) -> int:
    """The 64-bit key a record's id is found by (its BLAKE2b hash)."""
    return int.from_bytes(blake2b(record_id.encode("utf-8"), digest_size=8).digest(), "big")


def day_number(day: date) -> int:
    """A date as the integer the index stores: 1950-02-21 -> 19500221."""
    return day.year * 10_000 + day.month * 100 + day.day
