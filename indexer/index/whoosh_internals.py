"""Everything we know about Whoosh that its public API does not promise, in one place.

No other module of this project reads a ``_``-prefixed attribute of a Whoosh object,
relies on a private Whoosh class or on the W3 codec's byte layout; a test
(tests/test_layers.py) scans the source to hold that. Conformance tests
(tests/test_whoosh_internals.py) check every function here against Whoosh's public API
on the same index, so an upgrade that breaks an assumption fails there, by name.

Assumptions about whoosh3 3.54.0 (pinned exactly in pyproject.toml):

1. ``whoosh.query.NullQuery`` is the one instance of the private class ``_NullQuery``;
   a parsed query may hold other instances of that class, so "is it null" is an
   isinstance test on ``type(NullQuery)``.
2. A segment's posting matcher for a term is, when the term has postings in the W3
   codec, a ``W3LeafMatcher``, possibly wrapped in a ``FilterMatcher`` that drops
   deleted documents (its ``child`` is the leaf matcher).
3. A ``W3LeafMatcher`` with ``_byteids`` false reads its postings a block at a time:
   ``_read_data()`` loads the current block into ``_data``, an unpickled tuple whose
   first item is the block's document numbers as deltas (their cumulative sum gives
   the numbers within the segment, as ``delta_decode`` does) and whose second is the
   weights: ``None`` when every weight is 1, one float when all are equal, else one
   float per posting.
   ``_read_values()`` loads the block's encoded values (positions) into ``_values``,
   one bytes object per posting, decoded by the field format's ``decoder("positions")``.
   ``_next_block()`` moves to the next block; ``is_active()`` is false after the last.

4b. A segment reader's terms reader (``_terms``, a ``W3TermsReader``) builds a term's
   matcher from its ``TermInfo`` as ``_codec.postings_reader(_postfile, terminfo,
   format, term=...)``, which is what its ``matcher()`` does after looking the term up:
   so the terms ``iter_field`` yields with their infos are read without a second lookup.

Anything that does not fit these assumptions (another codec, another matcher type) is
read through the public per-posting API instead (``id()``, ``weight()``, ``value()``,
``next()``), so a change in Whoosh costs speed, never correctness.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Sequence
from pickle import dumps
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import (
    COMPRESSION_MIN_SIZE,
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3TermInfo,
)
from whoosh.columns import CompressedBytesColumn, NumericColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

# Assumption 1: the private class of Whoosh's null query.
_NULL_QUERY_TYPE = type(wq.NullQuery)
_BLOCK_METHODS = ("_read_data", "_read_values", "_next_block", "_blocklength")


def is_null_query(query: object) -> bool:
    """Whether a (parsed) query is Whoosh's null query, which matches nothing."""
    return query is wq.NullQuery or isinstance(query, _NULL_QUERY_TYPE)


def _leaf(matcher: Any) -> Any:
    """The leaf matcher under a deletion filter (assumption 2)."""
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def reads_blocks(matcher: Any) -> bool:
    """Whether ``matcher`` is a W3 leaf matcher we can read a block at a time (assumption 3)."""
    return not getattr(matcher, "_byteids", True) and all(
        hasattr(matcher, name) for name in _BLOCK_METHODS
    )


def _block(matcher: Any, with_values: bool) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    """The current block's documents, frequencies and encoded values (assumption 3)."""
    matcher._read_data()
    deltas, weights = matcher._data[0], matcher._data[1]
    ids = np.cumsum(np.asarray(deltas, dtype=np.int64))
    if weights is None:
        tfs = np.ones(len(ids), dtype=np.float32)
    elif isinstance(weights, float):
        tfs = np.full(len(ids), weights, dtype=np.float32)
    else:
        tfs = np.asarray(weights, dtype=np.float32)
    values: list[bytes] = []
    if with_values:
        matcher._read_values()
        values = list(matcher._values)
    return ids, tfs, values


def term_postings(
    segment: IndexReader, fieldname: str, term: bytes, with_values: bool
) -> Iterator[tuple[np.ndarray, np.ndarray, list[bytes]]]:
    """A term's postings in one segment, deleted documents included, in document order:
    (documents, frequencies, encoded values when asked), a block at a time."""
    return matcher_postings(segment.postings(fieldname, term), with_values)


