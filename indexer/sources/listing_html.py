"""The archive's search results page saved from a browser.

Results are found by structure, not by line position: each result is an element
holding a link to a document (``/document/<slug>``) and a date. Class names like
``search-result__date`` are used as hints where a page has them, but a result is
still found on a page whose classes differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from indexer.records.dates import parse_archive_date

from .base import Item, Problem, RawRecord, absolute_url
from .html import (
    attribute_text,
    class_text,
    element_text,
    find_by_hint,
    looks_like_html,
    parse_html,
)

_DOCUMENT_LINK = re.compile(r"/document/[^/?#]+")
_CONTAINERS = ("li", "article", "div", "section", "tr", "dd")
_DATE_HINTS = ("date", "time")
_SUMMARY_HINTS = ("summary", "teaser", "description", "snippet", "excerpt", "abstract", "body")


def _result_container(link: Tag) -> Tag | None:
    """The smallest element around a result's link that also holds its date."""
    for parent in link.parents:
        if parent.name in ("body", "html", "[document]"):
            return None
        if parent.name in _CONTAINERS and _date_element(parent, link) is not None:
            return parent
    return None


def _date_element(container: Tag, link: Tag) -> Tag | None:
    hinted = container.find("time") or find_by_hint(container, _DATE_HINTS, exclude=link)
    if hinted is not None and parse_archive_date(element_text(hinted)).is_dated:
        return hinted
    for element in container.find_all(True):
        if element is link or link in element.parents or element in link.parents:
            continue
        if not element.find(True) and parse_archive_date(element_text(element)).is_dated:
            text = element_text(element)
            if len(text) <= 40:
                return element
    return None


def _summary_element(container: Tag, link: Tag, date: Tag | None) -> Tag | None:
    hinted = find_by_hint(container, _SUMMARY_HINTS, exclude=link)
    if hinted is not None:
        return hinted
    paragraphs = [
        p
        for p in container.find_all(["p", "div"])
        if link not in p.parents
        and p is not date
        and (date is None or date not in p.parents)
        and p.find("a") is None
    ]
    return max(paragraphs, key=lambda p: len(element_text(p)), default=None)


def _result_links(soup: BeautifulSoup) -> list[Tag]:
    """Links to documents that are results, not a related-documents box or navigation."""
    links: list[Tag] = []
    for link in soup.find_all("a", href=_DOCUMENT_LINK):
        if link.find_parent(["nav", "header", "footer"]):
            continue
        if any(
            word in class_text(parent)
            for parent in link.parents
            for word in ("related", "sidebar", "menu")
        ):
            continue
        links.append(link)
    return links


class ListingHtmlReader:
    kind = "listing-html"
    priority = 2

    def sniff(self, text: str) -> bool:
        if not looks_like_html(text) or not _DOCUMENT_LINK.search(text):
            return False
        soup = parse_html(text)
        return any(_result_container(link) is not None for link in _result_links(soup))

    def read(self, text: str, name: str) -> Iterator[Item]:
        soup = parse_html(text)
        seen: set[int] = set()
        position = 0
        for link in _result_links(soup):
            container = _result_container(link)
            if container is None or id(container) in seen:
                continue
            seen.add(id(container))
            position += 1
            where = f"result {position}"
            title = element_text(link)
            if not title:
                yield Problem(
                    name,
                    where,
                    f"the result linking to {link.get('href')!r} has no title",
                    "skipped the result",
                )
                continue
            date = _date_element(container, link)
            summary = element_text(_summary_element(container, link, date))
            if not summary:
                yield Problem(
                    name, where, f"{title[:60]!r} has no summary", "kept the record without one"
                )
            yield RawRecord(
                title=title,
                summary=summary,
                date_text=element_text(date),
                source_url=absolute_url(attribute_text(link, "href")),
                where=f"{name}#{position}",
                kind=self.kind,
            )
        if position == 0:
            yield Problem(
                name, None, "no search results found in this HTML page", "nothing read from it"
            )
