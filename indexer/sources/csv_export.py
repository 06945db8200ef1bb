"""The archive's CSV export: one row per document, list columns as JSON arrays."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from typing import Any

from indexer.records.text import clean_text

from .base import Item, Problem, RawRecord, absolute_url

csv.field_size_limit(sys.maxsize)  # text_body columns hold whole documents

# RawRecord field -> the export's column names for it, first found wins.
_TEXT_COLUMNS = {
    "title": ("title",),
    "summary": ("summary", "description", "abstract"),
    "date_text": ("original_publication_date", "date", "publication_date"),
    "source_url": ("document_url", "url", "source_url"),
    "record_id": ("record_id", "id"),
    "source_note": ("source",),
    "rights": ("rights",),
    "classification": ("original_classification", "classification"),
    "uploaded": ("original_upload_date", "upload_date"),
}
_LIST_COLUMNS = {
    "authors": ("authors", "author"),
    "people_tags": ("associated_people_orgs", "document_contributors", "people", "persons"),
    "places": ("associated_places", "places"),
    "subjects": ("subjects_discussed", "subjects"),
    "languages": ("language", "languages"),
    "original_archive": ("original_archive_title", "original_archive"),
}
_SIGNATURE = {
    "original_publication_date",
    "document_url",
    "summary",
    "associated_places",
    "record_id",
}


def _list_cell(value: str) -> list[str]:
    """A list column: a JSON array as the export writes it, or plain ';'-separated text."""
    value = (value or "").strip()
    if not value:
        return []
    if value.startswith("["):
        parsed = json.loads(value)  # a broken array is reported by the caller
        if not isinstance(parsed, list):
            raise ValueError("not a JSON array")
        return [clean_text(str(item)) for item in parsed if clean_text(str(item))]
    return [clean_text(part) for part in value.split(";") if clean_text(part)]


class CsvExportReader:
    kind = "csv"
    priority = 3

    def sniff(self, text: str) -> bool:
        first_line = text.lstrip("\ufeff").split("\n", 1)[0]
        try:
            header = {column.strip().lower() for column in next(csv.reader([first_line]))}
        except (csv.Error, StopIteration):
            return False
        return "title" in header and bool(header & _SIGNATURE)

    def read(self, text: str, name: str) -> Iterator[Item]:
        rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
        rows.fieldnames = [column.strip().lower() for column in rows.fieldnames or []]
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as error:
                yield Problem(
                    name,
                    f"row {number + 1}",
                    f"the CSV breaks here ({error})",
                    "kept the rows before it, read nothing after",
                )
                return
            number += 1
            yield from self._row(row, name, number)

    def _row(self, row: dict[str | None, Any], name: str, number: int) -> Iterator[Item]:
        """One row of csv.DictReader: a cell is text, or None when the row is short; the key
        None holds the list of cells beyond the header."""
        where = f"row {number}"

        def first(columns: tuple[str, ...]) -> str:
            return next(
                (clean_text(row[c]) for c in columns if row.get(c) and clean_text(row[c])), ""
            )

        title = first(_TEXT_COLUMNS["title"])
        if not title:
            yield Problem(name, where, "the row has no title", "skipped the row")
            return
        record = RawRecord(title=title, where=f"{name}#{number}", kind=self.kind)
        for attribute, columns in _TEXT_COLUMNS.items():
            if attribute != "title":
                setattr(record, attribute, first(columns) or getattr(record, attribute))
        record.source_url = absolute_url(record.source_url)
        for attribute, columns in _LIST_COLUMNS.items():
            values = getattr(record, attribute)
            for column in columns:
                try:
                    values.extend(v for v in _list_cell(row.get(column) or "") if v not in values)
                except ValueError as error:
                    yield Problem(
                        name,
                        f"{where}, column {column}",
                        f"not a readable list ({error})",
                        "kept the row without that column",
                    )
        if None in row:  # more cells than the header has columns
            yield Problem(name, where, f"{len(row[None])} cells beyond the header", "ignored them")
        if not record.summary:
            yield Problem(
                name, where, f"{title[:60]!r} has no summary", "kept the record without one"
            )
        yield record
