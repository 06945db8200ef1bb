"""A per-client rate limit on the API, so one script cannot take the service from everyone.

The limit (API_RATE_LIMIT, default "600 per minute; 30 per second") applies to the API
blueprint: /api/* and /search.json. A client over it gets 429 with Retry-After and the
X-RateLimit-* headers. Clients are told apart by address; behind a reverse proxy set
TRUSTED_PROXIES to the number of proxies, so the address is the one they forwarded.

Counts live in RATE_LIMIT_STORAGE. The default, "memory://", counts in each gunicorn
worker on its own: with W workers on R replicas a client gets up to W x R times the
limit. "redis://host:6379" counts once for every worker of every replica (the `redis`
client is a dependency; tests/test_ratelimit_redis.py runs it against a real Redis).

When the store cannot be reached the service fails open: it keeps answering, does not
limit, and says so once in the log ("failing open"), then once more when counting
works again ("counting again"). A search service that refused every request because its
rate-limit store was down would turn a Redis outage into a search outage.
"""

from __future__ import annotations

import logging
import threading

from flask import Blueprint, Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

# What flask-limiter logs (with a traceback, for every request) when its store fails and
# errors are swallowed.
_STORE_FAILED = "Failed to rate limit"


class FailOpenLog(logging.Filter):
    """Turns flask-limiter's traceback per failed request into one line per outage."""

    def __init__(self, storage: str):
        super().__init__()
        self.storage = storage
        self.failing = False
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(_STORE_FAILED):
            return True
        with self._lock:
            if self.failing:
                return False
            self.failing = True
        reason = record.exc_info[1] if record.exc_info else None
        record.msg = (
            "rate limit store %s is unreachable (%s): failing open, requests are not "
            "limited until it returns"
        )
        record.args = (self.storage, reason)
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True

    def counted(self, logger: logging.Logger) -> None:
        """A request was counted: if the store had failed, say it is back."""
        with self._lock:
            if not self.failing:
                return
            self.failing = False
        logger.warning("rate limit store %s is reachable again: counting again", self.storage)


def install(app: Flask, blueprint: Blueprint) -> Limiter | None:
    """Limit ``blueprint``'s routes per client; None when API_RATE_LIMIT is empty (no limit)."""
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        # Flask's documented way to put middleware around the app; mypy sees a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    if not app.config["API_RATE_LIMIT"]:
        return None
    storage = app.config["RATE_LIMIT_STORAGE"]
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=storage,
        headers_enabled=True,
        default_limits=[],
        key_prefix="archive-search",
        swallow_errors=True,
    )
    log = FailOpenLog(storage)
    limiter.logger.addFilter(log)
    real = [h for h in limiter.logger.handlers if not isinstance(h, logging.NullHandler)]
    if not real and not logging.getLogger().handlers:
        # Under gunicorn nothing configures logging: the one line must still reach stderr.
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("%(asctime)s [%(process)d] %(levelname)s %(message)s")
        )
        limiter.logger.addHandler(handler)
    limiter.shared_limit(app.config["API_RATE_LIMIT"], scope="api")(
        blueprint
    )  # one count for all its routes

    @app.after_request
    def note_counted(response: Response) -> Response:
        if request.blueprint == blueprint.name and limiter.current_limit is not None:
            log.counted(limiter.logger)
        return response

    return limiter
