"""One document's own page: its date, title, summary, text, labelled lists and information block.

Parts are found by the labels a reader sees ("Associated Places", "Record ID"),
with the archive's class names (``.date``, ``h1.title``, ``.text-block``) as hints,
so a page saved from a slightly different theme still reads. The document's text is the
tab pane the page shows (``.tab-pane.active``: the transcript or translation), read
paragraph by paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PreformattedString

from indexer.records.text import clean_text

from .base import Item, Problem, RawRecord, absolute_url, add_values, document_text
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
# Elements that end a paragraph of the document's text: what a browser shows on lines of
# their own. Inline markup (<em>, <a>, <span>) stays inside its paragraph.
_BLOCKS = frozenset(
    {
        *("p", "div", "section", "article", "header", "footer", "aside", "address", "center"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption"),
        *("ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th"),
    }
)
_LINE_BREAKS = frozenset({"br", "hr"})
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
    """A labelled list's values as the page writes them (add_values cleans them): each
    pill's name (the pill's text when it has no name), else the block's items or links,
    else its lines. Empty values, and the heading itself, are no values."""
    block = _labelled_block(heading)
    pills = block.select(".pill")
    elements = [pill.select_one(".name") or pill for pill in pills]
    if not elements:
        elements = block.find_all(["li", "a"])
    named = [element.get_text(" ") for element in elements]
    if not elements:
        named = re.split(r"[;\n]", block.get_text("\n"))
    heading_text = element_text(heading)
    return [value for value in named if clean_text(value) not in ("", heading_text)]


def _paragraphs(pane: Tag) -> list[str]:
    """An element's text as the paragraphs a browser shows: a block element (<p>, <div>,
    <li>, ...) or a <br> ends one; the text of inline markup stays in its paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    current_block: Tag | None = None
    for node in pane.descendants:
        if isinstance(node, Tag):
            if node.name in _LINE_BREAKS:
                paragraphs.append("".join(current))
                current = []
            continue
        if not isinstance(node, NavigableString) or isinstance(node, PreformattedString):
            continue  # comments, CDATA, processing instructions: not the document's text
        block = next(
            (parent for parent in node.parents if parent is pane or parent.name in _BLOCKS), pane
        )
        if block is not current_block:
            paragraphs.append("".join(current))
            current, current_block = [], block
        current.append(str(node))
    paragraphs.append("".join(current))
    return paragraphs


def _text_pane(soup: BeautifulSoup) -> Tag | None:
    """The tab pane the page shows (the transcript or translation), else the first pane
    with any text."""
    active = soup.select_one(".tab-pane.active")
    if active is not None and active.get_text(strip=True):
        return active
    return next((pane for pane in soup.select(".tab-pane") if pane.get_text(strip=True)), None)


def _info_value(heading: Tag) -> str:
    block = _labelled_block(heading)
    text_element = find_by_hint(block, ("text",), exclude=heading)
    if text_element is not None:
        return element_text(text_element)
    return clean_text(element_text(block).replace(element_text(heading), "", 1))


def _headings(soup: BeautifulSoup, pane: Tag | None) -> list[Tag]:
    """The page's headings but those in the document's text: a transcript's own "Source:"
    or "Summary" labels the transcript, not the record."""
    return [
        heading
        for heading in soup.find_all(_HEADINGS)
        if pane is None or not any(parent is pane for parent in heading.parents)
    ]


def _summary(soup: BeautifulSoup, headings: list[Tag]) -> str:
    for heading in headings:
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
        pane = _text_pane(soup)
        headings = _headings(soup, pane)
        record.summary = _summary(soup, headings)
        for heading in headings:
            label = _label(heading)
            if label in _LIST_LABELS:
                target = getattr(record, _LIST_LABELS[label])
                yield from add_values(
                    target, _list_values(heading), name, "record page", element_text(heading)
                )
            elif label in _INFO_LABELS and not getattr(record, _INFO_LABELS[label]):
                setattr(record, _INFO_LABELS[label], _info_value(heading) or None)
        if pane is not None:
            record.text, too_long = document_text(_paragraphs(pane), name, "record page")
            if too_long:
                yield too_long
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
