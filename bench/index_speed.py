"""Build speed and in-process search latency (with facets) on a generated corpus.

    python bench/index_speed.py --count 30000      (make bench-index)

Generates (once) N archive-like records, builds an index from them with the same
code as `archive-search build`, then runs a mixed set of queries through the engine:
common words, rare words, two-word AND, phrases, person names and empty browsing,
each alone and with a year or person filter, after one warm-up pass.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write_corpus  # noqa: E402
from indexer.index.build import build_index  # noqa: E402
from indexer.index.vocabulary import read_counts  # noqa: E402
from indexer.search.engine import Engine  # noqa: E402
from indexer.search.query import make_query  # noqa: E402
from indexer.sources.ingest import ingest  # noqa: E402


def query_mix(index_dir: Path, persons: list[str]) -> list[dict]:
    """Queries from the index's own vocabulary: common, rare, pairs, phrases, names, browse."""
    counts = read_counts(index_dir)
    ranked = [w for w, _ in counts.most_common() if len(w) > 3]
    common, middling, rare = ranked[20:40], ranked[300:320], ranked[3000:3020]
    # A small vocabulary can leave the second half of a slice shorter than the first:
    # strict=False pairs the words there are, as before.
    texts = (
        [{"text": w} for w in common[:8]]
        + [{"text": w} for w in rare[:8]]
        + [{"text": f"{a} {b}"} for a, b in zip(middling[:8], middling[8:16], strict=False)]
        + [{"text": f'"{a} {b}"'} for a, b in zip(common[:6], common[6:12], strict=False)]
        + [{"text": name} for name in persons[:8]]
        + [{"text": ""}] * 4
    )
    mixed = []
    for i, params in enumerate(texts):
        mixed.append(params)
        mixed.append({**params, "years": [str(1950 + i % 40)]})
        mixed.append({**params, "persons": [persons[i % len(persons)]]})
    return mixed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()

    corpus = write_corpus(args.count)
    with tempfile.TemporaryDirectory() as scratch:
        index = Path(scratch) / "index"
        started = time.perf_counter()
        records = ingest([corpus]).records
        read_seconds = time.perf_counter() - started
        build_index(records, index)
        total_seconds = time.perf_counter() - started

        engine = Engine(index)
        opened = time.perf_counter()
        engine.state()
        open_seconds = time.perf_counter() - opened
        top_persons = [f.value for f in engine.search(make_query("")).facets["person"]]
        queries = query_mix(engine.info.path, top_persons)
        for params in queries:  # warm-up
            engine.search(make_query(**params))
        timings, totals = [], []
        for _ in range(args.rounds):
            for params in queries:
                started = time.perf_counter()
                results = engine.search(make_query(**params))
                timings.append((time.perf_counter() - started) * 1000)
                totals.append(results.total)

    report = {
        "records": len(records),
        "build_seconds": round(total_seconds, 1),
        "build_records_per_second": round(len(records) / total_seconds),
        "read_and_clean_seconds": round(read_seconds, 1),
        "index_write_seconds": round(total_seconds - read_seconds, 1),
        "searcher_open_seconds": round(open_seconds, 2),
        "queries": len(timings),
        "search_ms_p50": round(statistics.median(timings), 1),
        "search_ms_p95": round(percentile(timings, 0.95), 1),
        "search_ms_p99": round(percentile(timings, 0.99), 1),
        "median_hits": int(statistics.median(totals)),
        "max_hits": max(totals),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"index-speed-{args.count}.json").write_text(json.dumps(report, indent=2))
    for key, value in report.items():
        print(f"{key:28s} {value}")


if __name__ == "__main__":
    main()
