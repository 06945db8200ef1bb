"""The Whoosh schema: one declaration the writer and the searcher both import.

Titles and summaries are stemmed English with accents folded, so "telegrams" finds
"telegram" and "Kwasniewski" finds "Kwaśniewski". Person names are searchable in
``names`` (every form the authority knows, unstemmed) and countable in ``person``
(canonical names, one keyword each). Dates are integers YYYYMMDD: ``date_start`` and
``date_end`` span a record's whole precision ("February, 1950" is 19500201..19500228),
``date_sort`` orders records with undated ones last. The full record is stored as JSON
(titles and summaries are not stored twice). "Did you mean" draws on the unstemmed
vocabulary the build writes beside the index (see vocabulary.py), not on a field: a
second copy of every word in the index would cost 40% of the build time.
"""

from __future__ import annotations

from datetime import date

from whoosh import fields
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

# Bump when the schema changes: an index of another version must be rebuilt.
SCHEMA_VERSION = 2
UNDATED_SORT = 99_999_999  # after every real YYYYMMDD
TEXT_FIELDS = ("title", "summary", "names")
FIELD_BOOSTS = {"title": 3.0, "summary": 1.0, "names": 1.5}
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


def build_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=text_analyzer()),
        summary=fields.TEXT(analyzer=text_analyzer()),
        names=fields.TEXT(analyzer=name_analyzer()),
        person=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        year=fields.NUMERIC(int, bits=32, stored=True, sortable=True),
        date_start=fields.NUMERIC(int, bits=32),
        date_end=fields.NUMERIC(int, bits=32, sortable=True),
        date_sort=fields.NUMERIC(int, bits=32, sortable=True),
        date_sort_desc=fields.NUMERIC(int, bits=32, sortable=True),
        title_sort=fields.ID(sortable=True),
        record=fields.STORED(),
    )


def day_number(day: date) -> int:
    """A date as the integer the index stores: 1950-02-21 -> 19500221."""
    return day.year * 10_000 + day.month * 100 + day.day
