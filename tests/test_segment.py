"""Conformance: an index written by the fast segment writer (index/segment.py) says, through
Whoosh's public API, exactly what an index written by Whoosh's own writer says.

Hypothesis generates corpora (any Unicode, empty fields, long documents, repeated and
stopped words, persons the authority knows and ones it does not, undated records),
builds them both ways in the same segments, then applies the same update (records
replaced, so documents deleted, and records added) both ways. Compared: every term's
postings (documents, weights, positions) and statistics, every field length and total,
every column, every stored field, and the engine's answers with their scores.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from indexer.index import build
from indexer.index.build import build_index, record_document, update_index
from indexer.index.generations import MANIFEST, IndexLocation
from indexer.index.schema import SCHEMA_VERSION, build_schema
from indexer.records.authority import load_authority
from indexer.records.record import Record
from indexer.search.engine import Engine
from indexer.search.query import make_query

AUTHORITY = load_authority()
KNOWN = ["Joseph Stalin", "Mao Zedong", "Zhou Enlai", "Vyacheslav Molotov"]
WORDS = st.sampled_from(
    ["the", "of", "a", "telegram", "telegrams", "Stalin", "Mao", "Korea", "Korean", "war",
     "Ürümchi", "Kwaśniewski", "straße", "U.S.", "co-op", "1950", "x", "ab*cd", "日本語",
     "ΟΔΟΣ", "l'état", "naïve", "Zhou", "En-lai", "is", "to", "and"]
)  # fmt: skip
ANY_WORD = st.text(
    alphabet=string.ascii_letters + "éüßžñ日本" + string.digits, min_size=1, max_size=9
)
TEXT = st.lists(st.one_of(WORDS, WORDS, ANY_WORD), max_size=40).map(" ".join)
LONG_TEXT = st.lists(WORDS, min_size=200, max_size=1500).map(" ".join)
DATES = st.one_of(
    st.none(),
    st.builds(lambda y: (str(y), "year", y), st.integers(1940, 1995)),
    st.builds(
        lambda y, m: (f"{y}-{m:02d}", "month", y), st.integers(1940, 1995), st.integers(1, 12)
    ),
    st.builds(
        lambda y, m, d: (f"{y}-{m:02d}-{d:02d}", "day", y),
        st.integers(1940, 1995),
        st.integers(1, 12),
        st.integers(1, 28),
    ),
)
PERSONS = st.lists(
    st.one_of(st.sampled_from(KNOWN), st.sampled_from(["Ivan Petrov", "Li, Wei", "Ö. Müller"])),
    max_size=4,
    unique=True,
)


# Facet values as sources give them: cased and spaced variants of one value, commas, words
# of any script, and values no other record holds.
VALUES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Korean War, 1950-1953",
                "korean war, 1950-1953",
                "Russian",
                "russian",
                "Nuclear weapons",
            ]
        ),
        st.text(st.characters(blacklist_categories=["Cc", "Cs"]), min_size=1, max_size=30),
    ),
    max_size=4,
)


@st.composite
def records(draw: st.DrawFn, prefix: str = "r") -> list[Record]:
    count = draw(st.integers(1, 14))
    made = []
    for number in range(count):
        date = draw(DATES)
        summary = draw(st.one_of(TEXT, TEXT, LONG_TEXT, st.just("")))
        made.append(
            Record(
                id=f"{prefix}{number}",
                title=draw(TEXT),
                summary=summary,
                date=date[0] if date else None,
                date_precision=date[1] if date else None,
                year=date[2] if date else None,
                persons=draw(PERSONS),
                text=draw(st.one_of(st.just(""), TEXT, LONG_TEXT)),
                subjects=draw(VALUES),
                places=draw(VALUES),
                languages=draw(VALUES),
                original_archive=draw(VALUES),
                authors=draw(VALUES),
                document_type=draw(
                    st.sampled_from([None, "Telegram", "Memorandum of Conversation"])
                ),
            )
        )
    return made


def whoosh_build(corpus: list[Record], path: Path, segment_size: int) -> None:
    """The same corpus in the same segments, written by Whoosh's own writer."""
    path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(path), build_schema())
    for start in range(0, len(corpus), segment_size):
        writer = ix.writer(compound=False)
        for record in corpus[start : start + segment_size]:
            writer.add_document(**record_document(record, AUTHORITY))
        writer.commit(merge=False)


def whoosh_update(updates: list[Record], path: Path) -> None:
    """The same update by Whoosh's own writer: the same documents deleted, one segment added."""
    ix = whoosh_index.open_dir(str(path))
    replaced, merged = build._merge_with_indexed(ix, updates)
    writer = ix.writer(compound=False)
    for docnum in replaced:
        writer.delete_document(docnum)
    for record in merged:
        writer.add_document(**record_document(record, AUTHORITY))
    writer.commit(merge=False)


def _said(ask: Callable[[], object]) -> object:
    """What the public API answers, or the exception it raises (Whoosh raises for the
    shortest length of a field no document has: both indexes must then raise)."""
    try:
        return ask()
    except Exception as error:
        return type(error).__name__


