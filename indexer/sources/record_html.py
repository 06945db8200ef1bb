"""One document's own page: its date, title, summary, labelled lists and information block.

Parts are found by the labels a reader sees ("Associated Places", "Record ID"),
with the archive's class names (``.date``, ``h1.title``, ``.text-block``) as hints,
so a page saved from a slightly different theme still reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from indexer.records.text import clean_text

from .base import Item, Problem, RawRecord, absolute_url
from .html import (
    attribute_text,
    element_text,
    find_by_hint,
    looks_like_html,
    meta_content,
    parse_html,
)

# Heading text (lower case, '&' and 'and' alike) -> the RawRecord list it fills.
_LIST_LABELS = {
    "author": "authors",
    "authors": "authors",
    "author s": "authors",
    "associated people organizations": "people_tags",
    "associated people": "people_tags",
    "people": "people_tags",
    "associated places": "places",
    "places": "places",
    "subjects discussed": "subjects",
    "subjects": "subjects",
    "language": "languages",
    "languages": "languages",
    "original archive": "original_archive",
}
_INFO_LABELS = {
    "source": "source_note",
    "rights": "rights",
    "record id": "record_id",
    "original uploaded date": "uploaded",
    "original upload date": "uploaded",
    "original classification": "classification",
    "classification": "classification",
}
_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "dt", "strong", "label"]
_TITLE_SUFFIX = re.compile(r"\s*[|\u2013-]\s*(?:Wilson Center )?Digital Archive\s*$", re.IGNORECASE)


def _label(element: Tag) -> str:
    text = element_text(element).lower().replace("&", " ").replace(" and ", " ")
    return re.sub(r"[^a-z]+", " ", text).strip()


def _labelled_block(heading: Tag) -> Tag:
    """The element that holds a heading and its values: its parent, or a <dd> after a <dt>."""
    parent = heading.parent
    assert parent is not None  # a heading found in a page has a parent: at least the soup
    if heading.name == "dt":
        return heading.find_next_sibling("dd") or parent
    return parent


def _list_values(heading: Tag) -> list[str]:
    block = _labelled_block(heading)
    named = [element_text(tag) for tag in block.select(".pill .name, .pill")]
    if not named:
        named = [element_text(tag) for tag in block.find_all(["li", "a"])]
    if not named:
        named = [clean_text(part) for part in re.split(r"[;\n]", block.get_text("\n"))]
    heading_text = element_text(heading)
    values: list[str] = []
    for value in named:
        if value and value != heading_text and value not in values:
            values.append(value)
    return values


def _info_value(heading: Tag) -> str:
    block = _labelled_block(heading)
    text_element = find_by_hint(block, ("text",), exclude=heading)
    if text_element is not None:
        return element_text(text_element)
    return clean_text(element_text(block).replace(element_text(heading), "", 1))


def _summary(soup: BeautifulSoup) -> str:
    for heading in soup.find_all(_HEADINGS):
        if _label(heading) in ("summary", "abstract", "description"):
            block = _labelled_block(heading)
            text = clean_text(element_text(block).replace(element_text(heading), "", 1))
            if text:
                return text
    text_block = soup.select_one(".summary .text-block, .text-block, .field--name-field-summary")
    return element_text(text_block) or meta_content(soup, "og:description", "description")


def _title(soup: BeautifulSoup) -> str:
    heading = soup.select_one("h1.title") or soup.find("h1")
    title = element_text(heading)
    if not title:
        title = meta_content(soup, "og:title") or element_text(soup.find("title"))
    return _TITLE_SUFFIX.sub("", title)


def _date_text(soup: BeautifulSoup) -> str:
    header = soup.select_one(".document-header") or soup.find("main") or soup
    date = header.select_one(".date, time, .field--name-field-date, [class*=date]")
    return element_text(date)


class RecordHtmlReader:
    kind = "record-html"
    priority = 4

    def sniff(self, text: str) -> bool:
        if not looks_like_html(text):
            return False
        soup = parse_html(text)
        if soup.find("h1") is None:
            return False
        labels = {_label(heading) for heading in soup.find_all(_HEADINGS)}
        known = labels & (set(_LIST_LABELS) | set(_INFO_LABELS) | {"summary"})
        return (
            bool(known) or soup.select_one(".document-header, .page-node-type-document") is not None
        )

    def read(self, text: str, name: str) -> Iterator[Item]:
        soup = parse_html(text)
        title = _title(soup)
        if not title:
            yield Problem(name, "record page", "the page has no title", "skipped the page")
            return
        record = RawRecord(title=title, where=name, kind=self.kind, date_text=_date_text(soup))
        record.summary = _summary(soup)
        for heading in soup.find_all(_HEADINGS):
            label = _label(heading)
            if label in _LIST_LABELS:
                target = getattr(record, _LIST_LABELS[label])
                target.extend(value for value in _list_values(heading) if value not in target)
            elif label in _INFO_LABELS and not getattr(record, _INFO_LABELS[label]):
                setattr(record, _INFO_LABELS[label], _info_value(heading) or None)
        canonical = soup.find("link", rel="canonical")
        record.source_url = absolute_url(
            (attribute_text(canonical, "href") if canonical else None)
            or meta_content(soup, "og:url")
        )
        if not record.summary:
            yield Problem(
                name, "record page", f"{title[:60]!r} has no summary", "kept the record without one"
            )
        if not record.date_text:
            yield Problem(
                name, "record page", f"{title[:60]!r} has no date", "kept the record undated"
            )
        yield record
