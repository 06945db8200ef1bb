"""Records -> a Whoosh index on disk, built beside the served one and swapped in whole.

A full build streams the corpus (sources/spool.py: read and cleaned on every core,
merged, ordered by date, spooled to disk) into segments written in parallel, a slice of
the order each (segment.py: Whoosh's files without Whoosh's per-posting Python). No
process holds every record or every posting: a segment holds at most SEGMENT_RECORDS.

``update`` starts the new generation from hard links to the current one's files
(Whoosh never rewrites a segment file, so the served generation is untouched), deletes
the records it replaces by id (each merged with the copy already indexed) and adds one
segment.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from indexer.records.authority import Authority, load_authority
from indexer.records.collection import paused_collection
from indexer.records.dates import span
from indexer.records.facets import KEYWORD_FACETS, record_values
from indexer.records.record import Record, merge_into, record_json
from indexer.sources.cleaning import IngestReport
from indexer.sources.spool import SpooledCorpus, spool_sources

from .generations import IndexLocation, generation_files, open_index
from .schema import TEXT_FIELDS, VALUE_SEPARATOR, build_schema, day_number, id_key
from .segment import Analyzers, write_segment
from .vocabulary import (
    count_text_words,
    count_token_words,
    count_words,
    read_counts,
    write_vocabulary,
)

# The most records one segment holds: a writer process's memory grows with its segment
# (about 3 KB a record at the peak of inversion), and a search reads every segment.
SEGMENT_RECORDS = 100_000
# Below this many records a second writer process costs more than it saves.
PARALLEL_FROM = 4_000


class BuildRefused(Exception):
    """The sources gave nothing to build, or --strict found problems: nothing was built."""

    def __init__(self, message: str, report: IngestReport | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class BuildResult:
    index_path: Path
    generation: Path
    records: int
    seconds: float
    report: IngestReport | None = None


def person_names(persons: list[str], authority: Authority) -> str:
    """Every form of every person, so a query for an alias or pseudonym finds the record."""
    forms: list[str] = []
    for name in persons:
        forms.append(name)
        person = authority.by_name.get(name)
        if person is not None:
            forms.extend(person.aliases + person.short + tuple(p.name for p in person.pseudonyms))
    return " ".join(forms)


def record_document(record: Record, authority: Authority) -> dict[str, Any]:
    """The fields Whoosh indexes for one record."""
    data = record.to_dict()
    return document_of(data, record_json(data).decode("utf-8"), authority)


def document_of(data: dict[str, Any], stored: str, authority: Authority) -> dict[str, Any]:
    """The fields Whoosh indexes for one record, from its JSON object and JSON text."""
    persons: list[str] = data["persons"]
    document: dict[str, Any] = {
        "id_key": id_key(data["id"]),
        "title": data["title"],
        "summary": data["summary"],
        "names": person_names(persons, authority),
        "person": ",".join(name.replace(",", " ") for name in persons),
        "record": stored,
    }
    if data.get("text"):
        document["text"] = data["text"]
    for facet in KEYWORD_FACETS:
        values = record_values(data, facet)
        if values:
            document[facet.name] = VALUE_SEPARATOR.join(values)
            if facet.words_field:
                document[facet.words_field] = "\n".join(values)
    if data["date"]:
        first, last = span(data["date"], data.get("date_end"))
        document.update(date_sort=day_number(first), date_end=day_number(last))
    return document


def record_from_json(text: str) -> Record:
    """A stored record back as a Record (the inverse of Record.to_dict)."""
    return Record.from_dict(json.loads(text))


# -- writing segments ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """Where a writer process writes: the new generation's directory and index name."""

    directory: str
    indexname: str


def _segment_of(
    records: Iterable[tuple[dict[str, Any], str]], target: _Target, authority: Authority
) -> tuple[Segment, Counter[str], int]:
    """One segment of records (JSON object and text each) in the target directory, and
    the words it holds."""
    with paused_collection():
        return _write_segment_of(records, target, authority)


