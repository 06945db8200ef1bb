"""Find what a file is by what it holds, and read it with the reader for that kind.

Extensions lie (a saved page named ``.txt``, an export named ``.dat``), so every
file is sniffed: our JSON Lines, the CSV export, a saved HTML listing, a record
page, a text listing. A file that is none of these is reported, not guessed at.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .base import Item, Problem, RawRecord, Reader, decode
from .csv_export import CsvExportReader
from .jsonl import JsonLinesReader
from .listing_html import ListingHtmlReader
from .listing_text import ListingTextReader
from .record_html import RecordHtmlReader

# Sniffed in this order: the cheap, unambiguous formats first; a record page before a
# listing, because a record page may carry a box of related documents.
READERS: tuple[Reader, ...] = (
    JsonLinesReader(),
    CsvExportReader(),
    RecordHtmlReader(),
    ListingHtmlReader(),
    ListingTextReader(),
)
PRIORITY = {reader.kind: reader.priority for reader in READERS}

__all__ = ["PRIORITY", "READERS", "Problem", "RawRecord", "detect", "iter_files", "read_file"]


def detect(text: str) -> Reader | None:
    """The reader for a file's content, or None when it is nothing we know."""
    for reader in READERS:
        if reader.sniff(text):
            return reader
    return None


def _is_index_directory(path: Path) -> bool:
    """A Whoosh index (ours, under data/) is not a source: its table of contents ends in .toc."""
    return any(child.suffix == ".toc" for child in path.iterdir() if child.is_file())


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Problem]:
    """Every file the arguments name, directories read whole (hidden files and indexes skipped)."""
    for argument in paths:
        path = Path(argument)
        if path.is_dir():
            for root, directories, files in os.walk(path):
                root_path = Path(root)
                directories[:] = sorted(
                    d
                    for d in directories
                    if not d.startswith(".") and not _is_index_directory(root_path / d)
                )
                for file_name in sorted(files):
                    if not file_name.startswith("."):
                        yield root_path / file_name
        elif path.is_file():
            yield path
        elif path.exists():
            yield Problem(str(path), None, "not a regular file", "skipped it")
        else:
            yield Problem(str(path), None, "no such file or directory", "skipped it")


def read_file(path: Path) -> Iterator[Item]:
    """Every record and problem in one file; never raises for what the file holds."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Problem(name, None, f"could not be read ({error.strerror or error})", "skipped it")
        return
    decoded = decode(data, name)
    if decoded.problem:
        yield decoded.problem
    if decoded.text is None:
        return
    reader = detect(decoded.text)
    if reader is None:
        yield Problem(
            name,
            None,
            "not a page or export we know"
            " (a text or HTML listing, a record page, the CSV export or JSON Lines)",
            "skipped it",
        )
        return
    yield from reader.read(decoded.text, name)
