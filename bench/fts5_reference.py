"""The reference engine: SQLite FTS5 (stdlib sqlite3) doing the same work in-process.

For each query: match, bm25 top 20 (titles weighted over names over summaries, as ours),
the total, counts per year and the 30 most named persons over all matches. This is
what a user could pick instead of archive-search; the benchmark reports our figures
over its figures from the same run.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from indexer.records.record import Record

_SCHEMA = """
CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, summary TEXT, names TEXT, year INTEGER,
                   date_sort INTEGER);
CREATE VIRTUAL TABLE fts USING fts5(title, summary, names, content='docs', content_rowid='id',
                                    tokenize='porter unicode61 remove_diacritics 2');
CREATE TABLE persons (doc INTEGER, person TEXT);
CREATE INDEX persons_by_doc ON persons(doc);
CREATE INDEX persons_by_person ON persons(person, doc);
CREATE INDEX docs_by_year ON docs(year);
"""


def build(records: list[Record], path: Path) -> sqlite3.Connection:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(_SCHEMA)
    rows = []
    for number, record in enumerate(records, 1):
        date_sort = int(record.date.replace("-", "").ljust(8, "0")) if record.date else 99_999_999
        rows.append(
            (number, record.title, record.summary, " ".join(record.persons), record.year, date_sort)
        )
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.execute(
        "INSERT INTO fts(rowid, title, summary, names) SELECT id, title, summary, names FROM docs"
    )
    db.executemany(
        "INSERT INTO persons VALUES (?, ?)",
        ((number, person) for number, record in enumerate(records, 1) for person in record.persons),
    )
    db.commit()
    return db


def connect(path: Path) -> sqlite3.Connection:
    """The database build wrote at ``path`` (built by another process)."""
    return sqlite3.connect(path)


def query_parts(text: str) -> list[str]:
    """Our query text as the parts every match must hold: the "phrases", then the words.
    The tantivy reference splits queries by this same function."""
    phrases = re.findall(r'"([^"]+)"', text)
    rest = re.sub(r'"[^"]*"', " ", text)
    return phrases + re.findall(r"\w+", rest)


def match_expression(text: str) -> str | None:
    """Our query text as an FTS5 expression: words ANDed, "phrases" kept."""
    parts = [f'"{part}"' for part in query_parts(text)]
    return " AND ".join(parts) if parts else None


def search(db: sqlite3.Connection, text: str, years: list[str], persons: list[str]) -> dict:
    expression = match_expression(text)
    where, params = [], []
    if expression:
        where.append("d.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
        params.append(expression)
    if years:
        where.append(f"d.year IN ({','.join('?' * len(years))})")
        params += [int(y) for y in years]
    for person in persons:
        where.append("d.id IN (SELECT doc FROM persons WHERE person = ?)")
        params.append(person)
    condition = " AND ".join(where) or "1"
    db.execute("DROP TABLE IF EXISTS temp.m")
    db.execute(f"CREATE TEMP TABLE m AS SELECT d.id AS id FROM docs d WHERE {condition}", params)
    total = db.execute("SELECT count(*) FROM m").fetchone()[0]
    if expression:
        top = db.execute(
            "SELECT fts.rowid FROM fts JOIN m ON m.id = fts.rowid WHERE fts MATCH ? "
            "ORDER BY bm25(fts, 3.0, 1.0, 1.5) LIMIT 20",
            (expression,),
        ).fetchall()
    else:
        top = db.execute(
            "SELECT d.id FROM docs d JOIN m ON m.id = d.id ORDER BY d.date_sort LIMIT 20"
        ).fetchall()
    titles = db.execute(
        f"SELECT title, summary FROM docs WHERE id IN ({','.join(str(r[0]) for r in top) or '0'})"
    ).fetchall()
    years_count = db.execute(
        "SELECT d.year, count(*) FROM docs d JOIN m ON m.id = d.id GROUP BY d.year"
    ).fetchall()
    persons_count = db.execute(
        "SELECT p.person, count(*) AS n FROM persons p JOIN m ON m.id = p.doc GROUP BY p.person "
        "ORDER BY n DESC, p.person LIMIT 30"
    ).fetchall()
    return {
        "total": total,
        "top": len(titles),
        "years": len(years_count),
        "persons": len(persons_count),
    }
