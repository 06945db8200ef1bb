"""Real processes for the serving tests: replicas (`archive-search serve`), haproxy with
the shipped deploy/haproxy.cfg, redis-server, and clients that keep searching.

Each process starts in its own session, so a "kill -9 of a replica" kills its whole
process group (gunicorn's master and its workers), as a machine's crash would.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("Stalin", "Mao", "Korea", "cable", "Zhou", "telegram", "Soviet", "China", "Kim", "war")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        pytest.fail(f"{program} is missing: `make test` installs it with apt-get")
    return found


def wait_for(condition, seconds: float, what: str, step: float = 0.05) -> float:
    """Seconds until ``condition()`` held; fails the test after ``seconds``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            pytest.fail(f"{what} did not happen within {seconds} s")
        time.sleep(step)
    return time.monotonic() - started


def get_json(url: str, timeout: float = 5) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@dataclass
class Server:
    """A process in its own session, its log in a file."""

    command: list[str]
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def start(self) -> Server:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env},
                start_new_session=True,
            )
        return self

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            self.process.wait(timeout=20)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def replica(index: Path, port: int, log: Path, workers: int = 1, **settings: str) -> Server:
    """`archive-search serve` on a loopback port; settings as ARCHIVE_SEARCH_ variables."""
    return Server(
        [
            sys.executable,
            "-m",
            "indexer.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--index",
            str(index),
        ],
        log,
        {f"ARCHIVE_SEARCH_{name}": value for name, value in settings.items()},
    )


def healthy(base: str) -> bool:
    try:
        return get_json(base + "/healthz", timeout=2)[0] == 200
    except OSError:
        return False


def build_index(sources: list[Path], index: Path) -> None:
    """`archive-search build SOURCES --index INDEX`, as an archivist runs it."""
    subprocess.run(
        [sys.executable, "-m", "indexer.cli", "build", *map(str, sources), "--index", str(index)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


class Searchers:
    """N clients searching through one address until stopped, each on a keep-alive
    connection (a new one after any error); every answer counted by status."""

    def __init__(self, host: str, port: int, clients: int, path: str = "/api/search"):
        self.host, self.port, self.path = host, port, path
        self.statuses: Counter[str] = Counter()
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(clients)
        ]

    def __enter__(self) -> Searchers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.statuses.values())

    def _run(self, number: int) -> None:
        connection: http.client.HTTPConnection | None = None
        turn = 0
        while not self.stop.is_set():
            turn += 1
            word = WORDS[(number + turn) % len(WORDS)]
            url = f"{self.path}?q={word}&page={1 + turn % 3}"
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                connection.request("GET", url)
                answer = connection.getresponse()
                answer.read()
                outcome = str(answer.status)
            except (OSError, http.client.HTTPException) as error:
                outcome = f"error: {type(error).__name__}: {error}"
                if connection is not None:
                    connection.close()
                connection = None
            with self.lock:
                self.statuses[outcome if not outcome.startswith("error") else "error"] += 1
                if outcome != "200":
                    self.failures.append(f"{url}: {outcome}")