def _write_segment_of(
    records: Iterable[tuple[dict[str, Any], str]], target: _Target, authority: Authority
) -> tuple[Segment, Counter[str], int]:
    ix = whoosh_index.open_dir(target.directory, indexname=target.indexname)
    schema = ix.schema
    documents = [document_of(data, stored, authority) for data, stored in records]
    tokens: Counter[str] = Counter()
    segment = write_segment(
        ix.storage,
        ix.indexname,
        schema,
        documents,
        _analyzers(schema),
        {"title": tokens, "summary": tokens, "text": tokens},
    )
    # "Did you mean" draws on titles, summaries, texts (their tokens, counted as they were
    # analysed) and the canonical names of persons.
    words = count_token_words(tokens)
    persons = (name for document in documents for name in document["person"].split(",") if name)
    count_text_words(persons, words)
    ix.close()
    return segment, words, len(documents)


_ANALYZERS: Analyzers | None = None


def _analyzers(schema: Any) -> Analyzers:
    """One set of word caches per process: a word is analysed once, whatever the segment."""
    global _ANALYZERS
    if _ANALYZERS is None:
        _ANALYZERS = Analyzers.for_schema(schema, TEXT_FIELDS)
    return _ANALYZERS


# A forked writer process finds its job here (inherited, not pickled: the corpus's entries
# are the largest thing a build holds).
_JOB: tuple[SpooledCorpus, _Target, Authority] | None = None


def _write_slice(bounds: tuple[int, int]) -> tuple[Segment, Counter[str], int]:
    assert _JOB is not None  # set by _write_corpus before the processes fork
    corpus, target, authority = _JOB
    return _segment_of(corpus.record_data(*bounds), target, authority)


