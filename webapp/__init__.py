"""The search web app: create_app(config) builds it; gunicorn serves it.

Configuration (a mapping, or environment variables of the same name prefixed
ARCHIVE_SEARCH_):
- INDEX_PATH: the index to serve (default data/index).
- SITE_NAME, SITE_TAGLINE: what the header says.
"""

from __future__ import annotations

import os
from typing import Any, Mapping

from flask import Flask

from indexer.search import Engine

DEFAULTS = {
    "INDEX_PATH": "data/index",
    "SITE_NAME": "Archive Search",
    "SITE_TAGLINE": "Wilson Center Digital Archive \u00b7 International History Declassified",
    "MAX_CONTENT_LENGTH": 64 * 1024,
}

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _from_environment() -> dict[str, Any]:
    prefix = "ARCHIVE_SEARCH_"
    return {key[len(prefix):]: value for key, value in os.environ.items() if key.startswith(prefix)}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(_from_environment())
    app.config.update(config or {})
    app.json.sort_keys = False
    app.extensions["archive_search"] = Engine(app.config["INDEX_PATH"])

    from . import errors, views

    app.register_blueprint(views.pages)
    errors.register(app)

    @app.context_processor
    def site() -> dict:
        return {"site_name": app.config["SITE_NAME"], "site_tagline": app.config["SITE_TAGLINE"]}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    return app
