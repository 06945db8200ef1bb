"""The HTML pages: the search page and a record's page.

Each view builds a plain page model from the engine's Results and renders it; the
JSON API (webapp/api.py) serves the same model's data.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from indexer.search import (
    FACETS,
    MAX_TEXT_LENGTH,
    Facet,
    Highlight,
    Query,
    Results,
    clean_text,
    format_archive_date,
    record_values,
    words_of,
)

from . import citations, metadata
from .downloads import reference_url
from .engine import get_engine, record_or_404
from .errors import wants_json
from .exports import FORMATS, MAX_EXPORT
from .params import (
    LINK_LIMIT,
    FacetLinks,
    chips,
    clear_filters_url,
    hidden_fields,
    page_numbers,
    query_from_args,
    record_path,
    search_args,
    search_url,
    url_of,
)
from .people import page_of_name
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
        query = query.with_expanded("person", True)
    results = get_engine().search(query)
    return render_template("search.html", **search_model(query, results, who))


def search_model(query: Query, results: Results, who: str = "") -> dict[str, Any]:
    """Everything the search page shows, as plain data with its links already built."""
    shown_first = (results.page - 1) * results.per_page + 1
    links = FacetLinks(query)
    return {
        "query": query,
        "results": results,
        "variants_to_mention": variants_to_mention(query, results),
        "hits": [
            dict(
                vars(hit),
                shown_date=format_archive_date(hit.date, hit.date_precision),
                person_links=[(p, links.person(p)) for p in hit.persons],
                type_url=links.value("type", hit.document_type) if hit.document_type else None,
                coins=metadata.coins(
                    {
                        "title": hit.title,
                        "date": hit.date,
                        "summary": hit.summary,
                        "persons": hit.persons,
                        "authors": hit.values.get("author", []),
                    },
                    request.host_url.rstrip("/") + record_path(hit.id),
                ),
            )
            for hit in results.results
        ],
        "first": shown_first if results.results else 0,
        "last": shown_first + len(results.results) - 1 if results.results else 0,
        "chips": chips(query),
        "person_pages": [
            (str(name), page)
            for name in query.selected("person")
            if (page := page_of_name(str(name))) is not None
        ],
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
        "facets": [
            facet_model(facet, query, results, links, who)
            for facet in FACETS
            # A facet none of these results holds is left out, but for the people's finder.
            if facet.kind != "year"
            and (
                results.facets.get(facet.name)
                or (facet.kind == "person" and "person" in results.facets)
            )
        ],
        "who": who,
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
        "who_form_hidden": [
            (name, value)
            for name, value in hidden_fields(query)
            if (name, value) != ("all", "person")
        ],
        "page_title": page_title(query, results),
        "feed_url": search_url(query, "/search.atom"),
        "description": description(query, results),
        "removal_counts": removal_counts(query, results),
        "exports": export_links(query) if 0 < results.total <= MAX_EXPORT else [],
        "export_limit": MAX_EXPORT,
        "offer": offer_model(results),
        # A search too long to be a link (a GET's request line is limited: serve.py) pages
        # by POST, and says that its filters cannot be links.
        "long_search": len(search_url(query)) > LINK_LIMIT,
        "page_form_hidden": hidden_fields(query),
    }


def export_links(query: Query) -> list[tuple[str, str]]:
    """(label, URL) of this search's export in each format: its parameters, then format."""
    base = url_of(query.with_changes(page=1), "/export")
    joiner = "&" if "?" in base else "?"
    return [(found.label, f"{base}{joiner}format={found.name}") for found in FORMATS.values()]


