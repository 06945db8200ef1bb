"""Crashes, swaps, damage, slow clients and abuse: the served index stays whole and the
server keeps answering.

- A build killed with SIGKILL at 20 random moments (full builds and --update) never
  leaves the served index half-written.
- A rebuild swapped in under load fails no request.
- A damaged index is refused at start with one sentence, not a stack trace later.
- Slow clients do not hold up others; the API's rate limit answers 429 with Retry-After.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, free_port

from bench.generate import write_corpus
from indexer.index.build import build_index
from indexer.index.generations import MANIFEST
from indexer.search.engine import Engine
from indexer.search.query import make_query
from indexer.sources.ingest import ingest

KILLS = 20
CLI = [sys.executable, "-m", "indexer.cli"]


@pytest.fixture(scope="module")
def seed_records(seeds_dir):
    return ingest([seeds_dir]).records


def served_is_whole(path: Path) -> int:
    """The link points at a complete generation, which opens and answers: its record count."""
    generation = path.resolve()
    assert generation.is_dir() and not generation.name.endswith(".building")
    manifest = json.loads((generation / MANIFEST).read_text())
    engine = Engine(path)
    total = engine.search(make_query()).total
    assert total == manifest["records"]
    assert engine.probe() == total
    return total


def test_a_build_killed_at_any_moment_leaves_the_served_index_whole(tmp_path, seed_records):
    path = tmp_path / "index"
    build_index(seed_records, path)
    corpus = write_corpus(600, tmp_path / "corpus.jsonl")
    full = [*CLI, "build", str(corpus), "--index", str(path)]
    update = [*CLI, "build", str(corpus), "--index", str(path), "--update"]
    started = time.perf_counter()
    subprocess.run(
        [*CLI, "build", str(corpus), "--index", str(tmp_path / "timing")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    duration = time.perf_counter() - started
    corpus_records = len(ingest([corpus]).records)
    rng = random.Random(1961)
    totals = set()
    for kill in range(KILLS):
        command = update if kill % 2 else full
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.05, duration))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        totals.add(served_is_whole(path))
    # Each kill left the seeds, a finished full build, or a finished update over the seeds.
    assert totals <= {len(seed_records), corpus_records, len(seed_records) + corpus_records}
    subprocess.run(full, cwd=ROOT, check=True, capture_output=True)
    assert not list(tmp_path.glob("index.*building*"))
    assert served_is_whole(path) == corpus_records


# -- a real server ------------------------------------------------------------------------------


def http_get(port: int, path: str, connection: http.client.HTTPConnection | None = None):
    """(status, headers, body) of one GET, on ``connection`` if given (kept open)."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        if own:
            connection.close()


