"""Per-searcher columns of years, dates and every facet's values, and counting over matches.

Facet counts must cover the whole result set, not one page, and must not read stored
fields hit by hit. Once per searcher (that is, once per index generation) the year,
date-sort keys and facet values (persons, subjects ...) of every document are loaded
into numpy arrays; a count is then one vectorised pass over the matching document numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from whoosh.reading import IndexReader, SegmentReader

from indexer.index.schema import UNDATED_SORT
from indexer.index.whoosh_internals import column_array, field_documents
from indexer.records.facets import FACETS, value_key

_NO_YEAR = 0


class FacetColumns:
    """Arrays indexed by document number, built from the index's own columns and postings."""

    def __init__(self, reader: IndexReader):
        self.doc_count_all = reader.doc_count_all()
        # Columns read whole (whoosh_internals.column_array): the first and last day of
        # each record's date (YYYYMMDD; undated records sort last), and its id's key.
        self.date_sort = column_array(reader, "date_sort", np.int64)
        self.date_end = column_array(reader, "date_end", np.int64)
        self.id_keys = column_array(reader, "id_key", np.uint64)
        dated = self.date_sort != UNDATED_SORT
        years = np.where(dated, self.date_sort // 10_000, _NO_YEAR)
        self.years = np.where((years < 1000) | (years > 3000), _NO_YEAR, years).astype(np.int32)
        # Newest first: by the last day, descending; undated records still last.
        self.date_sort_desc = np.where(dated, UNDATED_SORT - self.date_end, UNDATED_SORT)
        self._id_order = np.argsort(self.id_keys, kind="stable")
        self._sorted_id_keys = self.id_keys[self._id_order]
        self.live = np.ones(self.doc_count_all, dtype=bool)
        for segment, offset in reader.leaf_readers():
            if not segment.has_deletions():
                continue
            if isinstance(segment, SegmentReader):
                deleted = np.fromiter(segment.deleted_docs_set, dtype=np.int64) + offset
            else:
                count = segment.doc_count_all()
                deleted = np.array([d for d in range(count) if segment.is_deleted(d)]) + offset
            self.live[deleted.astype(np.int64)] = False
        # Persons and every keyword facet: which documents hold which value.
        self.values = {
            facet.name: ValueColumn(reader, facet.name, self.doc_count_all)
            for facet in FACETS
            if facet.kind != "year" and facet.name in reader.schema
        }

    def docs_with_id_key(self, key: int) -> list[int]:
        """The live documents whose id has this key (one, unless two ids share a hash)."""
        wanted = np.uint64(key)
        first = int(np.searchsorted(self._sorted_id_keys, wanted, side="left"))
        last = int(np.searchsorted(self._sorted_id_keys, wanted, side="right"))
        return [int(d) for d in self._id_order[first:last] if self.live[d]]

    def all_docs(self) -> np.ndarray:
        return np.flatnonzero(self.live).astype(np.int32)

    def year_counts(self, docs: np.ndarray) -> list[tuple[int, int]]:
        """(year, count) for every year present among ``docs``, in year order."""
        years = self.years[docs]
        years = years[years != _NO_YEAR]
        values, counts = np.unique(years, return_counts=True)
        return [(int(v), int(c)) for v, c in zip(values, counts, strict=True)]

    def has_values(self, name: str) -> bool:
        """Whether any record of the index holds a value of the facet ``name``."""
        column = self.values.get(name)
        return column is not None and bool(column.names)

    def value_counts(self, name: str, docs: np.ndarray) -> dict[str, int]:
        """How many of ``docs`` hold each value of a facet (only values with at least one)."""
        column = self.values.get(name)
        if column is None:
            return {}
        counts = column.count_array(docs, lambda: self.mask_of(docs))
        return {column.names[i]: int(counts[i]) for i in np.flatnonzero(counts)}

    def mask_of(self, docs: np.ndarray) -> np.ndarray:
        """``docs`` as a boolean array over every document number."""
        mask = np.zeros(self.doc_count_all, dtype=bool)
        mask[docs] = True
        return mask

    def docs_with_value(self, name: str, value: str) -> np.ndarray:
        """The documents (deleted ones included) holding a facet's value, ascending."""
        column = self.values.get(name)
        return column.docs_with(value) if column is not None else np.zeros(0, dtype=np.int32)

    def docs_with_any(self, name: str, values: tuple[str, ...]) -> np.ndarray:
        """The documents holding at least one of the values, ascending."""
        parts = [self.docs_with_value(name, value) for value in values]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)

    def order_by_date(self, docs: np.ndarray, newest_first: bool) -> np.ndarray:
        """``docs`` oldest (or newest) first, undated last; ties keep document order."""
        keys = (self.date_sort_desc if newest_first else self.date_sort)[docs]
        return docs[np.argsort(keys, kind="stable")]

    def overlapping(self, docs: np.ndarray, first: int | None, last: int | None) -> np.ndarray:
        """The dated ``docs`` whose own span overlaps first..last (YYYYMMDD, either may be open)."""
        keep = self.date_sort[docs] != UNDATED_SORT
        if first is not None:
            keep &= self.date_end[docs] >= first
        if last is not None:
            keep &= self.date_sort[docs] <= last
        kept: np.ndarray = docs[keep]
        return kept


