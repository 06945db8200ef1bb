"""Highlights as data: a field's whole text and the ranges the query's words cover.

The engine marks; it never writes HTML. Pages render the pieces through Jinja's
autoescaping (webapp/templates/_highlight.html), so their safety rests on the template
engine, not on an escape of ours. JSON clients (the API, the CLI's ``--json``) get the
documented HTML string from ``Highlight.html``, escaped by markupsafe.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from indexer.index.schema import WORD_PATTERN, text_analyzer

_MARK = Markup("<mark>{}</mark>")


@dataclass(frozen=True)
class Highlight:
    """A field's text and the (start, end) character ranges of the words to mark, ascending."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()

    def pieces(self) -> Iterator[tuple[str, bool]]:
        """The text in order as (piece, marked) pairs; no piece is empty."""
        last = 0
        for start, end in self.marks:
            if start > last:
                yield self.text[last:start], False
            yield self.text[start:end], True
            last = end
        if last < len(self.text):
            yield self.text[last:], False

    def html(self) -> str:
        """The text escaped, the marked words in <mark>: the API's documented form."""
        return str(
            Markup("").join(
                _MARK.format(piece) if marked else escape(piece) for piece, marked in self.pieces()
            )
        )


_ANALYZER = text_analyzer()


@lru_cache(maxsize=200_000)
def indexed_term(word: str) -> str | None:
    """The term the title/summary analyzer indexes for one word (None for a stop word).

    Memoised per process: hits repeat words, and the analyzer chain costs microseconds."""
    tokens = [token.text for token in _ANALYZER(word)]
    return tokens[0] if len(tokens) == 1 else None


def highlight(text: str, terms: frozenset[str] | None) -> Highlight:
    """Mark every word of ``text`` whose indexed term is one of ``terms``.

    Words are found with the analyzer's own pattern and each distinct word is mapped to
    its indexed term once (memoised): the same marks Whoosh's highlighter gives, without
    running the analyzer chain over every hit's text.
    """
    if not terms or not text:
        return Highlight(text or "")
    marks = tuple(
        (match.start(), match.end())
        for match in WORD_PATTERN.finditer(text)
        if indexed_term(match.group()) in terms
    )
    return Highlight(text, marks)
