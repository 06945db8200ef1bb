"""The second reference engine: tantivy (Rust, through its official Python bindings) doing
the same work in-process, as a compiled engine's limit beside SQLite FTS5.

FTS5 tells what a user gets from the database they already have; tantivy tells how fast a
search engine written for the job, compiled, can do the same work on the same records: the
bar under which our figures are the cost of Python and Whoosh, not of the work.

The same fields as the FTS5 reference: title, summary and the persons' names as text (the
one analyzer FTS5's "porter unicode61 remove_diacritics 2" amounts to: words of letters and
digits, lowercased, accents folded, English stemming), the year and each person as exact
fast fields (columns) for counting and filtering, and a date key for the order of searches
without words. For each query: match (every word or "phrase" in one of the three fields,
as FTS5's column-less match), bm25 top 20 (titles weighted over names over summaries, as
ours), their titles and summaries from the stored documents, the total, counts per year and
the 30 most named persons over all matches.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import tantivy

from bench.fts5_reference import query_parts
from indexer.records.record import Record

# FTS5's bm25(fts, 3.0, 1.0, 1.5) and ours: titles over names over summaries.
FIELD_WEIGHTS = {"title": 3.0, "summary": 1.0, "names": 1.5}
ANALYZER = "porter_fold"
UNDATED_SORT = 99_999_999  # after every real YYYYMMDD, as FTS5's date_sort
# Indexing threads: at most 2, as our build's writer processes, so that a machine with
# more cores measures the same build. The writer's memory budget is tantivy's default.
THREADS = min(2, os.cpu_count() or 1)
HEAP_BYTES = 128_000_000
# Counting: every year, and the top 30 persons. tantivy's terms aggregation takes the top
# `segment_size` terms of each segment before merging them: larger than any count of
# distinct values here, so that the counts are exact (as FTS5's GROUP BY), not estimates.
EXACT = 1_000_000
AGGREGATIONS = {
    "years": {"terms": {"field": "year", "size": EXACT, "segment_size": EXACT}},
    "persons": {"terms": {"field": "person", "size": 30, "segment_size": EXACT}},
}


@dataclass
class Engine:
    index: tantivy.Index
    schema: tantivy.Schema
    analyzer: tantivy.TextAnalyzer
    searcher: tantivy.Searcher


def _analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # Titles and summaries are stored: a search reads those of its top 20, as FTS5's does.
    builder.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("summary", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("names", tokenizer_name=ANALYZER)
    # Each canonical name one exact term (filter) and one value of a column (count).
    builder.add_text_field("person", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("date_sort", fast=True)
    return builder.build()


def connect(path: Path) -> Engine:
    """The index build wrote at ``path`` (built by this process or another)."""
    index = tantivy.Index.open(str(path))
    analyzer = _analyzer()
    index.register_tokenizer(ANALYZER, analyzer)  # analyzers are not stored in the index
    index.reload()
    return Engine(index, index.schema, analyzer, index.searcher())


def build(records: list[Record], path: Path) -> Engine:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    index = tantivy.Index(_schema(), path=str(path))
    index.register_tokenizer(ANALYZER, _analyzer())
    writer = index.writer(heap_size=HEAP_BYTES, num_threads=THREADS)
    for record in records:
        date_sort = int(record.date.replace("-", "").ljust(8, "0")) if record.date else UNDATED_SORT
        document = tantivy.Document()
        document.add_text("title", record.title)
        document.add_text("summary", record.summary)
        document.add_text("names", " ".join(record.persons))
        for person in record.persons:
            document.add_text("person", person)
        if record.year is not None:
            document.add_integer("year", record.year)
        document.add_integer("date_sort", date_sort)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    return connect(path)


def _part(engine: Engine, part: str) -> tantivy.Query:
    """One word or phrase in any of the three fields, each field's bm25 by its weight."""
    tokens = engine.analyzer.analyze(part)
    if not tokens:  # FTS5's empty phrase matches nothing
        return tantivy.Query.empty_query()
    fields = []
    for field, weight in FIELD_WEIGHTS.items():
        if len(tokens) == 1:
            query = tantivy.Query.term_query(engine.schema, field, tokens[0])
        else:
            query = tantivy.Query.phrase_query(engine.schema, field, tokens)
        fields.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, weight)))
    return tantivy.Query.boolean_query(fields)


def _filter(query: tantivy.Query) -> tantivy.Query:
    """A condition that adds nothing to the score."""
    return tantivy.Query.const_score_query(query, 0.0)


def search(engine: Engine, text: str, years: list[str], persons: list[str]) -> dict:
    schema, searcher = engine.schema, engine.searcher
    parts = query_parts(text)
    clauses = [(tantivy.Occur.Must, _part(engine, part)) for part in parts]
    if years:
        years_query = tantivy.Query.term_set_query(schema, "year", [int(y) for y in years])
        clauses.append((tantivy.Occur.Must, _filter(years_query)))
    for person in persons:
        person_query = tantivy.Query.term_query(schema, "person", person)
        clauses.append((tantivy.Occur.Must, _filter(person_query)))
    if not parts:
        clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    query = tantivy.Query.boolean_query(clauses)
    if parts:
        result = searcher.search(query, 20, count=True)
    else:
        result = searcher.search(
            query, 20, count=True, order_by_field="date_sort", order=tantivy.Order.Asc
        )
    documents = [searcher.doc(address) for _, address in result.hits]
    titles = [(d.get_first("title"), d.get_first("summary")) for d in documents]
    counts = searcher.aggregate(query, AGGREGATIONS)
    return {
        "total": result.count,
        "top": len(titles),
        "years": len(counts["years"]["buckets"]),
        "persons": len(counts["persons"]["buckets"]),
    }
