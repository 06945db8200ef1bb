"""The search engine's public API: what the web app and the CLI may use, and nothing else.

``Engine(index_path).search(make_query(...)) -> Results``: one search function that the
pages, the JSON API, the widget, the feeds and the CLI all render. No Whoosh object
crosses this line: results are plain dataclasses and highlights are text plus ranges.
"""

from __future__ import annotations

from indexer.index.generations import IndexInfo, IndexUnavailable
from indexer.index.vocabulary import words_of
from indexer.records.dates import format_archive_date
from indexer.records.facets import (
    FACETS,
    KEYWORD_FACETS,
    MAX_VALUE_LENGTH,
    Facet,
    record_values,
)
from indexer.records.text import clean_text

from .engine import Engine, FacetValue, Hit, Related, Results, check_index, engine_for, search
from .highlight import Highlight
from .people import AuthorityEntry, PersonName, PseudonymUse, authority_entry, person_slug
from .query import (
    DEFAULT_PER_PAGE,
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_TEXT_LENGTH,
    SORTS,
    Query,
    QueryError,
    make_query,
)

__all__ = [
    "DEFAULT_PER_PAGE",
    "FACETS",
    "KEYWORD_FACETS",
    "MAX_FILTER_VALUES",
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "MAX_TEXT_LENGTH",
    "MAX_VALUE_LENGTH",
    "SORTS",
    "AuthorityEntry",
    "Engine",
    "Facet",
    "FacetValue",
    "Highlight",
    "Hit",
    "IndexInfo",
    "IndexUnavailable",
    "PersonName",
    "PseudonymUse",
    "Query",
    "QueryError",
    "Related",
    "Results",
    "authority_entry",
    "check_index",
    "clean_text",
    "engine_for",
    "format_archive_date",
    "make_query",
    "person_slug",
    "record_values",
    "search",
    "words_of",
]
