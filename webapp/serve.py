"""Serving with gunicorn, after checking what would otherwise fail on the first request.

Threaded workers (gthread): each worker process holds one Whoosh searcher; its threads
read requests and write answers concurrently, so a slow client holds one thread, not
a worker, and connections are kept alive. Searches themselves take the engine's lock,
one at a time per process (they are CPU-bound, and a Whoosh searcher is not shared
between threads). The timeout restarts a worker stuck on one request.
"""

from __future__ import annotations

import errno
import socket

from gunicorn.app.base import BaseApplication

from indexer.indexdir import open_index

DEFAULT_TIMEOUT = 30
THREADS_PER_WORKER = 8


class ServeError(Exception):
    """Why the server cannot start, in one sentence."""


def check_index(index_path: str) -> int:
    """Open the index once before any worker starts; raise IndexUnavailable if it cannot be."""
    ix, info = open_index(index_path)
    count = ix.doc_count()
    ix.close()
    return count


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
        "worker_class": "gthread",
        "threads": THREADS_PER_WORKER,
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
