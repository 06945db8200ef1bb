"""Relevance scores for every match at once: Whoosh's BM25F, computed with numpy.

Ranking a page needs every match scored (Whoosh's top-k collector disagrees with
itself across page sizes on compound queries), and Whoosh scores one matcher call at a
time. The common query shapes (terms, And, Or, Not, prefixes and wildcards, the
constant-score person clause, phrases, every pattern) are scored here over cached posting
weights and field lengths, with the same formula Whoosh uses:

    idf = log(N / (df + 1)) + 1
    bm25 = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average length)) * boost

and Whoosh's coordination bonus for "any of the words" queries. A phrase scores as
Whoosh's does: the sum of its words' scores, in the documents where they stand in a
row. A query with any other node (a numeric range, a phrase with slop) returns None
and is scored by Whoosh instead.
"""

from __future__ import annotations

from math import log

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.index.whoosh_internals import LENGTH_OF_CODE, field_length_codes

from .docsets import SEARCH_SHARE
from .matching import MatchSets, pattern_field

B, K1 = 0.75, 1.2
_NONE = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class Unsupported(Exception):
    """A query node this scorer does not compute; Whoosh scores the query instead."""


class ArrayScorer:
    def __init__(self, searcher: Searcher, matches: MatchSets):
        self.reader = searcher.reader()
        self.matches = matches
        self.doc_count_all = self.reader.doc_count_all()
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}

    # -- statistics, cached per searcher ----------------------------------------------------

    def lengths(self, fieldname: str) -> tuple[np.ndarray, float]:
        """A field's length codes by document (LENGTH_OF_CODE turns them into lengths),
        and its average length."""
        if fieldname not in self._lengths:
            reader = self.reader
            lengths = field_length_codes(reader, fieldname)
            average = (reader.field_length(fieldname) / max(1, reader.doc_count_all())) or 1.0
            self._lengths[fieldname] = (lengths, average)
        return self._lengths[fieldname]

    def weights(self, fieldname: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
        postings = self.matches.cache.postings(fieldname, term)
        return postings.ids, postings.tfs

    # -- the query tree ---------------------------------------------------------------------

    def score(self, query: wq.Query) -> tuple[np.ndarray, np.ndarray] | None:
        """(documents ascending, their scores) for every match, or None for Whoosh to do it."""
        try:
            return self._node(query)
        except Unsupported:
            return None

    def _node(self, query: wq.Query) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(query, wq.ConstantScoreQuery):
            ids = self.matches.docs(query.child).astype(np.int64)
            return ids, np.full(len(ids), float(query.score))
        if isinstance(query, wq.Term):
            return self._term(query.fieldname, query.text, query.boost)
        if isinstance(query, wq.MultiTerm):
            # Prefixes and wildcards score as Whoosh does (the sum of their words' scores);
            # ranges, fuzzy terms and regexes the same way, over the budget's expansion,
            # rather than handing Whoosh a pattern it would expand without limit.
            parts = [
                self._term(pattern_field(query), term, query_boost(query))
                for term in self.matches.in_time(self.matches.expand(query))
            ]
            return _sum_union(parts, self.doc_count_all)
        if isinstance(query, wq.Phrase):
            return self._phrase(query)
        if isinstance(query, wq.AndNot):
            ids, scores = self._node(query.a)
            excluded, _ = self._node(query.b)
            keep = ~np.isin(ids, excluded, assume_unique=True)
            return ids[keep], scores[keep]
        if isinstance(query, wq.And):
            return self._and(query)
        if isinstance(query, wq.Or):
            ids, scores = _sum_union([self._node(q) for q in query.subqueries], self.doc_count_all)
            if getattr(query, "scale", None):
                scores = self._coordinated(query, ids, scores)
            return ids, scores * query.boost
        raise Unsupported(type(query).__name__)

    def _term(
        self, fieldname: str, text: str | bytes, boost: float
    ) -> tuple[np.ndarray, np.ndarray]:
        field = self.reader.schema[fieldname]
        if not field.scorable:
            raise Unsupported(f"{fieldname} is not scorable")
        term = text if isinstance(text, bytes) else field.to_bytes(text)
        ids, tfs = self.weights(fieldname, term)
        if not len(ids):
            return _NONE
        idf = log(self.doc_count_all / (len(ids) + 1)) + 1
        lengths, average = self.lengths(fieldname)
        length = LENGTH_OF_CODE[lengths[ids]]
        scores = idf * (tfs * (K1 + 1)) / (tfs + K1 * ((1 - B) + B * length / average))
        return ids, scores * boost

    def _phrase(self, query: wq.Phrase) -> tuple[np.ndarray, np.ndarray]:
        terms = self.matches.phrase_terms(query)
        if terms is None:
            raise Unsupported("a phrase with slop")
        if not terms:
            return _NONE
        docs = self.matches.cache.phrase(query.fieldname, terms)
        total = np.zeros(len(docs))
        for term in terms:
            ids, scores = self._term(query.fieldname, term, 1.0)
            total += scores[np.searchsorted(ids, docs)]
        return docs, total * query.boost

    def _and(self, query: wq.And) -> tuple[np.ndarray, np.ndarray]:
        positive = [q for q in query.subqueries if not isinstance(q, wq.Not)]
        negative = [q.query for q in query.subqueries if isinstance(q, wq.Not)]
        if not positive:
            raise Unsupported("a purely negative And")
        parts = sorted((self._node(q) for q in positive), key=lambda part: len(part[0]))
        ids, scores = parts[0]
        for other_ids, other_scores in parts[1:]:
            position = np.searchsorted(other_ids, ids)
            position[position == len(other_ids)] = 0
            keep = other_ids[position] == ids if len(other_ids) else np.zeros(len(ids), dtype=bool)
            ids, scores = ids[keep], scores[keep] + other_scores[position[keep]]
        for excluded in negative:
            keep = ~np.isin(ids, self._node(excluded)[0], assume_unique=True)
            # Whoosh's Not matcher scores its boost (1.0) in the And's sum: so do we.
            ids, scores = ids[keep], scores[keep] + 1.0
        return ids, scores * query.boost

    def _coordinated(self, query: wq.Or, ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Whoosh's coordination bonus: documents with more of the query's terms rank higher."""
        # Whoosh counts only terms the index holds (an absent term gets no matcher).
        leaves = [
            leaf
            for leaf in query.leaves()
            if isinstance(leaf, wq.Term)
            and (leaf.fieldname, self.reader.schema[leaf.fieldname].to_bytes(leaf.text))
            in self.reader
        ]
        termcount = len(leaves)
        scale = query.scale or 0.0
        if termcount <= 1 or termcount == scale:
            return scores
        matching = np.zeros(len(ids))
        for leaf in leaves:
            leaf_ids, _ = self._term(leaf.fieldname, leaf.text, 1.0)
            matching += np.isin(ids, leaf_ids, assume_unique=True)
        bonus = (matching - 1) / (termcount - scale) ** 2
        coordinated: np.ndarray = (scores + bonus) * ((termcount - 1) / termcount)
        return coordinated


def query_boost(query: wq.Query) -> float:
    """A node's boost (every Whoosh query node has one; its annotations do not say so)."""
    return float(getattr(query, "boost", 1.0))


def _sum_union(
    parts: list[tuple[np.ndarray, np.ndarray]], doc_count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Every document of any part, its scores summed (in the parts' order)."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return _NONE
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    if len(ids) * max(1, int(np.log2(len(ids)))) < doc_count * SEARCH_SHARE:
        unique, inverse = np.unique(ids, return_inverse=True)
        return unique, np.bincount(inverse, weights=scores, minlength=len(unique))
    # Many documents: summed over every document number, with no sort (docsets.py).
    totals = np.bincount(ids, weights=scores, minlength=doc_count)
    present = np.zeros(doc_count, dtype=bool)
    present[ids] = True
    unique = np.flatnonzero(present).astype(ids.dtype)
    return unique, totals[unique]