def _slices(count: int, procs: int) -> list[tuple[int, int]]:
    """Consecutive slices of the order, one segment each: as many as processes, none over
    SEGMENT_RECORDS."""
    parts = max(procs, -(-count // SEGMENT_RECORDS))
    edges = np.linspace(0, count, parts + 1).round().astype(int).tolist()
    return [(a, b) for a, b in itertools.pairwise(edges) if b > a]


def _write_corpus(
    corpus: SpooledCorpus,
    ix: FileIndex,
    directory: Path,
    authority: Authority,
    procs: int,
    progress: Callable[[int], None] | None,
) -> Counter[str]:
    """Every record of the corpus into segments, in order, and the index's table of them."""
    global _JOB
    target = _Target(str(directory), ix.indexname)
    # The codec's per-document writers share this scratch directory: made once, before any
    # process races to make it.
    (Path(target.directory) / f"{target.indexname}.tmp").mkdir(exist_ok=True)
    slices = _slices(len(corpus), procs if len(corpus) >= PARALLEL_FROM else 1)
    results: list[tuple[Segment, Counter[str], int]] = []
    if procs > 1 and len(slices) > 1:
        _JOB = (corpus, target, authority)
        try:
            # A fresh process per segment: a writer's memory (its word caches, and what
            # Python's allocator keeps of a segment's peak) never carries over to the next.
            context = multiprocessing.get_context("fork")
            with context.Pool(min(procs, len(slices)), maxtasksperchild=1) as pool:
                for result in pool.imap(_write_slice, slices):
                    results.append(result)
                    if progress:
                        progress(result[2])
        finally:
            _JOB = None
    else:
        for start, stop in slices:
            results.append(_segment_of(corpus.record_data(start, stop), target, authority))
            if progress:
                progress(results[-1][2])
    _commit(ix, directory, [segment for segment, _, _ in results])
    words: Counter[str] = Counter()
    for _, counted, _ in results:
        words.update(counted)
    return words


def _commit(
    ix: FileIndex, directory: Path, segments: list[Segment], deleted: Iterable[int] = ()
) -> None:
    """A new table of contents listing ``segments`` beside the index's own, with
    ``deleted`` documents marked: Whoosh's writer commits it and removes what it no
    longer lists."""
    writer = SegmentWriter(ix)
    try:
        for docnum in deleted:
            writer.delete_document(docnum)
        writer.segments.extend(segments)
        writer.commit(merge=False)
    except BaseException:
        writer.cancel()
        raise
    shutil.rmtree(directory / f"{ix.indexname}.tmp", ignore_errors=True)


# -- builds -------------------------------------------------------------------------------


def build_from_sources(
    sources: Iterable[str | os.PathLike[str]],
    index_path: str | os.PathLike[str],
    authority: Authority | None = None,
    procs: int | None = None,
    strict: bool = False,
    on_file: Callable[[Path], None] | None = None,
    progress: Callable[[int], None] | None = None,
    on_read: Callable[[IngestReport], None] | None = None,
) -> BuildResult:
    """Read ``sources`` and write them as a new generation, made the served one.

    ``on_read`` sees the reading's report before anything is written. Raises
    BuildRefused, with the report, when the sources gave no record or (``strict``) had a
    problem: nothing is built then."""
    authority = authority or load_authority()
    procs = procs or os.cpu_count() or 1
    location = IndexLocation(index_path)
    started = time.perf_counter()
    # The collector stays off for the whole build, in this process and the worker
    # processes it forks: a build makes no reference cycles, and with a corpus's entries
    # alive every collection walked them all (a tenth of the build's time).
    with location.lock(), paused_collection():
        location.remove_stale()
        spool = location.parent / f".{location.link.name}.spool-{os.getpid()}"
        corpus = spool_sources(sources, spool, authority, procs, on_file)
        try:
            report = corpus.report
            if strict and report.problems:
                raise BuildRefused(
                    f"{len(report.problems)} problems and --strict was given: nothing built", report
                )
            if not len(corpus):
                raise BuildRefused(
                    "no records were read from the sources given: nothing built", report
                )
            if on_read:
                on_read(report)
            directory = location.new_build_dir()
            ix = whoosh_index.create_in(str(directory), build_schema())
            words = _write_corpus(corpus, ix, directory, authority, procs, progress)
            write_vocabulary(words, directory)
            final = location.publish(directory, ix.doc_count())
        finally:
            corpus.remove()
    return BuildResult(location.link, final, len(corpus), time.perf_counter() - started, report)


def build_index(
    records: list[Record],
    index_path: str | os.PathLike[str],
    authority: Authority | None = None,
    procs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildResult:
    """Write ``records`` (already clean, in the order given) as a new generation and make
    it the served one: the build for records made in memory (tests, tools)."""
    authority = authority or load_authority()
    location = IndexLocation(index_path)
    started = time.perf_counter()
    with location.lock():
        location.remove_stale()
        directory = location.new_build_dir()
        ix = whoosh_index.create_in(str(directory), build_schema())
        target = _Target(str(directory), ix.indexname)
        segments = []
        for start in range(0, len(records), SEGMENT_RECORDS):
            chunk = records[start : start + SEGMENT_RECORDS]
            segment, _, count = _segment_of(_as_data(chunk), target, authority)
            segments.append(segment)
            if progress:
                progress(count)
        _commit(ix, directory, segments)
        write_vocabulary(count_words(records), directory)
        final = location.publish(directory, ix.doc_count())
    return BuildResult(location.link, final, len(records), time.perf_counter() - started)


def _as_data(records: Iterable[Record]) -> Iterator[tuple[dict[str, Any], str]]:
    for record in records:
        data = record.to_dict()
        yield data, record_json(data).decode("utf-8")


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
        replaced, merged = _merge_with_indexed(current_ix, records)
        current_ix.close()
        location.remove_stale()
        directory = location.new_build_dir()
        _link_copy(info.path, directory)
        ix = whoosh_index.open_dir(str(directory))
        target = _Target(str(directory), ix.indexname)
        segment, _, count = _segment_of(_as_data(merged), target, authority)
        _commit(ix, directory, [segment], deleted=replaced)
        if progress:
            progress(count)
        write_vocabulary(count_words(merged, read_counts(info.path)), directory)
        final = location.publish(directory, ix.doc_count(), reuse_checksums_of=info.path)
    return BuildResult(location.link, final, len(records), time.perf_counter() - started)


def _merge_with_indexed(ix: FileIndex, records: list[Record]) -> tuple[list[int], list[Record]]:
    """Each record merged with the copy the index holds under its id (if any), and the
    documents of those copies, to delete."""
    latest = {record.id: record for record in records}  # one copy per id: the last given
    with ix.searcher() as searcher:
        reader = searcher.reader()
        count = reader.doc_count_all()
        keys = np.fromiter(reader.column_reader("id_key"), dtype=np.uint64, count=count)
        wanted = np.fromiter(
            (id_key(record_id) for record_id in latest), dtype=np.uint64, count=len(latest)
        )
        replaced: list[int] = []
        for docnum in np.flatnonzero(np.isin(keys, wanted)).tolist():
            if reader.is_deleted(docnum):
                continue
            stored = record_from_json(reader.stored_fields(docnum)["record"])
            record = latest.get(stored.id)
            if record is not None:
                merge_into(record, stored)
                replaced.append(docnum)
    return replaced, list(latest.values())
