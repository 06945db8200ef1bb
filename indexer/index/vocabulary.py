"""The index's own words, unstemmed, with counts: what "did you mean" suggests from.

The build counts every word of titles and summaries and every canonical person name
(case and accents folded) and writes them beside the index. Suggestions come from
Whoosh's ListCorrector (a Levenshtein automaton over the sorted words), ranked by
edit distance and then by how often the word occurs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from whoosh.spelling import ListCorrector

from indexer.records.record import Record
from indexer.records.text import fold_accents

FILE_NAME = "vocabulary.tsv"
_WORD = re.compile(r"[^\W\d_]{2,}")


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold_accents(text).lower())


def count_words(records: Iterable[Record], counts: Counter[str] | None = None) -> Counter[str]:
    """The words of records' titles, summaries and persons, counted."""
    return count_text_words(
        (text for record in records for text in (record.title, record.summary, *record.persons)),
        counts,
    )


def count_text_words(texts: Iterable[str], counts: Counter[str] | None = None) -> Counter[str]:
    """The words of many texts, counted in one pass: the texts joined by newlines (no word
    crosses one), folded, lower-cased and matched at once, which is what words_of gives
    text by text, at C speed."""
    counts = counts if counts is not None else Counter()
    joined = "\n".join(text if text.isascii() else fold_accents(text) for text in texts)
    counts.update(_WORD.findall(joined.lower()))
    return counts


def count_token_words(
    token_counts: Counter[str], counts: Counter[str] | None = None
) -> Counter[str]:
    """The vocabulary's words from the tokenizer's words and their counts: each distinct
    token folded once (what words_of gives, token by token)."""
    counts = counts if counts is not None else Counter()
    for token, times in token_counts.items():
        for word in words_of(token):
            counts[word] += times
    return counts


def write_vocabulary(counts: Counter[str], directory: Path) -> None:
    path = directory / FILE_NAME
    path.unlink(missing_ok=True)  # never write through a hard link to the served generation
    with path.open("w", encoding="utf-8") as handle:
        for word in sorted(counts):
            handle.write(f"{word}\t{counts[word]}\n")


def read_counts(directory: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    path = directory / FILE_NAME
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            word, _, count = line.partition("\t")
            counts[word] = int(count or 0)
    return counts


class Vocabulary:
    """The words of one index generation, and corrections drawn from them."""

    def __init__(self, directory: Path):
        self.counts = read_counts(directory)
        self._corrector = ListCorrector(sorted(self.counts))

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def correct(self, word: str) -> str | None:
        """The closest known word (fewest edits, then most used), or None."""
        candidates = list(self._corrector.suggest(word, limit=20, maxdist=2, prefix=1))
        if not candidates:
            return None
        distance = {c: _distance(word, c) for c in candidates}
        return min(candidates, key=lambda c: (distance[c], -self.counts[c], c))


def _distance(a: str, b: str) -> int:
    """Levenshtein distance with transpositions (what ListCorrector's automaton allows)."""
    previous = list(range(len(b) + 1))
    before_previous = previous
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, before_previous[j - 2] + 1)
            current.append(value)
        before_previous, previous = previous, current
    return previous[-1]
