"""The HTML pages: the search page and a record's page.

Each view builds a plain page model from the engine's Results and renders it; the
JSON API (webapp/api.py) serves the same model's data.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, render_template, url_for

from indexer.search import Query, Results, format_archive_date, words_of

from . import cite
from .engine import get_engine, record_or_404
from .errors import wants_json
from .params import (
    LINK_LIMIT,
    FacetLinks,
    chips,
    clear_filters_url,
    hidden_fields,
    page_numbers,
    query_from_args,
    search_args,
    search_url,
)
from .results_json import search_json

pages = Blueprint("pages", __name__)

SORT_LABELS = (("relevance", "Relevance"), ("date", "Oldest first"), ("-date", "Newest first"))
HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT = 240, 64
MAX_BAR_WIDTH = 16


@pages.get("/")
def home() -> str | Response:
    return search_page()


@pages.route("/search", methods=["GET", "POST"])
def search_page() -> str | Response:
    """The search page; a POST (from a form, for a search too long for a link) gives the same."""
    if wants_json():
        return search_json("/search")
    args = search_args()
    query = query_from_args(args)
    who = args.get("who", "").strip()[:80]
    if who:
        query = query.with_changes(all_persons=True)
    results = get_engine().search(query)
    return render_template("search.html", **search_model(query, results, who))


def search_model(query: Query, results: Results, who: str = "") -> dict[str, Any]:
    """Everything the search page shows, as plain data with its links already built."""
    shown_first = (results.page - 1) * results.per_page + 1
    links = FacetLinks(query)
    persons = results.facets["person"]
    if who:
        needle = who.casefold()
        persons = [f for f in persons if needle in str(f.value).casefold() or f.selected]
    return {
        "query": query,
        "results": results,
        "variants_to_mention": variants_to_mention(query, results),
        "hits": [
            dict(
                vars(hit),
                shown_date=format_archive_date(hit.date, hit.date_precision),
                person_links=[(p, links.person(p)) for p in hit.persons],
            )
            for hit in results.results
        ],
        "first": shown_first if results.results else 0,
        "last": shown_first + len(results.results) - 1 if results.results else 0,
        "chips": chips(query),
        "clear_url": clear_filters_url(query),
        "sorts": [
            (value, label, search_url(query, sort=value), query.effective_sort == value)
            for value, label in SORT_LABELS
        ],
        "years": [
            {
                "value": f.value,
                "count": f.count,
                "selected": f.selected,
                "url": links.year(int(f.value)),
            }
            for f in results.facets["year"]
        ],
        "histogram": histogram(results, links),
        "persons": [
            {
                "value": f.value,
                "count": f.count,
                "selected": f.selected,
                "url": links.person(str(f.value)),
            }
            for f in persons
        ],
        "who": who,
        "show_all_people_url": search_url(query, all_persons=True)
        if not query.all_persons
        else None,
        "show_fewer_people_url": search_url(query, all_persons=False)
        if query.all_persons
        else None,
        "suggestion_url": search_url(query, text=results.suggestion)
        if results.suggestion
        else None,
        "pages": [
            (n, search_url(query, page=n) if n else None)
            for n in page_numbers(results.page, results.pages)
        ]
        if results.total
        else [],
        "prev_url": search_url(query, page=results.page - 1) if results.page > 1 else None,
        "next_url": search_url(query, page=results.page + 1)
        if results.page < results.pages
        else None,
        "date_form_hidden": hidden_fields(query, "from", "to"),
        "search_form_hidden": hidden_fields(query, "q"),
        "who_form_hidden": hidden_fields(query, "people"),
        "page_title": page_title(query, results),
        "feed_url": search_url(query, "/search.atom"),
        "description": description(query, results),
        "removal_counts": removal_counts(query, results),
        "offer": offer_model(results),
        # A search too long to be a link (a GET's request line is limited: serve.py) pages
        # by POST, and says that its filters cannot be links.
        "long_search": len(search_url(query)) > LINK_LIMIT,
        "page_form_hidden": hidden_fields(query),
    }


def offer_model(results: Results) -> dict[str, str] | None:
    """The search the engine offers instead (a year:/date: clause as the filter it means)."""
    offer = results.offer
    if offer is None:
        return None
    filters = ", ".join(f"{chip['kind'].lower()} {chip['label']}" for chip in chips(offer))
    return {"url": search_url(offer), "text": offer.text, "filters": filters}


def variants_to_mention(query: Query, results: Results) -> list[str]:
    """Persons found through another spelling ('Mao Tse-tung', 'Filippov'), not through their
    own name."""
    typed = set(words_of(query.text))
    return [name for name in results.name_variants if not typed <= set(words_of(name))]


def histogram(results: Results, links: FacetLinks) -> dict[str, Any] | None:
    """Records per year as SVG bars, each a link that toggles its year (no inline style)."""
    years = results.facets["year"]
    if not years:
        return None
    first, last = int(years[0].value), int(years[-1].value)
    counts = {int(f.value): f for f in years}
    top = max(f.count for f in years)
    if not top:
        return None
    slot = HISTOGRAM_WIDTH / (last - first + 1)
    bar_width = min(max(slot - 1, 1), MAX_BAR_WIDTH)
    bars = []
    for offset, year in enumerate(range(first, last + 1)):
        facet = counts.get(year)
        if facet is None or not facet.count:
            continue
        height = max(2.0, HISTOGRAM_HEIGHT * facet.count / top)
        bars.append(
            {
                "x": round(offset * slot + (slot - bar_width) / 2, 2),
                "y": round(HISTOGRAM_HEIGHT - height, 2),
                "width": round(bar_width, 2),
                "height": round(height, 2),
                "year": year,
                "count": facet.count,
                "selected": facet.selected,
                "url": links.year(year),
            }
        )
    return {
        "width": HISTOGRAM_WIDTH,
        "height": HISTOGRAM_HEIGHT,
        "bars": bars,
        "first": first,
        "last": last,
    }


def removal_counts(query: Query, results: Results) -> list[dict[str, Any]]:
    """For an empty result: how many records removing each filter would give."""
    if results.total or not query.has_filters:
        return []
    return [
        {
            "label": chip["label"],
            "url": chip["remove"],
            "count": get_engine().search(chip["without"]).total,
        }
        for chip in chips(query)
    ]


def page_title(query: Query, results: Results) -> str:
    if not query.text and not query.has_filters:
        return "Search the archive"
    about = f"\u201c{query.text}\u201d" if query.text else "Filtered records"
    return f"{about}: {results.total} result{'s' if results.total != 1 else ''}"


def description(query: Query, results: Results) -> str:
    if not query.text and not query.has_filters:
        return (
            f"Search {results.total} declassified historical documents by keyword, year and person."
        )
    return (
        f"{results.total} archive records"
        + (f" matching \u201c{query.text}\u201d" if query.text else "")
        + "."
    )


@pages.get("/records/<record_id>")
def record_page(record_id: str) -> str:
    record = record_or_404(record_id)
    url = record.get("source_url") or url_for(
        "pages.record_page", record_id=record_id, _external=True
    )
    return render_template(
        "record.html",
        record=record,
        shown_date=format_archive_date(record.get("date"), record.get("date_precision")),
        person_links=[(p, search_url(Query(persons=(p,)))) for p in record.get("persons", [])],
        chicago=cite.chicago(record, url),
        mla=cite.mla(record, url),
        page_title=record["title"],
        description=(record.get("summary") or record["title"])[:300],
    )


@pages.get("/records/<record_id>.ris")
def record_ris(record_id: str) -> Response:
    record = record_or_404(record_id)
    url = record.get("source_url") or url_for(
        "pages.record_page", record_id=record_id, _external=True
    )
    filename = re.sub(r"[^a-z0-9-]", "", record_id)[:60] or "record"
    return Response(
        cite.ris(record, url),
        mimetype="application/x-research-info-systems",
        headers={"Content-Disposition": f'attachment; filename="{filename}.ris"'},
    )