class ValueColumn:
    """One facet's values and the documents holding each, from its terms' postings.

    Terms that differ only in case or spacing ("Russian", "russian") are one value,
    shown in the form most documents hold (ties: the first in term order)."""

    def __init__(self, reader: IndexReader, fieldname: str, doc_count_all: int):
        # Each segment's terms read in one pass (a lookup per term and segment cost 8 s
        # at a million records), then joined across segments in term order.
        by_term: dict[bytes, list[np.ndarray]] = {}
        for segment, offset in reader.leaf_readers():
            for term, ids in field_documents(segment, fieldname):
                by_term.setdefault(term, []).append(ids + offset)
        groups: dict[str, list[tuple[str, np.ndarray]]] = {}
        for term in sorted(by_term):
            parts = by_term[term]
            docs = (np.concatenate(parts) if len(parts) > 1 else parts[0]).astype(np.int32)
            text = term.decode("utf-8")
            groups.setdefault(value_key(text), []).append((text, docs))
        self.names: list[str] = []
        self.numbers: dict[str, int] = {}
        docs_of: list[np.ndarray] = []
        for key, forms in groups.items():
            shown = max(forms, key=lambda form: len(form[1]))[0]
            self.numbers[key] = len(self.names)
            self.names.append(shown)
            docs = np.concatenate([ids for _, ids in forms])
            docs_of.append(np.unique(docs) if len(forms) > 1 else docs)
        sizes = np.array([len(docs) for docs in docs_of], dtype=np.int64)
        self.starts = np.r_[0, np.cumsum(sizes)].astype(np.int64)
        # Documents value by value (each value's ascending): value v's are
        # pair_docs[starts[v]:starts[v + 1]].
        self.pair_docs = (
            np.concatenate(docs_of).astype(np.int32) if docs_of else np.zeros(0, dtype=np.int32)
        )
        self._name_rank: np.ndarray | None = None
        # The same pairs by document: document d's values are doc_values[doc_starts[d]:
        # doc_starts[d + 1]]. (Offsets as int32, and no value-per-pair array kept: at a
        # million records these columns are a worker's largest memory.)
        pair_values = np.repeat(np.arange(len(self.names), dtype=np.int32), sizes)
        self.doc_values = pair_values[np.argsort(self.pair_docs, kind="stable")]
        held = np.bincount(self.pair_docs, minlength=doc_count_all)[:doc_count_all]
        self.doc_starts = np.r_[0, np.cumsum(held)].astype(np.int32)

    def number_of(self, value: str) -> int | None:
        return self.numbers.get(value_key(value))

    def docs_with(self, value: str) -> np.ndarray:
        number = self.number_of(value)
        if number is None:
            return np.zeros(0, dtype=np.int32)
        docs: np.ndarray = self.pair_docs[self.starts[number] : self.starts[number + 1]]
        return docs

    def count_array(self, docs: np.ndarray, mask: Callable[[], np.ndarray]) -> np.ndarray:
        """How many of ``docs`` hold each value, by value number. A few documents: their
        own values, read by document; many: every pair, kept by ``mask()`` (``docs`` as a
        boolean array over every document)."""
        if len(docs) * _FEW_DOCUMENTS < len(self.doc_starts):
            starts, ends = self.doc_starts[docs], self.doc_starts[docs + 1]
            sizes = ends - starts
            total = int(sizes.sum())
            offsets = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
            held = self.doc_values[offsets + np.arange(total)]
            return np.bincount(held, minlength=len(self.names))
        if not self.names:
            return np.zeros(0, dtype=np.int64)
        kept = mask()[self.pair_docs].astype(np.int32)
        return np.add.reduceat(kept, self.starts[:-1]).astype(np.int64)

    def ranked(self, counts: np.ndarray, limit: int | None) -> list[tuple[str, int]]:
        """The values held, most held first (ties by name), at most ``limit`` of them:
        chosen in numpy, so a facet of 10,000 persons costs no Python loop over them."""
        present = np.flatnonzero(counts)
        order = present[np.lexsort((self.name_rank[present], -counts[present]))]
        if limit is not None:
            order = order[:limit]
        return [(self.names[i], int(counts[i])) for i in order.tolist()]

    @property
    def name_rank(self) -> np.ndarray:
        """Each value's place in name order (case-blind), for ties in ``ranked``."""
        if self._name_rank is None:
            order = sorted(
                range(len(self.names)), key=lambda i: (self.names[i].casefold(), self.names[i])
            )
            rank = np.empty(len(self.names), dtype=np.int64)
            rank[order] = np.arange(len(self.names))
            self._name_rank = rank
        return self._name_rank


# Below one document in this many, a count reads the documents' own values, not every pair.
_FEW_DOCUMENTS = 8
