"""The full-text benchmark: what documents' texts cost to build and to search.

    python bench/fulltext.py                      # 30,000 records, 25% with a text (make bench)
    python bench/fulltext.py --count 300 --out bench/out      # a quick check of the script

On a generated corpus (bench/generate.py: ``--count`` records, a share ``--text-ratio`` of
them with a text of 200-3,000 words), measured, nothing extrapolated:

- the build, twice, each from nothing with `archive-search build` in a child process (as
  bench/perf.py times it: seconds, peak memory of the process tree, sampled every 0.1 s):
  from the corpus, and from the same corpus with every ``text`` removed. For each: records
  per second, MB of input per second (the UTF-8 bytes of titles, summaries and texts, in
  MB of 2^20 bytes), peak memory, and the index's size on disk;
- search latency when the texts are searched: `indexer.search.Engine` in-process on the
  index with texts, ``Engine.search(make_query(...))`` as the server runs it (facets
  included), over ``--queries`` queries drawn from words that occur only in texts (none of
  their stems is a word of a title, a summary or a person's name): common, middling and
  rare words, two such words of one text, phrases of two adjacent words of a text (one of
  them a text-only word), and a text-only word of a text with that text's year as a
  filter; after a warm-up over ``--warm-up``
  other queries. It also counts the queries that found something: none, when the index
  does not search texts;
- for reference (unless ``--no-fts5``): SQLite FTS5 (bench/fts5_reference.py) built in a
  process of its own (bench/reference_build.py) from the same corpus with each text
  appended to its summary (the reference ranks titles, names and summaries), and the same
  queries in-process after the same warm-up.

Results go to bench/results/fulltext-<date>.json (or --out); `make bench` puts the latest
in docs/performance.md (bench/perf.py, fulltext_lines).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import fts5_reference  # noqa: E402 (path set above)
from bench.generate import TEXT_RATIO, person_pool, write_corpus  # noqa: E402 (path set above)
from bench.perf import CLI, peak_memory_of, reference_build, summary  # noqa: E402 (path set above)
from indexer.index.generations import MANIFEST  # noqa: E402 (path set above)
from indexer.index.schema import text_analyzer  # noqa: E402 (path set above)
from indexer.records.authority import load_authority  # noqa: E402 (path set above)
from indexer.search import Engine, make_query, words_of  # noqa: E402 (path set above)

YEARS = (1945, 1991)


def corpus_facts(corpus: Path, plain: Path, merged: Path) -> dict:
    """Read the corpus once: write it without texts (``plain``) and with each text appended
    to its summary (``merged``, for FTS5); count its bytes and words."""
    facts = Counter()
    title_summary: Counter[str] = Counter()
    texts: Counter[str] = Counter()
    with (
        corpus.open(encoding="utf-8") as lines,
        plain.open("w", encoding="utf-8") as without,
        merged.open("w", encoding="utf-8") as appended,
    ):
        for line in lines:
            record = json.loads(line)
            text = record.pop("text", "")
            head = f"{record['title']}\n{record.get('summary', '')}"
            facts["records"] += 1
            facts["title_summary_bytes"] += len(head.encode("utf-8"))
            facts["text_bytes"] += len(text.encode("utf-8"))
            title_summary.update(words_of(head))
            without.write(json.dumps(record, ensure_ascii=False) + "\n")
            if text:
                facts["records_with_text"] += 1
                words = words_of(text)
                facts["text_words"] += len(words)
                texts.update(words)
                record["summary"] = f"{record.get('summary', '')}\n\n{text}"
            appended.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {"facts": dict(facts), "title_summary": title_summary, "texts": texts}


def directory_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def timed_build(corpus: Path, index: Path, runs: int) -> dict:
    """`archive-search build` from nothing, ``runs`` times (the median time, the highest
    peak); the last index is kept."""
    measured = []
    for run in range(runs):
        if run:
            shutil.rmtree(index.parent)
        measured.append(peak_memory_of([*CLI, "build", str(corpus), "--index", str(index)]))
    generation = index.resolve()
    return {
        "records": json.loads((generation / MANIFEST).read_text())["records"],
        "seconds": statistics.median(m[0] for m in measured),
        "peak_mb": round(max(m[1] for m in measured)),
        "peak_rss_sum_mb": round(max(m[2] for m in measured)),
        "runs_seconds": [round(m[0], 2) for m in measured],
        "index_mb": directory_mb(generation),
    }


def build_summary(build: dict, input_bytes: int) -> dict:
    input_mb = input_bytes / 2**20
    return {
        **build,
        "seconds": round(build["seconds"], 2),
        "records_per_second": round(build["records"] / build["seconds"]),
        "input_mb": round(input_mb, 1),
        "mb_per_second": round(input_mb / build["seconds"], 2),
    }


class TextOnly:
    """Words of the texts none of whose stems is a stem of a title's, a summary's or a
    person's word, ranked by how often the texts hold them."""

    def __init__(self, title_summary: Counter[str], texts: Counter[str], names: list[str]):
        self.analyzer = text_analyzer()
        self._stems: dict[str, list[str]] = {}
        excluded = set(title_summary)
        for name in names:
            excluded.update(words_of(name))
        self.excluded_stems = {stem for word in excluded for stem in self.stems(word)}
        self.ranked = [
            word for word, _ in texts.most_common() if word not in excluded and len(word) > 3
        ]
        self.rank = {word: number for number, word in enumerate(self.ranked)}

    def stems(self, word: str) -> list[str]:
        found = self._stems.get(word)
        if found is None:
            found = self._stems[word] = [token.text for token in self.analyzer(word)]
        return found

    def searchable(self, word: str) -> bool:
        """A word the index keeps (not a stop word) and finds in texts alone."""
        stems = self.stems(word)
        return bool(stems) and not self.excluded_stems.intersection(stems)

    def band(self, start: float, end: float) -> list[str]:
        """The ranked words from the share ``start`` to ``end`` of the list."""
        count = len(self.ranked)
        return self.ranked[int(start * count) : max(int(end * count), int(start * count) + 1)]


