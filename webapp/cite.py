"""How a historian cites a record: Chicago and MLA text (reference manager files: exports.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from indexer.search import format_archive_date

ARCHIVE = "Wilson Center Digital Archive"


def _date(record: dict[str, Any]) -> str:
    return format_archive_date(record.get("date"), record.get("date_precision"))


def chicago(record: dict[str, Any], url: str) -> str:
    source = f" {record['source_note'].rstrip('.')}." if record.get("source_note") else ""
    return f"\u201c{record['title']},\u201d {_date(record)}.{source} {ARCHIVE}. {url}."


def mla(record: dict[str, Any], url: str, today: date | None = None) -> str:
    today = today or date.today()
    source = f" {record['source_note'].rstrip('.')}." if record.get("source_note") else ""
    accessed = f"{today.day} {today.strftime('%b')}. {today.year}"
    return (
        f"\u201c{record['title']}.\u201d {_date(record)}.{source} {ARCHIVE}, {url}. "
        f"Accessed {accessed}."
    )
