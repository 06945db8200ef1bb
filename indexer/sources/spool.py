"""Sources -> clean, merged records, on every core, never all in memory at once.

A build of a million records cannot hold a million Record objects (several GB), and
reading and cleaning them one core at a time is most of a build. So:

1. The sources are cut into chunks (a file, or a line-aligned piece of a large JSON
   Lines file). Worker processes read and clean their chunks and write each cleaned
   copy as a JSON line to a spool file of their own; they send back only what the merge
   needs to know of each copy (its keys, date, title, persons): an ``Entry``.
2. The parent merges copies of one document (same title and date, or an undated copy of
   a document dated once), reading and rewriting only those copies; settles each unknown
   person's spelling across the corpus; and orders the records by date, then title.
3. ``SpooledCorpus.records`` reads any slice of that order back from the spool files:
   the index's writer processes each read their own slice.

The result is exactly what reading, cleaning and merging in memory gives (tests hold
``ingest`` equal on the seed pages, the archive sample and generated corpora).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import orjson

from indexer.records.authority import Authority, load_authority
from indexer.records.collection import paused_collection
from indexer.records.people import PersonFinder
from indexer.records.record import Record, merge_into, record_json, record_key
from indexer.records.text import compact_key, match_key

from . import PRIORITY, Problem, iter_files, read_file
from .base import Item, decode
from .cleaning import IngestReport, clean_record, replacements_for_unknown_persons
from .jsonl import JsonLinesReader

# Sources smaller than this are read in the calling process: workers cost more than they save.
PARALLEL_FROM_BYTES = 2 * 2**20
# A JSON Lines file larger than this is read in pieces of about this size, on every core.
CHUNK_BYTES = 4 * 2**20


@dataclass(frozen=True, slots=True)
class Entry:
    """What the merge and the order need to know of one cleaned copy; its JSON is on disk.

    A build holds one per record until the order is settled (a million at once): slots,
    and names and titles shared (interned where made, so pickled once per chunk)."""

    order: tuple[int, int]  # (chunk, item): the order the copies were read in
    spool: int
    offset: int
    length: int
    priority: int
    key: bytes  # record_key: title as words, and date
    title_key: bytes  # the title as words alone
    dated: bool
    sort: tuple[bool, str, str]  # undated last, then date, then title
    persons: tuple[str, ...]


@dataclass
class ChunkResult:
    entries: list[Entry]
    problems: list[Problem]
    kinds: Counter[str]
    items: int
    files: int


def _digest(text: str) -> bytes:
    return blake2b(text.encode("utf-8"), digest_size=16).digest()


def entry_for(
    record: Record, order: tuple[int, int], spool: int, offset: int, length: int, priority: int
) -> Entry:
    return Entry(
        order=order,
        spool=spool,
        offset=offset,
        length=length,
        priority=priority,
        key=_digest(record_key(record.title, record.date)),
        title_key=_digest(match_key(record.title)),
        dated=record.date is not None,
        sort=(record.date is None, record.date or "", sys.intern(record.title)),
        persons=tuple(map(sys.intern, record.persons)),
    )


class SpoolWriter:
    """Cleaned copies as JSON lines in one file; each write says where the line is."""

    def __init__(self, path: Path, number: int):
        self.path, self.number = path, number
        self._handle = path.open("wb")
        self._offset = 0

    def write(self, record: Record) -> tuple[int, int]:
        line = record_json(record.to_dict()) + b"\n"
        self._handle.write(line)
        offset = self._offset
        self._offset += len(line)
        return offset, len(line)

    def close(self) -> None:
        self._handle.close()


_worker_finder: PersonFinder | None = None


def _finder() -> PersonFinder:
    global _worker_finder
    if _worker_finder is None:
        _worker_finder = PersonFinder(load_authority())
    return _worker_finder


@dataclass(frozen=True)
class Chunk:
    """A piece of the sources for one worker: a whole file, or a line-aligned byte range
    of a large JSON Lines file (its lines numbered from ``first_line``)."""

    number: int
    path: str
    spool: Path
    start: int = 0
    end: int | None = None
    first_line: int = 1

    @property
    def whole(self) -> bool:
        return self.end is None


def _items(chunk: Chunk) -> Iterator[Item]:
    if chunk.whole:
        yield from read_file(Path(chunk.path))
        return
    with open(chunk.path, "rb") as handle:
        handle.seek(chunk.start)
        data = handle.read((chunk.end or 0) - chunk.start)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        decoded = decode(data, chunk.path)
        if decoded.problem:
            yield decoded.problem
        text = decoded.text or ""
    yield from JsonLinesReader().read(text, chunk.path, chunk.first_line)


def read_and_clean(chunk: Chunk) -> ChunkResult:
    """One chunk: every item read, cleaned and spooled; never raises for what the file holds."""
    with paused_collection():
        return _read_and_clean(chunk)


def _read_and_clean(chunk: Chunk) -> ChunkResult:
    writer = SpoolWriter(chunk.spool, chunk.number)
    result = ChunkResult([], [], Counter(), 0, 1 if chunk.start == 0 else 0)
    finder = _finder()
    try:
        for position, item in enumerate(_items(chunk)):
            if isinstance(item, Problem):
                result.problems.append(item)
                continue
            result.items += 1
            result.kinds[item.kind] += 1
            record, problems = clean_record(item, finder)
            result.problems.extend(problems)
            offset, length = writer.write(record)
            priority = PRIORITY[item.kind]
            order = (chunk.number, position)
            result.entries.append(entry_for(record, order, chunk.number, offset, length, priority))
    finally:
        writer.close()
    return result


def plan_chunks(
    files: list[Path], directory: Path, size: int = CHUNK_BYTES, procs: int = 1
) -> list[Chunk]:
    """Every file a chunk, but a large JSON Lines file cut into pieces at line ends, so
    that one big export is read on every core too: pieces of at most about ``size``
    bytes, as many as a multiple of ``procs`` and of equal size, so no worker idles
    while another reads a last piece alone."""
    chunks: list[Chunk] = []
    for path in files:
        if not _is_large_json_lines(path, size):
            chunks.append(Chunk(len(chunks), str(path), directory / f"chunk-{len(chunks)}.jsonl"))
            continue
        data = path.read_bytes()
        pieces = -(-len(data) // size)
        pieces = -(-pieces // procs) * procs
        start, line = 0, 1
        for target in range(1, pieces + 1):
            # The piece ends at the first line end at or after its share of the file.
            cut = data.find(b"\n", max(start, len(data) * target // pieces - 1))
            end = len(data) if cut < 0 or target == pieces else cut + 1
            if end <= start:
                continue
            number = len(chunks)
            chunks.append(
                Chunk(number, str(path), directory / f"chunk-{number}.jsonl", start, end, line)
            )
            line += data.count(b"\n", start, end)
            start = end
    return chunks


def _is_large_json_lines(path: Path, size: int) -> bool:
    try:
        if path.stat().st_size <= size:
            return False
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    text = head.decode("utf-8", errors="ignore")
    return JsonLinesReader().sniff(text)


# Where each record of the order is: its spool file, and its line's offset and length.
LOCATION = np.dtype([("spool", np.int32), ("offset", np.int64), ("length", np.int64)])


@dataclass
class SpooledCorpus:
    """Clean, merged records in order, their JSON in spool files under ``directory``.

    Only where each record's line is stays in memory (20 bytes a record): the processes
    that write the index fork from the one holding this."""

    directory: Path
    locations: np.ndarray  # of LOCATION, in the order
    spools: dict[int, Path]
    replacements: dict[str, str]  # compact key of an unknown person's name -> the spelling kept
    known: frozenset[str]
    report: IngestReport = field(default_factory=IngestReport)

    def __len__(self) -> int:
        return len(self.locations)

    def records(self, start: int = 0, stop: int | None = None) -> Iterator[Record]:
        """The records of ``entries[start:stop]``, read back, persons settled."""
        for data, _ in self.record_data(start, stop):
            yield Record.from_dict(data)

    def record_data(
        self, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[dict[str, Any], str]]:
        """The records of ``entries[start:stop]`` as their JSON objects and JSON text
        (Record.to_dict's), persons settled: what an index stores, without a Record made
        and written again for each."""
        handles: dict[int, BinaryIO] = {}
        try:
            for spool, offset, length in self.locations[start:stop].tolist():
                handle = handles.get(spool)
                if handle is None:
                    handle = handles[spool] = self.spools[spool].open("rb")
                handle.seek(offset)
                line = handle.read(length).rstrip(b"\n")
                data = orjson.loads(line)
                settled = self._settled(data["persons"])
                if settled != data["persons"]:
                    data["persons"] = settled
                    line = record_json(data)
                yield data, line.decode("utf-8")
        finally:
            for handle in handles.values():
                handle.close()

    def _settled(self, persons: list[str]) -> list[str]:
        if not self.replacements or self.known.issuperset(persons):
            return persons
        names = [
            name if name in self.known else self.replacements.get(compact_key(name), name)
            for name in persons
        ]
        return list(dict.fromkeys(names))

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def spool_sources(
    paths: Iterable[str | os.PathLike[str]],
    directory: Path,
    authority: Authority | None = None,
    procs: int | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> SpooledCorpus:
    """Read, clean, merge and order every source: the corpus, spooled under ``directory``."""
    authority = authority or load_authority()
    directory.mkdir(parents=True, exist_ok=True)
    report = IngestReport()
    files: list[Path] = []
    for entry in iter_files(paths):
        if isinstance(entry, Problem):
            report.problems.append(entry)
        else:
            files.append(entry)
    chunks = plan_chunks(files, directory, procs=procs or os.cpu_count() or 1)
    spools = {chunk.number: chunk.spool for chunk in chunks}
    entries: list[Entry] = []
    for result, chunk in zip(_run(chunks, files, procs, authority), chunks, strict=True):
        report.files += result.files
        report.items += result.items
        report.kinds.update(result.kinds)
        report.problems.extend(result.problems)
        entries.extend(result.entries)
        if on_file and result.files:
            on_file(Path(chunk.path))
    merged_spool = SpoolWriter(directory / "merged.jsonl", len(chunks))
    spools[merged_spool.number] = merged_spool.path
    try:
        entries = _merge_copies(entries, spools, merged_spool)
    finally:
        merged_spool.close()
    entries.sort(key=lambda entry: entry.sort)
    report.records = len(entries)
    known = frozenset(authority.by_name)
    replacements = replacements_for_unknown_persons((entry.persons for entry in entries), authority)
    locations = np.fromiter(
        ((entry.spool, entry.offset, entry.length) for entry in entries),
        dtype=LOCATION,
        count=len(entries),
    )
    return SpooledCorpus(directory, locations, spools, replacements, known, report)


def _run(
    chunks: list[Chunk], files: list[Path], procs: int | None, authority: Authority
) -> Iterator[ChunkResult]:
    """Each chunk read and cleaned, in order: in worker processes for a large corpus."""
    procs = procs or os.cpu_count() or 1
    size = sum(path.stat().st_size for path in files if path.exists())
    if (
        procs < 2
        or len(chunks) < 2
        or size < PARALLEL_FROM_BYTES
        or authority is not load_authority()
    ):
        for chunk in chunks:
            yield read_and_clean(chunk)
        return
    # fork: workers inherit the loaded authority and word lists instead of reloading them.
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        yield from pool.imap(read_and_clean, chunks)


def _read(entry: Entry, spools: dict[int, Path]) -> Record:
    with spools[entry.spool].open("rb") as handle:
        handle.seek(entry.offset)
        return Record.from_dict(orjson.loads(handle.read(entry.length)))


def _merge_copies(entries: list[Entry], spools: dict[int, Path], out: SpoolWriter) -> list[Entry]:
    """Fold copies of one document together, as merge_records does in memory: by title and
    date first (the higher-priority source first, then in reading order), then an undated
    copy into the one dated copy of the same title."""
    entries.sort(key=lambda entry: entry.order)
    by_key: dict[bytes, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_key[entry.key].append(entry)
    merged: list[Entry] = []
    for copies in by_key.values():
        merged.append(copies[0] if len(copies) == 1 else _fold(copies, spools, out))
    by_title: dict[bytes, list[Entry]] = defaultdict(list)
    for entry in merged:
        by_title[entry.title_key].append(entry)
    final: list[Entry] = []
    for copies in by_title.values():
        dated = [entry for entry in copies if entry.dated]
        undated = [entry for entry in copies if not entry.dated]
        if len(dated) == 1 and undated:
            final.append(_fold_into(dated[0], undated, spools, out))
        elif len(dated) == 1:
            final.extend(dated)
        else:
            final.extend(copies)
    return final


def _fold(copies: list[Entry], spools: dict[int, Path], out: SpoolWriter) -> Entry:
    ordered = sorted(copies, key=lambda entry: -entry.priority)  # stable: reading order kept
    return _fold_into(ordered[0], ordered[1:], spools, out)


def _fold_into(
    kept_entry: Entry, others: list[Entry], spools: dict[int, Path], out: SpoolWriter
) -> Entry:
    kept = _read(kept_entry, spools)
    for other in others:
        merge_into(kept, _read(other, spools))
    offset, length = out.write(kept)
    return entry_for(kept, kept_entry.order, out.number, offset, length, kept_entry.priority)
