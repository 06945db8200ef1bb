"""The size-chosen set operations on document numbers equal numpy's, on generated arrays of
every shape: empty, tiny against huge, both huge (the mask), overlapping and not."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search.docsets import difference, intersect, union

DOC_COUNTS = st.sampled_from([1, 50, 5_000, 200_000])


@st.composite
def doc_arrays(draw: st.DrawFn, count: int = 3) -> tuple[int, list[np.ndarray]]:
    """Sorted unique document numbers below the document count: sparse, dense or whole."""
    doc_count = draw(DOC_COUNTS)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    arrays = []
    for _ in range(count):
        share = draw(st.sampled_from([0.0, 0.0001, 0.01, 0.3, 0.9, 1.0]))
        arrays.append(np.flatnonzero(rng.random(doc_count) < share).astype(np.int32))
    return doc_count, arrays


@given(doc_arrays(2))
@settings(max_examples=150, deadline=None)
def test_intersect_and_difference_equal_numpy(drawn):
    doc_count, (a, b) = drawn
    assert intersect(a, b, doc_count).tolist() == np.intersect1d(a, b).tolist()
    assert difference(a, b, doc_count).tolist() == np.setdiff1d(a, b).tolist()


@given(doc_arrays(4))
@settings(max_examples=150, deadline=None)
def test_union_equals_numpy(drawn):
    doc_count, arrays = drawn
    found = union(arrays, doc_count)
    assert found.tolist() == np.unique(np.concatenate(arrays)).tolist()
    assert found.dtype == np.int32


def test_both_ways_are_taken():
    """The binary search for a few documents against many, the mask for many and many."""
    many = np.arange(0, 100_000, 2, dtype=np.int32)
    few = np.array([3, 4, 99_998], dtype=np.int32)
    assert intersect(few, many, 100_000).tolist() == [4, 99_998]
    assert intersect(many, many[::2], 100_000).tolist() == many[::2].tolist()
    assert difference(many[:10], few, 100_000).tolist() == [0, 2, 6, 8, 10, 12, 14, 16, 18]
