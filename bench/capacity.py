"""The capacity model's figures: searches per second one core serves, at p95 <= 100 ms.

    python bench/capacity.py --sizes 30000 100000        # part of `make bench`

For each corpus size an index is built, and one `archive-search serve` worker is pinned
to one core (taskset -c 1); wrk (Debian's, a C load generator) runs on the other core
(taskset -c 0), sending /api/search requests on keep-alive connections at rising
concurrency for SECONDS each:

- miss: every request a different search from the benchmark's mixed set (bench/perf.py:
  common, rare and two-word queries, phrases, persons, with year and person filters),
  more of them than the engine remembers, so nearly every answer is computed;
- hit: 20 searches over and over, so every answer after the first comes from the
  engine's answer cache (RESULT_CACHE_SIZE).

The capacity of a core is the highest rate among the concurrency levels whose p95 stays
at or under 100 ms. The worker's RSS and the index's size on disk are recorded too.
Results go to bench/results/capacity-<date>.json; docs/scaling.md quotes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write_corpus  # noqa: E402
from bench.perf import Server, build_quietly, query_set  # noqa: E402

CONCURRENCY = (1, 2, 4, 8, 16)
SECONDS = 15
P95_TARGET_MS = 100.0
HIT_QUERIES = 20
MISS_QUERIES = 20_000

# wrk's script: requests cycle through a list of paths; at the end, one JSON line.
WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local counter = %(offset)d
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%.3f, "errors": %%d, '
    .. '"p50_ms": %%.2f, "p95_ms": %%.2f, "p99_ms": %%.2f}\\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def require(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise SystemExit(
            f"{program} is missing: `make bench` installs it (apt-get install {program})"
        )
    return found


def run_wrk(port: int, paths: Path, clients: int, seconds: int, work: Path, offset: int) -> dict:
    script = work / f"wrk-{clients}-{offset}.lua"
    script.write_text(WRK_SCRIPT % {"paths": paths, "offset": offset})
    done = subprocess.run(
        [
            "taskset",
            "-c",
            "0",
            require("wrk"),
            "-t1",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["rate"] = round(result["requests"] / result["seconds"], 1)
    result["clients"] = clients
    return result


def measure(size: int, work: Path, seconds: int) -> dict:
    corpus = write_corpus(size)  # the benchmark's corpus of this size, written once
    index = work / f"index-{size}" / "index"
    build_quietly(corpus, index)
    server = Server(index, workers=1)
    # One worker on core 1: its gunicorn master sleeps, the worker does the work.
    for process in [server.process, *server.process.children(recursive=True)]:
        os.sched_setaffinity(process.pid, {1})
    try:
        persons = [
            f["value"] for f in server.get("/api/search", {"per_page": 1})["facets"]["person"]
        ]
        generation = index.resolve()
        miss = query_set(generation, persons, MISS_QUERIES, seed=size)
        paths = {
            "miss": [f"/api/search?{urlencode(q, doseq=True)}" for q in miss],
            "hit": [f"/api/search?{urlencode(q, doseq=True)}" for q in miss[:HIT_QUERIES]],
        }
        results: dict[str, list[dict]] = {}
        for kind, listed in paths.items():
            file = work / f"paths-{size}-{kind}.txt"
            file.write_text("\n".join(listed) + "\n")
            results[kind] = []
            for step, clients in enumerate(CONCURRENCY):
                # Each level starts further along the list: misses stay misses.
                offset = step * 4_000 if kind == "miss" else 0
                results[kind].append(run_wrk(server.port, file, clients, seconds, work, offset))
                print(size, kind, results[kind][-1], flush=True)
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    capacity = {
        kind: max(
            (r["rate"] for r in runs if r["p95_ms"] <= P95_TARGET_MS and not r["errors"]),
            default=0.0,
        )
        for kind, runs in results.items()
    }
    index_mb = sum(p.stat().st_size for p in generation.iterdir()) / 2**20
    return {
        "records": size,
        "runs": results,
        "per_core_at_p95_100ms": capacity,
        "worker_rss_mb": rss,
        "index_mb": round(index_mb, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 100_000])
    parser.add_argument("--seconds", type=int, default=SECONDS)
    args = parser.parse_args()
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("the capacity bench needs two cores: one served, one for wrk")
    with tempfile.TemporaryDirectory(prefix="capacity-") as scratch:
        figures = [measure(size, Path(scratch), args.seconds) for size in args.sizes]
    out = ROOT / "bench" / "results" / f"capacity-{dt.date.today().isoformat()}.json"
    out.write_text(
        json.dumps({"date": dt.date.today().isoformat(), "sizes": figures}, indent=2) + "\n"
    )
    for figure in figures:
        print(
            figure["records"],
            figure["per_core_at_p95_100ms"],
            figure["worker_rss_mb"],
            figure["index_mb"],
        )
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
