"""Sources -> clean, merged records, with a report of everything that went wrong.

The one function behind `archive-search records` (and, through spool.py, the build):
read every file, make each raw record clean (dates at their precision, persons under
their canonical names), merge the copies of each document, and settle each unknown
person's spelling across the whole corpus. Large corpora are read and cleaned on every
core (spool.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from indexer.records.authority import Authority
from indexer.records.record import Record

from .cleaning import IngestReport
from .spool import spool_sources

__all__ = ["IngestReport", "IngestResult", "ingest"]


@dataclass
class IngestResult:
    records: list[Record]
    report: IngestReport


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    authority: Authority | None = None,
    on_file: Callable[[Path], None] | None = None,
    procs: int | None = None,
) -> IngestResult:
    """Read, clean, merge: every source named by ``paths`` as records, and a report."""
    with tempfile.TemporaryDirectory(prefix="archive-search-ingest-") as scratch:
        corpus = spool_sources(paths, Path(scratch), authority, procs, on_file)
        return IngestResult(list(corpus.records()), corpus.report)
