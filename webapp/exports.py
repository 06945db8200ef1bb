"""A search's records, or one record, in the formats researchers take them away in.

CSV for a spreadsheet, JSON Lines for a program, and three that reference managers
import: RIS (written by rispy), BibTeX (bibtexparser) and CSL-JSON (Zotero's native
import, item type "manuscript", as Zotero files an archival document). Each format is
written by the library made for it; tests read every export back with the same
library and get every field back.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field

ARCHIVE = "Wilson Center Digital Archive"
MAX_EXPORT = 10_000
CSV_COLUMNS = (
    "id",
    "url",
    "title",
    "date",
    "date_precision",
    "type",
    "summary",
    "persons",
    "subjects",
    "places",
    "languages",
    "original_archive",
    "authors",
    "source_note",
    "record_id",
    "source_url",
)
# A CSV cell of several values: "Joseph Stalin; Mao Zedong".
LIST_SEPARATOR = "; "
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

Record = dict[str, Any]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    mimetype: str
    extension: str
    write: Callable[[list[Record], Callable[[Record], str]], str]


def _csv(records: list[Record], url_of: Callable[[Record], str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row = {
            **record,
            "url": url_of(record),
            "type": record.get("document_type") or "",
        }
        writer.writerow(
            LIST_SEPARATOR.join(value) if isinstance(value, list) else value or ""
            for value in (row.get(column) for column in CSV_COLUMNS)
        )
    return out.getvalue()


def _jsonl(records: list[Record], url_of: Callable[[Record], str]) -> str:
    return "".join(
        json.dumps({**record, "url": url_of(record)}, ensure_ascii=False) + "\n"
        for record in records
    )


def ris_entry(record: Record, url: str) -> dict[str, Any]:
    """A record as rispy's entry: a generic reference (TY GEN), dated at its precision."""
    entry: dict[str, Any] = {
        "type_of_reference": "GEN",
        "id": record["id"],
        "title": record["title"],
    }
    if record.get("date"):
        parts = record["date"].split("-")
        entry["year"] = parts[0]
        entry["date"] = "/".join(parts + [""] * (3 - len(parts))) + "/"
    if record.get("authors"):
        entry["authors"] = list(record["authors"])
    if record.get("summary"):
        entry["abstract"] = record["summary"]
    keywords = [*record.get("persons", []), *record.get("subjects", []), *record.get("places", [])]
    if keywords:
        entry["keywords"] = keywords
    if record.get("document_type"):
        entry["type_of_work"] = record["document_type"]
    if record.get("languages"):
        entry["language"] = LIST_SEPARATOR.join(record["languages"])
    if record.get("source_note"):
        entry["notes"] = [record["source_note"]]
    entry["name_of_database"] = ARCHIVE
    entry["urls"] = [url]
    return entry


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]  # rispy has no types
    """rispy's writer without its "1." line before each reference (no RIS tag)."""

    def set_header(self, count: int) -> str:
        return ""


def _ris(records: list[Record], url_of: Callable[[Record], str]) -> str:
    text: str = rispy.dumps(
        [ris_entry(record, url_of(record)) for record in records], implementation=_RisWriter
    )
    return text.replace("\r\n", "\n").replace("\n", "\r\n")  # the format's own line ends


def bibtex_entry(record: Record, url: str) -> Entry:
    """A record as a BibTeX @misc entry: how BibTeX styles cite an archival document."""
    fields = [Field("title", _braces_safe(record["title"]))]
    if record.get("authors"):
        fields.append(Field("author", " and ".join(map(_braces_safe, record["authors"]))))
    if record.get("date"):
        parts = record["date"].split("-")
        fields.append(Field("year", parts[0]))
        if len(parts) > 1:
            fields.append(Field("month", _MONTHS[int(parts[1]) - 1]))
        if len(parts) > 2:
            fields.append(Field("day", str(int(parts[2]))))
    if record.get("summary"):
        fields.append(Field("abstract", _braces_safe(record["summary"])))
    if record.get("document_type"):
        fields.append(Field("type", record["document_type"]))
    if record.get("source_note"):
        fields.append(Field("note", _braces_safe(record["source_note"])))
    fields += [Field("howpublished", ARCHIVE), Field("url", url)]
    return Entry("misc", record["id"], fields)


def _braces_safe(text: str) -> str:
    """BibTeX delimits a value by braces: the text's own become brackets."""
    return text.replace("{", "(").replace("}", ")")


def _bibtex(records: list[Record], url_of: Callable[[Record], str]) -> str:
    library = bibtexparser.Library([bibtex_entry(record, url_of(record)) for record in records])
    text: str = bibtexparser.write_string(library)
    return text


def csl_item(record: Record, url: str) -> dict[str, Any]:
    """A record as CSL-JSON: Zotero's "manuscript" (its type for archival documents), the
    date at its own precision, the archive, the original archive and the URL."""
    item: dict[str, Any] = {"id": record["id"], "type": "manuscript", "title": record["title"]}
    if record.get("date"):
        item["issued"] = {"date-parts": [[int(part) for part in record["date"].split("-")]]}
    if record.get("authors"):
        item["author"] = [{"literal": name} for name in record["authors"]]
    if record.get("summary"):
        item["abstract"] = record["summary"]
    if record.get("document_type"):
        item["genre"] = record["document_type"]
    item["archive"] = ARCHIVE
    if record.get("original_archive"):
        item["archive-place"] = LIST_SEPARATOR.join(record["original_archive"])
    if record.get("source_note"):
        item["archive_location"] = record["source_note"]
    if record.get("languages"):
        item["language"] = LIST_SEPARATOR.join(record["languages"])
    item["URL"] = url
    return item


def _csljson(records: list[Record], url_of: Callable[[Record], str]) -> str:
    return json.dumps([csl_item(record, url_of(record)) for record in records], ensure_ascii=False)


FORMATS = {
    found.name: found
    for found in (
        ExportFormat("csv", "CSV", "text/csv", "csv", _csv),
        ExportFormat("jsonl", "JSON Lines", "application/jsonl", "jsonl", _jsonl),
        ExportFormat("ris", "RIS", "application/x-research-info-systems", "ris", _ris),
        ExportFormat("bibtex", "BibTeX", "application/x-bibtex", "bib", _bibtex),
        ExportFormat(
            "csljson", "CSL-JSON", "application/vnd.citationstyles.csl+json", "json", _csljson
        ),
    )
}


class TooManyToExport(Exception):
    """A search with more records than an export holds (answered 400, naming the limit)."""

    def __init__(self, total: int):
        super().__init__(
            f"This search has {total:,} records; an export holds at most {MAX_EXPORT:,}. "
            "Narrow it with more words or a filter (a year, a person, a subject), then export."
        )
        self.total = total
