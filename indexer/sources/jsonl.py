"""JSON Lines in our own record format, so `archive-search records` output reads back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import orjson

from indexer.records.dates import ArchiveDate, parse_archive_date, parse_iso
from indexer.records.record import Record, list_fields, text_fields
from indexer.records.text import clean_text

from .base import Item, Problem, RawRecord, absolute_url, add_values, document_text, json_type

_KNOWN = Record.field_names()


def _parse_json(line: str) -> Any:
    """What json.loads gives for a line (or raises), read by orjson, several times faster,
    wherever the two read a line alike.

    They differ where orjson refuses what json reads (NaN, lone surrogates, a number beyond
    a double): json then reads the line, or says why it cannot, in its own words; and in an
    integer beyond 64 bits, which orjson reads as a float: a line with any float in it
    (none of our fields holds one) is read again by json.
    """
    try:
        data = orjson.loads(line)
        if not _has_float(data):
            return data
    except (orjson.JSONDecodeError, RecursionError):  # RecursionError: from _has_float
        pass
    return json.loads(line)


def _has_float(value: object) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(map(_has_float, value.values()))
    if isinstance(value, list):
        return any(map(_has_float, value))
    return False


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
    """A list field's values as the line writes them (add_values cleans them)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{field!r} must be a list of strings")
    return value


class JsonLinesReader:
    kind = "jsonl"
    priority = 3

    def sniff(self, text: str) -> bool:
        for line in text.lstrip("\ufeff").split("\n", 5)[:5]:
            if line.strip():
                try:
                    first = json.loads(line)
                except ValueError:
                    return False
                return isinstance(first, dict) and "title" in first
        return False

    def read(self, text: str, name: str, first_line: int = 1) -> Iterator[Item]:
        """The records of JSON Lines text. Lines end at "\n" only (a JSON string may hold
        U+2028 and other characters str.splitlines would break at); ``first_line`` numbers
        the lines of a piece of a larger file."""
        for number, line in enumerate(text.lstrip("\ufeff").split("\n"), first_line):
            line = line.removesuffix("\r")
            if not line or line.isspace():
                continue
            item = f"line {number}"
            try:
                data = _parse_json(line)
                if not isinstance(data, dict):
                    raise ValueError("not a JSON object")
                record, problems = self._record(data, f"{name}#{number}", name, item)
            except RecursionError:  # json.loads of arrays nested thousands deep
                yield Problem(name, item, "not a record (nested too deep)", "skipped the line")
                continue
            except (ValueError, TypeError) as error:
                yield Problem(name, item, f"not a record ({error})", "skipped the line")
                continue
            yield from problems
            unknown = data.keys() - _KNOWN
            if unknown:
                yield Problem(
                    name, item, f"unknown fields {', '.join(sorted(unknown))}", "ignored them"
                )
            yield record

    def _record(
        self, data: dict[str, Any], where: str, name: str, item: str
    ) -> tuple[RawRecord, list[Problem]]:
        """The line's record, and the problems of the values it dropped; raises ValueError
        (or TypeError) for a line that is no record."""
        title = clean_text(data.get("title") if isinstance(data.get("title"), str) else "")
        if not title:
            raise ValueError("no title")
        # In this order, so a record with two faults is reported for the same one as ever.
        summary = clean_text(data.get("summary") or "")
        parsed_date = _date(data)
        source_url = absolute_url(data.get("source_url"))
        lists = {
            field: _strings(data[field], field)
            for field in list_fields()
            if data.get(field) is not None  # an absent list stays the record's own empty one
        }
        given: dict[str, Any] = {}
        for field in text_fields():
            if field != "source_url" and data.get(field) is not None:
                given[field] = clean_text(str(data[field]))
        record = RawRecord(
            title=title,
            where=where,
            kind=self.kind,
            summary=summary,
            parsed_date=parsed_date,
            source_url=source_url,
            **given,
        )
        problems: list[Problem] = []
        for field, values in lists.items():
            problems += add_values(getattr(record, field), values, name, item, field)
        text = data.get("text")
        if isinstance(text, str):
            record.text, too_long = document_text(text.splitlines(), name, item)
            problems += [too_long] if too_long else []
        elif text is not None:
            problems.append(
                Problem(
                    name,
                    item,
                    f"text is not a string but a JSON {json_type(text)}",
                    "ignored it, kept the record",
                )
            )
        return record, problems
