"""Records -> one Whoosh segment on disk, without Whoosh's per-posting Python.

Whoosh's writer analyses every token through its filter chain, puts every posting in a
pool, sorts the pool and hands the postings to its codec one call each: about 10 µs a
posting, most of a build. Here the words of the text fields are read by the fast
analyzer (analysis.py), inverted with numpy (term, document and position as arrays,
sorted once per field), and handed to whoosh3's own codec a term at a time, its blocks
filled whole (index/whoosh_internals.py). Per-document data (stored fields, field
lengths, columns) goes through the codec's public per-document writer as Whoosh's
writer sends it. The files are Whoosh's own: any Whoosh reader opens them, and a
conformance test holds what they say equal to an index written by Whoosh's writer
(tests/test_segment.py).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
from isal import isal_zlib
from whoosh.analysis import CommaSeparatedTokenizer
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import W3Codec
from whoosh.columns import NumericColumn
from whoosh.fields import FieldType, Schema
from whoosh.filedb.filestore import Storage
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from .analysis import Tokens, Vocabulary, WordCache, tokens
from .schema import VALUE_SEPARATOR, FacetValues
from .whoosh_internals import (
    compress_stored_fields_with,
    write_field_lengths,
    write_numeric_column,
    write_terms,
)

Document = dict[str, Any]
# zlib level of each postings block: level 1 gives the same index size as Whoosh's
# default 3 on the benchmark corpus (37 MB at 30,000 records), in less time.
COMPRESSION = 1
# Postings per block (Whoosh's writer: 128). The search reads a term's blocks whole, one
# unpickling and one inflating each: 1,024 to a block cut its matching time by a quarter
# at 100,000 records, the index by a sixth and the build by a twentieth. Any Whoosh
# reader reads blocks of any size.
BLOCK_POSTINGS = 1024
# Deflate by ISA-L: postings blocks and stored fields as zlib streams in less than half
# zlib's time (a sixth of a build went to zlib.compress), 2% larger, read back by
# Whoosh's zlib.decompress like any other.
compress_block = isal_zlib.compress


@dataclass
class Analyzers:
    """One word cache per text field, kept across the segments a process writes."""

    caches: dict[str, WordCache]

    @classmethod
    def for_schema(cls, schema: Schema, text_fields: tuple[str, ...]) -> Analyzers:
        caches: dict[str, WordCache] = {}
        for name in text_fields:
            analyzer = schema[name].analyzer
            assert analyzer is not None, f"{name} is a text field"
            # Fields analysed alike (titles and summaries) share one cache: a word is
            # learnt once for both.
            same = next((cache for cache in caches.values() if cache.analyzer == analyzer), None)
            caches[name] = same or WordCache(analyzer, Vocabulary())
        return cls(caches)


def write_segment(
    storage: Storage,
    indexname: str,
    schema: Schema,
    documents: list[Document],
    analyzers: Analyzers,
    word_counts: dict[str, Counter[str]] | None = None,
) -> Segment:
    """Write ``documents`` (field name -> value, as Whoosh's add_document takes them) as a
    new segment of the index ``indexname`` in ``storage``, and return the segment. The
    documents lose their stored-only values on the way (written first, then dropped).

    ``word_counts``: for each text field it names, the field's words as written are
    counted into its counter (the build's "did you mean" vocabulary)."""
    word_counts = word_counts or {}
    codec = W3Codec(blocklimit=BLOCK_POSTINGS, compression=COMPRESSION)
    segment: Segment = codec.new_segment(storage, indexname)
    text_tokens = {
        name: tokens(
            cache, [document.get(name) or "" for document in documents], word_counts.get(name)
        )
        for name, cache in analyzers.caches.items()
    }
    _write_per_document(codec, storage, segment, schema, documents, text_tokens)
    # Values only stored (the record's JSON: a segment's largest strings) are written now:
    # the documents, which are the caller's to give away, no longer hold them.
    stored_only = [
        name
        for name in schema.names()
        if not schema[name].indexed and schema[name].column_type is None
    ]
    for document in documents:
        for name in stored_only:
            document.pop(name, None)
    fieldwriter = codec.field_writer(storage, segment)
    try:
        for name in sorted({name for document in documents for name in document}):
            field = schema[name]
            if not field.indexed:
                continue
            if name in text_tokens:
                _write_text_field(
                    fieldwriter, name, field, text_tokens[name], analyzers.caches[name]
                )
            else:
                _write_other_field(fieldwriter, name, field, documents)
    finally:
        fieldwriter.close()
    segment.set_doc_count(len(documents))
    return segment


def _write_per_document(
    codec: Any,
    storage: Storage,
    segment: Segment,
    schema: Schema,
    documents: list[Document],
    text_tokens: dict[str, Tokens],
) -> None:
    """Stored fields, field lengths and columns: what Whoosh's add_document gives the
    per-document writer, the stored fields a document at a time, the lengths and numeric
    columns a whole column at a time."""
    perdoc = codec.per_document_writer(storage, segment)
    compress_stored_fields_with(perdoc, compress_block)
    names = sorted({name for document in documents for name in document})
    stored = [name for name in names if schema[name].stored]
    try:
        for docnum, document in enumerate(documents):
            perdoc.start_doc(docnum)
            for name in stored:
                value = document.get(name)
                if value is not None:
                    perdoc.add_field(name, schema[name], value, 0)
            perdoc.finish_doc()
        for name in names:
            field = schema[name]
            if field.scorable and field.indexed:
                lengths = _lengths(name, field, documents, text_tokens)
                if lengths.any():  # Whoosh makes a lengths column at the first length
                    write_field_lengths(perdoc, name, lengths)
            if field.column_type is not None and any(d.get(name) is not None for d in documents):
                _write_column(perdoc, name, field, documents)  # ... and a column at its first value
    finally:
        perdoc.close()


def _lengths(
    name: str, field: FieldType, documents: list[Document], text_tokens: dict[str, Tokens]
) -> np.ndarray:
    if name in text_tokens:
        return text_tokens[name].lengths
    return np.array(
        [
            sum(freq for _, freq, _, _ in field.index(document[name]))
            if document.get(name) is not None
            else 0
            for document in documents
        ],
        dtype=np.int64,
    )


def _write_column(perdoc: Any, name: str, field: FieldType, documents: list[Document]) -> None:
    column = field.column_type
    if not isinstance(column, NumericColumn):
        raise TypeError(f"{name}: this writer writes numeric columns only")
    default = column.default_value()
    values = [document.get(name) for document in documents]
    write_numeric_column(
        perdoc,
        name,
        column,
        [default if value is None else field.to_column_value(value) for value in values],
    )


# Encoded positions (Positions.encode: a pickle each) of a posting at one position, by
# that position: most postings ...
_ONE_POSITION: list[bytes] = []
# ... and of a posting at several, by the positions: 117,000 such postings in 15,000
# records hold 6,800 distinct lists.
_MANY_POSITIONS: dict[tuple[int, ...], bytes] = {}
_MANY_POSITIONS_KEPT = 500_000


class _EncodedPositions(Sequence[bytes]):
    """Each posting's encoded positions, worked out a slice at a time as write_terms reads
    them: never a list for every posting of a field at once."""

    def __init__(
        self,
        positions_format: Positions,
        positions: np.ndarray,
        starts: np.ndarray,
        frequencies: np.ndarray,
    ):
        self.format, self.positions = positions_format, positions
        self.starts, self.frequencies = starts, frequencies

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> list[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | list[bytes]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        window = range(len(self))[index]
        if window.step != 1:
            raise IndexError("encoded positions are read in slices of consecutive postings")
        piece = slice(window.start, window.stop)
        return _encoded_values(
            self.format, self.positions, self.starts[piece], self.frequencies[piece]
        )


def _encoded_values(
    positions_format: Positions, positions: np.ndarray, starts: np.ndarray, frequencies: np.ndarray
) -> list[bytes]:
    """Each posting's positions as the format encodes them, each distinct list encoded
    once (the encoding depends on the positions alone)."""
    if type(positions_format) is not Positions:  # a subclass may encode otherwise
        return [
            positions_format.encode(positions[start : start + count].tolist())
            for start, count in zip(starts.tolist(), frequencies.tolist(), strict=True)
        ]
    firsts = positions[starts].tolist()
    highest = max(firsts, default=-1)
    while len(_ONE_POSITION) <= highest:
        _ONE_POSITION.append(positions_format.encode([len(_ONE_POSITION)]))
    table = _ONE_POSITION
    values = [table[position] for position in firsts]
    several = np.flatnonzero(frequencies > 1)
    if not len(several):
        return values
    if len(_MANY_POSITIONS) > _MANY_POSITIONS_KEPT:
        _MANY_POSITIONS.clear()
    known = _MANY_POSITIONS
    # The positions of those postings alone, one after another.
    counts = frequencies[several]
    firsts_of_several = starts[several]
    gathered = np.repeat(firsts_of_several - (np.cumsum(counts) - counts), counts) + np.arange(
        int(counts.sum())
    )
    their_positions = positions[gathered].tolist()
    cursor = 0
    for posting, count in zip(several.tolist(), counts.tolist(), strict=True):
        key = tuple(their_positions[cursor : cursor + count])
        cursor += count
        value = known.get(key)
        if value is None:
            value = known[key] = positions_format.encode(key)
        values[posting] = value
    return values


def _write_text_field(
    fieldwriter: Any, name: str, field: FieldType, found: Tokens, cache: WordCache
) -> None:
    """The postings of one text field, inverted with numpy, in term order."""
    if not len(found.terms):
        return
    positions_format = field.format
    if not isinstance(positions_format, Positions):
        raise TypeError(f"{name}: a text field written here must store positions")
    texts = cache.vocabulary.texts
    present = np.unique(found.terms)
    encoded = [texts[term].encode("utf-8") for term in present.tolist()]
    order_of_present = sorted(range(len(present)), key=encoded.__getitem__)
    rank = np.empty(len(texts), dtype=np.int32)
    rank[present[order_of_present]] = np.arange(len(present), dtype=np.int32)
    keys = rank[found.terms]
    # The tokens come in document order, positions ascending: a stable sort by term alone
    # puts them in (term, document, position) order (a radix sort, for 16-bit term ranks).
    order = np.argsort(keys.astype(np.uint16) if len(present) <= 2**16 else keys, kind="stable")
    keys, docs, positions = keys[order], found.docs[order], found.positions[order]
    del order
    new_posting = np.empty(len(keys), dtype=bool)
    new_posting[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new_posting[1:])
    new_posting[1:] |= docs[1:] != docs[:-1]
    starts = np.flatnonzero(new_posting).astype(np.int32)
    del new_posting
    frequencies = np.diff(np.r_[starts, len(keys)]).astype(np.int32)
    posting_terms, posting_docs = keys[starts], docs[starts]
    del keys, docs
    term_starts = np.flatnonzero(np.r_[True, posting_terms[1:] != posting_terms[:-1]])
    doc_lengths = (
        found.lengths[posting_docs] if field.scorable else np.zeros(len(starts), dtype=np.int64)
    )
    fieldwriter.start_field(name, field)
    write_terms(
        fieldwriter,
        [encoded[index] for index in order_of_present],
        np.r_[term_starts, len(posting_terms)],
        posting_docs,
        frequencies.astype(np.float64) * positions_format.field_boost,
        _EncodedPositions(positions_format, positions, starts, frequencies),
        doc_lengths,
        compress_block,
    )
    fieldwriter.finish_field()


def _write_other_field(
    fieldwriter: Any, name: str, field: FieldType, documents: list[Document]
) -> None:
    """A field with few terms a document (the persons, a facet's values): Whoosh's own
    indexing, or, for a facet's values, each value one term."""
    if (
        isinstance(field, FacetValues)
        and isinstance(field.format, Frequency)
        and not field.scorable
    ):
        _write_values_field(fieldwriter, name, field, documents)
        return
    postings: dict[bytes, list[tuple[int, float, bytes, int]]] = defaultdict(list)
    index = _comma_separated(field) or field.index
    for docnum, document in enumerate(documents):
        value = document.get(name)
        if value is None:
            continue
        items = index(value)
        length = sum(freq for _, freq, _, _ in items) if field.scorable else 0
        for btext, _, weight, vbytes in items:
            postings[btext].append((docnum, weight, vbytes or b"", length))
    if not postings:
        return
    terms = sorted(postings)
    rows = [row for term in terms for row in postings[term]]
    fieldwriter.start_field(name, field)
    write_terms(
        fieldwriter,
        terms,
        np.cumsum([0, *(len(postings[term]) for term in terms)]),
        np.array([row[0] for row in rows], dtype=np.int64),
        np.array([row[1] for row in rows], dtype=np.float64),
        [row[2] for row in rows],
        np.array([row[3] for row in rows], dtype=np.int64),
        compress_block,
    )
    fieldwriter.finish_field()


def _comma_separated(
    field: FieldType,
) -> Callable[[str], list[tuple[bytes, int, float, bytes]]] | None:
    """``field.index`` for a comma-separated keyword field (the persons), each name analysed
    once: Whoosh's tokenizer takes every run between commas alone, so a run gives the
    same tokens wherever it stands, and the Frequency format counts them."""
    if not isinstance(field.format, Frequency) or field.analyzer != CommaSeparatedTokenizer():
        return None
    analyzer, boost = field.analyzer, field.format.field_boost
    pieces: dict[str, list[str]] = {}

    def index(value: str) -> list[tuple[bytes, int, float, bytes]]:
        counts: Counter[str] = Counter()
        for piece in _BETWEEN_COMMAS.findall(value):
            found = pieces.get(piece)
            if found is None:
                found = pieces[piece] = [token.text for token in analyzer(piece)]
            counts.update(found)
        return [
            (word.encode("utf-8"), n, float(n) * boost, pack_uint(n)) for word, n in counts.items()
        ]

    return index


_BETWEEN_COMMAS = re.compile(r"[^,]+")


def _write_values_field(
    fieldwriter: Any, name: str, field: FieldType, documents: list[Document]
) -> None:
    """A facet's values (schema.FacetValues): a posting per value a document holds, at
    frequency 1 (a value twice in one document counts twice, as Whoosh counts it)."""
    docs_of: dict[str, list[int]] = defaultdict(list)
    for docnum, document in enumerate(documents):
        value = document.get(name)
        if value:
            for piece in value.split(VALUE_SEPARATOR):
                if piece:
                    docs_of[piece].append(docnum)
    if not docs_of:
        return
    assert field.format is not None, f"{name} is an indexed field"
    boost = field.format.field_boost
    terms = sorted((piece.encode("utf-8"), piece) for piece in docs_of)
    docs: list[int] = []
    frequencies: list[int] = []
    counts = [0]
    for _, piece in terms:
        held = docs_of[piece]
        if len(set(held)) == len(held):
            docs += held
            frequencies += [1] * len(held)
        else:
            once = sorted(Counter(held).items())
            docs += [docnum for docnum, _ in once]
            frequencies += [count for _, count in once]
        counts.append(len(docs))
    encoded = {count: pack_uint(count) for count in set(frequencies)}
    fieldwriter.start_field(name, field)
    write_terms(
        fieldwriter,
        [term for term, _ in terms],
        np.array(counts, dtype=np.int64),
        np.array(docs, dtype=np.int64),
        np.array(frequencies, dtype=np.float64) * boost,
        [encoded[count] for count in frequencies],
        np.zeros(len(docs), dtype=np.int64),
        compress_block,
    )
    fieldwriter.finish_field()


__all__ = ["Analyzers", "Document", "write_segment"]