def field_documents(segment: IndexReader, fieldname: str) -> Iterator[tuple[bytes, np.ndarray]]:
    """Every term of a field in one segment with its documents (deleted ones included),
    in term order: the facet columns read this way, one pass over the field's terms
    instead of a lookup per term (assumption 4b)."""
    terms = getattr(segment, "_terms", None)
    codec, postfile = getattr(terms, "_codec", None), getattr(terms, "_postfile", None)
    fieldobj = segment.schema[fieldname]
    for term, info in segment.iter_field(fieldname):
        if codec is not None and postfile is not None and isinstance(info, W3TermInfo):
            matcher = codec.postings_reader(postfile, info, fieldobj.format, term=(fieldname, term))
        else:
            matcher = segment.postings(fieldname, term)
        parts = [ids for ids, _, _ in matcher_postings(matcher, with_values=False)]
        yield term, (np.concatenate(parts) if len(parts) != 1 else parts[0]).astype(np.int64)


def matcher_postings(
    matcher: Any, with_values: bool
) -> Iterator[tuple[np.ndarray, np.ndarray, list[bytes]]]:
    """A leaf matcher's postings a block at a time when it is a W3 leaf matcher, else in
    one piece through the public per-posting API (``id``, ``weight``, ``value``, ``next``)."""
    matcher = _leaf(matcher)
    if reads_blocks(matcher):
        while matcher.is_active():
            yield _block(matcher, with_values)
            matcher._next_block()
        return
    ids: list[int] = []
    tfs: list[float] = []
    values: list[bytes] = []
    while matcher.is_active():
        ids.append(matcher.id())
        tfs.append(matcher.weight())
        if with_values:
            values.append(matcher.value())
        matcher.next()
    yield np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float32), values


# -- writing ----------------------------------------------------------------------------

# Assumption 4: a W3 field writer (``codec.field_writer``) writes, between
# ``start_field`` and ``finish_field``, each term as W3PostingsWriter does: at the term's
# start in the postings file (``_postwriter._postfile``) the magic ``W3Bl``, then per
# block of at most ``_blocklimit`` postings an int (the block's byte length, negative
# for the last block), the pickled (protocol 2) block info (count, last id, largest
# weight, the zlib level used, length_to_byte of the shortest and longest non-zero
# length) and the pickled data (the ids delta-encoded as a tuple; the weights as None
# when all are 1.0, one float when all equal, else a tuple; the values as a tuple, or
# joined when the format's values are of fixed size, or None when of size 0),
# zlib-compressed at ``_compression`` when at least 80 bytes. Weights are float32.
# The term's W3TermInfo (its statistics summed over the blocks, and the extent of its
# postings) goes to the terms table ``_tindex`` under ``pack_ushort(_fieldid) + term``.
# tests/test_whoosh_internals.py holds the files this writes byte-equal to ``add()``'s.


def write_term(
    fieldwriter: Any,
    btext: bytes,
    docs: list[int],
    weights: list[float],
    values: list[bytes],
    lengths: list[int],
    compress: Callable[[bytes, int], bytes] = zlib.compress,
) -> None:
    """One term's postings (documents ascending) into a W3 field writer: the bytes its
    ``start_term``, ``add`` per posting and ``finish_term`` write (see write_terms)."""
    write_terms(
        fieldwriter,
        [btext],
        np.array([0, len(docs)], dtype=np.int64),
        np.asarray(docs, dtype=np.int64),
        np.asarray(weights, dtype=np.float64),
        values,
        np.asarray(lengths, dtype=np.int64),
        compress,
    )


