"""The search web app: create_app(config) builds it; gunicorn serves it.

Configuration (a mapping, or environment variables of the same name prefixed
ARCHIVE_SEARCH_):
- INDEX_PATH: the index to serve (default data/index).
- SITE_NAME, SITE_TAGLINE: what the header says.
- CORS_ORIGINS: who may call the API from a browser (default "*").
- CACHE_SECONDS: how long a client may reuse an answer before revalidating (default 60).
- SEARCH_TIME_BUDGET: seconds one search may run before it stops and answers with what
  it found, flagged partial (default 2).
- API_RATE_LIMIT, RATE_LIMIT_STORAGE, TRUSTED_PROXIES: the per-client limit on the API
  (see webapp/ratelimit.py; an empty API_RATE_LIMIT turns it off).
"""

from __future__ import annotations

import hashlib
import os
from typing import Any, Mapping

from flask import Flask, abort, g, request
from flask_compress import Compress
from flask_cors import CORS

from indexer.search.engine import Engine

from .jsonprovider import OrjsonProvider

DEFAULTS = {
    "INDEX_PATH": "data/index",
    "SITE_NAME": "Archive Search",
    "SITE_TAGLINE": "Wilson Center Digital Archive \u00b7 International History Declassified",
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "CORS_ORIGINS": "*",
    "CACHE_SECONDS": 60,
    "COMPRESS_MIN_SIZE": 500,
    "SEARCH_TIME_BUDGET": 2.0,
    "API_RATE_LIMIT": "600 per minute; 30 per second",
    "RATE_LIMIT_STORAGE": "memory://",
    "TRUSTED_PROXIES": 0,
}
# Routes that other sites call from their pages: the API and the JSON form of searches.
CORS_ROUTES = [r"/api/*", r"/search.json", r"/search.atom", r"/opensearch.xml"]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
FRAMEABLE_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")


def _from_environment() -> dict[str, Any]:
    prefix = "ARCHIVE_SEARCH_"
    return {key[len(prefix):]: value for key, value in os.environ.items() if key.startswith(prefix)}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.update(DEFAULTS)
    app.config.update(_from_environment())
    app.config.update(config or {})
    app.extensions["archive_search"] = Engine(
        app.config["INDEX_PATH"], time_budget=float(app.config["SEARCH_TIME_BUDGET"]),
    )

    from . import api, embed, errors, feeds, ratelimit, views

    app.register_blueprint(views.pages)
    app.register_blueprint(api.api)
    app.register_blueprint(embed.embed)
    app.register_blueprint(feeds.feeds)
    errors.register(app)
    ratelimit.install(app, api.api)
    Compress(app)
    CORS(app, resources={route: {"origins": app.config["CORS_ORIGINS"]} for route in CORS_ROUTES},
         methods=["GET", "HEAD", "OPTIONS"], allow_headers=["Accept", "If-None-Match", "Content-Type"],
         expose_headers=["ETag", "Link", "X-Index-Version"], max_age=86400,
         send_wildcard=app.config["CORS_ORIGINS"] == "*")

    from indexer.records.dates import format_archive_date

    app.add_template_filter(format_archive_date, "archive_date")
    app.add_template_global(views.record_path, "record_path")

    @app.before_request
    def refuse_large_bodies():
        """Every route is a GET: a body is never read, and a large one is refused outright."""
        if (request.content_length or 0) > app.config["MAX_CONTENT_LENGTH"]:
            abort(413)

    @app.context_processor
    def site() -> dict:
        return {"site_name": app.config["SITE_NAME"], "site_tagline": app.config["SITE_TAGLINE"]}

    @app.after_request
    def http_headers(response):
        """Security headers on every answer; validators and caching on every search answer.

        Registered after Compress so it runs before it: the ETag is computed on the plain
        body, and Compress marks it with the encoding and answers If-None-Match itself.
        """
        framing = g.get("allow_framing", False)
        response.headers.setdefault("Content-Security-Policy", FRAMEABLE_POLICY if framing else CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if not framing:
            response.headers.setdefault("X-Frame-Options", "DENY")
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.direct_passthrough:
            # After the view: its search has already checked which generation is served.
            version = app.extensions["archive_search"].served_generation
            body = response.get_data()
            response.set_etag(hashlib.sha1(version.encode() + body).hexdigest()[:32])
            response.headers["Cache-Control"] = f"public, max-age={app.config['CACHE_SECONDS']}, must-revalidate"
            if version:
                response.headers["X-Index-Version"] = version
            response.vary.add("Accept")
            response.make_conditional(request)
        return response

    return app
