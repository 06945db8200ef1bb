"""Posting lists as numpy arrays, read once per searcher and shared by matching and scoring.

Matching needs a term's documents, scoring its term frequencies, phrases its positions.
Whoosh hands postings out one Python call per posting; here each list is read a block
at a time (one call per block of up to 128 postings) into arrays and cached, so a term
costs its read once per index generation, not once per query and again per consumer.
Positions stay encoded until a phrase asks for them, and then only in the documents
that hold every word of the phrase. The caches are bounded in bytes, not terms: one
common word of a million-record archive is megabytes.

The block reader uses the leaf matcher of whoosh3's W3 codec (pinned exactly in
pyproject.toml); any other matcher is read through Whoosh's public per-posting API,
and a test checks that both give the same arrays.
"""

from __future__ import annotations

from collections import OrderedDict
from sys import getsizeof

import numpy as np
from whoosh.matching.wrappers import FilterMatcher

POSTINGS_BUDGET = 96 * 2**20  # bytes of cached documents and frequencies
POSITIONS_BUDGET = 64 * 2**20  # bytes of cached encoded positions
_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_TFS = np.zeros(0, dtype=np.float32)


class Postings:
    """One term's live postings: documents ascending, and their term frequencies."""

    __slots__ = ("ids", "tfs", "values", "nbytes")

    def __init__(self, ids: np.ndarray, tfs: np.ndarray, values: np.ndarray | None = None):
        self.ids, self.tfs, self.values = ids, tfs, values
        # Counted once: the cache adds it on entry and takes it off on eviction.
        self.nbytes = ids.nbytes + tfs.nbytes
        if values is not None:
            self.nbytes += values.nbytes + sum(getsizeof(value) for value in values)


class _LRU:
    """Least recently used entries go first once the byte budget is spent."""

    def __init__(self, budget: int):
        self.budget, self.used = budget, 0
        self._entries: OrderedDict[tuple[str, bytes], Postings] = OrderedDict()

    def get(self, key) -> Postings | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key, value: Postings) -> None:
        self._entries[key] = value
        self.used += value.nbytes
        while self.used > self.budget and len(self._entries) > 1:
            _, dropped = self._entries.popitem(last=False)
            self.used -= dropped.nbytes


class PostingCache:
    def __init__(self, reader, live: np.ndarray):
        self.reader = reader
        self.live = live
        self._postings = _LRU(POSTINGS_BUDGET)
        self._encoded = _LRU(POSITIONS_BUDGET)

    def postings(self, fieldname: str, term: bytes) -> Postings:
        """A term's live documents (int32, ascending) and frequencies (float32)."""
        return self._cached(self._postings, fieldname, term, with_values=False)

    def phrase(self, fieldname: str, terms: list[bytes]) -> np.ndarray:
        """Documents where the terms stand next to each other in order (Whoosh's Phrase with
        slop 1: each word one position after the last), ascending."""
        if not terms:
            return _EMPTY_IDS
        candidates = self.postings(fieldname, terms[0]).ids
        for term in terms[1:]:
            candidates = np.intersect1d(candidates, self.postings(fieldname, term).ids, assume_unique=True)
        if not len(candidates):
            return _EMPTY_IDS
        decode = self.reader.schema[fieldname].format.decoder("positions")
        matched = None
        for shift, term in enumerate(terms):
            encoded = self._positions(fieldname, term)
            chosen = encoded.values[np.searchsorted(encoded.ids, candidates)]
            lists = [decode(value) for value in chosen]
            counts = np.fromiter((len(p) for p in lists), dtype=np.int64, count=len(lists))
            flat = np.fromiter((p for positions in lists for p in positions), dtype=np.int64, count=int(counts.sum()))
            keys = np.unique((np.repeat(candidates.astype(np.int64), counts) << 32) | flat) - shift
            matched = keys if matched is None else np.intersect1d(matched, keys, assume_unique=True)
            if not len(matched):
                return _EMPTY_IDS
        return np.unique(matched >> 32).astype(np.int32)

    def _positions(self, fieldname: str, term: bytes) -> Postings:
        return self._cached(self._encoded, fieldname, term, with_values=True)

    def _cached(self, cache: _LRU, fieldname: str, term: bytes, with_values: bool) -> Postings:
        key = (fieldname, term)
        found = cache.get(key)
        if found is None:
            found = self._read(fieldname, term, with_values)
            cache.put(key, found)
        return found

    def _read(self, fieldname: str, term: bytes, with_values: bool) -> Postings:
        """Every live posting of a term in document order (with its encoded positions when asked)."""
        id_parts, tf_parts, values = [], [], []
        for segment, offset in self.reader.leaf_readers():
            if (fieldname, term) not in segment:
                continue
            matcher = segment.postings(fieldname, term)
            if isinstance(matcher, FilterMatcher):  # deletions: dropped through ``live`` below
                matcher = matcher.child
            if _reads_blocks(matcher):
                while matcher.is_active():
                    block_ids, block_tfs, block_values = _block(matcher, with_values)
                    id_parts.append(block_ids + offset)
                    tf_parts.append(block_tfs)
                    values.extend(block_values)
                    matcher._next_block()
            else:
                ids, tfs = [], []
                while matcher.is_active():
                    ids.append(matcher.id() + offset)
                    tfs.append(matcher.weight())
                    if with_values:
                        values.append(matcher.value())
                    matcher.next()
                id_parts.append(np.array(ids, dtype=np.int64))
                tf_parts.append(np.array(tfs, dtype=np.float32))
        if not id_parts:
            return Postings(_EMPTY_IDS, _EMPTY_TFS, np.zeros(0, dtype=object) if with_values else None)
        # Segments come in document order, each one's postings ascending.
        ids = np.concatenate(id_parts)
        keep = self.live[ids]
        encoded = None
        if with_values:
            encoded = np.empty(len(values), dtype=object)
            encoded[:] = values
            encoded = encoded[keep]
        return Postings(ids[keep].astype(np.int32), np.concatenate(tf_parts)[keep], encoded)


def _reads_blocks(matcher) -> bool:
    return not getattr(matcher, "_byteids", True) and all(
        hasattr(matcher, name) for name in ("_read_data", "_read_values", "_next_block", "_blocklength")
    )


def _block(matcher, with_values: bool) -> tuple[np.ndarray, np.ndarray, list]:
    """The current block's documents, frequencies and encoded values, decoded with numpy.

    A W3 block is a pickled tuple: document deltas, then weights (None when all are 1,
    one float when all are equal, else one per posting), then values.
    """
    matcher._read_data()
    deltas, weights = matcher._data[0], matcher._data[1]
    ids = np.cumsum(np.asarray(deltas, dtype=np.int64))
    if weights is None:
        tfs = np.ones(len(ids), dtype=np.float32)
    elif isinstance(weights, float):
        tfs = np.full(len(ids), weights, dtype=np.float32)
    else:
        tfs = np.asarray(weights, dtype=np.float32)
    values = []
    if with_values:
        matcher._read_values()
        values = list(matcher._values)
    return ids, tfs, values
