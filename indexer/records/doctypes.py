"""The kind of document a title names: "Telegram", "Memorandum of Conversation", ...

The archive names a document's kind first and its parties after ("Cable, Mao Zedong to
Filippov [Stalin]"), so the kind is read from a title's leading words alone, against the
vocabulary in indexer/data/document_types.tsv, whose comments state the rule in full. A title
that does not open with a kind gets none: a facet that guesses misleads the reader who
filters by it, where one that is silent only leaves a record out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .text import display_text, fold_accents

__all__ = ["DocumentType", "document_type", "document_types", "parse_vocabulary", "vocabulary"]

DATA_FILE = "document_types.tsv"


@dataclass(frozen=True, slots=True)
class DocumentType:
    """One row of the vocabulary: the name a record shows, and the title phrases naming it."""

    name: str
    phrases: tuple[str, ...]


# Long dashes end a phrase as a spaced hyphen does ("Cable — Mao"); a hyphen inside a word
# joins it to the next ("Aide-Mémoire" = "Aide Mémoire"; "Letter-Appeal" is not a Letter).
_DASHES = str.maketrans({"\u2013": " - ", "\u2014": " - ", "\u2015": " - "})
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_SPACES = re.compile(r"\s+")
_FIRST_WORD = re.compile(r"[a-z0-9]+")
# Words before a kind that keep it: an excerpt from a diary is a diary, a draft letter a letter.
_PASSED_OVER = re.compile(
    r"(?:(?:excerpts?|extracts?) from (?:the |an? )?"
    r"|from the |draft |translation of (?:the |an? )?)"
)
# Words that carry a title on after its kind ("Telegram from", "Resolution adopted by").
_CONTINUATIONS = [
    *("from", "to", "of", "by", "between", "with", "on", "about", "for", "at", "in"),
    *("concerning", "regarding", "re", "via", "upon", "during", "after", "following"),
    *("against", "sent", "relayed", "delivered", "prepared", "submitted", "signed"),
    *("written", "received", "handed", "transmitted", "conveyed", "presented", "issued"),
    *("adopted", "approved", "addressed", "drafted", "held", "given", "made", "taken", "dated"),
]
_PUNCTUATION = r"[,:;.()\[\]{}/#\"'-]"
# Where a phrase may end: the title's end; a quote that is not an apostrophe ("Report's");
# punctuation, right after it or after a space; a number; or a continuing word.
_BOUNDARY = re.compile(
    r"\Z|['\"](?![a-z0-9])|[,:;.()\[\]{}/#-]"
    rf"| (?:{_PUNCTUATION}|\d|(?:no|nos|nr)\.|(?:no|nr|number) ?\d"
    rf"|(?:{'|'.join(_CONTINUATIONS)})\b)"
)
# The heading the archive quotes after an author: "Jawaharlal Nehru, 'Note on Visit to China'".
_QUOTED_HEADING = re.compile(r", ?['\"]")


def document_type(title: str) -> str | None:
    """The type the title's leading words name, or None when they name none."""
    text = _title_key(title)
    found = _leading_type(text)
    if found is None:
        heading = _QUOTED_HEADING.search(text)
        if heading:
            found = _leading_type(text[heading.end() :])
    return found


def document_types() -> tuple[str, ...]:
    """Every type's name, in the data file's order: what a facet or a help page lists."""
    return tuple(kind.name for kind in vocabulary())


@cache
def vocabulary() -> tuple[DocumentType, ...]:
    """The vocabulary shipped with the package, read once per process."""
    text = resources.files("indexer.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_vocabulary(text)


def parse_vocabulary(text: str, source: str = DATA_FILE) -> tuple[DocumentType, ...]:
    """The rows of a vocabulary file. A malformed row, or a phrase or name given twice, is
    an error naming its line: a row silently lost would leave records untyped."""
    kinds: list[DocumentType] = []
    owners: dict[str, str] = {}  # phrase key -> the type that claims it
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source} line {number}"
        fields = line.split("\t")
        name = fields[0].strip()
        phrases = tuple(p.strip() for p in fields[1].split("|")) if len(fields) == 2 else ()
        keys = [_title_key(phrase) for phrase in phrases]
        if not name or not phrases or not all(_FIRST_WORD.match(key) for key in keys):
            raise ValueError(
                f"{where}: expected a type name, one tab, and '|'-separated phrases that "
                f"start with a word; got {line!r}"
            )
        if name in (kind.name for kind in kinds):
            raise ValueError(f"{where}: the type {name!r} has a row already")
        for phrase, key in zip(phrases, keys, strict=True):
            if key in owners:
                raise ValueError(f"{where}: {phrase!r} is listed already, for {owners[key]!r}")
            owners[key] = name
        kinds.append(DocumentType(name, phrases))
    return tuple(kinds)


@cache
def _phrases_by_first_word() -> dict[str, tuple[tuple[str, str], ...]]:
    """Phrase keys with their type, under their first word, longest first: a title is
    compared with the few phrases its first word can start, and the longest wins."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for kind in vocabulary():
        for phrase in kind.phrases:
            key = _title_key(phrase)
            first = _FIRST_WORD.match(key)
            assert first is not None  # parse_vocabulary refuses a phrase without a word
            grouped.setdefault(first.group(), []).append((key, kind.name))
    return {
        word: tuple(sorted(entries, key=lambda entry: -len(entry[0])))
        for word, entries in grouped.items()
    }


def _title_key(text: str) -> str:
    """Text as phrases are compared: straight quotes, no accents, lower case, single spaces,
    hyphens inside words as spaces; punctuation kept, since it ends a phrase."""
    text = fold_accents(display_text(text.translate(_DASHES))).lower()
    return _SPACES.sub(" ", _INNER_HYPHEN.sub(" ", text)).strip()


def _leading_type(text: str) -> str | None:
    text = text.lstrip(" '\"")
    while passed := _PASSED_OVER.match(text):
        text = text[passed.end() :]
    first = _FIRST_WORD.match(text)
    if first is None:
        return None
    for phrase, name in _phrases_by_first_word().get(first.group(), ()):
        if text.startswith(phrase) and _BOUNDARY.match(text, len(phrase)):
            return name
    return None
