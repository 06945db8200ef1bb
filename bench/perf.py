"""The benchmark suite: build speed and memory, search latency over HTTP beside two
reference engines (SQLite FTS5 and tantivy), and throughput under concurrency, at several
corpus sizes.

    make bench                                  # sizes 10,000 and 30,000
    make bench SIZES="10000 30000 100000 1000000"
    python bench/perf.py --sizes 2000 3000 --queries 50 --out bench/out   # a quick check

For each size: generate the corpus (bench/generate.py, deterministic), build the index
with `archive-search build` in a child process (records/s, peak memory of the process
tree), start `archive-search serve` (gunicorn, 2 workers), and run >= 300 queries on one
persistent connection after a warm-up pass over different queries; measure requests/s
with 1, 4 and 16 concurrent clients; read each worker's RSS. Then each reference engine
(bench/fts5_reference.py, bench/tantivy_reference.py) builds its index from the same
records in a process of its own (bench/reference_build.py: build time, peak memory), and
runs the same queries in-process after a warm-up over different ones. Results go to
bench/results/<date>.json, docs/performance.md and docs/performance.png (or all three to
--out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import importlib.metadata
import json
import math
import os
import random
import shutil
import socket
import sqlite3
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

from bench import fts5_reference, tantivy_reference  # noqa: E402 (path set above)
from bench.generate import write_corpus  # noqa: E402 (path set above)
from indexer.index.vocabulary import read_counts  # noqa: E402 (path set above)

CLI = [sys.executable, "-m", "indexer.cli"]
CONCURRENCY = (1, 4, 16)
THROUGHPUT_SECONDS = 8
BUILD_RUNS = 3
WARM_UP_QUERIES = 50  # the references' warm-up (they remember no answers)
# The reference engines: the key their results go under, their name, their module.
REFERENCES = {
    "fts5": ("SQLite FTS5", fts5_reference),
    "tantivy": ("tantivy", tantivy_reference),
}


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


def build_quietly(corpus: Path, index: Path) -> None:
    """`archive-search build CORPUS --index INDEX`, its output discarded (not timed)."""
    subprocess.run(
        [*CLI, "build", str(corpus), "--index", str(index)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def peak_memory_of(command: list[str]) -> tuple[float, float, float]:
    """Run a command; return (seconds, peak memory in MB of it and its children, peak of
    their RSS summed), sampled every 0.1 s.

    The memory is the sum of the processes' PSS (each page shared by n processes counted
    1/n in each): what the tree holds. Summed RSS counts a page a forked worker shares
    with its parent once per process, so it overstates a tree of forked workers."""
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_rss = 0.0
    while process.poll() is None:
        pss = rss = 0
        for member in [process, *_children(process)]:
            try:
                memory = member.memory_full_info()
            except psutil.Error:
                continue  # ended since it was listed
            pss, rss = pss + memory.pss, rss + memory.rss
        peak, peak_rss = max(peak, pss / 2**20), max(peak_rss, rss / 2**20)
        time.sleep(0.1)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return time.perf_counter() - started, peak, peak_rss


def _children(process: psutil.Process) -> list[psutil.Process]:
    try:
        return process.children(recursive=True)
    except psutil.Error:
        return []


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
    def __init__(self, index: Path, workers: int = 2, poll: float = 0.3):
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
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                self.get("/api/search", {"per_page": 1})
                return
            except OSError:
                time.sleep(poll)
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

    def worker_uss_mb(self) -> list[float]:
        """Each worker's private memory (USS): RSS without the index pages it has mapped,
        which the page cache holds once for every worker."""
        return [
            round(child.memory_full_info().uss / 2**20, 1)
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


def reference_build(engine: str, corpus: Path, path: Path) -> dict:
    """Build a reference engine's index at ``path`` in a process of its own (see
    bench/reference_build.py): its records, seconds and resident memory."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "reference_build.py"),
            engine,
            str(corpus),
            str(path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"the {engine} build failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def reference_latencies(
    engine: str, corpus: Path, warm: list[dict], queries: list[dict], scratch: Path
) -> tuple[list[float], dict]:
    """A reference engine's build (in a child) and its search latencies (in-process, ms)."""
    module = REFERENCES[engine][1]
    path = scratch / engine
    build = reference_build(engine, corpus, path)
    handle = module.connect(path)
    for params in warm[:WARM_UP_QUERIES]:
        module.search(handle, params.get("q", ""), params.get("year", []), params.get("person", []))
    timings = []
    for params in queries:
        started = time.perf_counter()
        module.search(handle, params.get("q", ""), params.get("year", []), params.get("person", []))
        timings.append((time.perf_counter() - started) * 1000)
    if isinstance(handle, sqlite3.Connection):
        handle.close()
    return timings, build


