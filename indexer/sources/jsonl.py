"""JSON Lines in our own record format, so `archive-search records` output reads back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from indexer.records.dates import ArchiveDate, parse_archive_date, parse_iso
from indexer.records.record import Record, list_fields, text_fields
from indexer.records.text import clean_text

from .base import Item, Problem, RawRecord, absolute_url

_KNOWN = Record.field_names()


def _date(data: dict[str, Any]) -> ArchiveDate:
    """Our own ISO date at its precision; anything else is read as the archive writes dates."""
    iso, precision = data.get("date"), data.get("date_precision")
    if iso and precision:
        parsed, parsed_precision = parse_iso(str(iso))
        if parsed_precision != precision:
            raise ValueError(f"date {iso!r} is not of precision {precision!r}")
        end = data.get("date_end")
        if end:
            parse_iso(str(end))
        return ArchiveDate(
            str(iso), precision, parsed.year, end=end, circa=bool(data.get("date_circa"))
        )
    return parse_archive_date(str(iso) if iso else None)


def _strings(value: object, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{field!r} must be a list of strings")
    return [clean_text(item) for item in value if clean_text(item)]


class JsonLinesReader:
    kind = "jsonl"
    priority = 3

    def sniff(self, text: str) -> bool:
        for line in text.lstrip("\ufeff").splitlines()[:5]:
            if line.strip():
                try:
                    first = json.loads(line)
                except ValueError:
                    return False
                return isinstance(first, dict) and "title" in first
        return False

    def read(self, text: str, name: str) -> Iterator[Item]:
        for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise ValueError("not a JSON object")
                record = self._record(data, f"{name}#{number}")
            except (ValueError, TypeError) as error:
                yield Problem(name, where, f"not a record ({error})", "skipped the line")
                continue
            unknown = sorted(set(data) - _KNOWN)
            if unknown:
                yield Problem(name, where, f"unknown fields {', '.join(unknown)}", "ignored them")
            yield record

    def _record(self, data: dict[str, Any], where: str) -> RawRecord:
        title = clean_text(data.get("title") if isinstance(data.get("title"), str) else "")
        if not title:
            raise ValueError("no title")
        record = RawRecord(
            title=title,
            where=where,
            kind=self.kind,
            summary=clean_text(data.get("summary") or ""),
            parsed_date=_date(data),
            source_url=absolute_url(data.get("source_url")),
        )
        for field in list_fields():
            setattr(record, field, _strings(data.get(field), field))
        for field in text_fields():
            if field != "source_url" and data.get(field) is not None:
                setattr(record, field, clean_text(str(data[field])))
        return record
