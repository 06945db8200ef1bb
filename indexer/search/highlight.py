"""Highlights as data: a field's whole text and the ranges the query's words cover.

The engine marks; it never writes HTML. Pages render the pieces through Jinja's
autoescaping (webapp/templates/_highlight.html), so their safety rests on the template
engine, not on an escape of ours. JSON clients (the API, the CLI's ``--json``) get the
documented HTML string from ``Highlight.html``, escaped by markupsafe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from markupsafe import Markup, escape
from whoosh.support.charset import accent_map

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
    running the analyzer chain over every hit's text. Only the words that start like a
    term are looked at (_marks_by_prefix): a hit's title and summary cost half as much,
    a document's 3,000-word text a tenth.
    """
    if not terms or not text:
        return Highlight(text or "")
    lowered = text.lower()
    if len(lowered) == len(text):  # then each letter is one letter, lowered and folded
        folded = lowered if lowered.isascii() else lowered.translate(_FOLD)
        return Highlight(text, _marks_by_prefix(text, folded, terms))
    # A letter that lowers to two ("İ"): every word, as the analyzer reads it.
    marks = tuple(
        (match.start(), match.end())
        for match in WORD_PATTERN.finditer(text)
        if indexed_term(match.group()) in terms
    )
    return Highlight(text, marks)


# The Porter stemmer rewrites at most this many letters at a word's end, so a word that
# stems to a term starts with the term's letters but these last ones.
_STEM_REWRITES = 4


def _marks_by_prefix(text: str, folded: str, terms: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """highlight's marks, found from the words that start like a term: the terms' stable
    beginnings are searched in ``folded`` (the text lowered and accent-folded, letter for
    letter, as the analyzer folds a word), each candidate word then checked as highlight
    checks every word."""
    pattern = _prefix_pattern(terms)
    marks = []
    for found in pattern.finditer(folded):
        start = found.start()
        if start and _WORD_CHAR.match(text, start - 1):
            continue  # inside a word
        if start >= 2 and text[start - 1] == "." and _WORD_CHAR.match(text, start - 2):
            continue  # inside a dotted word ("U.S.A"), which starts before it
        word = WORD_PATTERN.match(text, start)
        if word is not None and indexed_term(word.group()) in terms:
            marks.append(word.span())
    return tuple(marks)


_WORD_CHAR = re.compile(r"\w")
# Whoosh's accent map: ordinal -> one letter, a str.translate table (its type stubs call
# the keys strings; they are ordinals, as CharsetFilter's translate needs).
_FOLD = cast(dict[int, str], accent_map)


@lru_cache(maxsize=4096)
def _prefix_pattern(terms: frozenset[str]) -> re.Pattern[str]:
    """Any term's stable beginning, longest first."""
    prefixes = {term[: max(1, len(term) - _STEM_REWRITES)] for term in terms}
    alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(alternatives)


PASSAGE_CHARS = 280  # about three lines under a result's summary
_CONTEXT_BEFORE = 60  # of the window, how much may come before its first marked word
_ELLIPSIS = "…"


def passage(text: str, terms: frozenset[str] | None) -> Highlight | None:
    """The best short passage of a long text for a query: the window of PASSAGE_CHARS
    holding the most distinct marked words (then the most marks, then the earliest),
    cut at spaces, with an ellipsis where it cuts. None when no word is marked."""
    if not terms or not text:
        return None
    marks = highlight(text, terms).marks
    if not marks:
        return None
    words = [indexed_term(text[start:end]) for start, end in marks]
    best, best_key, last = 0, (0, 0), 0
    for first in range(len(marks)):
        limit = marks[first][0] + PASSAGE_CHARS - _CONTEXT_BEFORE
        last = max(last, first)
        while last + 1 < len(marks) and marks[last + 1][1] <= limit:
            last += 1
        key = (len(set(words[first : last + 1])), last + 1 - first)
        if key > best_key:
            best, best_key = first, key
    start = _cut(text, max(0, marks[best][0] - _CONTEXT_BEFORE), backwards=True)
    end = _cut(text, min(len(text), start + PASSAGE_CHARS), backwards=True)
    if end <= marks[best][1]:  # one word longer than the window: cut after it
        end = _cut(text, marks[best][1], backwards=False)
    piece = " ".join(text[start:end].split())
    # The window's text with its spaces collapsed: marks found afresh in it.
    shown = highlight(piece, terms)
    before = _ELLIPSIS + " " if start > 0 else ""
    after = " " + _ELLIPSIS if end < len(text) else ""
    shift = len(before)
    return Highlight(
        before + piece + after,
        tuple((begin + shift, finish + shift) for begin, finish in shown.marks),
    )


def _cut(text: str, at: int, backwards: bool) -> int:
    """``at`` moved to the nearest space (back, at most a passage's length, or forward), so
    no word is cut in two."""
    if at <= 0 or at >= len(text) or text[at - 1].isspace() or text[at].isspace():
        return at
    for breaks in (_SPACE, _NOT_A_LETTER):  # a space, else a hyphen or a stop
        if backwards:
            found = [m.end() for m in breaks.finditer(text, max(0, at - _CUT_SLACK), at)]
            if found:
                return found[-1]
        else:
            match = breaks.search(text, at, min(len(text), at + _CUT_SLACK))
            if match:
                return match.start()
    return max(0, at - _CUT_SLACK) if backwards else min(len(text), at + _CUT_SLACK)


_SPACE = re.compile(r"\s+")
_NOT_A_LETTER = re.compile(r"\W+")
_CUT_SLACK = 40  # how far a cut moves to find a space
