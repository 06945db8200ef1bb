"""The archive's CSV export: one row per document, list columns as JSON arrays."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from typing import Any

from indexer.records.text import clean_text

from .base import (
    Item,
    Problem,
    RawRecord,
    absolute_url,
    add_values,
    document_text,
    json_type,
    preview,
)

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
# The document's text: the export's text_body, or our own field name.
_BODY_COLUMNS = ("text_body", "text")
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


def _list_cell(cell: str) -> tuple[list[str], tuple[str, str] | None]:
    """A list column's values as the cell writes them (add_values cleans them), and what
    was wrong with the cell, if anything: (reason, action).

    The export writes a JSON array of strings. A cell that starts with '[' or '{' is
    JSON or broken; one that is a JSON string is one value; any other cell is plain text,
    its values separated by ';' (an export made by hand).
    """
    cell = cell.strip()
    if not cell:
        return [], None
    if not cell.startswith(("[", "{", '"')):
        return cell.split(";"), None
    try:
        parsed = json.loads(cell)
    except (ValueError, RecursionError) as error:  # RecursionError: arrays nested too deep
        if cell.startswith('"'):
            return cell.split(";"), None  # plain text that happens to open with a quote
        reason = str(error) if isinstance(error, ValueError) else "nested too deep"
        return [], (f"not a readable list ({reason})", "kept the row without that column")
    if isinstance(parsed, str):
        return [parsed], ("a JSON string, not a list", "read it as one value")
    if not isinstance(parsed, list):
        return [], (
            f"not a list but a JSON {json_type(parsed)}",
            "kept the row without that column",
        )
    strings = [item for item in parsed if isinstance(item, str)]
    others = [item for item in parsed if not isinstance(item, str)]
    if not others:
        return strings, None
    shown = preview(json.dumps(others, ensure_ascii=False))
    verb = "is" if len(others) == 1 else "are"
    return strings, (
        f"{len(others)} of its {len(parsed)} values {verb} not text ({shown})",
        f"dropped {'it' if len(others) == 1 else 'them'}, kept the other {len(strings)}",
    )


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
            for column in columns:
                values, fault = _list_cell(row.get(column) or "")
                item = f"{where}, column {column}"
                if fault:
                    yield Problem(name, item, *fault)
                yield from add_values(getattr(record, attribute), values, name, item)
        body = next((column for column in _BODY_COLUMNS if (row.get(column) or "").strip()), None)
        if body:
            text, too_long = document_text(row[body].splitlines(), name, f"{where}, column {body}")
            record.text = text
            if too_long:
                yield too_long
        if None in row:  # more cells than the header has columns
            yield Problem(name, where, f"{len(row[None])} cells beyond the header", "ignored them")
        if not record.summary:
            yield Problem(
                name, where, f"{title[:60]!r} has no summary", "kept the record without one"
            )
        yield record
