"""The fast analyzer (index/analysis.py) gives exactly Whoosh's terms and positions: on the
benchmark corpus's titles and summaries, on the seed pages and on generated hostile text."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import write_corpus
from indexer.index.analysis import WordCache, tokens
from indexer.index.schema import name_analyzer, text_analyzer

ANALYZERS = {"text": text_analyzer, "names": name_analyzer}


def whoosh_terms(analyzer, texts: list[str]) -> list[list[tuple[str, int]]]:
    return [[(token.text, token.pos) for token in analyzer(text, positions=True)] for text in texts]


def fast_terms(cache: WordCache, texts: list[str]) -> list[list[tuple[str, int]]]:
    found = tokens(cache, texts)
    per_text: list[list[tuple[str, int]]] = [[] for _ in texts]
    words = cache.vocabulary.texts
    for term, doc, position in zip(
        found.terms.tolist(), found.docs.tolist(), found.positions.tolist(), strict=True
    ):
        per_text[doc].append((words[term], position))
    assert found.lengths.tolist() == [len(terms) for terms in per_text]
    return per_text


@pytest.mark.parametrize("kind", sorted(ANALYZERS))
def test_the_benchmark_corpus_analyses_as_whoosh_does(tmp_path, kind):
    """The whole 30,000-record benchmark corpus (bench/generate.py, as `make bench` makes
    it): every title and summary, about two million words."""
    corpus = write_corpus(30000, tmp_path / "records.jsonl")
    texts = []
    for line in corpus.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        texts += [data["title"], data.get("summary", "")]
    analyzer = ANALYZERS[kind]()
    assert fast_terms(WordCache(analyzer), texts) == whoosh_terms(analyzer, texts)


HOSTILE = st.lists(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(
            [
                *("the", "a", "of", "U.S.", "1950s", "co-op", "x_y", "ab*cd", "ΟΔΟΣ", "Σ", "ß"),
                *("ﬁne", "Stalin™", "\u0301", "\x00", "...", "a.b.c", "l'état", "İstanbul"),
            ]
        ),
    ),
    max_size=30,
).map(" ".join)  # fmt: skip


@given(texts=st.lists(HOSTILE, max_size=8))
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_text_analyses_as_whoosh_does(texts):
    for analyzer in (text_analyzer(), name_analyzer()):
        assert fast_terms(WordCache(analyzer), texts) == whoosh_terms(analyzer, texts)


def test_a_word_seen_once_is_not_analysed_again():
    cache = WordCache(text_analyzer())
    tokens(cache, ["Telegrams from Stalin"])
    analysed = len(cache)
    tokens(cache, ["Stalin Telegrams from", "from"])
    assert len(cache) == analysed == 3  # a raw word each: "Telegrams", "from", "Stalin"