def sample_texts(corpus: Path, limit: int = 2000) -> list[tuple[list[str], int]]:
    """The words and the year of the first ``limit`` texts, to draw queries from."""
    texts = []
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record.get("text"):
                texts.append((words_of(record["text"]), int(record["date"][-4:])))
                if len(texts) >= limit:
                    break
    return texts


def text_queries(
    words: TextOnly,
    texts: list[tuple[list[str], int]],
    count: int,
    seed: int,
    exclude: list[dict] = (),
) -> list[dict]:
    """``count`` distinct queries (none in ``exclude``) over text-only words: see the
    module's docstring. Each is {"q": ..., "kind": ..., and "year" when filtered}."""
    rng = random.Random(seed)
    common, middle, rare = words.band(0, 0.01), words.band(0.05, 0.3), words.band(0.5, 1)

    def word(pool: list[str]) -> str:
        for _ in range(1000):
            chosen = rng.choice(pool)
            if words.searchable(chosen):
                return chosen
        raise SystemExit("too few text-only words: is the share of texts 0?")

    def in_a_text() -> tuple[list[str], int, list[str]]:
        """A text's words, its year and its text-only words (a text with some)."""
        for _ in range(1000):
            text, year = rng.choice(texts)
            own = sorted({w for w in text if w in words.rank and words.searchable(w)})
            if own:
                return text, year, own
        raise SystemExit("no text holds a text-only word")

    def phrase() -> str:
        for _ in range(10000):
            text, _ = rng.choice(texts)
            at = rng.randrange(len(text) - 1)
            pair = text[at : at + 2]
            if all(words.stems(w) for w in pair) and any(words.searchable(w) for w in pair):
                return f'"{pair[0]} {pair[1]}"'
        raise SystemExit("no phrase of two text words found")

    def two_words() -> str:
        """Two text-only words of one text (not adjacent, as a searcher remembers them)."""
        for _ in range(1000):
            _, _, own = in_a_text()
            if len(own) > 1:
                return " ".join(rng.sample(own, 2))
        raise SystemExit("no text holds two text-only words")

    def word_and_year() -> dict:
        """A text-only word of a text, and the text's year."""
        _, year, own = in_a_text()
        return {"q": rng.choice(own), "year": [str(year)]}

    kinds = {
        "common word": lambda: {"q": word(common)},
        "middling word": lambda: {"q": word(middle)},
        "rare word": lambda: {"q": word(rare)},
        "two words": lambda: {"q": two_words()},
        "phrase": lambda: {"q": phrase()},
        "word and year": word_and_year,
    }
    seen = {json.dumps({k: v for k, v in q.items() if k != "kind"}) for q in exclude}
    queries: list[dict] = []
    attempts = 0
    while len(queries) < count:
        kind = list(kinds)[attempts % len(kinds)]
        attempts += 1
        if attempts > count * 100:
            raise SystemExit(f"only {len(queries)} distinct queries of {count}")
        params = kinds[kind]()
        key = json.dumps(params)
        if key not in seen:
            seen.add(key)
            queries.append({**params, "kind": kind})
    return queries


