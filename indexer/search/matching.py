"""Which documents match a query, as a sorted numpy array, without scoring any of them.

Totals and facets need every matching document; ranking needs only the page. Whoosh's
matchers find matches one Python call at a time, so the common query shapes (And, Or,
Not, terms, prefixes and wildcards, phrases, everything) are evaluated here over posting
lists read once and cached per searcher (postings.py), with numpy set operations. Any
other node (a phrase with slop, say) is handed to Whoosh for that node alone.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.index.whoosh_internals import is_null_query

from .budget import Budget
from .docsets import difference, intersect, union
from .facets import FacetColumns
from .postings import PostingCache

_EMPTY = np.zeros(0, dtype=np.int32)
EXPANSIONS_CACHE_SIZE = 256
CHECK_EVERY = 256  # terms or documents between looks at the clock


class MatchSets:
    """Sorted arrays of live document numbers for query trees, one instance per searcher."""

    def __init__(self, searcher: Searcher, columns: FacetColumns):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.columns = columns
        self.cache = PostingCache(self.reader, columns.live)
        self.doc_count = len(columns.live)
        self.budget = Budget(None)  # the running search's, set by the engine
        self._expansions: OrderedDict[tuple[str, str, int], tuple[list[bytes], int]] = OrderedDict()

    def postings(self, fieldname: str, term: bytes) -> np.ndarray:
        return self.cache.postings(fieldname, term).ids

    def expand(self, query: wq.MultiTerm) -> list[bytes]:
        """The words a pattern (prefix, wildcard, range, fuzzy term) matches: at most the
        budget's ``max_expansions``, the most frequent, and the cut said in the budget."""
        budget = self.budget
        key = (type(query).__name__, repr(query.with_boost(1.0)), budget.max_expansions)
        fieldname = pattern_field(query)
        found = self._expansions.get(key)
        if found is None:
            terms, total = [], 0
            for number, (_, term) in enumerate(query.expanded_terms(self.reader)):
                terms.append(term)
                if number % CHECK_EVERY == CHECK_EVERY - 1 and budget.exceeded():
                    budget.out_of_time()
                    return self._most_frequent(fieldname, terms, budget.max_expansions)
            total = len(terms)
            terms = self._most_frequent(fieldname, terms, budget.max_expansions)
            found = (terms, total)
            self._expansions[key] = found
            if len(self._expansions) > EXPANSIONS_CACHE_SIZE:
                self._expansions.popitem(last=False)
        else:
            self._expansions.move_to_end(key)
        terms, total = found
        if total > len(terms):
            budget.cut(
                f"\u201c{_pattern(query)}\u201d matches more than {len(terms):,} words: "
                f"only the {len(terms):,} most frequent were searched"
            )
        return terms

    def _most_frequent(self, fieldname: str, terms: list[bytes], limit: int) -> list[bytes]:
        if len(terms) <= limit:
            return terms
        frequency = self.reader.doc_frequency
        return sorted(terms, key=lambda term: -frequency(fieldname, term))[:limit]

    def phrase_terms(self, query: wq.Phrase) -> list[bytes] | None:
        """The phrase's terms when numpy can match it exactly (slop 1, a field with
        positions), else None. An unknown word leaves no terms: nothing matches."""
        schema = self.reader.schema
        field = schema[query.fieldname] if query.fieldname in schema else None  # noqa: SIM401 (a Schema has no .get)
        if (
            query.slop != 1
            or field is None
            or not field.format
            or not field.format.supports("positions")
        ):
            return None
        terms = [field.to_bytes(word) for word in query.words]
        return terms if all((query.fieldname, term) in self.reader for term in terms) else []

    def docs(self, query: wq.Query) -> np.ndarray:
        """Every live document the query matches, ascending."""
        if isinstance(query, wq.ConstantScoreQuery):
            return self.docs(query.child)
        if isinstance(query, wq.Every):
            return self.columns.all_docs()
        if is_null_query(query):
            return _EMPTY
        if isinstance(query, wq.Term):
            field = self.reader.schema[query.fieldname]
            return self.postings(query.fieldname, field.to_bytes(query.text))
        if isinstance(query, wq.MultiTerm):
            return union(
                [
                    self.postings(pattern_field(query), term)
                    for term in self.in_time(self.expand(query))
                ],
                self.doc_count,
            )
        if isinstance(query, wq.AndNot):
            return difference(self.docs(query.a), self.docs(query.b), self.doc_count)
        if isinstance(query, wq.Not):
            return difference(self.columns.all_docs(), self.docs(query.query), self.doc_count)
        if isinstance(query, wq.And):
            positive = [q for q in query.subqueries if not isinstance(q, wq.Not)]
            negative = [q.query for q in query.subqueries if isinstance(q, wq.Not)]
            result: np.ndarray | None = self.columns.all_docs() if not positive else None
            for part in sorted((self.docs(q) for q in positive), key=len):
                result = part if result is None else intersect(result, part, self.doc_count)
                if not len(result):
                    return _EMPTY
            assert result is not None  # from the positive parts, or every document
            for excluded in negative:
                result = difference(result, self.docs(excluded), self.doc_count)
            return result
        if isinstance(query, wq.Or):
            return union([self.docs(q) for q in query.subqueries], self.doc_count)
        if isinstance(query, wq.Phrase) and (terms := self.phrase_terms(query)) is not None:
            return self.cache.phrase(query.fieldname, terms).astype(np.int32) if terms else _EMPTY
        docs = np.fromiter(self._whoosh_docs_in_time(query), dtype=np.int32)
        docs.sort()
        return docs[self.columns.live[docs]]

    def in_time(self, terms: list[bytes]) -> Iterator[bytes]:
        """The terms, as many as the deadline leaves time to read."""
        for number, term in enumerate(terms):
            if number % 16 == 15 and self.budget.exceeded():
                self.budget.out_of_time()
                return
            yield term

    def _whoosh_docs_in_time(self, query: wq.Query) -> Iterator[int]:
        for number, docnum in enumerate(self.searcher.docs_for_query(query)):
            if number % CHECK_EVERY == CHECK_EVERY - 1 and self.budget.exceeded():
                self.budget.out_of_time()
                return
            yield docnum


def pattern_field(query: wq.MultiTerm) -> str:
    """The field a pattern searches (every pattern Whoosh parses has one)."""
    return query.field() or ""


def _pattern(query: wq.MultiTerm) -> str:
    """A pattern as the user would have typed it."""
    if isinstance(query, wq.TermRange):
        return f"{query.fieldname}:[{query.start or ''} TO {query.end or ''}]"
    if isinstance(query, wq.Prefix):
        return f"{query.text}*"
    if isinstance(query, wq.FuzzyTerm):
        return f"{query.text}~"
    return str(getattr(query, "text", ""))
