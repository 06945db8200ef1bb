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
from typing import Any

import click
from flask import Flask
from gunicorn.app.base import BaseApplication

from indexer.search import IndexUnavailable, check_index

from .settings import SettingError, read_settings
from .worker import REQUEST_LINE_LIMIT

DEFAULT_TIMEOUT = 30
CONNECTIONS_PER_WORKER = 1000


class ServeError(Exception):
    """Why the server cannot start, in one sentence."""


def check_port(host: str, port: int) -> None:
    with socket.socket(
        socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM
    ) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ServeError(
                    f"port {port} on {host} is already in use; stop the other server or pass --port"
                ) from None
            raise ServeError(f"cannot listen on {host}:{port} ({error.strerror})") from None


class ArchiveSearchServer(BaseApplication):
    def __init__(self, options: dict[str, Any], app_config: dict[str, Any]):
        self.options = options
        self.app_config = app_config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    # gunicorn's stubs ask for an app that takes any MutableMapping as environ; Flask's
    # is typed for the dict gunicorn actually passes.
    def load(self) -> Flask:  # type: ignore[override]
        from . import create_app

        return create_app(self.app_config)


def run_server(
    host: str, port: int, workers: int, index_path: str, timeout: int = DEFAULT_TIMEOUT
) -> None:
    """Run gunicorn in the foreground (check_index and check_port first for clear errors)."""
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "webapp.worker.SearchWorker",
        "worker_connections": CONNECTIONS_PER_WORKER,
        "timeout": timeout,
        "graceful_timeout": 10,
        "keepalive": 5,
        "limit_request_line": REQUEST_LINE_LIMIT,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "archive-search",
    }
    ArchiveSearchServer(options, {"INDEX_PATH": index_path}).run()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--index", "index_path", default="data/index", show_default=True, type=click.Path())
def serve(host: str, port: int, workers: int, index_path: str) -> None:
    """Serve the search page and API with gunicorn (not Flask's development server).

    Registered on the `archive-search` command through the ``archive_search.commands``
    entry point, so the indexer's CLI never imports the web app. Settings, the index and
    the port are checked here, before any worker starts: each problem is one sentence.
    """
    try:
        read_settings({"INDEX_PATH": index_path})
        count = check_index(index_path)
        check_port(host, port)
        click.echo(
            f"serving {count} records from {index_path} on http://{host}:{port}/ "
            f"({workers} workers)",
            err=True,
        )
        run_server(host, port, workers, index_path)
    except (SettingError, IndexUnavailable, ServeError) as error:
        raise click.ClickException(str(error)) from error
