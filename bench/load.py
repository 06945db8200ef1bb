"""The load test: 50 concurrent clients for 60 s against `archive-search serve` (2 gunicorn
workers), then the same with a full rebuild swapped in halfway.

    make load                                   # 10,000 records, 50 clients, 60 s, both runs
    python bench/load.py --records 30000 --clients 50 --seconds 60

Each client is an asyncio task with its own keep-alive connection (httpx), sending
faceted searches from the benchmark's mixed query set (bench/perf.py) back to back. A
failure is any answer but 200, a malformed body, or a connection error or timeout.
In the swap run an `archive-search build` of the same corpus starts 5 s in, competing
for the same two cores, and its new generation is swapped in while the clients search;
the clients go on for the full time and at least a quarter of it after the swap. Results
go to bench/results/load-<date>.json and docs/load.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write_corpus  # noqa: E402
from bench.perf import CLI, Server, build_quietly, percentile, query_set  # noqa: E402


async def client(number: int, port: int, queries: list[dict], until: Until, log: list) -> None:
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=30, limits=httpx.Limits(max_connections=1)
    ) as http:
        position = number * 7919
        while time.monotonic() < until.deadline:
            params = queries[position % len(queries)]
            position += 1
            started = time.perf_counter()
            try:
                response = await http.get(f"/api/search?{urlencode(params, doseq=True)}")
                body = response.json()
                ok = response.status_code == 200 and "total" in body
                version = response.headers.get("X-Index-Version")
            except (httpx.HTTPError, ValueError) as error:
                ok, version = False, repr(error)
            log.append((time.monotonic(), (time.perf_counter() - started) * 1000, ok, version))


class Until:
    """When the clients stop: a deadline the swap run can push back."""

    def __init__(self, seconds: float):
        self.started = time.monotonic()
        self.deadline = self.started + seconds


async def load(port: int, queries: list[dict], clients: int, until: Until) -> list:
    log: list = []
    await asyncio.gather(*(client(n, port, queries, until, log) for n in range(clients)))
    return log


def run(
    index: Path, corpus: Path, queries: list[dict], clients: int, seconds: float, swap: bool
) -> dict:
    server = Server(index)
    rebuild = None
    try:
        old = index.resolve().name
        if swap:

            async def with_swap():
                until = Until(seconds)
                task = asyncio.create_task(load(server.port, queries, clients, until))
                await asyncio.sleep(5)
                process = await asyncio.create_subprocess_exec(
                    *CLI,
                    "build",
                    str(corpus),
                    "--index",
                    str(index),
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                code = await process.wait()
                swapped = time.monotonic()
                until.deadline = max(until.deadline, swapped + seconds / 4)
                return await task, code, swapped - until.started, until.deadline - until.started

            log, code, swapped_after, ran = asyncio.run(with_swap())
            if code:
                raise SystemExit("the rebuild during the load test failed")
            rebuild = {
                "swapped_after_s": round(swapped_after, 1),
                "old": old,
                "new": index.resolve().name,
            }
            seconds = ran
        else:
            log = asyncio.run(load(server.port, queries, clients, Until(seconds)))
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    latencies = [ms for _, ms, ok, _ in log if ok]
    failures = [entry for entry in log if not entry[2]]
    result = {
        "clients": clients,
        "seconds": round(seconds, 1),
        "requests": len(log),
        "failed": len(failures),
        "requests_per_second": round(len(log) / seconds, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
        "worker_rss_mb": rss,
        "failures_sample": [str(f) for f in failures[:5]],
    }
    if rebuild:
        versions = {version for _, _, ok, version in log if ok}
        rebuild["versions_seen"] = sorted(versions)
        result["rebuild"] = rebuild
    return result


def write_report(results: dict, out: Path) -> None:
    lines = [
        "# Under load",
        "",
        (
            f"Measured by `make load` on {results['date']}: "
            f"{results['records']:,} generated records, "
            f"{results['runs'][0]['clients']} concurrent clients "
            "(asyncio + httpx, one keep-alive connection each) "
            f"for {results['runs'][0]['seconds']:g} s against `archive-search serve` "
            "with 2 gunicorn workers on this 2-core machine (clients and server share the cores). "
            "A failure is any answer but 200, a malformed body, or a connection error."
        ),
        "",
        "| run | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms | worker RSS MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    # main() always makes exactly two runs: the steady one, then the one with the swap.
    for name, run_result in zip(("steady", "rebuild swapped in"), results["runs"], strict=True):
        r = run_result
        lines.append(
            f"| {name} | {r['requests']:,} | {r['failed']} | {r['requests_per_second']} "
            f"| {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} "
            f"| {', '.join(map(str, r['worker_rss_mb']))} |"
        )
    swap = results["runs"][-1].get("rebuild")
    if swap:
        after = [v for v in swap["versions_seen"] if v != swap["old"]]
        lines += [
            "",
            (
                "In the second run a full rebuild of the same corpus started 5 s in, "
                f"finished and was swapped in {swap['swapped_after_s']} s in "
                "(building while the clients searched), and the clients "
                f"went on to {results['runs'][1]['seconds']:g} s. "
                "Answers came from the old generation and then "
                f"{'the new one' if after else 'only the old one'} "
                f"({', '.join(swap['versions_seen'])})."
            ),
            "",
            (
                "Latency under 50 clients is mostly queueing: two workers answer one search "
                "at a time each, so a client waits for the searches ahead of it "
                "(requests/s x latency = clients). "
                "The load generator shares the two cores with the server."
            ),
        ]
    (out / "load.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    corpus = write_corpus(args.records)
    with tempfile.TemporaryDirectory() as scratch:
        index = Path(scratch) / "index"
        build_quietly(corpus, index)
        server = Server(index)
        try:
            persons = [
                f["value"] for f in server.get("/api/search", {"per_page": 1})["facets"]["person"]
            ]
        finally:
            server.stop()
        queries = query_set(index.resolve(), persons, 4000, seed=args.records + 99)
        runs = []
        for swap in (False, True):
            with_rebuild = " with a rebuild" if swap else ""
            print(f"{args.clients} clients for {args.seconds:g} s{with_rebuild} ...", flush=True)
            runs.append(run(index, corpus, queries, args.clients, args.seconds, swap))
            print(json.dumps(runs[-1], indent=1), flush=True)
    results = {"date": dt.date.today().isoformat(), "records": args.records, "runs": runs}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"load-{results['date']}.json").write_text(json.dumps(results, indent=2))
    write_report(results, ROOT / "docs")
    print((ROOT / "docs" / "load.md").read_text())


if __name__ == "__main__":
    main()
