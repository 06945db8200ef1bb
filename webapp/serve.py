"""Serving with gunicorn, after checking what would otherwise fail on the first request.

gevent workers: each worker process holds one Whoosh searcher and serves up to 1,000
connections as greenlets. A connection waiting on a slow client costs a greenlet, not
a thread, so slow clients (a phone on a bad line, or a slowloris sending a byte a
second) never stop anyone else being served; the threaded worker (gthread) ties up one
of its few threads per slow client once the first bytes arrive. Searches are CPU-bound
and take turns on the worker's searcher anyway; each is bounded by the engine's time
budget (2 s), well inside the worker timeout (30 s) after which gunicorn restarts a
stuck worker.
"""

from __future__ import annotations

import errno
import socket

from gunicorn.app.base import BaseApplication

from indexer.index.generations import verify_files
from indexer.search.engine import Engine

DEFAULT_TIMEOUT = 30
CONNECTIONS_PER_WORKER = 1000


class ServeError(Exception):
    """Why the server cannot start, in one sentence."""


def check_index(index_path: str) -> int:
    """Check the index's files against their build's checksums, then open and probe it
    (Engine.probe), before any worker starts: a missing or damaged index is one sentence
    at start, not a failure on the first request."""
    verify_files(index_path)
    return Engine(index_path).probe()


def check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ServeError(f"port {port} on {host} is already in use; stop the other server or pass --port") from None
            raise ServeError(f"cannot listen on {host}:{port} ({error.strerror})") from None


class ArchiveSearchServer(BaseApplication):
    def __init__(self, options: dict, app_config: dict):
        self.options = options
        self.app_config = app_config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app

        return create_app(self.app_config)


def run_server(host: str, port: int, workers: int, index_path: str, timeout: int = DEFAULT_TIMEOUT) -> None:
    """Run gunicorn in the foreground (check_index and check_port first for clear errors)."""
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gevent",
        "worker_connections": CONNECTIONS_PER_WORKER,
        "timeout": timeout,
        "graceful_timeout": 10,
        "keepalive": 5,
        "limit_request_line": 8190,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "archive-search",
    }
    ArchiveSearchServer(options, {"INDEX_PATH": index_path}).run()
