"""Which documents match a query, as a sorted numpy array, without scoring any of them.

Totals and facets need every matching document; ranking needs only the page. Whoosh's
matchers find matches one Python call at a time, so the common query shapes (And, Or,
Not, terms, prefixes and wildcards, phrases, everything) are evaluated here over posting
lists read once and cached per searcher (postings.py), with numpy set operations. Any
other node (a phrase with slop, say) is handed to Whoosh for that node alone.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from .facets import FacetColumns
from .postings import PostingCache

_EMPTY = np.zeros(0, dtype=np.int32)


class MatchSets:
    """Sorted arrays of live document numbers for query trees, one instance per searcher."""

    def __init__(self, searcher, columns: FacetColumns):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.columns = columns
        self.cache = PostingCache(self.reader, columns.live)

    def postings(self, fieldname: str, term: bytes) -> np.ndarray:
        return self.cache.postings(fieldname, term).ids

    def phrase_terms(self, query: wq.Phrase) -> list[bytes] | None:
        """The phrase's terms when numpy can match it exactly (slop 1, a field with
        positions), else None. An unknown word leaves no terms: nothing matches."""
        field = self.reader.schema[query.fieldname] if query.fieldname in self.reader.schema else None
        if query.slop != 1 or field is None or not field.format or not field.format.supports("positions"):
            return None
        terms = [field.to_bytes(word) for word in query.words]
        return terms if all((query.fieldname, term) in self.reader for term in terms) else []

    def docs(self, query: wq.Query) -> np.ndarray:
        """Every live document the query matches, ascending."""
        if isinstance(query, wq.ConstantScoreQuery):
            return self.docs(query.child)
        if isinstance(query, wq.Every):
            return self.columns.all_docs()
        if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
            return _EMPTY
        if isinstance(query, wq.Term):
            field = self.reader.schema[query.fieldname]
            return self.postings(query.fieldname, field.to_bytes(query.text))
        if isinstance(query, (wq.Prefix, wq.Wildcard)):
            terms = [text for _, text in query.expanded_terms(self.reader)]
            return self._union([self.postings(query.fieldname, t) for t in terms])
        if isinstance(query, wq.AndNot):
            return np.setdiff1d(self.docs(query.a), self.docs(query.b), assume_unique=True)
        if isinstance(query, wq.Not):
            return np.setdiff1d(self.columns.all_docs(), self.docs(query.query), assume_unique=True)
        if isinstance(query, wq.And):
            positive = [q for q in query.subqueries if not isinstance(q, wq.Not)]
            negative = [q.query for q in query.subqueries if isinstance(q, wq.Not)]
            result = self.columns.all_docs() if not positive else None
            for part in sorted((self.docs(q) for q in positive), key=len):
                result = part if result is None else np.intersect1d(result, part, assume_unique=True)
                if not len(result):
                    return _EMPTY
            for part in negative:
                result = np.setdiff1d(result, self.docs(part), assume_unique=True)
            return result
        if isinstance(query, wq.Or):
            return self._union([self.docs(q) for q in query.subqueries])
        if isinstance(query, wq.Phrase) and (terms := self.phrase_terms(query)) is not None:
            return self.cache.phrase(query.fieldname, terms).astype(np.int32) if terms else _EMPTY
        docs = np.fromiter(self.searcher.docs_for_query(query), dtype=np.int32)
        docs.sort()
        return docs[self.columns.live[docs]]

    @staticmethod
    def _union(parts: list[np.ndarray]) -> np.ndarray:
        parts = [p for p in parts if len(p)]
        if not parts:
            return _EMPTY
        if len(parts) == 1:
            return parts[0]
        return np.unique(np.concatenate(parts))
