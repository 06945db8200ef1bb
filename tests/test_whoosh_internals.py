"""Conformance: what index/whoosh_internals.py reads from Whoosh's private parts equals what
Whoosh's public API says, on real indexes on disk (several segments, with deletions).

An upgrade of whoosh3 that changes one of the module's listed assumptions fails here.
"""

from __future__ import annotations

import zlib
from dataclasses import replace

import numpy as np
import pytest
from whoosh import fields, qparser
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage
from whoosh.matching import ListMatcher

from indexer.index.build import build_index, update_index
from indexer.index.whoosh_internals import (
    LENGTH_OF_CODE,
    column_array,
    compress_stored_fields_with,
    field_documents,
    field_length_codes,
    field_lengths,
    is_null_query,
    matcher_postings,
    reads_blocks,
    term_postings,
)
from indexer.search.engine import Engine
from indexer.search.postings import PostingCache
from indexer.sources.ingest import ingest


@pytest.fixture(scope="module")
def segmented(tmp_path_factory, seeds_dir):
    """The seed records in two segments, one record replaced (so one deleted document)."""
    records = ingest([seeds_dir]).records
    path = tmp_path_factory.mktemp("segmented") / "index"
    build_index(records[:20], path)
    update_index(
        [replace(records[3], summary="telegram telegram from Moscow"), *records[20:]], path
    )
    state = Engine(path).state()
    reader = state.searcher.reader()
    assert len(reader.leaf_readers()) > 1 and reader.has_deletions()
    return state


def _public(reader, field, term):
    """A term's postings through the public API: (document, weight, positions), live only."""
    weights = reader.postings(field, term).items_as("weight")
    positions = reader.postings(field, term).items_as("positions")
    # Both walk the same postings list, so they have the same length.
    return [
        (d, w, p)
        for (d, w), (_, p) in zip(weights, positions, strict=True)
        if not reader.is_deleted(d)
    ]


def test_block_reads_equal_whoosh_public_postings(segmented):
    """Every term of every text field: the block reader and the public API agree."""
    reader = segmented.searcher.reader()
    checked = 0
    for field in ("title", "summary", "names"):
        for term in list(reader.lexicon(field)):
            public = _public(reader, field, term)
            cache = PostingCache(reader, segmented.columns.live)
            postings = cache.postings(field, term)
            assert postings.ids.tolist() == [d for d, _, _ in public]
            assert np.allclose(postings.tfs, [w for _, w, _ in public])
            encoded = cache._positions(field, term)
            decode = reader.schema[field].format.decoder("positions")
            assert encoded.ids.tolist() == [d for d, _, _ in public]
            assert [decode(value) for value in encoded.values] == [p for _, _, p in public]
            checked += 1
    assert checked > 600


def test_the_w3_matchers_are_read_by_blocks_not_by_the_fallback(segmented):
    """Assumptions 2 and 3: whoosh3 3.54's segment matchers are W3 leaf matchers (so the
    fast path is the one the conformance test above exercised)."""
    reader = segmented.searcher.reader()
    segment, _ = reader.leaf_readers()[0]
    term = next(iter(segment.lexicon("summary")))
    matcher = segment.postings("summary", term)
    assert reads_blocks(getattr(matcher, "child", matcher))
    blocks = list(term_postings(segment, "summary", term, with_values=False))
    assert (
        sum(len(ids) for ids, _, _ in blocks) == segment.doc_frequency("summary", term)
        or segment.has_deletions()
    )


def test_a_term_with_several_blocks_reads_every_block(tmp_path):
    """More postings than one W3 block holds (128): the block loop must not stop early."""
    from indexer.records.record import Record

    records = [
        Record(id=f"r{i:04d}", title=f"Telegram number {i}", summary="telegram " * (1 + i % 3))
        for i in range(700)
    ]
    build_index(records, tmp_path / "index")
    state = Engine(tmp_path / "index").state()
    reader = state.searcher.reader()
    public = _public(reader, "summary", b"telegram")
    postings = PostingCache(reader, state.columns.live).postings("summary", b"telegram")
    assert len(public) == 700
    assert postings.ids.tolist() == [d for d, _, _ in public]
    assert postings.tfs.tolist() == [w for _, w, _ in public]


