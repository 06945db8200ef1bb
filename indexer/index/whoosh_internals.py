"""Everything we know about Whoosh that its public API does not promise, in one place.

No other module of this project reads a ``_``-prefixed attribute of a Whoosh object,
relies on a private Whoosh class or on the W3 codec's byte layout; a test
(tests/test_layers.py) scans the source to hold that. Conformance tests
(tests/test_whoosh_internals.py) check every function here against Whoosh's public API
on the same index, so an upgrade that breaks an assumption fails there, by name.

Assumptions about whoosh3 3.54.0 (pinned exactly in pyproject.toml):

1. ``whoosh.query.NullQuery`` is the one instance of the private class ``_NullQuery``;
   a parsed query may hold other instances of that class, so "is it null" is an
   isinstance test on ``type(NullQuery)``.
2. A segment's posting matcher for a term is, when the term has postings in the W3
   codec, a ``W3LeafMatcher``, possibly wrapped in a ``FilterMatcher`` that drops
   deleted documents (its ``child`` is the leaf matcher).
3. A ``W3LeafMatcher`` with ``_byteids`` false reads its postings a block at a time:
   ``_read_data()`` loads the current block into ``_data``, an unpickled tuple whose
   first item is the block's document numbers as deltas (their cumulative sum gives
   the numbers within the segment, as ``delta_decode`` does) and whose second is the
   weights: ``None`` when every weight is 1, one float when all are equal, else one
   float per posting.
   ``_read_values()`` loads the block's encoded values (positions) into ``_values``,
   one bytes object per posting, decoded by the field format's ``decoder("positions")``.
   ``_next_block()`` moves to the next block; ``is_active()`` is false after the last.

Anything that does not fit these assumptions (another codec, another matcher type) is
read through the public per-posting API instead (``id()``, ``weight()``, ``value()``,
``next()``), so a change in Whoosh costs speed, never correctness.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader

# Assumption 1: the private class of Whoosh's null query.
_NULL_QUERY_TYPE = type(wq.NullQuery)
_BLOCK_METHODS = ("_read_data", "_read_values", "_next_block", "_blocklength")


def is_null_query(query: object) -> bool:
    """Whether a (parsed) query is Whoosh's null query, which matches nothing."""
    return query is wq.NullQuery or isinstance(query, _NULL_QUERY_TYPE)


def _leaf(matcher: Any) -> Any:
    """The leaf matcher under a deletion filter (assumption 2)."""
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def reads_blocks(matcher: Any) -> bool:
    """Whether ``matcher`` is a W3 leaf matcher we can read a block at a time (assumption 3)."""
    return not getattr(matcher, "_byteids", True) and all(
        hasattr(matcher, name) for name in _BLOCK_METHODS
    )


def _block(matcher: Any, with_values: bool) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    """The current block's documents, frequencies and encoded values (assumption 3)."""
    matcher._read_data()
    deltas, weights = matcher._data[0], matcher._data[1]
    ids = np.cumsum(np.asarray(deltas, dtype=np.int64))
    if weights is None:
        tfs = np.ones(len(ids), dtype=np.float32)
    elif isinstance(weights, float):
        tfs = np.full(len(ids), weights, dtype=np.float32)
    else:
        tfs = np.asarray(weights, dtype=np.float32)
    values: list[bytes] = []
    if with_values:
        matcher._read_values()
        values = list(matcher._values)
    return ids, tfs, values


def term_postings(
    segment: IndexReader, fieldname: str, term: bytes, with_values: bool
) -> Iterator[tuple[np.ndarray, np.ndarray, list[bytes]]]:
    """A term's postings in one segment, deleted documents included, in document order:
    (documents, frequencies, encoded values when asked), a block at a time."""
    return matcher_postings(segment.postings(fieldname, term), with_values)


def matcher_postings(
    matcher: Any, with_values: bool
) -> Iterator[tuple[np.ndarray, np.ndarray, list[bytes]]]:
    """A leaf matcher's postings a block at a time when it is a W3 leaf matcher, else in
    one piece through the public per-posting API (``id``, ``weight``, ``value``, ``next``)."""
    matcher = _leaf(matcher)
    if reads_blocks(matcher):
        while matcher.is_active():
            yield _block(matcher, with_values)
            matcher._next_block()
        return
    ids: list[int] = []
    tfs: list[float] = []
    values: list[bytes] = []
    while matcher.is_active():
        ids.append(matcher.id())
        tfs.append(matcher.weight())
        if with_values:
            values.append(matcher.value())
        matcher.next()
    yield np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float32), values
