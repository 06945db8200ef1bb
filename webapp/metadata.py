"""What reference managers read from a page: Highwire Press and Dublin Core meta tags on
a record's page, COinS on a search's results.

Zotero's connector (and Google Scholar) read ``citation_*`` tags on a record's page,
following Google Scholar's inclusion guidelines: one title, one date (``YYYY/MM/DD`` at
the record's precision: ``1950/02`` for a month), one tag per author. Dublin Core
(``DC.*``, with its schema link) says the same for other harvesters. On a result page a
COinS span per hit (an OpenURL ContextObject in its title) lets the connector offer to
save any of them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from .exports import ARCHIVE

Record = dict[str, Any]


def _slashed(date: str | None) -> str | None:
    return date.replace("-", "/") if date else None


def citation_tags(record: Record, url: str) -> list[tuple[str, str]]:
    """The (name, content) meta tags of a record's page, Highwire Press then Dublin Core."""
    tags: list[tuple[str, str]] = [("citation_title", record["title"])]
    tags += [("citation_author", author) for author in record.get("authors", [])]
    if record.get("date"):
        tags += [
            ("citation_publication_date", _slashed(record["date"]) or ""),
            ("citation_date", _slashed(record["date"]) or ""),
        ]
    tags += [
        ("citation_publisher", ARCHIVE),
        ("citation_public_url", url),
        ("citation_abstract_html_url", url),
    ]
    tags += [("citation_language", language) for language in record.get("languages", [])]
    keywords = [*record.get("subjects", []), *record.get("persons", [])]
    if keywords:
        tags.append(("citation_keywords", "; ".join(keywords)))
    tags.append(("DC.title", record["title"]))
    tags += [("DC.creator", author) for author in record.get("authors", [])]
    if record.get("date"):
        tags.append(("DC.date", record["date"]))
    if record.get("summary"):
        tags.append(("DC.description", record["summary"]))
    tags += [("DC.subject", value) for value in keywords]
    tags += [("DC.language", language) for language in record.get("languages", [])]
    tags += [("DC.coverage", place) for place in record.get("places", [])]
    tags.append(("DC.type", "Text"))  # DCMI's type vocabulary; the kind of document is a subject
    if record.get("document_type"):
        tags.append(("DC.subject", record["document_type"]))
    tags += [("DC.publisher", ARCHIVE), ("DC.identifier", url)]
    if record.get("source_note"):
        tags.append(("DC.source", record["source_note"]))
    return tags


def coins(record: Record, url: str) -> str:
    """A hit's COinS: the title of a ``<span class="Z3988">`` (an OpenURL ContextObject
    in Dublin Core's key/value format)."""
    pairs: list[tuple[str, str]] = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rfr_id", "info:sid/archive-search"),
        ("rft.title", record["title"]),
        ("rft.type", "document"),
    ]
    if record.get("date"):
        pairs.append(("rft.date", record["date"]))
    pairs += [("rft.creator", author) for author in record.get("authors", [])]
    if record.get("summary"):
        pairs.append(("rft.description", record["summary"]))
    pairs += [("rft.subject", person) for person in record.get("persons", [])]
    pairs += [("rft.publisher", ARCHIVE), ("rft.identifier", url)]
    return urlencode(pairs)