def test_the_fallback_reads_any_matcher_through_the_public_api():
    """A matcher that is not a W3 leaf matcher is read with id/weight/value/next."""
    matcher = ListMatcher([2, 5, 9], weights=[1.0, 3.0, 2.0], values=[b"a", b"b", b"c"])
    assert not reads_blocks(matcher)
    ((ids, tfs, values),) = list(matcher_postings(matcher, with_values=True))
    assert (
        ids.tolist() == [2, 5, 9]
        and tfs.tolist() == [1.0, 3.0, 2.0]
        and values == [b"a", b"b", b"c"]
    )


@pytest.mark.parametrize("text, null", [("", True), ("()", True), ("NOT", True), ("stalin", False)])
def test_is_null_query_agrees_with_what_whoosh_matches(text, null):
    """Assumption 1: a null query is what matches nothing, by its private class."""
    schema = fields.Schema(title=fields.TEXT(stored=True))
    storage = RamStorage()
    index = storage.create_index(schema)
    with index.writer() as writer:
        writer.add_document(title="stalin telegram")
    parsed = qparser.QueryParser("title", schema).parse(text)
    assert is_null_query(parsed) is null
    if null:
        with index.searcher() as searcher:
            assert list(searcher.docs_for_query(parsed)) == []
    assert is_null_query(wq.NullQuery) and type(wq.NullQuery).__name__.startswith("_")


@pytest.mark.parametrize(
    "fieldname, dtype", [("date_sort", np.int64), ("date_end", np.int64), ("id_key", np.uint64)]
)
def test_columns_read_whole_equal_the_public_column_reader(segmented, fieldname, dtype):
    """Assumption 5: a numeric column read as bytes equals the column reader, value by value,
    across segments (documents past a segment's last written value hold the default)."""
    reader = segmented.searcher.reader()
    assert column_array(reader, fieldname, dtype).tolist() == list(reader.column_reader(fieldname))


@pytest.mark.parametrize("fieldname", ["person", "title"])
def test_field_documents_equal_each_terms_public_postings(segmented, fieldname):
    """Assumption 4b: a segment's terms read in one pass with their documents equal the
    segment's lexicon and, term by term, the documents of its public matcher (deleted
    documents included, as the facet columns want them)."""
    for segment, _ in segmented.searcher.reader().leaf_readers():
        read = dict(field_documents(segment, fieldname))
        assert list(read) == list(segment.lexicon(fieldname))
        for term, ids in read.items():
            live = [d for d in ids.tolist() if not segment.is_deleted(d)]
            assert live == list(segment.postings(fieldname, term).all_ids()), term
            assert ids.tolist() == sorted(set(ids.tolist()))
        if segment.has_deletions():  # the replaced record's old document is still read
            assert any(segment.is_deleted(d) for ids in read.values() for d in ids.tolist())


@pytest.mark.parametrize("fieldname", ["title", "summary", "names", "text", "subject_words"])
def test_field_lengths_read_whole_equal_doc_field_length(segmented, fieldname):
    """Whoosh answers None (not the default) for a document of a segment where no document
    had the field; the scorer takes that as length 0, as field_lengths gives it (read as
    zeros without asking Whoosh document by document, for a segment with no such column)."""
    reader = segmented.searcher.reader()
    count = reader.doc_count_all()
    expected = [reader.doc_field_length(d, fieldname, 0) or 0 for d in range(count)]
    assert field_lengths(reader, fieldname).tolist() == expected
    assert LENGTH_OF_CODE[field_length_codes(reader, fieldname)].tolist() == expected


@pytest.mark.parametrize(
    "compression, group", [(0, 65_536), (1, 65_536), (3, 65_536), (1, 1), (1, 200)]
)
def test_write_terms_writes_the_bytes_add_writes(tmp_path, monkeypatch, compression, group):
    """Assumption 4: the same postings written term by term through ``add()`` and through
    ``write_terms`` (in groups of terms of any size) give byte-equal postings and terms
    files (a term over several blocks, single postings, weights of 1 and not, positions,
    lengths)."""
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.filedb.filestore import FileStorage

    from indexer.index import whoosh_internals
    from indexer.index.schema import build_schema

    monkeypatch.setattr(whoosh_internals, "GROUP_POSTINGS", group)

    schema = build_schema()
    positions = schema["summary"].format
    terms = {
        b"alpha": [(d, 1.0, positions.encode([d % 7]), 5 + d % 3) for d in range(0, 700, 2)],
        b"beta": [(3, 2.0, positions.encode([1, 4]), 9)],
        b"gamma": [
            (d, float(1 + d % 4), positions.encode(list(range(1 + d % 4))), 12) for d in range(130)
        ],
    }
    storage = FileStorage(str(tmp_path)).create()
    files = []
    rows = [row for postings in terms.values() for row in postings]
    docs, weights, values, lengths = (list(column) for column in zip(*rows, strict=True))
    for way in ("add", "write_terms"):
        codec = W3Codec(compression=compression)
        segment = codec.new_segment(storage, "IX")
        writer = codec.field_writer(storage, segment)
        writer.start_field("summary", schema["summary"])
        if way == "add":
            for term, postings in terms.items():
                writer.start_term(term)
                for docnum, weight, value, length in postings:
                    writer.add(docnum, weight, value, length)
                writer.finish_term()
        else:
            whoosh_internals.write_terms(
                writer,
                list(terms),
                np.cumsum([0, *(len(postings) for postings in terms.values())]),
                np.array(docs),
                np.array(weights, dtype=np.float64),
                values,
                np.array(lengths),
                zlib.compress,
            )
        writer.finish_field()
        writer.close()
        files.append(
            {ext: (tmp_path / segment.make_filename(ext)).read_bytes() for ext in (".pst", ".trm")}
        )
    assert files[0] == files[1]


