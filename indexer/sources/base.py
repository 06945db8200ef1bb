"""What every reader shares: the raw record it yields, the problem it reports, decoding.

Readers never raise on bad input. They yield ``RawRecord``s for what they could
read and ``Problem``s for what they could not (or read with an assumption), so a
broken item never costs the good ones beside it and nothing is dropped silently.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

from indexer.records.dates import ArchiveDate
from indexer.records.record import SourceFields
from indexer.records.text import clean_paragraphs, clean_text, cut_at_whitespace

ARCHIVE_HOST = "https://digitalarchive.wilsoncenter.org"

# A document's text longer than this is cut, at a whitespace, and reported. A million
# characters is some 400 printed pages, more than any document of the archive: a longer
# text is an export or a page gone wrong, and each record's text is kept whole in the
# index and sent whole to its page.
MAX_TEXT_CHARACTERS = 1_000_000
# A list value (a place, subject, language, person tag) longer than this is no name but a
# paragraph in the wrong cell: dropped and reported. The archive's longest are under 100.
MAX_VALUE_CHARACTERS = 200
# C0 and C1 control characters but tab, line feed and carriage return (whitespace, cleaned
# away): no name holds one; a value that does is broken input, or bytes read in the wrong
# encoding.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Problem:
    """Something a reader could not read, or read only with an assumption."""

    file: str
    item: str | None
    reason: str
    action: str

    def __str__(self) -> str:
        where = f"{self.file}, {self.item}" if self.item else self.file
        return f"{where}: {self.reason}; {self.action}"

    def to_dict(self) -> dict[str, str | None]:
        return {"file": self.file, "item": self.item, "reason": self.reason, "action": self.action}


@dataclass(kw_only=True)
class RawRecord(SourceFields):
    """One document as a source shows it, before dates and people are made clean: the
    record's source fields (records/record.py) and where, and in what form, we read it."""

    where: str
    kind: str
    date_text: str | None = None
    parsed_date: ArchiveDate | None = None
    people_tags: list[str] = field(default_factory=list)


Item: TypeAlias = RawRecord | Problem


class Reader(Protocol):
    """A reader of one kind of source, found by what a file holds, not by its name."""

    kind: str
    # Which copy of a document wins a merge: a record page knows more than a listing.
    priority: int

    def sniff(self, text: str) -> bool: ...

    def read(self, text: str, name: str) -> Iterator[Item]: ...


@dataclass(frozen=True)
class Decoded:
    text: str | None
    problem: Problem | None = None


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode(data: bytes, name: str) -> Decoded:
    """Bytes of a saved page -> text, saying so when we had to guess the encoding."""
    if not data.strip():
        return Decoded(None, Problem(name, None, "the file is empty", "nothing read from it"))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding))
            except UnicodeDecodeError as error:
                return Decoded(
                    None,
                    Problem(
                        name,
                        None,
                        f"starts with a {encoding} byte-order mark"
                        f" but is not {encoding} ({error.reason})",
                        "skipped the file",
                    ),
                )
    head = data[:8192]
    if b"\x00" in head or len(_BINARY_CONTROL.findall(head)) > len(head) // 100 + 2:
        return Decoded(
            None, Problem(name, None, "binary data, not a saved page or export", "skipped the file")
        )
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        declared = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", head, re.IGNORECASE)
        for encoding in ([declared.group(1).decode("ascii")] if declared else []) + [
            "cp1252",
            "latin-1",
        ]:
            try:
                text = data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
            return Decoded(
                text,
                Problem(name, f"byte {error.start}", "not valid UTF-8", f"read it as {encoding}"),
            )
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def absolute_url(href: str | None) -> str | None:
    """An archive link made absolute on the archive's host: '/document/x' -> 'https://.../document/x'."""
    href = clean_text(href)
    if not href:
        return None
    if href.startswith("//"):
        return "https:" + href
    if href.startswith("/"):
        return ARCHIVE_HOST + href
    if re.match(r"^https?://", href, re.IGNORECASE):
        return href
    return f"{ARCHIVE_HOST}/{href}"


def preview(text: str, length: int = 60) -> str:
    """The start of a text for a problem report, quoted, with escapes for what is not printable."""
    return repr(text[:length] + ("\u2026" if len(text) > length else ""))


def json_type(value: object) -> str:
    """What JSON calls a parsed value's type, for a problem report."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "string" if isinstance(value, str) else "null"


def document_text(
    paragraphs: Iterable[str], file: str, item: str | None
) -> tuple[str, Problem | None]:
    """A document's text from its paragraphs (see clean_paragraphs), at most
    MAX_TEXT_CHARACTERS of it, and the problem to report when it was longer."""
    text = clean_paragraphs(paragraphs)
    if len(text) <= MAX_TEXT_CHARACTERS:
        return text, None
    kept = cut_at_whitespace(text, MAX_TEXT_CHARACTERS)
    return kept, Problem(
        file, item, f"text is {len(text):,} characters", f"kept the first {len(kept):,}"
    )


def _value_key(value: str) -> str:
    """Two clean values of one list are the same when they differ only in case or spacing
    (a clean value's only whitespace is single spaces)."""
    return value.casefold().replace(" ", "")


def add_values(
    kept: list[str], values: Iterable[str], file: str, item: str | None, label: str = ""
) -> list[Problem]:
    """Add a list's values (places, subjects, person tags, ...) as a source gives them to
    ``kept``: each cleaned (whitespace collapsed, trimmed), empty ones and ones ``kept``
    already has (in any case or spacing) skipped, and one that holds control characters or
    is over MAX_VALUE_CHARACTERS dropped. The problems say which were dropped; ``label``
    names the list in them when ``item`` does not ("Associated Places")."""
    problems: list[Problem] = []
    seen = {_value_key(value) for value in kept}
    for raw in values:
        value = clean_text(raw)
        # Printable text holds no control character: most values need no search for one.
        if not raw.isprintable() and _CONTROL_CHARACTERS.search(raw):
            reason = f"{label} value {preview(raw)} holds control characters"
        elif len(value) > MAX_VALUE_CHARACTERS:
            reason = (
                f"{label} value {preview(value)} is {len(value):,} characters"
                f" (more than {MAX_VALUE_CHARACTERS})"
            )
        else:
            key = _value_key(value)
            if value and key not in seen:
                seen.add(key)
                kept.append(value)
            continue
        problems.append(Problem(file, item, reason.lstrip(), "dropped the value"))
    return problems
