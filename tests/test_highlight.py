"""Marks and the best passage: the fast path gives exactly the plain scan's marks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index.schema import WORD_PATTERN
from indexer.search.highlight import (
    PASSAGE_CHARS,
    highlight,
    indexed_term,
    passage,
)

# Words the Porter stemmer rewrites hard (sensibilities -> sensibl, relational -> relat),
# accented and other scripts, dotted words, digits, and stop words.
WORDS = st.one_of(
    st.sampled_from(
        [
            "sensibilities",
            "sensible",
            "relational",
            "relate",
            "organization",
            "organize",
            "happy",
            "happiness",
            "generalization",
            "telegrams",
            "Telegram",
            "TELEGRAPHIC",
            "Kwaśniewski",
            "Kwasniewski",
            "Ürümchi",
            "Slánský",
            "Молотов",
            "U.S.A",
            "e.g.",
            "x.relational",
            "1952",
            "the",
            "of",
            "İstanbul",
            "straße",
            "Œuvre",
        ]
    ),
    st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12),
)
SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ". ", "\n\n", " (", ") ", "-", "'", ".", "..."])


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, frozenset[str]]:
    # A stretch of words, repeated to a long text, then one more stretch: the text's end,
    # not a repeat, is where a cut or a last word goes wrong.
    stretch = "".join(
        word + separator
        for word, separator in draw(st.lists(st.tuples(WORDS, SEPARATORS), min_size=3, max_size=40))
    )
    text = stretch * draw(st.sampled_from([1, 1, 2, 2_000 // len(stretch) + 1]))
    text += "".join(word + sep for word, sep in draw(st.lists(st.tuples(WORDS, SEPARATORS))))
    words = [match.group() for match in WORD_PATTERN.finditer(text)]
    chosen = draw(st.lists(st.sampled_from(words), min_size=1, max_size=4)) if words else []
    terms = frozenset(term for term in map(indexed_term, chosen) if term)
    return text, terms


def scanned(text: str, terms: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """The plain scan: every word of the text through the analyzer."""
    return tuple(
        (match.start(), match.end())
        for match in WORD_PATTERN.finditer(text)
        if indexed_term(match.group()) in terms
    )


@given(texts())
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
def test_a_text_is_marked_as_the_plain_scan_marks_it(case):
    text, terms = case
    assert highlight(text, terms).marks == scanned(text, terms)


@given(texts())
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_passage_is_short_whole_words_and_marks_only_query_words(case):
    text, terms = case
    found = passage(text, terms)
    if not scanned(text, terms):
        assert found is None
        return
    assert found is not None and found.marks
    assert len(found.text) <= PASSAGE_CHARS + 4  # and the ellipses
    for start, end in found.marks:
        assert indexed_term(found.text[start:end]) in terms
    body = found.text.removeprefix("\u2026 ").removesuffix(" \u2026")
    assert body in " ".join(text.split())


def test_the_passage_holds_the_most_query_words():
    filler = "Nothing of note was said in this part of the talks. " * 40
    text = (
        filler
        + "Molotov raised the treaty. "
        + filler
        + "Molotov and Zhou discussed the treaty and Indochina at length. "
        + filler
    )
    terms = frozenset(map(indexed_term, ["Molotov", "treaty", "Indochina"]))
    found = passage(text, terms)
    assert found is not None
    marked = {indexed_term(found.text[start:end]) for start, end in found.marks}
    assert marked == terms
    assert found.text.startswith("\u2026 ") and found.text.endswith(" \u2026")
