"""Set operations on sorted arrays of document numbers, chosen by size.

numpy's intersect1d, union1d and setdiff1d sort their inputs' concatenation: at a
million records a common word's documents are hundreds of thousands, and sorting them
again for every And and Or was most of a query's matching time. Arrays of document
numbers are sorted and unique, and every number is below the index's document count,
so two cheaper ways exist:

- a small array against a large one: binary search of the small one's numbers in the
  large one (``searchsorted``), in time proportional to the small one;
- large arrays: a boolean mask over every document, in time proportional to the
  document count, with no sorting.

Every function returns what its numpy namesake returns (tests/test_docsets.py).
"""

from __future__ import annotations

import numpy as np

# Below this share of the document count, an array is read by binary search, not a mask.
SEARCH_SHARE = 1 / 16


def _is_small(small: np.ndarray, large: np.ndarray, doc_count: int) -> bool:
    return len(small) * max(1, int(np.log2(len(large) + 1))) < doc_count * SEARCH_SHARE


def _found_in(values: np.ndarray, sorted_docs: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in ``sorted_docs``, by binary search."""
    if not len(sorted_docs):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_docs, values)
    at[at == len(sorted_docs)] = 0
    found: np.ndarray = sorted_docs[at] == values
    return found


def intersect(a: np.ndarray, b: np.ndarray, doc_count: int) -> np.ndarray:
    """The documents in both (as np.intersect1d(a, b, assume_unique=True))."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(small):
        return small[:0]
    if _is_small(small, large, doc_count):
        both: np.ndarray = small[_found_in(small, large)]
        return both
    mask = np.zeros(doc_count, dtype=bool)
    mask[large] = True
    both = small[mask[small]]
    return both


def union(parts: list[np.ndarray], doc_count: int) -> np.ndarray:
    """The documents in any (as np.unique(np.concatenate(parts)))."""
    parts = [part for part in parts if len(part)]
    if not parts:
        return np.zeros(0, dtype=np.int32)
    if len(parts) == 1:
        return parts[0]
    total = sum(len(part) for part in parts)
    if total * max(1, int(np.log2(total))) < doc_count * SEARCH_SHARE:
        return np.unique(np.concatenate(parts))
    mask = np.zeros(doc_count, dtype=bool)
    for part in parts:
        mask[part] = True
    return np.flatnonzero(mask).astype(parts[0].dtype)


def difference(a: np.ndarray, b: np.ndarray, doc_count: int) -> np.ndarray:
    """The documents of ``a`` not in ``b`` (as np.setdiff1d(a, b, assume_unique=True))."""
    if not len(a) or not len(b):
        return a
    if _is_small(a, b, doc_count):
        kept: np.ndarray = a[~_found_in(a, b)]
        return kept
    mask = np.zeros(doc_count, dtype=bool)
    mask[b] = True
    kept = a[~mask[a]]
    return kept