def test_write_term_with_another_deflate_reads_back_the_same_postings(tmp_path):
    """Blocks deflated by ISA-L (other bytes than zlib's) read back, through Whoosh's
    public matcher, as the postings written."""
    from isal import isal_zlib
    from whoosh import index as whoosh_index
    from whoosh.codec.whoosh3 import W3Codec

    from indexer.index.schema import build_schema
    from indexer.index.whoosh_internals import write_term

    schema = build_schema()
    positions = schema["summary"].format
    postings = [
        (d, float(1 + d % 3), positions.encode(list(range(1 + d % 3))), 4) for d in range(300)
    ]
    ix = whoosh_index.create_in(str(tmp_path), schema)
    codec = W3Codec(compression=1)
    segment = codec.new_segment(ix.storage, ix.indexname)
    writer = codec.field_writer(ix.storage, segment)
    writer.start_field("summary", schema["summary"])
    columns = [list(column) for column in zip(*postings, strict=True)]
    write_term(writer, b"telegram", *columns, isal_zlib.compress)
    writer.finish_field()
    writer.close()
    segment.set_doc_count(300)
    whoosh_writer = ix.writer()
    whoosh_writer.segments.append(segment)
    whoosh_writer.commit(merge=False)
    with whoosh_index.open_dir(str(tmp_path)).searcher() as searcher:
        matcher = searcher.reader().postings("summary", b"telegram")
        read = []
        while matcher.is_active():
            read.append((matcher.id(), matcher.weight(), list(matcher.value_as("positions"))))
            matcher.next()
    assert read == [(d, w, positions.decode_positions(v)) for d, w, v, _ in postings]


def test_stored_fields_deflated_by_another_compressor_read_back_equal(tmp_path):
    """Assumption 7: stored fields written through a per-document writer whose stored
    column deflates with ISA-L read back, through the public API, as given."""
    from isal import isal_zlib
    from whoosh import index as whoosh_index
    from whoosh.codec.whoosh3 import W3Codec

    from indexer.index.whoosh_internals import compress_stored_fields_with

    schema = fields.Schema(record=fields.STORED())
    ix = whoosh_index.create_in(str(tmp_path), schema)
    codec = W3Codec()
    segment = codec.new_segment(ix.storage, ix.indexname)
    perdoc = codec.per_document_writer(ix.storage, segment)
    compress_stored_fields_with(perdoc, isal_zlib.compress)
    values = ["", "Cable, Mao Zedong to Filippov [Stalin] " * 40, "ü\u2028" * 3]
    for docnum, value in enumerate(values):
        perdoc.start_doc(docnum)
        perdoc.add_field("record", schema["record"], value, 0)
        perdoc.finish_doc()
    perdoc.close()
    codec.field_writer(ix.storage, segment).close()  # no terms: an empty terms file
    segment.set_doc_count(len(values))
    whoosh_writer = ix.writer()
    whoosh_writer.segments.append(segment)
    whoosh_writer.commit(merge=False)
    with whoosh_index.open_dir(str(tmp_path)).searcher() as searcher:
        assert [searcher.stored_fields(d)["record"] for d in range(3)] == values


def test_compress_stored_fields_with_refuses_a_column_it_does_not_know():
    class Other:
        def _get_column(self, name):
            return object()

    with pytest.raises(TypeError):
        compress_stored_fields_with(Other(), lambda data, level: data)