def write_terms(
    fieldwriter: Any,
    terms: list[bytes],
    bounds: np.ndarray,
    docs: np.ndarray,
    weights: np.ndarray,
    values: Sequence[bytes],
    lengths: np.ndarray,
    compress: Callable[[bytes, int], bytes] = zlib.compress,
) -> None:
    """Many terms' postings into a W3 field writer, in term order: term ``i`` holds the
    postings ``bounds[i]:bounds[i + 1]`` (documents ascending) of ``docs``, ``weights``,
    ``values`` and ``lengths``. The bytes are those of ``start_term``, ``add`` per
    posting and ``finish_term``; what Whoosh works out per posting (deltas, float32
    weights, each block's largest weight and shortest and longest length) is worked out
    here for all postings at once, with numpy.

    ``compress``: any deflate compressor whose output ``zlib.decompress`` reads (Whoosh
    reads blocks with it); with zlib's own the bytes are Whoosh's, byte for byte.

    The terms go in groups of about GROUP_POSTINGS postings: the per-posting Python
    lists a group needs stay small whatever the segment's size."""
    first = 0
    while first < len(terms):
        # The group: terms from ``first`` until their postings pass GROUP_POSTINGS (one
        # term at least).
        last = int(np.searchsorted(bounds, bounds[first] + GROUP_POSTINGS, side="right")) - 1
        last = min(max(last, first + 1), len(terms))
        low, high = int(bounds[first]), int(bounds[last])
        _write_group(
            fieldwriter,
            terms[first:last],
            bounds[first : last + 1] - low,
            docs[low:high],
            weights[low:high],
            list(values[low:high]),
            lengths[low:high],
            compress,
        )
        first = last


# Postings per group of write_terms: a few MB of Python lists at most.
GROUP_POSTINGS = 65_536


