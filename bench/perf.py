"""The benchmark suite: build speed and memory, search latency over HTTP beside an
SQLite FTS5 reference, and throughput under concurrency, at several corpus sizes.

    make bench                                  # sizes 10,000 and 30,000
    make bench SIZES="10000 30000 100000 1000000"

For each size: generate the corpus (bench/generate.py, deterministic), build the index
with `archive-search build` in a child process (records/s, peak memory of the process
tree), start `archive-search serve` (gunicorn, 2 workers), and run >= 300 queries on one
persistent connection after a warm-up pass over different queries; run the same queries
through FTS5 in-process; measure requests/s with 1, 4 and 16 concurrent clients; read
each worker's RSS. Results go to bench/results/<date>.json, docs/performance.md and
docs/performance.png.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import fts5_reference  # noqa: E402
from bench.generate import write_corpus  # noqa: E402
from indexer.index.vocabulary import read_counts  # noqa: E402
from indexer.sources.ingest import ingest  # noqa: E402

CLI = [sys.executable, "-m", "indexer.cli"]
CONCURRENCY = (1, 4, 16)
THROUGHPUT_SECONDS = 8


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    return {
        "p50": round(statistics.median(values), 2),
        "p95": round(percentile(values, 0.95), 2),
        "p99": round(percentile(values, 0.99), 2),
        "n": len(values),
    }


def peak_rss_of(command: list[str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak RSS in MB of it and its children)."""
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
        except psutil.Error:
            pass
        time.sleep(0.1)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return time.perf_counter() - started, peak


def query_set(
    index_dir: Path, persons: list[str], count: int, seed: int, exclude: list[dict] = ()
) -> list[dict]:
    """A mixed load drawn from the index's own vocabulary (see the module docstring).

    No query appears twice, nor in ``exclude`` (the warm-up): the engine remembers
    answers, and the benchmark measures searching, not remembering.
    """
    rng = random.Random(seed)
    counts = read_counts(index_dir)
    ranked = [w for w, _ in counts.most_common() if len(w) > 3 and w.isalpha()]
    common, middle, rare = ranked[15:60], ranked[200:800], ranked[2000:6000]
    kinds = [
        lambda: {"q": rng.choice(common)},
        lambda: {"q": rng.choice(rare)},
        lambda: {"q": f"{rng.choice(middle)} {rng.choice(middle)}"},
        lambda: {"q": f'"{rng.choice(common)} {rng.choice(common)}"'},
        lambda: {"q": rng.choice(persons[:40])},
        dict,
    ]
    queries: list[dict] = []
    seen = {json.dumps(q, sort_keys=True) for q in exclude}
    attempt = 0
    while len(queries) < count:
        params = kinds[attempt % len(kinds)]()
        variant = (attempt // len(kinds)) % 3
        attempt += 1
        if variant == 1 or not params:
            params["year"] = [str(rng.randint(1945, 1991))]
        if variant == 2:
            params["person"] = [rng.choice(persons[:30])]
        key = json.dumps(params, sort_keys=True)
        if key not in seen:
            seen.add(key)
            queries.append(params)
    return queries


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, index: Path, workers: int = 2):
        self.port = free_port()
        # Every benchmark client is one address: the API's per-client rate limit is off.
        self.process = psutil.Popen(
            [
                *CLI,
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--index",
                str(index),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, ARCHIVE_SEARCH_API_RATE_LIMIT=""),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/api/search", {"per_page": 1})
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("the server did not start")

    def get(
        self, path: str, params: dict, connection: http.client.HTTPConnection | None = None
    ) -> dict:
        own = connection is None
        connection = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", f"{path}?{urlencode(params, doseq=True)}")
        response = connection.getresponse()
        body = response.read()
        if own:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"{response.status} for {params}")
        return json.loads(body)

    def worker_rss_mb(self) -> list[float]:
        return [
            round(child.memory_info().rss / 2**20, 1)
            for child in self.process.children(recursive=True)
        ]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def http_latencies(server: Server, queries: list[dict]) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    timings = []
    for params in queries:
        started = time.perf_counter()
        server.get("/api/search", params, connection)
        timings.append((time.perf_counter() - started) * 1000)
    connection.close()
    return timings


