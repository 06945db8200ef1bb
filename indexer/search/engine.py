"""Query -> Results: the one search every page, API and CLI renders.

One Engine per index path per process holds one searcher, reused across queries and
replaced (never ``refresh()``ed) when the index changes: when the link points at a new
generation, or Whoosh says the searcher is not up to date. No Whoosh object leaves
this module: results are plain dataclasses.
"""

from __future__ import annotations

import json
import os
import pickle
import struct
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.filedb.filetables import FileFormatError
from whoosh.query import MultiTerm
from whoosh.reading import CorruptIndexError
from whoosh.searching import Searcher, TimeLimit

from indexer.index.generations import (
    IndexInfo,
    IndexLocation,
    IndexUnavailable,
    open_index,
    verify_files,
)
from indexer.index.schema import TEXT_FIELDS, day_number, id_key
from indexer.index.vocabulary import Vocabulary, words_of
from indexer.index.whoosh_internals import term_postings
from indexer.records.authority import load_authority
from indexer.records.dates import span
from indexer.records.facets import FACETS, KEYWORD_FACETS, Facet, value_key

from . import budget
from .docsets import intersect
from .facets import FacetColumns
from .highlight import Highlight, highlight, passage
from .matching import MatchSets, pattern_field
from .people import PersonName, named_people
from .query import MAX_PER_PAGE, Query, lift_date_clauses
from .querytext import ParsedText, TextParser
from .related import related_docs
from .scoring import ArrayScorer

DEFAULT_INDEX = Path("data") / "index"
_PROBE_PREFIXES = tuple(bytes([c]) for c in b"0123456789abcdefghijklmnopqrstuvwxyz")
PERSON_FACET_SIZE = 30
SUGGEST_BELOW = 5  # offer "did you mean" when a query finds fewer records than this
RESULT_CACHE_SIZE = 256
# What reading a damaged index file raises (a bug in our code raises something else, and is a 500).
DAMAGE = (
    CorruptIndexError,
    FileFormatError,
    EOFError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    OSError,
)
STORED_CACHE_SIZE = 4096
STORED_CACHE_CHARS = 24_000_000
HIGHLIGHTED_FIELDS = ("title", "summary")
MARKED_FIELDS = (*HIGHLIGHTED_FIELDS, "text")  # text: a passage of it, under the summary


@dataclass
class FacetValue:
    value: str | int
    count: int
    selected: bool


@dataclass
class Hit:
    id: str
    title: str
    summary: str
    date: str | None
    date_precision: str | None
    year: int | None
    persons: list[str]
    source_url: str | None
    # title and summary always; text (the best passage of the document's text) when the
    # query's words are in it.
    highlights: dict[str, Highlight]
    score: float | None = None
    document_type: str | None = None
    # The record's values of each keyword facet but the type (subject -> its subjects ...).
    values: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Related:
    """A record related to another, and what they share (the reason it is shown)."""

    record: dict[str, Any]
    persons: list[str]
    subjects: list[str]


@dataclass
class Results:
    query: Query
    total: int
    page: int
    per_page: int
    pages: int
    results: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    fallback: str | None = None  # why the text was searched as plain words, when it was
    fallback_kind: str | None = None  # which check refused it (querycheck.Fallback.kind)
    # The search to offer instead, when the text held a year:/date: that cannot be a
    # filter where it stands (the same search with it as a filter).
    offer: Query | None = None
    any_words: bool = False  # no record had every word: these have some of them, best first
    name_variants: list[str] = field(default_factory=list)
    partial: str | None = None  # why the answer is incomplete (a pattern or the time budget cut it)
    index_version: str = ""
    took_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The whole result as JSON data, highlights as the API's HTML strings (for --json)."""
        data = asdict(self)
        data["query"] = asdict(self.query)
        data["query"]["sort"] = self.query.effective_sort
        for hit, shown in zip(self.results, data["results"], strict=True):
            shown["highlights"] = {name: value.html() for name, value in hit.highlights.items()}
        return data


@dataclass
class _Matches:
    docs: np.ndarray  # the matching documents, every filter applied, ascending
    # For each disjunctive facet with a selection: the matches without its own filter
    # (its counts say what each value would add).
    bases: dict[str, np.ndarray]
    filtered: bool  # a filter narrowed the text's matches

    def base(self, name: str) -> np.ndarray:
        return self.bases.get(name, self.docs)