def _write_group(
    fieldwriter: Any,
    terms: list[bytes],
    bounds: np.ndarray,
    docs: np.ndarray,
    weights: np.ndarray,
    values: list[bytes],
    lengths: np.ndarray,
    compress: Callable[[bytes, int], bytes],
) -> None:
    if not len(docs):
        return
    postings = fieldwriter._postwriter
    postfile = postings._postfile
    limit = postings._blocklimit
    level = postings._compression
    fixed = fieldwriter._format.fixed_value_size()
    prefix = pack_ushort(fieldwriter._fieldid)
    add_term = fieldwriter._tindex.add
    # Blocks: each term's postings, limit at a time.
    sizes = np.diff(bounds)
    block_counts = -(-sizes // limit)
    first_block = np.cumsum(block_counts) - block_counts
    within = np.arange(int(block_counts.sum())) - np.repeat(first_block, block_counts)
    starts = np.repeat(bounds[:-1], block_counts) + within * limit
    ends = np.minimum(starts + limit, np.repeat(bounds[1:], block_counts))
    # Per posting: the id as a delta from the one before (from 0 at a block's start) and
    # the weight as float32 (array("f")); per block: its figures.
    deltas = docs.copy()
    deltas[1:] -= docs[:-1]
    deltas[starts] = docs[starts]
    single = weights.astype(np.float32).astype(np.float64)
    heaviest = np.maximum.reduceat(weights, starts).tolist()
    all_one = np.logical_and.reduceat(single == 1.0, starts).tolist()
    all_same = (np.minimum.reduceat(single, starts) == np.maximum.reduceat(single, starts)).tolist()
    # The shortest non-zero length of each block: None when every length is 0.
    none = np.iinfo(np.int64).max
    shortest = [
        None if length == none else length
        for length in np.minimum.reduceat(np.where(lengths > 0, lengths, none), starts).tolist()
    ]
    longest = np.maximum.reduceat(lengths, starts).tolist()
    deltas_list, single_list, docs_list = deltas.tolist(), single.tolist(), docs.tolist()
    starts_list, ends_list = starts.tolist(), ends.tolist()
    every_value = all(values)
    block = 0
    for term, term_blocks in zip(terms, block_counts.tolist(), strict=True):
        terminfo = W3TermInfo()
        start = postfile.tell()
        postfile.write(WHOOSH3_HEADER_MAGIC)
        for number in range(block, block + term_blocks):
            first, last = starts_list[number], ends_list[number]
            block_weights = single_list[first:last]
            if all_one[number]:
                mini_weights: float | tuple[float, ...] | None = None
            elif all_same[number]:
                mini_weights = block_weights[0]
            else:
                mini_weights = tuple(block_weights)
            block_values = values[first:last]
            if not every_value:  # Whoosh keeps a posting's value only when it has one
                block_values = [value for value in block_values if value]
            most = max(0, heaviest[number])
            _add_block(
                terminfo,
                docs_list[first],
                docs_list[last - 1],
                last - first,
                block_weights,
                shortest[number],
                longest[number],
                most,
            )
            data = dumps(
                (tuple(deltas_list[first:last]), mini_weights, _mini_values(block_values, fixed)),
                2,
            )
            used = level if len(data) >= COMPRESSION_MIN_SIZE else 0
            if used:
                data = compress(data, used)
            info = dumps(
                (
                    last - first,
                    docs_list[last - 1],
                    most,
                    used,
                    length_to_byte(shortest[number]),
                    length_to_byte(longest[number]),
                ),
                2,
            )
            size = len(info) + len(data)
            final = number == block + term_blocks - 1
            postfile.write(pack_int(-size if final else size))
            postfile.write(info)
            postfile.write(data)
        block += term_blocks
        terminfo.set_extent(start, postfile.tell() - start)
        add_term(prefix + term, terminfo.to_bytes())


def _add_block(
    terminfo: Any,
    first_id: int,
    last_id: int,
    count: int,
    weights: list[float],
    shortest: int | None,
    longest: int,
    heaviest: float,
) -> None:
    """W3TermInfo.add_block's sums, from a block's figures."""
    terminfo._weight += sum(weights)
    terminfo._df += count
    terminfo._minlength = (
        shortest if terminfo._minlength is None else min(terminfo._minlength, shortest)
    )
    terminfo._maxlength = max(terminfo._maxlength, longest)
    terminfo._maxweight = max(terminfo._maxweight, heaviest)
    if terminfo._minid is None:
        terminfo._minid = first_id
    terminfo._maxid = last_id


def _mini_values(values: list[bytes], fixed: int | None) -> bytes | tuple[bytes, ...] | None:
    if fixed is None or fixed < 0:
        return tuple(values)
    if fixed == 0:
        return None
    return b"".join(values)


# -- columns, read whole ----------------------------------------------------------------

# Assumption 5: a W3 segment's numeric column (``NumericColumn``; the field lengths are
# one too, named ``_<field>_len``, typecode "B", each value ``length_to_byte`` of the
# length) is a file of big-endian values of the typecode, one per document from the
# first; documents past the last value written hold the column's default. Its reader
# (``NumericColumn.Reader``) keeps the file in ``_dbfile``, the values' start in
# ``_basepos``, their number in ``_count``, and ``_typecode``, ``_fixedlen``,
# ``_default`` and ``_doccount``. Read whole with numpy: one read per segment instead of
# one Python call per document (at a million records, seconds at every start).


def _numeric_column(segment: IndexReader, name: str, column: Any) -> np.ndarray | None:
    """One segment's numeric column as an array, or None when it is not one we can read.

    Through the segment's per-document reader (``_perdoc``): the lengths column is no
    schema field, so the public ``column_reader`` does not know it."""
    perdoc = getattr(segment, "_perdoc", None)
    if perdoc is None or not perdoc.has_column(name) or not isinstance(column, NumericColumn):
        return None
    reader = perdoc.column_reader(name, column)
    if type(reader) is not NumericColumn.Reader:
        return None
    big_endian = np.dtype(reader._typecode).newbyteorder(">")
    data = reader._dbfile.get(reader._basepos, reader._count * reader._fixedlen)
    values = np.frombuffer(data, dtype=big_endian).astype(big_endian.newbyteorder("="))
    if len(values) < reader._doccount:
        full = np.full(reader._doccount, reader._default, dtype=values.dtype)
        full[: len(values)] = values
        values = full
    return values


def column_array(reader: IndexReader, fieldname: str, dtype: Any) -> np.ndarray:
    """A numeric column over every document of the index (deleted ones included), read a
    segment at a time; a column this cannot read whole is read through the public API."""
    parts = []
    for segment, _ in reader.leaf_readers():
        values = _numeric_column(segment, fieldname, reader.schema[fieldname].column_type)
        if values is None:
            count = segment.doc_count_all()
            values = np.fromiter(segment.column_reader(fieldname), dtype=dtype, count=count)
        parts.append(values.astype(dtype))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


# A field length as Whoosh gives it, by its one-byte code: LENGTH_OF_CODE[codes] is what
# field_lengths returns, at an eighth of the memory (a million documents, 11 fields).
LENGTH_OF_CODE = np.array([byte_to_length(code) for code in range(256)], dtype=np.float64)


def field_length_codes(reader: IndexReader, fieldname: str) -> np.ndarray:
    """Every document's length in a field as Whoosh's one-byte code (uint8): the codes
    of field_lengths' values, read whole."""
    parts = []
    for segment, _ in reader.leaf_readers():
        codes = _numeric_column(segment, f"_{fieldname}_len", LENGTHS_COLUMN)
        perdoc = getattr(segment, "_perdoc", None)
        if codes is None and perdoc is not None and not perdoc.has_column(f"_{fieldname}_len"):
            # No document of the segment has the field (a corpus without texts): Whoosh's
            # doc_field_length answers its default, 0, for each, after a file lookup each.
            parts.append(np.zeros(segment.doc_count_all(), dtype=np.uint8))
        elif codes is None:
            count = segment.doc_count_all()
            parts.append(
                np.fromiter(
                    (
                        length_to_byte(segment.doc_field_length(d, fieldname, 0) or 0)
                        for d in range(count)
                    ),
                    dtype=np.uint8,
                    count=count,
                )
            )
        else:
            parts.append(codes.astype(np.uint8))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)