def throughput(server: Server, queries: list[dict], clients: int) -> float:
    done = [0] * clients
    stop = time.monotonic() + THROUGHPUT_SECONDS

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        position = number
        while time.monotonic() < stop:
            server.get("/api/search", queries[position % len(queries)], connection)
            done[number] += 1
            position += clients
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(sum(done) / (time.perf_counter() - started), 1)


def fts5_latencies(records, queries: list[dict], scratch: Path) -> tuple[list[float], float]:
    started = time.perf_counter()
    db = fts5_reference.build(records, scratch / "fts5.sqlite")
    build_seconds = time.perf_counter() - started
    for params in queries[:50]:  # warm-up
        fts5_reference.search(
            db, params.get("q", ""), params.get("year", []), params.get("person", [])
        )
    timings = []
    for params in queries:
        started = time.perf_counter()
        fts5_reference.search(
            db, params.get("q", ""), params.get("year", []), params.get("person", [])
        )
        timings.append((time.perf_counter() - started) * 1000)
    db.close()
    return timings, build_seconds


def run_size(size: int, query_count: int) -> dict:
    corpus = write_corpus(size, ROOT / "bench" / "corpus" / f"records-{size}.jsonl")
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        index = scratch / "index"
        seconds, peak = peak_rss_of([*CLI, "build", str(corpus), "--index", str(index)])
        records = ingest([corpus]).records
        server = Server(index)
        try:
            persons = [
                f["value"] for f in server.get("/api/search", {"per_page": 1})["facets"]["person"]
            ]
            generation = index.resolve()
            warm = query_set(generation, persons, query_count, seed=size + 1)
            measured = query_set(generation, persons, query_count, seed=size, exclude=warm)
            http_latencies(server, warm)
            ours = http_latencies(server, measured)
            used = warm + measured
            rates = {}
            for clients in CONCURRENCY:
                fresh = query_set(generation, persons, 3000, seed=size + 10 + clients, exclude=used)
                used = used + fresh
                rates[str(clients)] = throughput(server, fresh, clients)
            rss = server.worker_rss_mb()
        finally:
            server.stop()
        reference, reference_build = fts5_latencies(records, measured, scratch)
    ours_summary, reference_summary = summary(ours), summary(reference)
    return {
        "records": len(records),
        "build": {
            "seconds": round(seconds, 1),
            "records_per_second": round(len(records) / seconds),
            "peak_rss_mb": round(peak),
        },
        "search_http_ms": ours_summary,
        "fts5_in_process_ms": reference_summary,
        "fts5_build_seconds": round(reference_build, 1),
        "ratio_p50": round(ours_summary["p50"] / reference_summary["p50"], 2),
        "ratio_p95": round(ours_summary["p95"] / reference_summary["p95"], 2),
        "requests_per_second": rates,
        "worker_rss_mb": rss,
    }


def growth(results: dict, key, target: int = 1_000_000) -> tuple[float, float, float]:
    """Through the two largest measured sizes: (k of a power law cost ~ records ** k, its
    value at ``target`` records, and a straight line's value there). Extrapolations, and
    labelled as such: latency follows the power law, memory the line (a fixed base plus a
    cost per record)."""
    low, high = sorted(results["by_size"].values(), key=lambda r: r["records"])[-2:]
    a, b = key(low), key(high)
    exponent = math.log(b / a) / math.log(high["records"] / low["records"])
    slope = (b - a) / (high["records"] - low["records"])
    return (
        exponent,
        b * (target / high["records"]) ** exponent,
        b + slope * (target - high["records"]),
    )


