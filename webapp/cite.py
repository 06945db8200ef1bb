"""How a historian cites a record: Chicago and MLA text, and RIS for a reference manager."""

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


def ris(record: dict[str, Any], url: str) -> str:
    """A RIS record (CRLF line ends, as the format asks)."""
    lines = [("TY", "GEN"), ("TI", record["title"])]
    if record.get("date"):
        parts = record["date"].split("-")
        lines.append(("PY", parts[0]))
        lines.append(("DA", "/".join(parts + [""] * (3 - len(parts))) + "/"))
    lines += [("AU", person) for person in record.get("authors", [])]
    if record.get("summary"):
        lines.append(("AB", record["summary"]))
    lines += [("KW", person) for person in record.get("persons", [])]
    lines += [("KW", place) for place in record.get("places", [])]
    if record.get("source_note"):
        lines.append(("N1", record["source_note"]))
    lines += [("DB", ARCHIVE), ("UR", url), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)
