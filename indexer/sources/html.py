"""Helpers both HTML readers share: parsing, sniffing and reading text out of elements."""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

from indexer.records.text import clean_text

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|div|main|ul|li|article|section|h[1-6]|p|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_ANY_TAG = re.compile(r"<(?:html|body|div|li|a|p|h[1-6])\b[^>]*>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_ANY_TAG.findall(head)) >= 3


def parse_html(text: str) -> BeautifulSoup:
    """lxml's forgiving parser: a truncated page still gives what it holds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "lxml")
    for junk in soup(["script", "style", "noscript", "template", "svg"]):
        junk.decompose()
    return soup


def element_text(element: Tag | None) -> str:
    """An element's text with wrapped lines and inner markup (<em>, <br>) flattened."""
    if element is None:
        return ""
    return clean_text(element.get_text(" "))


def attribute_text(element: Tag, name: str) -> str | None:
    """A single-valued attribute (href, id, content) as text: bs4 types every attribute
    as maybe a list, but only those it splits (class, rel) ever are."""
    value = element.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value


def class_text(element: Tag) -> str:
    """An element's classes and id as one lower-case string, for structural hints."""
    classes: str | list[str] = element.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    return " ".join([*classes, attribute_text(element, "id") or ""]).lower()


def find_by_hint(container: Tag, hints: tuple[str, ...], exclude: Tag | None = None) -> Tag | None:
    """The first element inside ``container`` whose class or id mentions one of ``hints``."""
    for element in container.find_all(True):
        if exclude is not None and (element is exclude or exclude in element.parents):
            continue
        if any(hint in class_text(element) for hint in hints):
            return element
    return None


def meta_content(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        content = attribute_text(tag, "content") if tag else None
        if content:
            return clean_text(content)
    return ""
