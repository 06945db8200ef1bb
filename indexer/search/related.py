"""Records related to a record: those naming the most of its people and subjects.

A historian reading Mao's cable to Stalin wants the other documents of the same
exchange: records that share persons (and subjects) with it, the most shared first and,
among equals, the nearest in date, so the replies and the cables before it come up.
Counted over the facet columns in numpy: a person named in 100,000 records costs one
bincount, not a search.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.index.schema import UNDATED_SORT

from .facets import FacetColumns, ValueColumn

SHARED_FACETS = ("person", "subject")


@dataclass(frozen=True)
class Shared:
    docnum: int
    persons: list[str]
    subjects: list[str]


def _values_of(column: ValueColumn, docnum: int) -> np.ndarray:
    values: np.ndarray = column.doc_values[
        column.doc_starts[docnum] : column.doc_starts[docnum + 1]
    ]
    return values


def _day_number(date_sort: np.ndarray) -> np.ndarray:
    """YYYYMMDD as a day count close enough to rank by distance (months of 31 days)."""
    year, rest = np.divmod(date_sort, 10_000)
    month, day = np.divmod(rest, 100)
    days: np.ndarray = year * 372 + month * 31 + day
    return days


def related_docs(columns: FacetColumns, docnum: int, limit: int) -> list[Shared]:
    """Up to ``limit`` live documents sharing the most persons and subjects with
    ``docnum``, nearest in date first among equals (undated ones after dated), then in
    document order; each with the names it shares."""
    shared_counts = np.zeros(columns.doc_count_all, dtype=np.int32)
    own: dict[str, np.ndarray] = {}
    for name in SHARED_FACETS:
        column = columns.values.get(name)
        if column is None:
            continue
        own[name] = values = _values_of(column, docnum)
        for value in values.tolist():
            docs = column.pair_docs[column.starts[value] : column.starts[value + 1]]
            shared_counts[docs] += 1
    shared_counts[docnum] = 0
    shared_counts[~columns.live] = 0
    candidates = np.flatnonzero(shared_counts)
    if not len(candidates):
        return []
    dated = columns.date_sort[candidates] != UNDATED_SORT
    here = columns.date_sort[docnum]
    if here != UNDATED_SORT:
        here_day = _day_number(np.array([here], dtype=np.int64))[0]
        distance = np.abs(_day_number(columns.date_sort[candidates]) - here_day)
    else:
        distance = np.zeros(len(candidates), dtype=np.int64)
    distance = np.where(dated, distance, np.iinfo(np.int64).max)
    order = np.lexsort((candidates, distance, -shared_counts[candidates]))[:limit]
    found = []
    for other in candidates[order].tolist():
        names: dict[str, list[str]] = {}
        for name, values in own.items():
            column = columns.values[name]
            theirs = set(_values_of(column, other).tolist())
            names[name] = [column.names[v] for v in values.tolist() if v in theirs]
        found.append(Shared(other, names.get("person", []), names.get("subject", [])))
    return found
