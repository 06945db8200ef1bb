"""Exports: a whole search (/export, /api/export) or one record (/records/<id>.<format>).

The search's parameters are the search page's; ``format`` picks one of exports.FORMATS.
An export holds every record of the result in the search's order, not one page, up to
exports.MAX_EXPORT; an empty result is a valid empty file.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, url_for

from indexer.search import QueryError

from .engine import get_engine, record_or_404
from .exports import FORMATS, MAX_EXPORT, ExportFormat, TooManyToExport
from .params import query_from_args, search_args

downloads = Blueprint("downloads", __name__)


def export_format(name: str | None) -> ExportFormat:
    """The format a request names; a QueryError naming ``format`` otherwise."""
    found = FORMATS.get((name or "").strip())
    if found is None:
        choices = ", ".join(FORMATS)
        given = f"not {name[:40]!r}" if name else "and it is missing"
        raise QueryError("format", f"format must be one of {choices}, {given}")
    return found


def reference_url(record: dict[str, Any]) -> str:
    """Where a reference points: the document at the archive, else its page here."""
    url: str = record.get("source_url") or url_for(
        "pages.record_page", record_id=record["id"], _external=True
    )
    return url


def _file(text: str, chosen: ExportFormat, name: str) -> Response:
    filename = re.sub(r"[^a-z0-9-]", "", name.lower())[:60] or "records"
    return Response(
        text,
        mimetype=chosen.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{chosen.extension}"'},
    )


@downloads.route("/export", methods=["GET", "POST"])
@downloads.route("/api/export", methods=["GET", "POST"], endpoint="api_export")
def export() -> Response:
    args = search_args()
    chosen = export_format(args.get("format"))
    query = query_from_args(args)
    total, records = get_engine().every_record(query, MAX_EXPORT)
    if total > MAX_EXPORT:
        raise TooManyToExport(total)
    return _file(chosen.write(records, reference_url), chosen, "archive-search-export")


@downloads.get("/records/<record_id>.<name>")
def record_file(record_id: str, name: str) -> Response:
    chosen = export_format(name)
    record = record_or_404(record_id)
    return _file(chosen.write([record], reference_url), chosen, record_id)
