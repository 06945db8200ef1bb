"""Publishing a built index to every replica behind haproxy, one replica at a time.

The topology (docs/scaling.md): haproxy in front of N ``archive-search serve``
instances, each serving its own copy of the index through its own link. A new
generation is first copied beside every replica's link and checked against its build's
checksums (nothing is served yet). Then, replica by replica: haproxy drains it (no new
connections, the ones in flight finish), its link is swapped with one atomic rename, its
``/healthz`` is asked until it serves the new generation, and haproxy sends to it again.
The others keep serving throughout, so no search waits on a copy or a reopen.

haproxy is driven through its runtime API (the ``stats socket ... level admin`` of its
configuration): ``set server <backend>/<server> state drain|ready`` and ``show stat``.
"""

from __future__ import annotations

import csv
import io
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.index.generations import IndexLocation, IndexUnavailable, verify_generation

DRAIN_SECONDS = 30.0
HEALTH_SECONDS = 60.0
POLL_SECONDS = 0.1


class PublishError(Exception):
    """A step of a publish failed; the message names the replica and the step."""


@dataclass(frozen=True)
class Replica:
    """One serving instance: its haproxy server name, its index link, its base URL."""

    name: str
    index: Path
    url: str


@dataclass(frozen=True)
class ReplicaReport:
    name: str
    drained_seconds: float
    swapped_to: str
    healthy_seconds: float


class HAProxy:
    """haproxy's runtime API over its admin socket: one command per connection."""

    def __init__(self, socket_path: Path, backend: str):
        self.socket_path = socket_path
        self.backend = backend

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(5)
            connection.connect(str(self.socket_path))
            connection.sendall(line.encode("ascii") + b"\n")
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        answer = b"".join(chunks).decode("utf-8", "replace")
        if answer.strip() and not answer.startswith("#") and "denied" in answer.lower():
            raise PublishError(f"haproxy refused {line!r}: {answer.strip()}")
        return answer

    def servers(self) -> dict[str, dict[str, str]]:
        """``show stat`` for this backend's servers: name -> columns (status, scur, stot...)."""
        text = self.command("show stat").lstrip("# ")
        rows = csv.DictReader(io.StringIO(text))
        return {
            row["svname"]: row
            for row in rows
            if row.get("pxname") == self.backend
            and row.get("svname") not in ("BACKEND", "FRONTEND")
        }

    def set_state(self, server: str, state: str) -> None:
        answer = self.command(f"set server {self.backend}/{server} state {state}")
        if answer.strip():
            raise PublishError(f"haproxy: set server {server} state {state}: {answer.strip()}")

    def sessions(self, server: str) -> int:
        row = self.servers().get(server)
        if row is None:
            raise PublishError(f"haproxy's backend {self.backend} has no server {server}")
        return int(row.get("scur") or 0)


def served_generation(url: str, timeout: float = 2.0) -> str | None:
    """The generation a replica's /healthz reports, or None while it cannot say."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/healthz", timeout=timeout) as answer:
            return str(json.loads(answer.read()).get("generation") or "") or None
    except (OSError, ValueError, urllib.error.URLError):
        return None


def _wait(condition: Callable[[], bool], seconds: float) -> float | None:
    """Seconds until ``condition()`` held, or None if it did not within ``seconds``."""
    started = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - started
        if time.monotonic() - started > seconds:
            return None
        time.sleep(POLL_SECONDS)


def publish(
    source: Path,
    replicas: list[Replica],
    haproxy: HAProxy | None = None,
    say: Callable[[str], None] = print,
    drain_seconds: float = DRAIN_SECONDS,
    health_seconds: float = HEALTH_SECONDS,
) -> list[ReplicaReport]:
    """Copy the generation ``source`` serves to every replica, then swap them one by one."""
    generation = IndexLocation(source).current()
    if generation is None:
        raise PublishError(f"there is no index at {source} to publish")
    verify_generation(generation, source)
    staged = []
    for replica in replicas:
        started = time.monotonic()
        try:
            copy = IndexLocation(replica.index).stage_copy(generation)
        except (OSError, IndexUnavailable) as error:
            raise PublishError(
                f"{replica.name}: copying {generation.name} failed: {error}"
            ) from error
        say(f"{replica.name}: copied {copy.name} in {time.monotonic() - started:.1f} s")
        staged.append((replica, copy))
    return [
        _swap(replica, copy, haproxy, say, drain_seconds, health_seconds)
        for replica, copy in staged
    ]


def _swap(
    replica: Replica,
    copy: Path,
    haproxy: HAProxy | None,
    say: Callable[[str], None],
    drain_seconds: float,
    health_seconds: float,
) -> ReplicaReport:
    """Drain one replica, swap its link to ``copy``, wait for its /healthz, put it back."""
    drained = 0.0
    if haproxy is not None:
        haproxy.set_state(replica.name, "drain")
        waited = _wait(lambda: haproxy.sessions(replica.name) == 0, drain_seconds)
        if waited is None:
            say(f"{replica.name}: still busy after {drain_seconds:.0f} s of draining; swapping")
        drained = drain_seconds if waited is None else waited
    IndexLocation(replica.index).point_to(copy)
    healthy = _wait(lambda: served_generation(replica.url) == copy.name, health_seconds)
    if healthy is None:
        raise PublishError(
            f"{replica.name}: {replica.url}/healthz did not report {copy.name} within "
            f"{health_seconds:.0f} s (left drained in haproxy; its link points at the new "
            "generation)"
        )
    if haproxy is not None:
        haproxy.set_state(replica.name, "ready")
    say(f"{replica.name}: serving {copy.name} (drained {drained:.2f} s, healthy {healthy:.2f} s)")
    return ReplicaReport(replica.name, drained, copy.name, healthy)
