"""One citeproc-py render, two outputs: plain text and HTML that is safe to put in a page.

citeproc-py's own HTML formatter escapes only a record's variables read through one path,
and none of what the style file adds: Vancouver-like styles wrap the address in "<" and
">" affixes, which a page then read as a tag, so the address vanished. Here a
citeproc formatter marks each font style with a pair of private-use characters instead
of tags. The marked text is then escaped as a whole (the record's words, the style's
affixes, delimiters and terms alike) and only the marks become tags; the plain text is
the same string without the marks, so the two always say the same thing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

# (opening mark, tag written for it); each closing mark is the next code point.
_TAGS = {
    "\ue000": ("<i>", "</i>"),
    "\ue002": ("<b>", "</b>"),
    "\ue004": ("<u>", "</u>"),
    "\ue006": ("<sup>", "</sup>"),
    "\ue008": ("<sub>", "</sub>"),
    "\ue00a": ('<span class="small-caps">', "</span>"),
}
_MARKS = re.compile("[\ue000-\ue00f]")
_CLOSING = "[\ue001\ue003\ue005\ue007\ue009\ue00b]"
_PUNCTUATION = ".,;:!?"


def _marking(opening: str) -> Callable[[Any], str]:
    closing = chr(ord(opening) + 1)
    return lambda text: f"{opening}{text}{closing}"


class MarkedText:
    """A citeproc-py output format (the interface of citeproc.formatter.plain)."""

    @staticmethod
    def preformat(text: Any) -> Any:
        return text

    Italic = Oblique = staticmethod(_marking("\ue000"))
    Bold = staticmethod(_marking("\ue002"))
    Underline = staticmethod(_marking("\ue004"))
    Superscript = staticmethod(_marking("\ue006"))
    Subscript = staticmethod(_marking("\ue008"))
    SmallCaps = staticmethod(_marking("\ue00a"))
    # CSL's "light" weight has no HTML element; the text is shown as it is.
    Light = staticmethod(str)


def unmarked(value: Any) -> Any:
    """A CSL item with any private-use marks removed from its text, so a record cannot
    forge markup."""
    if isinstance(value, str):
        return _MARKS.sub("", value)
    if isinstance(value, dict):
        return {key: unmarked(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [unmarked(inner) for inner in value]
    return value


def mended(marked: str, close_quote: str | None) -> str:
    """Seams citeproc-py could not see through a mark ("Title." + "." inside italics), and,
    with ``close_quote`` (American usage, the en-US locale's punctuation-in-quote option,
    which citeproc-py reads but does not apply), a period or comma after a closing
    quotation mark moved inside it."""
    marked = re.sub(f"([{re.escape(_PUNCTUATION)}])({_CLOSING}+)\\1", r"\1\2", marked)
    marked = re.sub(f" ({_CLOSING}+) ", r" \1", marked)
    if close_quote:
        marked = re.sub(
            re.escape(close_quote) + f"({_CLOSING}*)([.,])", r"\2" + close_quote + r"\1", marked
        )
    return marked


def as_text(marked: str) -> str:
    return _MARKS.sub("", marked)


def as_html(marked: str) -> str:
    escaped = html.escape(marked, quote=False)
    for opening, (start, end) in _TAGS.items():
        escaped = escaped.replace(opening, start).replace(chr(ord(opening) + 1), end)
    return escaped