def growth_lines(results: dict) -> list[str]:
    if len(results["sizes"]) < 2:
        return []
    measures = [
        ("search p50 over HTTP (ms)", lambda r: r["search_http_ms"]["p50"]),
        ("search p95 over HTTP (ms)", lambda r: r["search_http_ms"]["p95"]),
        ("build time (s)", lambda r: r["build"]["seconds"]),
        ("worker RSS (MB)", lambda r: max(r["worker_rss_mb"])),
    ]
    sizes = sorted(r["records"] for r in results["by_size"].values())[-2:]
    lines = [
        "",
        "## How cost grows",
        "",
        (
            f"Through the two largest measured sizes ({sizes[0]:,} and {sizes[1]:,} records): "
            "the exponent k of cost ~ records^k, and the cost at 1,000,000 records "
            "by that power law and by a straight line. "
            "The 1,000,000 columns are **extrapolated** from these measurements, not measured."
        ),
        "",
        "| measure | k | 1,000,000 by power law | 1,000,000 by straight line |",
        "|---|---|---|---|",
    ]
    for label, key in measures:
        exponent, power, line = growth(results, key)
        lines.append(f"| {label} | {exponent:.2f} | {power:,.0f} | {line:,.0f} |")
    return lines


def write_report(results: dict, out: Path) -> None:
    lines = [
        "# Performance",
        "",
        (
            f"Measured by `make bench` on {results['date']} ({results['machine']}). "
            "Our search is over HTTP"
        ),
        (
            "(gunicorn, 2 workers, one persistent connection, facets included); "
            "the reference is SQLite FTS5"
        ),
        "in-process doing the same work (match, bm25 top 20, total, year counts, top 30 persons).",
        "Ratios are ours over the reference's, from the same run.",
        "",
        (
            "| records | build rec/s | build peak MB | ours p50 / p95 / p99 ms | FTS5 p50 / p95 ms "
            "| ratio p50 | ratio p95 | req/s at 1 / 4 / 16 clients | worker RSS MB |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size in results["sizes"]:
        r = results["by_size"][str(size)]
        s, f, q = r["search_http_ms"], r["fts5_in_process_ms"], r["requests_per_second"]
        lines.append(
            f"| {r['records']:,} | {r['build']['records_per_second']:,} "
            f"| {r['build']['peak_rss_mb']:,} "
            f"| {s['p50']} / {s['p95']} / {s['p99']} | {f['p50']} / {f['p95']} "
            f"| {r['ratio_p50']} | {r['ratio_p95']} "
            f"| {q['1']} / {q['4']} / {q['16']} "
            f"| {', '.join(str(x) for x in r['worker_rss_mb'])} |"
        )
    lines += growth_lines(results)
    lines += ["", "![search latency against corpus size](performance.png)", ""]
    (out / "performance.md").write_text("\n".join(lines))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [results["by_size"][str(s)]["records"] for s in results["sizes"]]
    figure, axis = plt.subplots(figsize=(7, 4), dpi=120)
    for key, label in (("p50", "archive-search p50 (HTTP)"), ("p95", "archive-search p95 (HTTP)")):
        axis.plot(
            sizes,
            [results["by_size"][str(s)]["search_http_ms"][key] for s in results["sizes"]],
            marker="o",
            label=label,
        )
    axis.plot(
        sizes,
        [results["by_size"][str(s)]["fts5_in_process_ms"]["p50"] for s in results["sizes"]],
        marker="s",
        linestyle="--",
        label="FTS5 p50 (in-process)",
    )
    axis.set_xscale("log")
    axis.set_xlabel("records")
    axis.set_ylabel("ms per faceted search")
    axis.set_title("Search latency against corpus size")
    axis.grid(True, alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(out / "performance.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10000, 30000])
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    results = {
        "date": dt.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {round(psutil.virtual_memory().total / 2**30)} GiB",
        "sizes": args.sizes,
        "by_size": {},
    }
    for size in args.sizes:
        print(f"size {size}: building, serving, querying ...", flush=True)
        results["by_size"][str(size)] = run_size(size, args.queries)
        print(json.dumps(results["by_size"][str(size)], indent=1), flush=True)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{results['date']}.json").write_text(json.dumps(results, indent=2))
    write_report(results, ROOT / "docs")
    print((ROOT / "docs" / "performance.md").read_text())


if __name__ == "__main__":
    main()