class _State:
    """One opened generation: its index, searcher, parser and facet columns."""

    def __init__(self, path: Path):
        self.ix, self.info = open_index(path)
        self.searcher: Searcher = self.ix.searcher()
        self.parser = TextParser(self.ix.schema, load_authority())
        self.columns = FacetColumns(self.searcher.reader())
        self.matches = MatchSets(self.searcher, self.columns)
        self.scorer = ArrayScorer(self.searcher, self.matches)
        for name in TEXT_FIELDS:  # at open, so no query pays for them
            self.scorer.lengths(name)
        self.vocabulary = Vocabulary(self.info.path)
        # docnum -> (record, length of its JSON): bounded in count and in characters, since
        # a record with its document's text may be a thousand times the size of another.
        self._records: OrderedDict[int, tuple[dict[str, Any], int]] = OrderedDict()
        self._record_chars = 0
        # Every person by address (A-Z) and by name: worked out at the first ask.
        self.people: tuple[dict[str, PersonName], dict[str, PersonName]] | None = None

    def record(self, docnum: int) -> dict[str, Any]:
        """A stored record, parsed once and remembered (records recur across searches)."""
        found = self._records.get(docnum)
        if found is None:
            stored = self.searcher.reader().stored_fields(docnum)["record"]
            found = self._records[docnum] = (json.loads(stored), len(stored))
            self._record_chars += found[1]
            while len(self._records) > STORED_CACHE_SIZE or (
                self._record_chars > STORED_CACHE_CHARS and len(self._records) > 1
            ):
                self._record_chars -= self._records.popitem(last=False)[1][1]
        else:
            self._records.move_to_end(docnum)
        return found[0]

    def docnum_of(self, record_id: str) -> int | None:
        """The live document of a record id (its key found, then the id itself checked,
        since two ids may share a key), or None."""
        for docnum in self.columns.docs_with_id_key(id_key(record_id)):
            if self.record(docnum)["id"] == record_id:
                return docnum
        return None

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


