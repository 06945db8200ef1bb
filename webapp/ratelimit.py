"""A per-client rate limit on the API, so one script cannot take the service from everyone.

The limit (API_RATE_LIMIT, default "600 per minute; 30 per second") applies to the API
blueprint: /api/* and /search.json. A client over it gets 429 with Retry-After and the
X-RateLimit-* headers. Clients are told apart by address; behind a reverse proxy set
TRUSTED_PROXIES to the number of proxies, so the address is the one they forwarded.

Counts live in RATE_LIMIT_STORAGE (default "memory://": each gunicorn worker counts on
its own, so with W workers a client gets up to W times the limit before every worker
refuses it). For one exact count across workers and hosts, point it at Redis or
Memcached ("redis://host:6379"), which flask-limiter supports as is.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix


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
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config["RATE_LIMIT_STORAGE"],
        headers_enabled=True,
        default_limits=[],
        key_prefix="archive-search",
    )
    limiter.shared_limit(app.config["API_RATE_LIMIT"], scope="api")(
        blueprint
    )  # one count for all its routes
    return limiter
