"""The archive's search results page as text: '  • DATE', then the title, then the summary.

A saved results page also holds the site's furniture (the search box's labels, the
"1 - 20 of 16153" count, "Show more", navigation). Items are found by their bullet
and date line; within an item, blank lines separate the title from the summary, and
lines wrapped by the browser are joined again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.records.dates import parse_archive_date
from indexer.records.text import clean_text

from .base import Item, Problem, RawRecord

_BULLET = re.compile(r"^\s*[\u2022\u00b7\u25aa\u25cf\u2023\u2043*]\s+(?P<date>\S.*?)\s*$")
_FURNITURE = re.compile(
    r"""^\s*(?:
        \d[\d,]*\s*[-\u2013]\s*\d[\d,]*\s+of\s+[\d,]+.*     # 1 - 20 of 16153
      | (?:show|load|view)\s+more.*
      | (?:next|previous|prev|first|last)(?:\s+page)?\s*[\u203a\u00bb>]*
      | [\u2039\u00ab<]+\s*(?:previous|prev|first).*
      | page\s+\d+(?:\s+of\s+\d+)?
      | search\s+in | search\s+results | add\s+search\s+filter.* | cancel\s+search\s+filter.*
      | sort\s+by.* | results\s+per\s+page.* | filter\s+by.* | refine.*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines of one item -> paragraphs, joining lines a browser wrapped."""
    paragraphs, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


class ListingTextReader:
    kind = "listing-text"
    priority = 1

    def sniff(self, text: str) -> bool:
        dated = 0
        for line in text.splitlines()[:400]:
            match = _BULLET.match(line)
            if match and parse_archive_date(match.group("date")).is_dated:
                dated += 1
                if dated >= 1:
                    return True
        return False

    def read(self, text: str, name: str) -> Iterator[Item]:
        items: list[tuple[int, str, list[str]]] = []
        open_item: list[str] | None = None
        for number, line in enumerate(text.splitlines(), 1):
            bullet = _BULLET.match(line)
            if bullet:
                open_item = []
                items.append((number, bullet.group("date"), open_item))
            elif _FURNITURE.match(line):
                open_item = None  # page furniture ends an item: nothing after it belongs to it
            elif open_item is not None:
                open_item.append(line)
        for position, (line_number, date_text, lines) in enumerate(items, 1):
            yield from self._item(name, position, line_number, date_text, lines)

    def _item(
        self, name: str, position: int, line_number: int, date_text: str, lines: list[str]
    ) -> Iterator[Item]:
        where = f"item {position} (line {line_number})"
        paragraphs = _paragraphs(lines)
        if not paragraphs:
            yield Problem(
                name, where, f"the item dated {date_text!r} has no title", "skipped the item"
            )
            return
        title, summary = clean_text(paragraphs[0]), clean_text(" ".join(paragraphs[1:]))
        if not summary:
            yield Problem(
                name, where, f"{title[:60]!r} has no summary", "kept the record without one"
            )
        yield RawRecord(
            title=title,
            summary=summary,
            date_text=date_text,
            where=f"{name}#{position}",
            kind=self.kind,
        )
