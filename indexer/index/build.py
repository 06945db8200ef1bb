"""Records -> a Whoosh index on disk, built beside the served one and swapped in whole.

A full build writes every record into a new generation. ``update`` starts the new
generation from hard links to the current one's files (Whoosh never rewrites a
segment file, so the served generation is untouched) and adds or replaces records by
id, merging each with the copy already indexed.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.writing import IndexWriter

from indexer.records.authority import Authority, load_authority
from indexer.records.dates import span
from indexer.records.record import Record, merge_into
from indexer.records.text import match_key

from .generations import IndexLocation, generation_files, open_index
from .schema import UNDATED_SORT, build_schema, day_number
from .vocabulary import count_words, read_counts, write_vocabulary

# The writer's memory for sorting postings before it spills to disk, per process.
WRITER_LIMIT_MB = 256
# Below this many records, extra writer processes cost more than they save.
PARALLEL_FROM = 5_000


@dataclass
class BuildResult:
    index_path: Path
    generation: Path
    records: int
    seconds: float


def person_names(record: Record, authority: Authority) -> str:
    """Every form of every person, so a query for an alias or pseudonym finds the record."""
    forms: list[str] = []
    for name in record.persons:
        forms.append(name)
        person = authority.by_name.get(name)
        if person is not None:
            forms.extend(person.aliases + person.short + tuple(p.name for p in person.pseudonyms))
    return " ".join(forms)


def record_document(record: Record, authority: Authority) -> dict[str, Any]:
    """The fields Whoosh indexes for one record."""
    names = person_names(record, authority)
    document = {
        "id": record.id,
        "title": record.title,
        "summary": record.summary,
        "names": names,
        "person": ",".join(name.replace(",", " ") for name in record.persons),
        "title_sort": match_key(record.title)[:200],
        "record": json.dumps(record.to_dict(), ensure_ascii=False),
        "date_sort": UNDATED_SORT,
        "date_sort_desc": UNDATED_SORT,
    }
    if record.date:
        first, last = span(record.date, record.date_end)
        document.update(
            year=record.year,
            date_start=day_number(first),
            date_end=day_number(last),
            date_sort=day_number(first),
            date_sort_desc=UNDATED_SORT - day_number(last),
        )
    return document


def record_from_json(text: str) -> Record:
    """A stored record back as a Record (the inverse of Record.to_dict)."""
    return Record.from_dict(json.loads(text))


def _writer(ix: FileIndex, count: int, procs: int | None) -> IndexWriter:
    """Whoosh's writer, parallel for large builds, writing each segment as separate files.

    Not compound: whoosh3 opens a file inside a compound segment as a BytesIO copy of
    its bytes, so every serving worker held a private copy of the whole index (at 30,000
    records 245 MB a worker, growing with the archive). Separate files are read through
    the OS page cache, shared by all workers: 115 MB a worker at 30,000 records, at the
    same search speed."""
    procs = (
        procs
        if procs is not None
        else (min(2, os.cpu_count() or 1) if count >= PARALLEL_FROM else 1)
    )
    if procs > 1:
        return ix.writer(procs=procs, multisegment=True, limitmb=WRITER_LIMIT_MB, compound=False)
    return ix.writer(limitmb=WRITER_LIMIT_MB, compound=False)


def _write(
    ix: FileIndex,
    records: list[Record],
    authority: Authority,
    procs: int | None,
    progress: Callable[[int], None] | None,
    update: bool,
) -> None:
    writer = _writer(ix, len(records), procs)
    try:
        for record in records:
            document = record_document(record, authority)
            if update:
                writer.update_document(**document)
            else:
                writer.add_document(**document)
            if progress:
                progress(1)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def build_index(
    records: list[Record],
    index_path: str | os.PathLike[str],
    authority: Authority | None = None,
    procs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildResult:
    """Write ``records`` as a new index generation and make it the served one."""
    authority = authority or load_authority()
    location = IndexLocation(index_path)
    started = time.perf_counter()
    with location.lock():
        location.remove_stale()
        directory = location.new_build_dir()
        ix = whoosh_index.create_in(str(directory), build_schema())
        _write(ix, records, authority, procs, progress, update=False)
        write_vocabulary(count_words(records), directory)
        final = location.publish(directory, ix.doc_count())
    return BuildResult(location.link, final, len(records), time.perf_counter() - started)


def _link_copy(source: Path, target: Path) -> None:
    """The current generation's files, hard-linked: Whoosh writes new files, never old ones."""
    for entry in generation_files(source):
        os.link(entry, target / entry.name)


def update_index(
    records: list[Record],
    index_path: str | os.PathLike[str],
    authority: Authority | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildResult:
    """Add records, and replace by id those already indexed (merged with their indexed copy)."""
    authority = authority or load_authority()
    location = IndexLocation(index_path)
    started = time.perf_counter()
    with location.lock():
        current_ix, info = open_index(index_path)  # raises IndexUnavailable when there is none
        merged: list[Record] = []
        with current_ix.searcher() as searcher:
            for record in records:
                stored = searcher.document(id=record.id)
                if stored is not None:
                    merge_into(record, record_from_json(stored["record"]))
                merged.append(record)
        current_ix.close()
        location.remove_stale()
        directory = location.new_build_dir()
        _link_copy(info.path, directory)
        ix = whoosh_index.open_dir(str(directory))
        _write(ix, merged, authority, 1, progress, update=True)
        write_vocabulary(count_words(merged, read_counts(info.path)), directory)
        final = location.publish(directory, ix.doc_count())
    return BuildResult(location.link, final, len(records), time.perf_counter() - started)
