"""Per-searcher columns of years, dates and persons, and counting over matching documents.

Facet counts must cover the whole result set, not one page, and must not read stored
fields hit by hit. Once per searcher (that is, once per index generation) the year,
date-sort keys and persons of every document are loaded into numpy arrays; a count is
then one vectorised pass over the matching document numbers.
"""

from __future__ import annotations

import numpy as np
from whoosh.reading import IndexReader, SegmentReader

from indexer.index.schema import UNDATED_SORT
from indexer.index.whoosh_internals import column_array, term_postings

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
        names, pair_docs, pair_persons = [], [], []
        for number, term in enumerate(reader.lexicon("person")):
            names.append(term.decode("utf-8"))
            ids = _all_postings(reader, "person", term)
            pair_docs.append(ids)
            pair_persons.append(np.full(len(ids), number, dtype=np.int32))
        self.person_names = names
        self.person_numbers = {name: number for number, name in enumerate(names)}
        self.pair_docs = np.concatenate(pair_docs) if pair_docs else np.zeros(0, dtype=np.int32)
        self.pair_persons = (
            np.concatenate(pair_persons) if pair_persons else np.zeros(0, dtype=np.int32)
        )

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

    def person_counts(self, docs: np.ndarray) -> dict[str, int]:
        """How many of ``docs`` name each person (only persons with at least one)."""
        if not len(docs) or not len(self.pair_docs):
            return {}
        mask = np.zeros(self.doc_count_all, dtype=bool)
        mask[docs] = True
        counts = np.bincount(
            self.pair_persons[mask[self.pair_docs]], minlength=len(self.person_names)
        )
        return {self.person_names[i]: int(counts[i]) for i in np.flatnonzero(counts)}

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


def _all_postings(reader: IndexReader, fieldname: str, term: bytes) -> np.ndarray:
    """A term's documents in every segment, deleted ones included (``live`` drops them),
    read a block at a time."""
    parts = [
        block_ids + offset
        for segment, offset in reader.leaf_readers()
        if (fieldname, term) in segment
        for block_ids, _, _ in term_postings(segment, fieldname, term, with_values=False)
    ]
    return np.concatenate(parts).astype(np.int32) if parts else np.zeros(0, dtype=np.int32)
