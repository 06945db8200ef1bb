"""The rate limit counted in a real Redis (Debian's redis-server on a loopback port) by
two replicas of two workers each: one exact count for a client, whoever answers it.
With Redis stopped the service keeps answering, unlimited, and says so once per
process; when Redis returns it counts again."""

from __future__ import annotations

import itertools
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from serving import Server, free_port, healthy, replica, require, wait_for

LIMIT = 30
WORKERS = 2


def status_of(url: str) -> int:
    """One request on a new connection (so gunicorn hands it to either worker)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code


def start_redis(port: int, log: Path) -> Server:
    server = Server(
        [
            require("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        log,
    ).start()
    wait_for(lambda: b"PONG" in _ping(port), 10, "redis answering PING")
    return server


def _ping(port: int) -> bytes:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(64)
    except OSError:
        return b""


@pytest.fixture
def two_replicas(tmp_path, seed_index):
    redis_port = free_port()
    redis = start_redis(redis_port, tmp_path / "redis.log")
    bases, servers, logs = [], [], []
    for number in (1, 2):
        port = free_port()
        log = tmp_path / f"replica{number}.log"
        servers.append(
            replica(
                seed_index,
                port,
                log,
                workers=WORKERS,
                API_RATE_LIMIT=f"{LIMIT} per 10 minutes",
                RATE_LIMIT_STORAGE=f"redis://127.0.0.1:{redis_port}",
            ).start()
        )
        bases.append(f"http://127.0.0.1:{port}")
        logs.append(log)
    for base in bases:
        wait_for(lambda base=base: healthy(base), 30, f"{base} answering")
    yield {"bases": bases, "logs": logs, "redis": redis, "redis_port": redis_port, "tmp": tmp_path}
    for server in [*servers, redis]:
        server.kill()


def test_one_count_across_replicas_and_workers_and_failing_open(two_replicas):
    bases = two_replicas["bases"]
    urls = itertools.cycle([f"{base}/api/search?q=Stalin" for base in bases])

    # Exactly LIMIT answers, then 429 from every replica (and, over 20 new connections
    # each, from both of its workers).
    answers = [status_of(next(urls)) for _ in range(LIMIT + 10)]
    assert answers == [200] * LIMIT + [429] * 10
    for base in bases:
        assert {status_of(f"{base}/search.json?q=Mao") for _ in range(20)} == {429}
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{bases[0]}/api/search?q=x", timeout=10)
    assert int(refused.value.headers["Retry-After"]) > 0

    # Redis stopped: every request answered, none limited; each process says so once.
    two_replicas["redis"].kill()
    assert [status_of(next(urls)) for _ in range(60)] == [200] * 60
    for log in two_replicas["logs"]:
        lines = [line for line in log.read_text().splitlines() if "failing open" in line]
        pids = [re.search(r"\[(\d+)\]", line).group(1) for line in lines]
        assert 1 <= len(lines) <= WORKERS and len(set(pids)) == len(lines), lines
        assert "Traceback" not in log.read_text()

    # Redis back (empty, on the same port): counting starts again from zero.
    two_replicas["redis"] = start_redis(
        two_replicas["redis_port"], two_replicas["tmp"] / "redis2.log"
    )
    answers = [status_of(next(urls)) for _ in range(LIMIT + 10)]
    assert answers == [200] * LIMIT + [429] * 10
    for log in two_replicas["logs"]:
        text = log.read_text()
        assert text.count("counting again") == text.count("failing open"), text[-2000:]