def ratio(ours: float, reference: float) -> float | None:
    """Ours over a reference's; None when the reference's rounds to 0 ms."""
    return round(ours / reference, 2) if reference else None


def build_summary(build: dict) -> dict:
    return {
        "seconds": round(build["seconds"], 2),
        "records_per_second": round(build["records"] / build["seconds"]),
        "peak_rss_mb": build["peak_rss_mb"],
        "build_peak_mb": build["build_peak_mb"],
        "records_rss_mb": build["records_rss_mb"],
    }


def run_size(size: int, query_count: int) -> dict:
    corpus = write_corpus(size)  # bench/corpus/records-v2-<size>.jsonl: no texts
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        # The median of BUILD_RUNS builds, each from nothing (a 2-core VM's speed varies
        # by a fifth from one minute to the next); the last one is served.
        runs = []
        for run in range(BUILD_RUNS):
            index = scratch / f"build-{run}" / "index"
            runs.append(peak_memory_of([*CLI, "build", str(corpus), "--index", str(index)]))
            if run < BUILD_RUNS - 1:
                shutil.rmtree(index.parent)
        seconds = statistics.median(run[0] for run in runs)
        peak, peak_rss = max(run[1] for run in runs), max(run[2] for run in runs)
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
        fts5, fts5_build = reference_latencies("fts5", corpus, warm, measured, scratch)
        tantivy, tantivy_build = reference_latencies("tantivy", corpus, warm, measured, scratch)
    records = fts5_build["records"]  # as our build reads them: the same ingest
    ours_summary, fts5_summary, tantivy_summary = summary(ours), summary(fts5), summary(tantivy)
    return {
        "records": records,
        "build": {
            "seconds": round(seconds, 1),
            "records_per_second": round(records / seconds),
            "peak_mb": round(peak),
            "peak_rss_sum_mb": round(peak_rss),
            "runs_seconds": [round(run[0], 2) for run in runs],
        },
        "search_http_ms": ours_summary,
        "fts5_in_process_ms": fts5_summary,
        "fts5_build_seconds": round(fts5_build["seconds"], 1),
        "ratio_p50": ratio(ours_summary["p50"], fts5_summary["p50"]),
        "ratio_p95": ratio(ours_summary["p95"], fts5_summary["p95"]),
        "requests_per_second": rates,
        "worker_rss_mb": rss,
        "fts5_build": build_summary(fts5_build),
        "tantivy_in_process_ms": tantivy_summary,
        "tantivy_build": build_summary(tantivy_build),
        "tantivy_ratio_p50": ratio(ours_summary["p50"], tantivy_summary["p50"]),
        "tantivy_ratio_p95": ratio(ours_summary["p95"], tantivy_summary["p95"]),
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


NOT_MEASURED = "—"


def _cell(value: object, form: str = "{}") -> str:
    return NOT_MEASURED if value is None else form.format(value)


def size_table(r: dict) -> list[str]:
    """One corpus size: ours over HTTP, then each reference engine in-process. Results
    written before the tantivy reference lack its keys (and FTS5's build memory): those
    cells show a dash, not measured."""
    q, fts5_build = r["requests_per_second"], r.get("fts5_build")
    if fts5_build is None and r.get("fts5_build_seconds"):
        fts5_build = {"records_per_second": round(r["records"] / r["fts5_build_seconds"])}
    engines = [
        ("ours (HTTP)", r["build"], r["search_http_ms"], None, None),
        (
            f"{REFERENCES['fts5'][0]} (in-process)",
            fts5_build or {},
            r["fts5_in_process_ms"],
            r.get("ratio_p50"),
            r.get("ratio_p95"),
        ),
        (
            f"{REFERENCES['tantivy'][0]} (in-process)",
            r.get("tantivy_build") or {},
            r.get("tantivy_in_process_ms") or {},
            r.get("tantivy_ratio_p50"),
            r.get("tantivy_ratio_p95"),
        ),
    ]
    lines = [
        "",
        f"### {r['records']:,} records",
        "",
        (
            "| engine | build rec/s | build peak MB | search p50 ms | p95 ms | p99 ms "
            "| ours ÷ this, p50 / p95 | req/s at 1 / 4 / 16 clients | worker RSS MB |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rates = f"{q['1']} / {q['4']} / {q['16']}"
    workers = ", ".join(str(x) for x in r["worker_rss_mb"])
    for number, (name, build, search, ratio_p50, ratio_p95) in enumerate(engines):
        ours = number == 0
        ratios = f"{ratio_p50} / {ratio_p95}" if ratio_p50 is not None else None
        cells = [
            name,
            _cell(build.get("records_per_second"), "{:,}"),
            _cell(build.get("peak_mb", build.get("peak_rss_mb")), "{:,}"),
            _cell(search.get("p50")),
            _cell(search.get("p95")),
            _cell(search.get("p99")),
            _cell(None if ours else ratios),
            rates if ours else NOT_MEASURED,
            workers if ours else NOT_MEASURED,
        ]
        lines.append(f"| {' | '.join(cells)} |")
    builds = {name: r.get(f"{key}_build") for key, (name, _) in REFERENCES.items()}
    builds = {name: build for name, build in builds.items() if build}
    if builds:
        held = ", ".join(f"{name} {b['records_rss_mb']:,} MB" for name, b in builds.items())
        alone = ", ".join(
            f"{name} {_cell(b.get('build_peak_mb'), '{:,} MB')}" for name, b in builds.items()
        )
        lines += [
            "",
            (
                f"The references' processes held the records once read ({held}); their peak "
                f"while building alone: {alone} (reading and cleaning the corpus can peak "
                "higher than a light engine's build)."
            ),
        ]
    return lines


def million_lines(results_dir: Path) -> list[str]:
    """The latest measured million (bench/million.py), if one was run."""
    runs = sorted(results_dir.glob("million-*.json"))
    if not runs:
        return []
    m = json.loads(runs[-1].read_text())
    build, search, update = m["build"], m["search_http_ms"], m["update"]
    rows = [
        ("records", f"{m['records']:,}", ""),
        (
            "build time",
            f"{build['seconds']:,} s ({build['records_per_second']:,} records/s)",
            "at most 10 minutes",
        ),
        (
            "peak build memory",
            f"{build['peak_mb']:,} MB (summed RSS {build['peak_rss_sum_mb']:,} MB)",
            "at most 3 GB",
        ),
        ("index size on disk", f"{m['index_mb']:,} MB", ""),
        (
            "`serve` to first answer (checksums verified)",
            f"{m['serve_to_first_answer_s']} s",
            "at most 10 s",
        ),
        (
            "HTTP search p50 / p95 / p99",
            f"{search['p50']} / {search['p95']} / {search['p99']} ms ({search['n']} queries)",
            "p95 at most 150 ms",
        ),
        ("worker RSS", ", ".join(f"{rss} MB" for rss in m["worker_rss_mb"]), "at most 400 MB"),
        *(
            [
                (
                    "worker private memory (USS)",
                    ", ".join(f"{uss} MB" for uss in m["worker_uss_mb"]),
                    "",
                )
            ]
            if "worker_uss_mb" in m
            else []
        ),
        (
            f"`build --update` of {update['records_given']:,} records",
            f"{update['seconds']} s (peak {update['peak_mb']:,} MB)",
            "at most 10 s",
        ),
    ]
    return [
        "",
        f"## One million records, measured ({m['date']})",
        "",
        (
            "`make bench-million` (bench/million.py): one million generated records built "
            "end to end, served by `archive-search serve` (gunicorn, 2 workers) and queried "
            "over HTTP with the query mix above; then 500 new records and 500 replacements "
            "added by `build --update`. Measured once, not extrapolated."
            + (f" Corpus: {m['corpus']}." if m.get("corpus") else "")
        ),
        "",
        "| measure | measured | goal |",
        "|---|---|---|",
        *(f"| {name} | {value} | {goal} |" for name, value, goal in rows),
    ]


def fulltext_lines(results_dir: Path) -> list[str]:
    """The latest full-text measurement (bench/fulltext.py), or one line saying there is none."""
    runs = sorted(results_dir.glob("fulltext-*.json"))
    if not runs:
        return [
            "",
            "Full text: not measured yet (`python bench/fulltext.py`, run by `make bench`).",
        ]
    f = json.loads(runs[-1].read_text())
    builds, search = f["builds"], f["search_ms"]
    repeats = len(builds["with_text"]["runs_seconds"])
    measured = f" (the median of {repeats} builds each)" if repeats > 1 else " once"
    rows = [
        ("with text", "titles, summaries and texts", builds["with_text"]),
        ("without text", "titles and summaries", builds["without_text"]),
    ]
    lines = [
        "",
        f"## Full text, measured ({f['date']})",
        "",
        (
            f"`python bench/fulltext.py` (run by `make bench`): {f['records']:,} generated "
            f"records, {f.get('records_with_text', 0):,} of them ({f['text_ratio']:.0%}) with "
            f"a text of 200-3,000 words ({f.get('text_words', 0):,} words in all; "
            f"{f['corpus']}), built end to end by `archive-search build` from the corpus, and "
            "from the same corpus with its texts removed. MB text/s: the UTF-8 megabytes of "
            "titles, summaries and texts read per second. Measured"
            f"{measured}, not extrapolated."
        ),
        "",
        "| build | input MB | seconds | records/s | MB text/s | peak MB | index MB |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {name} ({what}) | {b['input_mb']:,} | {b['seconds']:,} "
            f"| {b['records_per_second']:,} | {b['mb_per_second']:,} | {b['peak_mb']:,} "
            f"| {b['index_mb']:,} |"
            for name, what, b in rows
        ),
        "",
    ]
    searched = (
        f"Searching the texts (`Engine.search` in-process, facets included, {search['n']} "
        f"queries of words found only in texts: single words, two words, phrases, a word with "
        f"a year; after {f['warm_up']} others): p50 / p95 / p99 "
        f"{search['p50']} / {search['p95']} / {search['p99']} ms; "
        f"{search['matched']} of {search['n']} found something."
    )
    if not f.get("text_searched"):
        searched += " The index did not search texts: these are the times of finding nothing."
    fts5 = f.get("fts5")
    if fts5:
        reference = fts5["search_ms"]
        searched += (
            f" SQLite FTS5 on the same words (each text appended to its summary), in-process: "
            f"{reference['p50']} / {reference['p95']} / {reference['p99']} ms, "
            f"built at {fts5['records_per_second']:,} records/s from the records in memory."
        )
    return [*lines, searched]


def write_report(results: dict, out: Path) -> None:
    engines = results.get("engines", {})
    versions = ", ".join(f"{name} {version}" for name, version in engines.items())
    lines = [
        "# Performance",
        "",
        (
            f"Measured by `make bench` on {results['date']} ({results['machine']}"
            f"{'; ' + versions if versions else ''}). One table per corpus size."
        ),
        "",
        (
            "Our search is over HTTP (gunicorn, 2 workers, one persistent connection, facets "
            "included). Two reference engines do the same work in-process, with no HTTP: SQLite "
            "FTS5, what a user has at hand, and tantivy (Rust), a compiled engine's limit. For "
            "each query all three match the words and phrases, rank the top 20 by bm25 (titles "
            "weighted over names over summaries) and read their titles and summaries, count the "
            "matches, and count them per year and for the 30 most named persons "
            "(bench/fts5_reference.py, bench/tantivy_reference.py). The references run the same "
            "queries as ours, after a warm-up over other queries. Ratios are ours over the "
            "reference's, from the same run."
        ),
        "",
        (
            "Build rec/s: ours is `archive-search build` end to end (reading and cleaning the "
            "corpus too); the references' is their build from the same records already in "
            "memory. Build peak MB: the peak resident memory of the process that reads the "
            "corpus and builds the index (ours the sum over the build's process tree, sampled "
            "every 0.1 s; the references' the kernel's high-water mark of a process of their "
            "own, bench/reference_build.py). A dash: not measured, or not the engine's "
            "(requests/s and worker RSS are our server's; the references have no server)."
        ),
    ]
    for size in results["sizes"]:
        lines += size_table(results["by_size"][str(size)])
    lines += million_lines(ROOT / "bench" / "results")
    lines += fulltext_lines(ROOT / "bench" / "results")
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
    if all("tantivy_in_process_ms" in results["by_size"][str(s)] for s in results["sizes"]):
        axis.plot(
            sizes,
            [results["by_size"][str(s)]["tantivy_in_process_ms"]["p50"] for s in results["sizes"]],
            marker="^",
            linestyle=":",
            label="tantivy p50 (in-process)",
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
    parser.add_argument(
        "--out",
        type=Path,
        help="write the results, performance.md and .png here (default: bench/results and docs)",
    )
    args = parser.parse_args()
    results = {
        "date": dt.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {round(psutil.virtual_memory().total / 2**30)} GiB",
        "engines": {
            "SQLite": sqlite3.sqlite_version,
            "tantivy": importlib.metadata.version("tantivy"),
        },
        "sizes": args.sizes,
        "by_size": {},
    }
    for size in args.sizes:
        print(f"size {size}: building, serving, querying ...", flush=True)
        results["by_size"][str(size)] = run_size(size, args.queries)
        print(json.dumps(results["by_size"][str(size)], indent=1), flush=True)
    out, docs = (args.out, args.out) if args.out else (ROOT / "bench" / "results", ROOT / "docs")
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{results['date']}.json").write_text(json.dumps(results, indent=2))
    write_report(results, docs)
    print((docs / "performance.md").read_text())


if __name__ == "__main__":
    main()