class Server:
    """`archive-search serve` on a free port over ``index``, with extra environment."""

    def __init__(self, index: Path, workers: int = 2, **environment: str):
        self.port = free_port()
        env = dict(os.environ, **environment)
        # The access log goes to a file: a pipe nobody reads fills up and stalls the server.
        self.log = index.parent / f"serve-{self.port}.log"
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
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
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.get(
                    "/opensearch.xml"
                )  # not rate limited: the tests of the limit count from zero
                return
            except OSError:
                if self.process.poll() is not None:
                    pytest.fail(f"the server exited: {self.log.read_text()}")
                time.sleep(0.2)
        self.stop()
        pytest.fail("the server did not answer within 30 s")

    def get(self, path: str, connection: http.client.HTTPConnection | None = None):
        return http_get(self.port, path, connection)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def test_a_rebuild_swapped_in_under_load_fails_no_request(
    tmp_path, seed_records, sample_dir, seeds_dir
):
    path = tmp_path / "index"
    build_index(seed_records, path)
    old = path.resolve().name
    server = Server(path)
    queries = [
        "q=stalin",
        "q=mao&page=2&per_page=5",
        "q=korea",
        "",
        "q=telegram&sort=-date",
        "year=1950",
        "q=%22central+committee%22",
        "q=soviet+OR+chinese",
    ]
    failures, answers, stop = [], [], threading.Event()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        position = number
        while not stop.is_set():
            query = queries[position % len(queries)]
            position += 1
            try:
                status, headers, body = server.get(f"/api/search?{query}", connection)
                json.loads(body)
                answers.append((time.monotonic(), headers.get("X-Index-Version")))
                if status != 200:
                    failures.append((query, status, body[:200]))
            except Exception as error:  # a reset, a timeout, a half-written answer: all failures
                failures.append((query, repr(error)))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        subprocess.run(
            [*CLI, "build", str(seeds_dir), str(sample_dir), "--index", str(path)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        swapped_at = time.monotonic()
        time.sleep(2.0)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        server.stop()
    new = path.resolve().name
    assert new != old
    assert not failures, failures[:5]
    assert len(answers) > 100
    assert {version for _, version in answers} == {old, new}
    # Within a second of the swap every worker answers from the new generation.
    assert all(version == new for at, version in answers if at > swapped_at + 1.0)


@pytest.mark.parametrize(
    "damage",
    [
        "truncated segment",
        "zeroed at 10%",
        "zeroed at 50%",
        "zeroed at 90%",
        "no table of contents",
        "bad manifest",
        "no generation",
    ],
)
def test_a_damaged_index_is_refused_at_start_in_one_sentence(tmp_path, seed_records, damage):
    path = tmp_path / "index"
    build_index(seed_records, path)
    generation = path.resolve()
    # The segment's largest file: its postings (or the whole segment, if compound).
    segment = max(
        (f for f in generation.glob("MAIN_*") if f.stat().st_size), key=lambda f: f.stat().st_size
    )
    if damage == "truncated segment":
        data = segment.read_bytes()
        segment.write_bytes(data[: len(data) // 2])
    elif damage.startswith("zeroed at"):
        data = bytearray(segment.read_bytes())
        start = len(data) * int(damage.split()[-1].rstrip("%")) // 100
        data[start : start + 8192] = bytes(len(data[start : start + 8192]))
        segment.write_bytes(bytes(data))
    elif damage == "no table of contents":
        next(generation.glob("*.toc")).unlink()
    elif damage == "bad manifest":
        (generation / MANIFEST).write_text("{not json")
    else:
        for child in generation.iterdir():
            child.unlink()
        generation.rmdir()
    result = subprocess.run(
        [*CLI, "serve", "--port", str(free_port()), "--index", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "rebuild" in message or "build one" in message


def test_slow_clients_do_not_hold_up_the_others(live_server):
    """300 connections trickle a request a byte at a time; a normal client is still served."""
    host, port = live_server.removeprefix("http://").split(":")
    slow = []
    for _ in range(300):
        connection = socket.create_connection((host, int(port)), timeout=10)
        connection.sendall(b"GET /api/search?q=stalin HTTP/1.1\r\nHo")
        slow.append(connection)
    try:
        latencies = []
        for _ in range(10):
            for connection in slow:
                # The server may drop a client this slow: that is allowed.
                with contextlib.suppress(OSError):
                    connection.sendall(b"s")
            started = time.perf_counter()
            status, _, _ = http_get(int(port), "/api/search?q=mao")
            latencies.append(time.perf_counter() - started)
            assert status == 200
            time.sleep(0.2)
        assert max(latencies) < 1.0, latencies
    finally:
        for connection in slow:
            connection.close()


def test_the_api_rate_limit_answers_429_with_retry_after(tmp_path, seed_records):
    path = tmp_path / "index"
    build_index(seed_records, path)
    server = Server(path, workers=1, ARCHIVE_SEARCH_API_RATE_LIMIT="5 per minute")
    try:
        statuses = [server.get("/api/search?q=stalin")[0] for _ in range(5)]
        status, headers, body = server.get("/search.json?q=mao")
        page_status = server.get("/search?q=mao")[0]
    finally:
        server.stop()
    assert statuses == [200] * 5
    assert status == 429
    assert int(headers["Retry-After"]) > 0
    error = json.loads(body)["error"]
    assert error["code"] == 429 and "5 per 1 minute" in error["message"]
    assert page_status == 200  # the pages people read are not limited
