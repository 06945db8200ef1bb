"""One million generated records, built and served for real (`make bench-million`).

What a large archive's operator sees, each figure measured, none extrapolated:

- the build: `archive-search build` of the generated JSON Lines file, end to end, in a
  child process (seconds, and the peak memory of its process tree, sampled every 0.1 s:
  the sum of PSS, and of RSS, which counts pages forked workers share once each);
- the index's size on disk (the served generation's files);
- the time from starting `archive-search serve` (the index's checksums verified first,
  gunicorn and 2 workers started) to its first answer;
- HTTP latency over the benchmark's query mix (bench/perf.py's, after a warm-up over
  other queries), and the workers' resident memory after it;
- `archive-search build --update` of 1,000 records into the million: 500 new ones and
  500 that replace indexed ones (same title and date, a new summary), atomic as ever.

The results go to bench/results/million-<date>.json; `make bench` puts the latest in
docs/performance.md.

    python bench/million.py                      # 1,000,000 records (about 15 minutes)
    python bench/million.py --count 50000 --out bench/out   # a quick check of the script
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write_corpus  # noqa: E402 (path set above)
from bench.perf import (  # noqa: E402 (path set above)
    CLI,
    Server,
    http_latencies,
    peak_memory_of,
    query_set,
    summary,
)
from indexer.index.generations import MANIFEST  # noqa: E402 (path set above)

UPDATE_NEW, UPDATE_REPLACED = 500, 500


def directory_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.iterdir() if f.is_file()) / 2**20, 1)


def time_to_first_answer(index: Path) -> tuple[Server, float]:
    """Start the server and time it until its first answer (checksums verified first)."""
    started = time.perf_counter()
    server = Server(index, poll=0.05)
    return server, time.perf_counter() - started


def update_file(corpus: Path, out: Path, count: int, seed: int = 7) -> Path:
    """500 new records (another seed of the generator) and 500 of the corpus's own, each
    with a new summary: the same title and date, so the same id, replaced."""
    new = write_corpus(UPDATE_NEW, out.parent / f"new-{UPDATE_NEW}.jsonl", seed=1989)
    rng = random.Random(seed)
    chosen = set(rng.sample(range(count), UPDATE_REPLACED))
    lines = []
    with corpus.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number in chosen:
                record = json.loads(line)
                record["summary"] = f"Revised. {record['summary']}"
                lines.append(json.dumps(record, ensure_ascii=False))
    lines += new.read_text(encoding="utf-8").splitlines()
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def run(count: int, queries: int, scratch: Path) -> dict:
    corpus = write_corpus(count)
    index = scratch / "index"
    print(f"building {count:,} records ...", flush=True)
    seconds, peak, peak_rss = peak_memory_of([*CLI, "build", str(corpus), "--index", str(index)])
    generation = index.resolve()
    records = json.loads((generation / MANIFEST).read_text())["records"]
    result: dict = {
        "records": records,
        "build": {
            "seconds": round(seconds, 1),
            "records_per_second": round(records / seconds),
            "peak_mb": round(peak),
            "peak_rss_sum_mb": round(peak_rss),
        },
        "index_mb": directory_mb(generation),
    }
    print(json.dumps(result), flush=True)
    print("serving ...", flush=True)
    server, first = time_to_first_answer(index)
    try:
        result["serve_to_first_answer_s"] = round(first, 2)
        persons = [
            f["value"] for f in server.get("/api/search", {"per_page": 1})["facets"]["person"]
        ]
        warm = query_set(generation, persons, queries, seed=count + 1)
        measured = query_set(generation, persons, queries, seed=count, exclude=warm)
        http_latencies(server, warm)
        result["search_http_ms"] = summary(http_latencies(server, measured))
        result["worker_rss_mb"] = server.worker_rss_mb()
        result["worker_uss_mb"] = server.worker_uss_mb()
    finally:
        server.stop()
    print(json.dumps(result), flush=True)
    print("updating 1,000 records ...", flush=True)
    changes = update_file(corpus, scratch / "update.jsonl", count)
    update_seconds, update_peak, _ = peak_memory_of(
        [*CLI, "build", "--update", str(changes), "--index", str(index)]
    )
    updated = json.loads((index.resolve() / MANIFEST).read_text())["records"]
    result["update"] = {
        "records_given": UPDATE_NEW + UPDATE_REPLACED,
        "seconds": round(update_seconds, 1),
        "peak_mb": round(update_peak),
        "records_after": updated,
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="million-"))
    try:
        result = run(args.count, args.queries, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result["date"] = dt.date.today().isoformat()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"million-{result['date']}.json"
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
