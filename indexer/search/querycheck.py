"""Why a query text cannot be read as search syntax, in words a person understands.

Whoosh's parser rarely refuses anything: it quietly reads broken syntax as something
else ("year:[1950 TO" becomes the word "to"). So the text is checked before it is
parsed, and whatever cannot be read as it was meant is searched as its plain words,
with a ``Fallback`` saying why: its ``kind`` (counted by `make fuzz`) and its
``message`` ("the range after year: is not closed"), never an exception's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from indexer.records.facets import KEYWORD_FACETS

from .querydates import DATE_FIELDS

OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
# What a person may write before a colon, and the index field each searches.
USER_FIELDS = {
    "title": "title",
    "summary": "summary",
    "text": "text",
    "person": "names",
    "persons": "names",
    "people": "names",
    "names": "names",
    # subject:, place:, language:, archive:, type:, author: (and their plurals): the words
    # of a keyword facet's values.
    **{
        name: facet.words_field
        for facet in KEYWORD_FACETS
        if facet.words_field
        for name in facet.field_names
    },
}
FIELDS_TO_SEARCH = (
    "title:, summary:, text:, person:, "
    + ", ".join(f"{facet.name}:" for facet in KEYWORD_FACETS if facet.words_field)
    + ", year: or date:"
)
MAX_FUZZY_DISTANCE = 2
_FIELD = re.compile(r"(?<![\w\\])([^\W\d]\w*):")
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")


@dataclass(frozen=True)
class Fallback:
    """Why a text was searched as plain words: a kind to count and a sentence to show."""

    kind: str
    message: str


def outside_quotes(text: str) -> str:
    """The text with every quoted phrase blanked out (same length, so positions hold)."""
    return re.sub(r'"[^"]*"', lambda match: " " * len(match.group()), text)


def normalise_fields(text: str) -> str:
    """Field names in the case the index knows: 'Title:' is title:, 'YEAR:' is year:."""
    known = set(USER_FIELDS) | set(DATE_FIELDS)
    blank = outside_quotes(text)
    pieces, last = [], 0
    for match in _FIELD.finditer(blank):
        name = match.group(1)
        if name.lower() in known and name != name.lower():
            pieces += [text[last : match.start(1)], name.lower()]
            last = match.end(1)
    return "".join(pieces) + text[last:]


def plain_words(text: str) -> list[str]:
    """The words of a text without its syntax: no field names, operators or TO."""
    blank = _FIELD.sub(" ", text)
    return [word for word in _WORD.findall(blank) if word not in OPERATORS and word != "TO"]


def syntax_problem(text: str, internal_fields: frozenset[str]) -> Fallback | None:
    """Why ``text`` cannot be read as query syntax, or None when it can."""
    if text.count('"') % 2:
        return Fallback("quote", "a quotation mark is not closed")
    blank = outside_quotes(text)
    return (
        _brackets(blank)
        or _ranges(blank)
        or _fields(blank, internal_fields)
        or _operators(blank, text)
        or _patterns(blank)
    )


def _brackets(blank: str) -> Fallback | None:
    depth = 0
    for char in blank:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return Fallback("bracket", "a bracket is closed that was never opened")
    if depth:
        return Fallback("bracket", "a bracket is not closed")
    if re.search(r"\(\s*\)", blank):
        return Fallback("bracket", "a pair of brackets holds nothing")
    return None


def _ranges(blank: str) -> Fallback | None:
    """[first TO last] and {first TO last}: every range closed, none closed unopened."""
    opened: int | None = None
    for position, char in enumerate(blank):
        if char in "[{":
            if opened is not None:
                return _unclosed_range(blank, opened)
            opened = position
        elif char in "]}":
            if opened is None:
                return Fallback("range", "a range is closed that was never opened")
            opened = None
    return _unclosed_range(blank, opened) if opened is not None else None


def _unclosed_range(blank: str, position: int) -> Fallback:
    field = re.search(r"(\w+):\s*$", blank[:position])
    where = f" after {field.group(1)}:" if field else ""
    return Fallback("range", f"the range{where} is not closed (a range is written [first TO last])")


def _fields(blank: str, internal_fields: frozenset[str]) -> Fallback | None:
    for match in _FIELD.finditer(blank):
        name = match.group(1)
        rest = blank[match.end() :]
        if name in DATE_FIELDS:
            return Fallback(
                "date-not-a-filter",
                f"{name}: narrows the whole search, like the {name} filter, so it cannot stand "
                "inside brackets or next to OR or NOT",
            )
        if name in internal_fields and name not in USER_FIELDS:
            return Fallback(
                "internal-field",
                f"{name}: is not something to search by (search by {FIELDS_TO_SEARCH})",
            )
        if name in USER_FIELDS and (
            not rest.strip() or rest[:1].isspace() or re.match(r"\(\s*\)", rest)
        ):
            return Fallback("empty-field", f"{name}: has nothing after it")
    return None


def _operators(blank: str, text: str) -> Fallback | None:
    tokens = blank.split()
    words = [token for token in tokens if token.strip("()") not in OPERATORS]
    if not words and not re.search(r'"[^"]*\w[^"]*"', text):
        return Fallback("operators-only", "there are only operators (AND, OR, NOT) and no words")
    positions = [i for i, token in enumerate(tokens) if token.strip("()") in OPERATORS]
    if not positions:
        return None
    if tokens[0].strip("()") in ("AND", "OR") or tokens[-1].strip("()") in OPERATORS:
        return Fallback("dangling-operator", "an operator (AND, OR, NOT) has nothing on one side")
    if any(b - a == 1 and tokens[b].strip("()") != "NOT" for a, b in pairwise(positions)):
        return Fallback("double-operator", "two operators follow each other")
    return None


def _patterns(blank: str) -> Fallback | None:
    if re.search(r"[<>]", re.sub(r"(?<=\w:)(?:>=|<=|>|<)", "", blank)):
        return Fallback(
            "comparison-field",
            "> and < compare within a field: write title:>m, or date:>1952-06 for dates",
        )
    for token in blank.split():
        bare = token.strip('()+-"').split(":")[-1]
        if bare and not re.search(r"\w", bare) and re.search(r"[*?]", bare):
            return Fallback("bare-wildcard", "a wildcard has no letters to go with it")
    for match in re.finditer(r"(?<=\w)~(\d+)", blank):
        if int(match.group(1)) > MAX_FUZZY_DISTANCE:
            return Fallback(
                "fuzzy-distance",
                f"a ~ after a word allows at most {MAX_FUZZY_DISTANCE} letters of difference",
            )
    return None
