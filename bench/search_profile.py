"""Where a search's time goes: per-stage totals over a fresh query load, and the slowest queries.

    archive-search build bench/corpus/records-v2-30000.jsonl --index /tmp/ix30/index
    python bench/search_profile.py --index /tmp/ix30/index [--cprofile]

Runs the benchmark's mixed query set (bench/perf.py) in-process against one Engine:
100 warm-up queries, then 360 others. It times each Engine stage (parse, matching,
ranking the page, building hits, facets, suggestions) and prints their totals, the
percentiles, and the 15 slowest queries with their stages. --cprofile prints cProfile's
top functions instead.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.perf import percentile, query_set  # noqa: E402
from indexer import search  # noqa: E402
from indexer.search.query import make_query  # noqa: E402
from indexer.search.querytext import TextParser  # noqa: E402

STAGES = {
    "_matching": False,
    "_page": True,
    "_hit": False,
    "_facet": True,
    "_suggest": False,
    "_highlight_terms": True,
}


def timed(totals: dict, name: str, function, static: bool):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += (time.perf_counter() - started) * 1000

    return staticmethod(wrapper) if static else wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    totals: dict[str, float] = collections.defaultdict(float)
    for name, static in STAGES.items():
        original = getattr(search.Engine, name)
        setattr(search.Engine, name, timed(totals, name.strip("_"), original, static))
    TextParser.parse = timed(totals, "parse", TextParser.parse, False)
    engine = search.Engine(args.index)
    state = engine.state()
    persons = [
        name
        for name, _ in sorted(
            state.columns.value_counts("person", state.columns.all_docs()).items(),
            key=lambda item: -item[1],
        )
    ]
    warm = query_set(args.index.resolve(), persons, 100, seed=1)
    measured = query_set(args.index.resolve(), persons, 360, seed=2, exclude=warm)

    def run(params: dict):
        return engine.search(
            make_query(
                params.get("q", ""), years=params.get("year", []), persons=params.get("person", [])
            )
        )

    for params in warm:
        run(params)
    totals.clear()
    profile = None
    if args.cprofile:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    rows = []
    for params in measured:
        before = dict(totals)
        started = time.perf_counter()
        run(params)
        rows.append(
            (
                (time.perf_counter() - started) * 1000,
                params,
                {
                    k: round(v - before.get(k, 0), 1)
                    for k, v in totals.items()
                    if v - before.get(k, 0) >= 1
                },
            )
        )
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        return
    times = [row[0] for row in rows]
    print(
        f"{len(rows)} queries: p50 {statistics.median(times):.1f} ms, "
        f"p95 {percentile(times, 0.95):.1f}, p99 {percentile(times, 0.99):.1f}"
    )
    print(
        "stage totals (ms):",
        ", ".join(f"{k} {v:,.0f}" for k, v in sorted(totals.items(), key=lambda i: -i[1])),
    )
    for ms, params, stages in sorted(rows, key=lambda row: -row[0])[:15]:
        print(f"{ms:7.1f}  {params}  {stages}")


if __name__ == "__main__":
    main()
