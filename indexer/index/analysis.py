"""Titles, summaries and names read into terms as Whoosh's analyzers read them, fast.

Whoosh runs its whole filter chain (lowercase, fold accents, drop stop words, stem) on
every token of every document: about 6 µs a token. Every filter after the tokenizer
acts on one token alone, so a word gives the same term wherever it stands; only the
positions depend on the words around it. So each distinct word is run through the
schema's own analyzer once, and its term remembered (as a number): a document is then
a regex ``findall`` and a dictionary lookup per word. Positions follow Whoosh's rules:
the tokenizer numbers words from 0; the stop filter (``renumber``) gives the first kept
word its own number and each later kept word the next one.

tests/test_analysis.py holds the terms and positions equal to Whoosh's, on the benchmark
corpus and on generated hostile text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from whoosh.analysis import Analyzer, StopFilter

from .schema import WORD_PATTERN

# The tokenizer's own pattern with its groups made non-capturing, so findall gives whole
# words (the same matches as the tokenizer's finditer: grouping does not change a match).
_WORDS = re.compile(re.sub(r"(?<!\\)\((?!\?)", "(?:", WORD_PATTERN.pattern), WORD_PATTERN.flags)
STOPPED = -1
_END_OF_TEXT = -3
_SEPARATOR = "\x00"  # never inside a word: \w does not match it
# Texts read at once by WordCache.batch_terms: about 150,000 words of summaries.
TEXTS_AT_ONCE = 2_000
_WORDS_AND_SEPARATORS = re.compile(f"{_WORDS.pattern}|{_SEPARATOR}", _WORDS.flags)


@dataclass
class Vocabulary:
    """Terms numbered in the order they were first seen, and their texts."""

    ids: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    def number(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.texts)
            self.texts.append(text)
        return found


class WordCache:
    """One field's analyzer, word by word: each raw word seen gets a number, and the term
    it gives (a term number, or STOPPED) is kept in an array by that number."""

    def __init__(self, analyzer: Analyzer, vocabulary: Vocabulary | None = None):
        self.analyzer = analyzer
        self.vocabulary = vocabulary if vocabulary is not None else Vocabulary()
        self.renumbers = any(
            isinstance(item, StopFilter) and item.renumber
            for item in getattr(analyzer, "items", ())
        )
        # Word number 0 is the separator between the texts of a batch.
        self._numbers: dict[str, int] = {_SEPARATOR: 0}
        self._words: list[str] = [_SEPARATOR]
        self._term_of = np.array([_END_OF_TEXT], dtype=np.int64)

    def __len__(self) -> int:
        """How many distinct words have been analysed."""
        return len(self._words) - 1

    def _learn_all(self, words: list[str]) -> None:
        """Learn many words with one run of the chain over them all, stop words kept and
        flagged (``removestops=False``): the tokenizer gives back exactly these words, one
        token each, so each token is its word's term. Word by word if that ever fails."""
        # The analyzer yields one Token object, changed in place: read each as it comes.
        found = [
            (token.text, token.stopped)
            for token in self.analyzer(" ".join(words), removestops=False)
        ]
        if len(found) == len(words):
            number = self.vocabulary.number
            terms = [STOPPED if stopped else number(text) for text, stopped in found]
        else:
            terms = [self._term(word) for word in words]
        first = len(self._words)
        self._numbers.update(zip(words, range(first, first + len(words)), strict=True))
        self._words.extend(words)
        self._term_of = np.concatenate([self._term_of, np.array(terms, dtype=np.int64)])

    def _term(self, word: str) -> int:
        tokens = [token.text for token in self.analyzer(word)]
        if len(tokens) > 1:  # cannot happen with a per-token chain; refuse rather than guess
            raise ValueError(f"the analyzer splits the word {word!r} into {tokens!r}")
        return self.vocabulary.number(tokens[0]) if tokens else STOPPED

    def _word_numbers(self, words: list[str]) -> np.ndarray:
        """Each word's number: looked up (one C-level pass), the words never seen learnt."""
        known = self._numbers
        try:
            return np.fromiter(map(known.__getitem__, words), dtype=np.int64, count=len(words))
        except KeyError:
            # The distinct words first (in C), then those not yet known among them.
            self._learn_all([word for word in dict.fromkeys(words) if word not in known])
            return np.fromiter(map(known.__getitem__, words), dtype=np.int64, count=len(words))

    def terms(self, text: str) -> list[int]:
        """The term number of every word of ``text``, STOPPED for a word the chain drops."""
        found: list[int] = self._term_of[self._word_numbers(_WORDS.findall(text))].tolist()
        return found

    def batch_terms(
        self, texts: list[str], word_counts: Counter[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every word's term number across a batch of texts, and each text's word count.

        ``word_counts`` (if given) counts the words as written. The texts are read
        TEXTS_AT_ONCE at a time: the words of one piece are Python strings while it is
        read, the numbers of all of them only integers."""
        numbers: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        for start in range(0, len(texts), TEXTS_AT_ONCE):
            flat, count = self._piece_terms(texts[start : start + TEXTS_AT_ONCE], word_counts)
            numbers.append(flat)
            counts.append(count)
        if not numbers:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(numbers), np.concatenate(counts)

    def _piece_terms(
        self, texts: list[str], word_counts: Counter[str] | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """One ``findall`` over the texts joined by a separator the pattern never matches
        inside a word, and one C-level lookup over the words: the per-word cost is a
        dictionary lookup."""
        joined = _SEPARATOR.join(text.replace(_SEPARATOR, " ") for text in texts) + _SEPARATOR
        numbers = self._word_numbers(_WORDS_AND_SEPARATORS.findall(joined))
        if word_counts is not None:
            times = np.bincount(numbers, minlength=len(self._words))
            times[0] = 0  # the separators
            seen = np.flatnonzero(times)
            words = map(self._words.__getitem__, seen.tolist())
            word_counts.update(dict(zip(words, times[seen].tolist(), strict=True)))
        flat = self._term_of[numbers]
        ends = np.flatnonzero(numbers == 0)
        counts = np.diff(ends, prepend=-1) - 1
        return flat[numbers != 0], counts


@dataclass
class Tokens:
    """Every kept word of a batch of documents: term, document and position, as arrays."""

    terms: np.ndarray  # int32 term numbers
    docs: np.ndarray  # int32 document numbers within the batch
    positions: np.ndarray  # int32 positions, as Whoosh numbers them
    lengths: np.ndarray  # int64 kept words per document: the field's length

    @classmethod
    def of(
        cls, terms: np.ndarray, docs: np.ndarray, positions: np.ndarray, lengths: np.ndarray
    ) -> Tokens:
        """Kept as 32-bit integers: a segment's tokens are its largest arrays."""
        return cls(
            terms.astype(np.int32), docs.astype(np.int32), positions.astype(np.int32), lengths
        )


def tokens(cache: WordCache, texts: list[str], word_counts: Counter[str] | None = None) -> Tokens:
    """The kept words of each text of a batch, with Whoosh's positions (and, in
    ``word_counts``, every word as written, counted)."""
    flat, counts = cache.batch_terms(texts, word_counts)
    kept = flat != STOPPED
    terms = flat[kept].astype(np.int32)
    del flat
    docs = np.repeat(np.arange(len(texts), dtype=np.int32), counts)[kept]
    raw_positions = (
        np.arange(len(kept), dtype=np.int32)
        - np.repeat((np.cumsum(counts) - counts).astype(np.int32), counts)
    )[kept]
    lengths = np.bincount(docs, minlength=len(texts)).astype(np.int64)
    if not cache.renumbers or not len(terms):
        return Tokens.of(terms, docs, raw_positions, lengths)
    # Whoosh's StopFilter(renumber=True): the first kept word keeps its own number, each
    # later one takes the next.
    starts = (np.cumsum(lengths) - lengths).astype(np.int32)  # each text's first kept word
    first_position = np.zeros(len(texts), dtype=np.int32)
    has_words = lengths > 0
    first_position[has_words] = raw_positions[starts[has_words]]
    del raw_positions
    rank = np.arange(len(terms), dtype=np.int32) - np.repeat(starts, lengths)
    return Tokens.of(terms, docs, first_position[docs] + rank, lengths)