def field_lengths(reader: IndexReader, fieldname: str) -> np.ndarray:
    """Every document's length in a field, as ``doc_field_length`` gives it (Whoosh
    stores a length as one byte, so long lengths are approximate), read whole."""
    lengths: np.ndarray = LENGTH_OF_CODE[field_length_codes(reader, fieldname)]
    return lengths


# Assumption 6: a W3 per-document writer (``codec.per_document_writer``) keeps a column
# writer per column, made by ``_create_column(name, column)`` and found by
# ``_get_column(name)`` (``_has_column`` says whether one exists), and the total length
# of each field in ``_fieldlengths``. A numeric column writer writes each value packed
# big-endian to ``_dbfile`` and counts the values written in ``_count`` (Whoosh's writer
# skips trailing defaults, which read back as the default all the same); a field's
# length goes, as ``length_to_byte`` of it, to the column ``_<field>_len``.


def write_numeric_column(
    perdoc: Any, name: str, column: NumericColumn, values: np.ndarray | list[Any]
) -> None:
    """A whole numeric column of a new segment, one value per document, written at once."""
    if not perdoc._has_column(name):
        perdoc._create_column(name, column)
    writer = perdoc._get_column(name)
    if type(writer) is not NumericColumn.Writer or writer._count:
        raise TypeError(f"the column {name!r} is not a fresh numeric column")
    big_endian = np.dtype(column._typecode).newbyteorder(">")
    writer._dbfile.write(
        np.asarray(values, dtype=big_endian.newbyteorder("=")).astype(big_endian).tobytes()
    )
    writer._count = len(values)


_LENGTH_BOUNDS = np.array([byte_to_length(code) for code in range(256)], dtype=np.int64)


def write_field_lengths(perdoc: Any, fieldname: str, lengths: np.ndarray) -> None:
    """Every document's length in a field, as ``add_field`` records them one by one:
    ``length_to_byte`` (a bisection of Whoosh's table, 255 from 106,374) in the field's
    lengths column, and the sum in the segment's field lengths."""
    codes = np.searchsorted(_LENGTH_BOUNDS, lengths, side="left")
    codes = np.where(lengths >= 106_374, 255, codes).astype(np.uint8)
    write_numeric_column(perdoc, f"_{fieldname}_len", LENGTHS_COLUMN, codes)
    perdoc._fieldlengths[fieldname] += int(lengths.sum())


# Assumption 7: a W3 per-document writer makes the stored fields' column ``_stored`` when
# it is made: a ``PickleColumn.Writer`` whose ``_child`` is a
# ``CompressedBytesColumn.Writer`` that deflates each document's pickle with
# ``_compress(value, _level)``; its reader inflates with ``zlib.decompress``.


def compress_stored_fields_with(perdoc: Any, compress: Callable[[bytes, int], bytes]) -> None:
    """Deflate the stored fields of the segment ``perdoc`` writes with ``compress`` (any
    compressor whose output ``zlib.decompress`` reads) instead of zlib's own."""
    child = getattr(perdoc._get_column("_stored"), "_child", None)
    if type(child) is not CompressedBytesColumn.Writer:
        raise TypeError("the stored fields are not a compressed bytes column")
    child._compress = compress