def engine_latencies(index: Path, warm: list[dict], queries: list[dict]) -> tuple[list, list]:
    """Milliseconds per query of Engine.search in this process, and the matches of each."""
    engine = Engine(index)

    def run(params: dict) -> int:
        """The records holding every word (none when it falls back to any of them)."""
        results = engine.search(make_query(params["q"], years=params.get("year", [])))
        return 0 if results.any_words else results.total

    return timed_queries(run, warm, queries)


def timed_queries(
    run: Callable[[dict], int], warm: list[dict], queries: list[dict]
) -> tuple[list[float], list[int]]:
    """``run`` over the warm-up queries, then over ``queries``: each one's milliseconds
    and what it found."""
    for params in warm:
        run(params)
    timings, totals = [], []
    for params in queries:
        started = time.perf_counter()
        totals.append(run(params))
        timings.append((time.perf_counter() - started) * 1000)
    return timings, totals


def fts5_latencies(
    corpus: Path, path: Path, warm: list[dict], queries: list[dict]
) -> tuple[dict, list[float], list[int]]:
    build = reference_build("fts5", corpus, path)
    db = fts5_reference.connect(path)

    def run(params: dict) -> int:
        return fts5_reference.search(db, params["q"], params.get("year", []), [])["total"]

    timings, totals = timed_queries(run, warm, queries)
    db.close()
    return build, timings, totals


def latency_summary(timings: list[float], totals: list[int], queries: list[dict]) -> dict:
    by_kind: dict[str, list[float]] = {}
    for params, ms in zip(queries, timings, strict=True):
        by_kind.setdefault(params["kind"], []).append(ms)
    return {
        **summary(timings),
        "matched": sum(1 for total in totals if total),
        "median_matches": statistics.median(totals),
        "p50_by_kind": {kind: round(statistics.median(ms), 2) for kind, ms in by_kind.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30000)
    parser.add_argument("--text-ratio", type=float, default=TEXT_RATIO)
    parser.add_argument("--seed", type=int, default=1948)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--warm-up", type=int, default=100)
    parser.add_argument("--runs", type=int, default=1, help="builds of each corpus (median)")
    parser.add_argument("--no-fts5", action="store_true", help="skip the FTS5 reference")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = write_corpus(args.count, seed=args.seed, text_ratio=args.text_ratio)
    print(f"corpus {corpus} ({time.perf_counter() - started:.1f} s)", flush=True)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        plain, merged = scratch / "without-text.jsonl", scratch / "text-in-summary.jsonl"
        read = corpus_facts(corpus, plain, merged)
        facts = read["facts"]
        head, text = facts["title_summary_bytes"], facts.get("text_bytes", 0)
        builds = {}
        for name, source, size in (
            ("with_text", corpus, head + text),
            ("without_text", plain, head),
        ):
            print(f"building {name} ...", flush=True)
            build = timed_build(source, scratch / name / "index", args.runs)
            builds[name] = build_summary(build, size)
            print(json.dumps(builds[name]), flush=True)
        names = person_pool(np.random.default_rng(args.seed))
        names += [form for person in load_authority().persons for form in person.forms]
        words = TextOnly(read["title_summary"], read["texts"], names)
        del read
        texts = sample_texts(corpus)
        warm = text_queries(words, texts, args.warm_up, seed=args.seed + 1)
        measured = text_queries(words, texts, args.queries, seed=args.seed, exclude=warm)
        print("searching ...", flush=True)
        timings, totals = engine_latencies(scratch / "with_text" / "index", warm, measured)
        search = latency_summary(timings, totals, measured)
        print(json.dumps(search), flush=True)
        fts5 = None
        if not args.no_fts5:
            print("FTS5 ...", flush=True)
            build, fts5_timings, fts5_totals = fts5_latencies(
                merged, scratch / "fts5", warm, measured
            )
            fts5 = {
                "build_seconds": round(build["seconds"], 2),
                "records_per_second": round(build["records"] / build["seconds"]),
                "build_peak_mb": build["build_peak_mb"],
                "peak_rss_mb": build["peak_rss_mb"],
                "search_ms": latency_summary(fts5_timings, fts5_totals, measured),
            }
    results = {
        "date": dt.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {round(psutil.virtual_memory().total / 2**30)} GiB",
        "SQLite": sqlite3.sqlite_version,
        "corpus": corpus.name,
        "seed": args.seed,
        "text_ratio": args.text_ratio,
        **facts,
        "text_searched": search["matched"] > 0,
        "builds": builds,
        "search_ms": search,
        "warm_up": len(warm),
        "fts5": fts5,
        "queries": [{**q, "matches": total} for q, total in zip(measured, totals, strict=True)],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"fulltext-{results['date']}.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"{path} ({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
