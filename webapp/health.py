"""``/healthz``: what a load balancer asks each replica before sending it searches.

It answers 200 with the generation this process serves (opening a newer one if the
index link moved, as a search would), its record count and build time, or 503 with the
reason while the index cannot be opened, so haproxy takes the replica out of rotation
(docs/scaling.md). It is not rate limited and never cached.
"""

from __future__ import annotations

import os

from flask import Blueprint, Response, jsonify

from indexer.search import IndexUnavailable

from .engine import get_engine

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        info = get_engine().current_info()
    except IndexUnavailable as error:
        answer = jsonify({"status": "unavailable", "error": str(error), "pid": os.getpid()})
        status = 503
    else:
        answer = jsonify(
            {
                "status": "ok",
                "generation": info.generation,
                "records": info.records,
                "built_at": info.built_at,
                "pid": os.getpid(),
            }
        )
        status = 200
    answer.headers["Cache-Control"] = "no-store"
    return answer, status