def contents(path: Path) -> dict[object, object]:
    """Everything the index says through Whoosh's public API."""
    ix = whoosh_index.open_dir(str(path))
    found: dict[object, object] = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        schema = ix.schema
        count = reader.doc_count_all()
        found["documents"] = (
            count,
            reader.doc_count(),
            [reader.is_deleted(d) for d in range(count)],
        )
        for name in schema.names():
            field = schema[name]
            if field.indexed:
                kind = "positions" if field.format.supports("positions") else "weight"
                for term in reader.lexicon(name):
                    info = reader.term_info(name, term)
                    found[(name, term)] = (
                        list(reader.postings(name, term).items_as(kind)),
                        info.doc_frequency(),
                        info.weight(),
                        info.min_length(),
                        info.max_length(),
                        info.max_weight(),
                    )
            if field.column_type is not None:
                found[("column", name)] = list(reader.column_reader(name))
            if field.scorable:
                found[("lengths", name)] = [reader.doc_field_length(d, name) for d in range(count)]
                found[("total", name)] = (
                    reader.field_length(name),
                    _said(lambda name=name: reader.min_field_length(name)),
                    _said(lambda name=name: reader.max_field_length(name)),
                )
        found["stored"] = [reader.stored_fields(d) for d in range(count)]
    ix.close()
    return found


def answers(path: Path, texts: list[str]) -> list[object]:
    """The engine's answers, scores included (numpy and Whoosh scoring alike)."""
    manifest = path / MANIFEST
    if not manifest.exists():  # the reference: a generation needs its manifest to be served
        manifest.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "records": 0}))
    engine = Engine(path)
    found: list[object] = []
    for text in texts:
        results = engine.search(make_query(text, per_page=50))
        found.append([(hit.id, hit.score, hit.highlights) for hit in results.results])
        found.append(
            {name: [(v.value, v.count) for v in values] for name, values in results.facets.items()}
        )
    return found


def queries(corpus: list[Record]) -> list[str]:
    words = [word for record in corpus for word in (record.title + " " + record.summary).split()][
        :6
    ]
    texts = [
        "telegram",
        "Stalin Mao",
        '"Korean war"',
        "tele*",
        "Stalin OR Korea",
        "war -Korea",
        "subject:korean",
        "language:russian OR type:telegram",
        "text:war",
    ]
    return texts + [w for w in words if w.isalpha()]


@given(corpus=records(), updates=records(prefix="r"), segment_size=st.integers(2, 9))
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_fast_writer_writes_what_whoosh_writes(
    tmp_path_factory, monkeypatch, corpus, updates, segment_size
):
    monkeypatch.setattr(build, "SEGMENT_RECORDS", segment_size)
    folder = tmp_path_factory.mktemp("conformance")
    fast = build_index(corpus, folder / "fast" / "index").generation
    reference = folder / "reference"
    whoosh_build(corpus, reference, segment_size)
    assert contents(fast) == contents(reference)
    assert answers(fast, queries(corpus)) == answers(reference, queries(corpus))

    # Updates replace some records (same ids: documents deleted) and add others.
    fast = update_index([_copy(r) for r in updates], folder / "fast" / "index").generation
    whoosh_update([_copy(r) for r in updates], reference)
    assert contents(fast) == contents(reference)
    assert answers(fast, queries(corpus + updates)) == answers(reference, queries(corpus + updates))


def _copy(record: Record) -> Record:
    return Record.from_dict(json.loads(json.dumps(record.to_dict())))


def test_the_seed_pages_and_the_archive_sample_write_the_same(tmp_path, seeds_dir, sample_dir):
    from indexer.sources.ingest import ingest

    corpus = ingest([seeds_dir, sample_dir]).records
    fast = build_index(corpus, tmp_path / "fast" / "index").generation
    whoosh_build(corpus, tmp_path / "reference", len(corpus))
    assert contents(fast) == contents(tmp_path / "reference")
    assert IndexLocation(tmp_path / "fast" / "index").current() == fast


@pytest.mark.parametrize("text", ["", "   ", "the of a", "x " * 3000])
def test_documents_with_no_kept_words_or_very_many(tmp_path, text):
    corpus = [Record(id=f"x{i}", title=text, summary=text) for i in range(3)]
    fast = build_index(corpus, tmp_path / "fast" / "index").generation
    whoosh_build(corpus, tmp_path / "reference", 3)
    assert contents(fast) == contents(tmp_path / "reference")


def test_a_full_build_in_worker_processes_writes_what_whoosh_writes(tmp_path, monkeypatch):
    """The whole pipeline at a realistic size: a JSON Lines file read in pieces by two
    workers, spooled, merged, and written as two segments by two processes (terms over
    many postings blocks), against Whoosh's own writer on the same records in the same
    segments. The "did you mean" vocabulary is that of the records, counted plainly."""
    from bench.generate import write_corpus
    from indexer.index.vocabulary import count_words, read_counts
    from indexer.sources import spool
    from indexer.sources.ingest import ingest

    corpus = write_corpus(6000, tmp_path / "records.jsonl")
    monkeypatch.setattr(spool, "CHUNK_BYTES", 400_000)
    monkeypatch.setattr(spool, "PARALLEL_FROM_BYTES", 0)
    built = build.build_from_sources([corpus], tmp_path / "fast" / "index", procs=2)
    records = ingest([corpus], procs=1).records
    assert built.records == len(records) > 5_000
    reference = tmp_path / "reference"
    whoosh_build(records, reference, -(-len(records) // 2))
    fast = contents(built.generation)
    assert len(whoosh_index.open_dir(str(built.generation)).searcher().reader().leaf_readers()) == 2
    assert any(len(postings) > 128 for key, (postings, *_) in _terms(fast))
    assert fast == contents(reference)
    assert read_counts(built.generation) == count_words(records)


def _terms(found: dict[object, object]) -> list[tuple[object, tuple]]:
    return [
        (key, value)
        for key, value in found.items()
        if isinstance(key, tuple) and len(key) == 2 and isinstance(key[1], bytes)
    ]  # type: ignore[misc]
