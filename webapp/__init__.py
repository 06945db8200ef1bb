"""The search web app: create_app(config) builds it; gunicorn serves it.

Its settings (the index to serve, the site's name, caching, the time budget, the rate
limit...) are declared once in settings.py, read from a mapping and from environment
variables prefixed ARCHIVE_SEARCH_.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, abort, g, request
from flask_compress import Compress
from flask_cors import CORS

from indexer.search import format_archive_date

from . import (
    advanced,
    api,
    downloads,
    embed,
    engine,
    errors,
    feeds,
    health,
    help,
    people,
    ratelimit,
    views,
)
from .jsonprovider import OrjsonProvider
from .params import record_path
from .settings import read_settings

# Routes that other sites call from their pages: the API and the JSON form of searches.
CORS_ROUTES = [r"/api/*", r"/search.json", r"/search.atom", r"/opensearch.xml"]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
FRAMEABLE_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.update(read_settings(config))
    engine.init_app(app)
    app.register_blueprint(views.pages)
    app.register_blueprint(api.api)
    app.register_blueprint(embed.embed)
    app.register_blueprint(feeds.feeds)
    app.register_blueprint(advanced.advanced)
    app.register_blueprint(help.help_pages)
    app.register_blueprint(downloads.downloads)
    app.register_blueprint(people.people)
    app.register_blueprint(health.health)
    errors.register(app)
    ratelimit.install(app, api.api)
    Compress(app)
    CORS(
        app,
        resources={route: {"origins": app.config["CORS_ORIGINS"]} for route in CORS_ROUTES},
        methods=["GET", "HEAD", "OPTIONS", "POST"],
        allow_headers=["Accept", "If-None-Match", "Content-Type"],
        expose_headers=["ETag", "Link", "X-Index-Version"],
        max_age=86400,
        send_wildcard=app.config["CORS_ORIGINS"] == "*",
    )

    app.add_template_filter(format_archive_date, "archive_date")
    app.add_template_global(record_path, "record_path")

    @app.before_request
    def refuse_large_bodies() -> None:
        """Every route is a GET: a body is never read, and a large one is refused outright."""
        if (request.content_length or 0) > app.config["MAX_CONTENT_LENGTH"]:
            abort(413)

    @app.context_processor
    def site() -> dict[str, Any]:
        return {"site_name": app.config["SITE_NAME"], "site_tagline": app.config["SITE_TAGLINE"]}

    @app.after_request
    def http_headers(response: Response) -> Response:
        """Security headers on every answer; validators and caching on every search answer.

        Registered after Compress so it runs before it: the ETag is computed on the plain
        body, and Compress marks it with the encoding and answers If-None-Match itself.
        """
        framing = g.get("allow_framing", False)
        response.headers.setdefault(
            "Content-Security-Policy", FRAMEABLE_POLICY if framing else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if not framing:
            response.headers.setdefault("X-Frame-Options", "DENY")
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.direct_passthrough
            and "no-store" not in response.headers.get("Cache-Control", "")  # /healthz
        ):
            # After the view: its search has already checked which generation is served.
            version = engine.get_engine().served_generation
            body = response.get_data()
            response.set_etag(hashlib.sha1(version.encode() + body).hexdigest()[:32])
            response.headers["Cache-Control"] = (
                f"public, max-age={app.config['CACHE_SECONDS']}, must-revalidate"
            )
            if version:
                response.headers["X-Index-Version"] = version
            response.vary.add("Accept")
            response.make_conditional(request)
        return response

    return app
