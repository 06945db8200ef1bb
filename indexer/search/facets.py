"""Per-searcher columns of years, dates and persons, and counting over matching documents.

Facet counts must cover the whole result set, not one page, and must not read stored
fields hit by hit. Once per searcher (that is, once per index generation) the year,
date-sort keys and persons of every document are loaded into numpy arrays; a count is
then one vectorised pass over the matching document numbers.
"""

from __future__ import annotations

import numpy as np
from whoosh.reading import IndexReader

from indexer.index.schema import UNDATED_SORT

_NO_YEAR = 0


class FacetColumns:
    """Arrays indexed by document number, built from the index's own columns and postings."""

    def __init__(self, reader: IndexReader):
        self.doc_count_all = reader.doc_count_all()
        years = np.fromiter(reader.column_reader("year"), dtype=np.int64, count=self.doc_count_all)
        self.years = np.where((years < 1000) | (years > 3000), _NO_YEAR, years).astype(np.int32)
        self.date_sort = np.fromiter(
            reader.column_reader("date_sort"), dtype=np.int64, count=self.doc_count_all
        )
        self.date_sort_desc = np.fromiter(
            reader.column_reader("date_sort_desc"), dtype=np.int64, count=self.doc_count_all
        )
        self.date_end = np.fromiter(
            reader.column_reader("date_end"), dtype=np.int64, count=self.doc_count_all
        )
        self.live = np.ones(self.doc_count_all, dtype=bool)
        if reader.has_deletions():
            for docnum in range(self.doc_count_all):
                if reader.is_deleted(docnum):
                    self.live[docnum] = False
        names, pair_docs, pair_persons = [], [], []
        for number, term in enumerate(reader.lexicon("person")):
            names.append(term.decode("utf-8"))
            ids = np.fromiter(reader.postings("person", term).all_ids(), dtype=np.int32)
            pair_docs.append(ids)
            pair_persons.append(np.full(len(ids), number, dtype=np.int32))
        self.person_names = names
        self.person_numbers = {name: number for number, name in enumerate(names)}
        self.pair_docs = np.concatenate(pair_docs) if pair_docs else np.zeros(0, dtype=np.int32)
        self.pair_persons = (
            np.concatenate(pair_persons) if pair_persons else np.zeros(0, dtype=np.int32)
        )

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