class Engine:
    """The searcher for one index path, shared by every request of a process."""

    def __init__(
        self,
        index_path: str | os.PathLike[str] = DEFAULT_INDEX,
        time_budget: float | None = budget.DEFAULT_SECONDS,
        max_expansions: int = budget.DEFAULT_MAX_EXPANSIONS,
    ):
        self.location = IndexLocation(index_path)
        self.time_budget, self.max_expansions = time_budget, max_expansions
        self._state: _State | None = None
        self._search_lock = threading.RLock()  # searches, record reads and reopening take turns
        self._results: OrderedDict[tuple[object, ...], Results] = OrderedDict()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Take the engine's turn; a damaged file becomes IndexUnavailable (a 503 that says
        to rebuild), and the damaged generation is dropped so the next request reopens."""
        with self._search_lock:
            try:
                yield
            except DAMAGE as error:
                raise self._damaged(error) from error

    def _damaged(self, error: Exception) -> IndexUnavailable:
        """Drop the open generation (the next request reopens) and say the index is damaged."""
        if self._state is not None:
            self._state.close()
            self._state = None
        return IndexUnavailable(
            f"the index at {self.location.link} is damaged "
            f"({type(error).__name__}: {error}); rebuild it"
        )

    def state(self) -> _State:
        """The current generation, reopened when a new one was swapped in.

        Raises IndexUnavailable."""
        with self._reading():
            state = self._state
            if (
                state is not None
                and state.info.path == self.location.current()
                and state.searcher.up_to_date()
            ):
                return state
            fresh = _State(self.location.link)
            self._state = fresh
            if state is not None:
                # Nothing else uses it: every search and record read holds this lock.
                state.close()
            return fresh

    @property
    def served_generation(self) -> str:
        """The generation the last search ran on ("" before any), without checking the disk."""
        return self._state.info.generation if self._state is not None else ""

    def current_info(self) -> IndexInfo:
        """The generation the index link points at now, opened if it is not yet (as the
        next search would). Raises IndexUnavailable."""
        return self.state().info

    @property
    def info(self) -> IndexInfo:
        """The generation being served: the one already open (checked by each search), else
        opened now."""
        state = self._state
        return state.info if state is not None else self.state().info

    def search(self, query: Query) -> Results:
        """Run one query; searches in one process take turns (one searcher, CPU-bound work).

        Answers are remembered per index generation (a small LRU), so paging back, the
        back button and repeated facet clicks cost nothing; a new generation starts afresh.
        """
        with self._reading():
            started = time.perf_counter()
            state = self.state()
            generation = state.info.generation
            key = (generation, query.cache_key())
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
                return replace(cached, took_ms=round((time.perf_counter() - started) * 1000, 2))
            if self._results and next(iter(self._results))[0] != generation:
                self._results.clear()
            state.matches.budget = budget.Budget(self.time_budget, self.max_expansions)
            results = self._search(query, state)
            if not state.matches.budget.timed_out:
                # A search cut short by the clock may finish next time: not remembered.
                self._results[key] = results
                if len(self._results) > RESULT_CACHE_SIZE:
                    self._results.popitem(last=False)
            return results

    def _search(self, query: Query, state: _State) -> Results:
        started = time.perf_counter()
        parsed, matches, any_words = self._matched(state, query)
        total = len(matches.docs)
        first = (query.page - 1) * query.per_page
        page_docs, scores = self._page(state, query, parsed, matches, first)
        marks = self._highlight_terms(state, parsed)
        hits = [
            self._hit(state, docnum, marks, score)
            for docnum, score in zip(page_docs, scores, strict=True)
        ]
        masks: dict[int, np.ndarray] = {}  # one per distinct set of documents counted over

        def mask_of(docs: np.ndarray) -> np.ndarray:
            if id(docs) not in masks:
                masks[id(docs)] = state.columns.mask_of(docs)
            return masks[id(docs)]

        facets = {
            facet.name: self._facet(state, facet, matches.base(facet.name), mask_of, query)
            for facet in FACETS
            if facet.kind == "year" or state.columns.has_values(facet.name)
        }
        suggestion = self._suggest(state, query, parsed, total) if total < SUGGEST_BELOW else None
        return Results(
            query=query,
            total=total,
            page=query.page,
            per_page=query.per_page,
            pages=max(1, -(-total // query.per_page)),
            results=hits,
            facets=facets,
            suggestion=suggestion,
            fallback=parsed.fallback_reason,
            fallback_kind=parsed.fallback.kind if parsed.fallback else None,
            offer=self._offer(query, parsed),
            any_words=any_words,
            name_variants=parsed.persons,
            partial=state.matches.budget.partial,
            index_version=state.info.generation,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    @staticmethod
    def _offer(query: Query, parsed: ParsedText) -> Query | None:
        """The same search with its year:/date: clauses as filters, when they could not
        stand where they were typed."""
        if parsed.fallback is None or parsed.fallback.kind != "date-not-a-filter":
            return None
        offered = lift_date_clauses(query.with_changes(page=1), force=True)
        return offered if offered.cache_key() != query.with_changes(page=1).cache_key() else None

    def every_record(self, query: Query, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """A search's whole result (every page), in its order, for an export: how many
        records it has, and those records, or none when there are more than ``limit``."""
        with self._reading():
            state = self.state()
            state.matches.budget = budget.Budget(self.time_budget, self.max_expansions)
            parsed, matches, _ = self._matched(state, query)
            total = len(matches.docs)
            if total > limit or not total:
                return total, []
            whole = query.with_changes(page=1, per_page=total)
            docs, _ = self._page(state, whole, parsed, matches, 0)
            reader = state.searcher.reader()
            # Read afresh, not through the page cache: an export would empty it.
            return total, [json.loads(reader.stored_fields(d)["record"]) for d in docs]

    def record(self, record_id: str) -> dict[str, Any] | None:
        """One record with all its fields, or None."""
        with self._reading():
            state = self.state()
            docnum = state.docnum_of(record_id)
            return state.record(docnum) if docnum is not None else None

    def people(self) -> list[PersonName]:
        """Every person the index's records name, with their count and address, A-Z by
        family name (worked out once per generation)."""
        return list(self._people()[0].values())

    def person(self, slug: str) -> PersonName | None:
        """The person at this address, or None."""
        return self._people()[0].get(slug)

    def person_named(self, name: str) -> PersonName | None:
        """The person of this canonical name (a facet value), or None."""
        return self._people()[1].get(name)

    def _people(self) -> tuple[dict[str, PersonName], dict[str, PersonName]]:
        with self._reading():
            state = self.state()
            if state.people is None:
                columns = state.columns
                counts = columns.value_counts("person", columns.all_docs())
                found = named_people(list(counts.items()))
                state.people = (
                    {person.slug: person for person in found},
                    {person.name: person for person in found},
                )
            return state.people

    def related(self, record_id: str, limit: int = 5) -> list[Related]:
        """Up to ``limit`` records sharing the most persons and subjects with this one,
        nearest in date first among equals; empty for an unknown id."""
        with self._reading():
            state = self.state()
            docnum = state.docnum_of(record_id)
            if docnum is None:
                return []
            record = state.record(docnum)

            def as_listed(names: list[str], field_name: str) -> list[str]:
                # In the record's own order ("Mao Zedong, Joseph Stalin"), not value order.
                place = {value_key(v): i for i, v in enumerate(record.get(field_name) or [])}
                return sorted(names, key=lambda name: place.get(value_key(name), len(place)))

            return [
                Related(
                    state.record(shared.docnum),
                    as_listed(shared.persons, "persons"),
                    as_listed(shared.subjects, "subjects"),
                )
                for shared in related_docs(state.columns, docnum, limit)
            ]

    def probe(self, stored_records: int = 1_000) -> int:
        """Open the index and read once what searches read, so an index that cannot serve
        fails before the first request: every facet column and person posting list, the
        field lengths, stored records spread over the whole index, and the postings and
        positions of terms spread over each field's lexicon (the first term at each
        letter and digit). Damage anywhere else is found by the checksums
        (indexdir.verify_files, which check_index runs first). Returns the record count;
        raises IndexUnavailable."""
        with self._reading():
            try:
                state = self.state()
                total = self.search(Query(per_page=MAX_PER_PAGE)).total
                reader = state.searcher.reader()
                count = reader.doc_count_all()
                spread = set(range(0, count, max(1, count // stored_records))) | (
                    {count - 1} if count else set()
                )
                for docnum in sorted(spread):
                    if not reader.is_deleted(docnum):
                        json.loads(reader.stored_fields(docnum)["record"])
                for name in TEXT_FIELDS:
                    # Sampled without listing the lexicon (200,000 terms a field at a
                    # million records): the first term from each of these prefixes.
                    terms = set()
                    for prefix in _PROBE_PREFIXES:
                        for field_name, term in reader.terms_from(name, prefix):
                            if field_name == name:
                                terms.add(term)
                            break
                    for term in sorted(terms):
                        # Every block read and inflated, its positions' bytes included, a
                        # block at a time: posting by posting, a common word's million
                        # postings took 37 s to probe at a million records.
                        for segment, _ in reader.leaf_readers():
                            if (name, term) in segment:
                                for _ in term_postings(segment, name, term, with_values=True):
                                    pass
            except IndexUnavailable:
                raise
            except Exception as error:  # on an index that just opened, any failure is damage
                raise self._damaged(error) from error
            return total

    # -- matching --------------------------------------------------------------------

    def _matched(self, state: _State, query: Query) -> tuple[ParsedText, _Matches, bool]:
        """The query's text parsed and matched; plain words no record holds all of are
        widened to any of them (then the flag is true when that found something)."""
        parsed = state.parser.parse(query.text)
        matches = self._matching(state, parsed, query)
        if not len(matches.docs) and parsed.plain and len(parsed.words) > 1:
            parsed = state.parser.parse_any(parsed)
            matches = self._matching(state, parsed, query)
            return parsed, matches, bool(len(matches.docs))
        return parsed, matches, False

    def _matching(self, state: _State, parsed: ParsedText, query: Query) -> _Matches:
        """What matches, unscored, every filter applied; and for each disjunctive facet with
        a selection, the matches without it (its counts). Filters are numpy operations on
        cached arrays."""
        docs = (
            state.matches.docs(parsed.query)
            if parsed.query is not None
            else state.columns.all_docs()
        )
        if query.date_from or query.date_to:
            first = day_number(span(query.date_from)[0]) if query.date_from else None
            last = day_number(span(query.date_to)[1]) if query.date_to else None
            docs = state.columns.overlapping(docs, first, last)
        # Facets whose values combine with AND narrow before any count; those with OR
        # narrow last, each leaving itself out of its own counts.
        either: dict[str, tuple[Any, ...]] = {}
        for facet in FACETS:
            chosen = query.selected(facet.name)
            if not chosen:
                continue
            if facet.disjunctive:
                either[facet.name] = chosen
                continue
            for value in chosen:
                docs = intersect(
                    docs, state.columns.docs_with_value(facet.name, value), len(state.columns.live)
                )
        narrowed = {
            name: self._narrowed(state, name, docs, chosen) for name, chosen in either.items()
        }
        kept = docs
        for name in either:
            kept = np.intersect1d(kept, narrowed[name], assume_unique=True)
        bases = {}
        for name in either:
            base = docs
            for other in either:
                if other != name:
                    base = np.intersect1d(base, narrowed[other], assume_unique=True)
            bases[name] = base
        return _Matches(kept, bases, filtered=query.has_filters)

    @staticmethod
    def _narrowed(
        state: _State, name: str, docs: np.ndarray, chosen: tuple[Any, ...]
    ) -> np.ndarray:
        """The ``docs`` holding any of a disjunctive facet's chosen values."""
        if name == "year":
            kept: np.ndarray = docs[
                np.isin(state.columns.years[docs], np.array(chosen, dtype=np.int32))
            ]
            return kept
        return intersect(docs, state.columns.docs_with_any(name, chosen), len(state.columns.live))

    @staticmethod
    def _page(
        state: _State, query: Query, parsed: ParsedText, matches: _Matches, first: int
    ) -> tuple[list[int], list[float | None]]:
        docs = matches.docs
        if first >= len(docs):
            return [], []
        last = first + query.per_page
        if query.effective_sort == "relevance" and parsed.query is not None:
            # Every match is scored: Whoosh's top-k collector gives a different top 5 than
            # top 10 for compound queries (whoosh3 3.54), so pages would overlap. Ranked by
            # score, ties in document order (a full build writes records by date). The
            # numpy scorer does it for the common query shapes, Whoosh for the rest.
            scored = state.scorer.score(parsed.query)
            if scored is not None:
                numbers, scores = scored
                if matches.filtered:
                    keep = np.isin(numbers, docs, assume_unique=True)
                    numbers, scores = numbers[keep], scores[keep]
                order = np.lexsort((numbers, -scores))[first:last]
                return numbers[order].tolist(), [round(float(score), 4) for score in scores[order]]
            allowed = set(docs.tolist()) if matches.filtered else None
            collector = state.searcher.collector(limit=None, filter=allowed)
            collector = budget.DeadlineCollector(collector, state.matches.budget)
            try:
                state.searcher.search_with_collector(parsed.query, collector)
            except TimeLimit:
                state.matches.budget.out_of_time()
            found = collector.results()
            count = found.scored_length()
            numbers = np.fromiter(
                (found.docnum(i) for i in range(count)), dtype=np.int64, count=count
            )
            scores = np.fromiter(
                (found.score(i) for i in range(count)), dtype=np.float64, count=count
            )
            order = np.lexsort((numbers, -scores))[first:last]
            return numbers[order].tolist(), [round(float(score), 4) for score in scores[order]]
        chosen = state.columns.order_by_date(docs, newest_first=(query.effective_sort == "-date"))[
            first:last
        ]
        return chosen.tolist(), [None] * len(chosen)

    # -- what each hit shows ---------------------------------------------------------

    def _hit(
        self, state: _State, docnum: int, marks: dict[str, frozenset[str]], score: float | None
    ) -> Hit:
        record = state.record(docnum)
        return Hit(
            id=record["id"],
            title=record["title"],
            summary=record["summary"],
            date=record["date"],
            date_precision=record["date_precision"],
            year=record["year"],
            persons=record["persons"],
            source_url=record.get("source_url"),
            highlights=self._highlights(record, marks),
            score=score,
            document_type=record.get("document_type"),
            values={
                facet.name: list(record.get(facet.record_field) or [])
                for facet in KEYWORD_FACETS
                if facet.name != "type"
            },
        )

    @staticmethod
    def _highlights(
        record: dict[str, Any], marks: dict[str, frozenset[str]]
    ) -> dict[str, Highlight]:
        shown = {name: highlight(record[name], marks.get(name)) for name in HIGHLIGHTED_FIELDS}
        best = passage(record.get("text") or "", marks.get("text"))
        if best is not None:
            shown["text"] = best
        return shown

    def record_highlights(self, record: dict[str, Any], text: str) -> dict[str, Highlight]:
        """A record's title, summary and full text, the words of the search ``text`` marked
        (the record page of a search's result)."""
        with self._reading():
            state = self.state()
            parsed = state.parser.parse(text) if text.strip() else ParsedText(None)
            marks = self._highlight_terms(state, parsed)
        return {
            name: highlight(record.get(name) or "", marks.get(name))
            for name in (*HIGHLIGHTED_FIELDS, "text")
        }

    @staticmethod
    def _highlight_terms(state: _State, parsed: ParsedText) -> dict[str, frozenset[str]]:
        """The indexed terms the query matched in the highlighted fields (wildcards
        expanded), once per query. Only text fields are marked: their terms are UTF-8."""
        if parsed.query is None:
            return {}
        # Not Query.existing_terms(): in whoosh3 3.54 its loop variable shadows its
        # ``fieldname`` argument, so after the first leaf it skips every other field.
        reader = state.searcher.reader()
        terms: dict[str, set[str]] = {}
        for leaf in parsed.query.leaves():
            expanded: Iterable[tuple[str, str | bytes]]
            if isinstance(leaf, MultiTerm):  # the pattern's words this search used, no more
                field = pattern_field(leaf)
                expanded = [(field, word) for word in state.matches.expand(leaf)]
            else:
                expanded = leaf.expanded_terms(reader, phrases=True)
            for name, word in expanded:
                if name not in MARKED_FIELDS:
                    continue
                term = word if isinstance(word, bytes) else word.encode("utf-8")
                if (name, term) in reader:
                    terms.setdefault(name, set()).add(term.decode("utf-8"))
        return {name: frozenset(words) for name, words in terms.items()}

    # -- facets ----------------------------------------------------------------------

    @staticmethod
    def _facet(
        state: _State,
        facet: Facet,
        docs: np.ndarray,
        mask_of: Callable[[np.ndarray], np.ndarray],
        query: Query,
    ) -> list[FacetValue]:
        """A facet's values among ``docs``: every year in year order; for the others the
        most held (by count, then value), ``facet.shown`` of them unless expanded, and
        every selected value, even one no match holds."""
        chosen = query.selected(facet.name)
        if facet.kind == "year":
            counts = dict(state.columns.year_counts(docs))
            for year in chosen:
                counts.setdefault(year, 0)
            return [FacetValue(year, counts[year], year in chosen) for year in sorted(counts)]
        column = state.columns.values[facet.name]
        held = column.count_array(docs, lambda: mask_of(docs))
        limit = facet.shown if facet.name not in query.expanded else None
        top = column.ranked(held, limit)
        selected = {value_key(str(value)) for value in chosen}
        values = [FacetValue(value, count, value_key(value) in selected) for value, count in top]
        shown = {value_key(value) for value, _ in top}
        for value in chosen:
            key = value_key(str(value))
            if key in shown:
                continue
            shown.add(key)
            number = column.number_of(value)
            if number is None:
                values.append(FacetValue(value, 0, True))
            else:
                values.append(FacetValue(column.names[number], int(held[number]), True))
        return values

    # -- did you mean ----------------------------------------------------------------

    def _suggest(self, state: _State, query: Query, parsed: ParsedText, total: int) -> str | None:
        """A corrected query from the index's own words, when it finds at least as many records."""
        # A query searched as plain words is corrected as plain words.
        text, changed = (" ".join(parsed.words) if parsed.fallback_reason else query.text), False
        for word in parsed.words:
            folded = words_of(word)
            if len(folded) != 1 or folded[0] in state.vocabulary:
                continue
            replacement = state.vocabulary.correct(folded[0])
            if replacement:
                if word[:1].isupper():
                    replacement = replacement[:1].upper() + replacement[1:]
                text = text.replace(word, replacement, 1)
                changed = True
        if not changed:
            return None
        corrected = state.parser.parse(text)
        found = len(self._matching(state, corrected, query).docs)
        if not found and query.has_filters:
            # The spelling is still wrong when the filters leave nothing: say so, the page
            # then offers to remove a filter.
            found = len(state.matches.docs(corrected.query)) if corrected.query is not None else 0
        return text if found and found >= total else None


_engines: dict[Path, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(index_path: str | os.PathLike[str] = DEFAULT_INDEX) -> Engine:
    """The process's one Engine for an index path."""
    key = Path(index_path).absolute()
    with _engines_lock:
        if key not in _engines:
            _engines[key] = Engine(key)
        return _engines[key]


def check_index(index_path: str | os.PathLike[str]) -> int:
    """Check the index's files against their build's checksums, then open and probe it
    (Engine.probe): a missing or damaged index is one sentence before serving, not a
    failure on the first request. Returns the record count; raises IndexUnavailable."""
    verify_files(index_path)
    return Engine(index_path).probe()


def search(query: Query, index_path: str | os.PathLike[str] = DEFAULT_INDEX) -> Results:
    """Run a query against the index at ``index_path`` (default data/index)."""
    return engine_for(index_path).search(query)
