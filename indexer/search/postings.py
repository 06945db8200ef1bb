"""Posting lists as numpy arrays, read once per searcher and shared by matching and scoring.

Matching needs a term's documents, scoring its term frequencies, phrases its positions.
Whoosh hands postings out one Python call per posting; here each list is read a block
at a time (one call per block of up to 128 postings) into arrays and cached, so a term
costs its read once per index generation, not once per query and again per consumer.
Positions stay encoded until a phrase asks for them, and then only in the documents
that hold every word of the phrase. The caches are bounded in bytes, not terms: one
common word of a million-record archive is megabytes.

Postings are read by index/whoosh_internals.py, the one module that knows the W3
codec's blocks; a test checks its arrays against Whoosh's public per-posting API.
"""

from __future__ import annotations

from collections import OrderedDict
from sys import getsizeof

import numpy as np
from whoosh.reading import IndexReader

from indexer.index.whoosh_internals import term_postings

from .docsets import intersect

POSTINGS_BUDGET = 96 * 2**20  # bytes of cached documents and frequencies
POSITIONS_BUDGET = 64 * 2**20  # bytes of cached encoded positions
# Distinct encoded position lists kept decoded (a few MB).
DECODED_KEPT = 100_000
_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_BYTES_HEADER = getsizeof(b"")
_EMPTY_TFS = np.zeros(0, dtype=np.float32)


class Postings:
    """One term's live postings: documents ascending, and their term frequencies."""

    __slots__ = ("ids", "nbytes", "tfs", "values")

    def __init__(self, ids: np.ndarray, tfs: np.ndarray, values: np.ndarray | None = None):
        self.ids, self.tfs, self.values = ids, tfs, values
        # Counted once: the cache adds it on entry and takes it off on eviction.
        self.nbytes = ids.nbytes + tfs.nbytes
        if values is not None:
            # Each value a bytes object: its header and its length (map and len in C: a
            # common word holds hundreds of thousands).
            self.nbytes += values.nbytes + len(values) * _BYTES_HEADER + sum(map(len, values))


class _LRU:
    """Least recently used entries go first once the byte budget is spent."""

    def __init__(self, budget: int):
        self.budget, self.used = budget, 0
        self._entries: OrderedDict[tuple[str, bytes], Postings] = OrderedDict()

    def get(self, key: tuple[str, bytes]) -> Postings | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: tuple[str, bytes], value: Postings) -> None:
        self._entries[key] = value
        self.used += value.nbytes
        while self.used > self.budget and len(self._entries) > 1:
            _, dropped = self._entries.popitem(last=False)
            self.used -= dropped.nbytes


class PostingCache:
    def __init__(self, reader: IndexReader, live: np.ndarray):
        self.reader = reader
        self.live = live
        self._postings = _LRU(POSTINGS_BUDGET)
        self._encoded = _LRU(POSITIONS_BUDGET)
        self._decoded: dict[bytes, list[int]] = {}

    def postings(self, fieldname: str, term: bytes) -> Postings:
        """A term's live documents (int32, ascending) and frequencies (float32)."""
        return self._cached(self._postings, fieldname, term, with_values=False)

    def phrase(self, fieldname: str, terms: list[bytes]) -> np.ndarray:
        """Documents where the terms stand next to each other in order (Whoosh's Phrase with
        slop 1: each word one position after the last), ascending."""
        if not terms:
            return _EMPTY_IDS
        # The positions are read with the documents (one read of each block): the
        # candidates come from the same postings.
        candidates = self._positions(fieldname, terms[0]).ids
        for term in terms[1:]:
            candidates = intersect(candidates, self._positions(fieldname, term).ids, len(self.live))
        if not len(candidates):
            return _EMPTY_IDS
        field_format = self.reader.schema[fieldname].format
        assert field_format is not None  # a text field: phrase_terms checked it has positions
        decode = field_format.decoder("positions")
        decoded = self._decoded
        if len(decoded) > DECODED_KEPT:
            decoded.clear()
        matched: np.ndarray | None = None
        for shift, term in enumerate(terms):
            encoded = self._positions(fieldname, term)
            assert encoded.values is not None  # read with its values
            chosen = encoded.values[np.searchsorted(encoded.ids, candidates)]
            # Most postings' positions are one of a few thousand encodings: each decoded once.
            lists = [
                decoded.get(value) or decoded.setdefault(value, decode(value)) for value in chosen
            ]
            counts = np.fromiter((len(p) for p in lists), dtype=np.int64, count=len(lists))
            flat = np.fromiter(
                (p for positions in lists for p in positions),
                dtype=np.int64,
                count=int(counts.sum()),
            )
            keys = np.unique((np.repeat(candidates.astype(np.int64), counts) << 32) | flat) - shift
            matched = keys if matched is None else np.intersect1d(matched, keys, assume_unique=True)
            if not len(matched):
                return _EMPTY_IDS
        assert matched is not None  # a phrase has at least one term
        return np.unique(matched >> 32).astype(np.int32)

    def _positions(self, fieldname: str, term: bytes) -> Postings:
        """A term's postings with their encoded positions; its documents and frequencies
        are cached for ``postings`` too (the same blocks, read once)."""
        key = (fieldname, term)
        found = self._encoded.get(key)
        if found is None:
            found = self._read(fieldname, term, with_values=True)
            self._encoded.put(key, found)
            if self._postings.get(key) is None:
                self._postings.put(key, Postings(found.ids, found.tfs))
        return found

    def _cached(self, cache: _LRU, fieldname: str, term: bytes, with_values: bool) -> Postings:
        key = (fieldname, term)
        found = cache.get(key)
        if found is None:
            found = self._read(fieldname, term, with_values)
            cache.put(key, found)
        return found

    def _read(self, fieldname: str, term: bytes, with_values: bool) -> Postings:
        """Every live posting of a term in document order (with its encoded positions when
        asked)."""
        id_parts, tf_parts, values = [], [], []
        for segment, offset in self.reader.leaf_readers():
            if (fieldname, term) not in segment:
                continue
            for block_ids, block_tfs, block_values in term_postings(
                segment, fieldname, term, with_values
            ):
                id_parts.append(block_ids + offset)
                tf_parts.append(block_tfs)
                values.extend(block_values)
        if not id_parts:
            return Postings(
                _EMPTY_IDS, _EMPTY_TFS, np.zeros(0, dtype=object) if with_values else None
            )
        # Segments come in document order, each one's postings ascending; deletions are
        # dropped here, through ``live``.
        ids = np.concatenate(id_parts)
        keep = self.live[ids]
        encoded = None
        if with_values:
            encoded = np.empty(len(values), dtype=object)
            encoded[:] = values
            encoded = encoded[keep]
        return Postings(ids[keep].astype(np.int32), np.concatenate(tf_parts)[keep], encoded)