def facet_model(
    facet: Facet, query: Query, results: Results, links: FacetLinks, who: str = ""
) -> dict[str, Any]:
    """One facet of the sidebar: its values with their toggle links, and the link that
    shows all of its values (or only the first ones again)."""
    values = results.facets[facet.name]
    if who and facet.kind == "person":
        needle = who.casefold()
        values = [f for f in values if needle in str(f.value).casefold() or f.selected]
    expanded = facet.name in query.expanded
    unselected = sum(1 for f in values if not f.selected)
    return {
        "name": facet.name,
        "heading": facet.heading,
        "label": facet.label,
        "entries": [
            {
                "value": f.value,
                "count": f.count,
                "selected": f.selected,
                "url": links.value(facet.name, f.value),
            }
            for f in values
        ],
        "show_all_url": url_of(query.with_expanded(facet.name, True).with_changes(page=1))
        if facet.shown is not None and not expanded and unselected >= facet.shown
        else None,
        "show_fewer_url": url_of(query.with_expanded(facet.name, False).with_changes(page=1))
        if expanded
        else None,
        "shown": facet.shown,
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
    url = reference_url(record)
    words = clean_text(request.args.get("q", ""))[:MAX_TEXT_LENGTH]
    marked = get_engine().record_highlights(record, words)
    paragraphs = text_paragraphs(marked["text"])
    document_type = record.get("document_type")
    return render_template(
        "record.html",
        record=record,
        shown_date=format_archive_date(record.get("date"), record.get("date_precision")),
        words=words,
        marked=marked,
        paragraphs=paragraphs,
        marked_count=len(marked["text"].marks),
        type_link=(document_type, url_of(Query().toggled("type", document_type)))
        if document_type
        else None,
        facet_links=record_facet_links(record),
        citation_tags=metadata.citation_tags(
            record, url_for("pages.record_page", record_id=record_id, _external=True)
        ),
        export_formats=[(found.name, found.label) for found in FORMATS.values()],
        related=[
            {
                "title": found.record["title"],
                "url": record_path(found.record["id"]),
                "shown_date": format_archive_date(
                    found.record.get("date"), found.record.get("date_precision")
                ),
                "reason": related_reason(found.persons, found.subjects),
            }
            for found in get_engine().related(record_id)
        ],
        citation=citations.cite(
            record, url, citations.style_name(request.args.get("style")), date.today()
        ),
        featured_styles=citations.FEATURED_STYLES,
        page_title=record["title"],
        description=(record.get("summary") or record["title"])[:300],
    )


def record_facet_links(
    record: dict[str, Any],
) -> list[tuple[str, list[tuple[str, str, str | None]]]]:
    """Each facet's values of a record, each a link to the search narrowed by it, and for
    a person the address of their page (an authority one click away, as in a catalogue)."""
    shown = []
    for facet in FACETS:
        if facet.kind == "year" or facet.name == "type":
            continue
        values = record_values(record, facet)
        if values:
            shown.append(
                (
                    facet.heading if len(values) > 1 else facet.label,
                    [
                        (value, url_of(Query().toggled(facet.name, value)), page_of_name(value))
                        if facet.kind == "person"
                        else (value, url_of(Query().toggled(facet.name, value)), None)
                        for value in values
                    ],
                )
            )
    return shown


def related_reason(persons: list[str], subjects: list[str]) -> str:
    """Why a record is shown as related: "Also names Zhou Enlai and Peng Dehuai; also
    about the Korean War"."""
    parts = []
    if persons:
        parts.append("names " + _listed(persons))
    if subjects:
        parts.append("is about " + _listed(subjects))
    return "Also " + "; also ".join(parts)


def _listed(names: list[str], most: int = 4) -> str:
    if len(names) > most:
        others = len(names) - most + 1
        names = [*names[: most - 1], f"{others} others"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def text_paragraphs(text: Highlight) -> list[Highlight]:
    """A document's text in its paragraphs (blank lines apart), each with its own marks."""
    paragraphs = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text.text):
        start, end = match.span()
        if not match.group().strip():
            continue
        marks = tuple(
            (first - start, last - start) for first, last in text.marks if start <= first < end
        )
        paragraphs.append(Highlight(match.group(), marks))
    return paragraphs
