"""The advanced search form: rows of field, words and how they match, and the filters.

It works like Blacklight's and ArchivesSpace's, and without JavaScript: the form is a
GET to /advanced, which writes the search in the query language and sends the browser
on to an ordinary /search URL. The q it writes is the one a person would type
(``title:(korean war) AND NOT person:Molotov``), shown in the search box to read and
edit; the year and dates become the page's filters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request
from werkzeug.datastructures import MultiDict

from indexer.search import KEYWORD_FACETS, SORTS, QueryError, make_query

from .params import LINK_LIMIT, search_url

advanced = Blueprint("advanced", __name__)

ROWS = 4
# (value, label, the field written in the query): "any" searches titles, summaries and names.
FIELDS = (
    ("any", "Any field", ""),
    ("title", "Title", "title"),
    ("summary", "Summary", "summary"),
    ("text", "Full text", "text"),
    ("person", "Person", "person"),
    # The facets searchable by their words (subject:, place: ...), as FACETS declares them.
    *((facet.name, facet.label, facet.name) for facet in KEYWORD_FACETS if facet.words_field),
)
MATCHES = (
    ("all", "all of these words"),
    ("any", "any of these words"),
    ("phrase", "this exact phrase"),
    ("none", "none of these words"),
)
COMBINES = (("AND", "all rows"), ("OR", "any row"))
SORT_CHOICES = (
    ("", "Best match first (with words), else oldest first"),
    ("date", "Oldest first"),
    ("-date", "Newest first"),
)
# What a row's words may hold: letters, digits, apostrophes, hyphens and the * ? wildcards.
# Everything else would be syntax (quotes, brackets, colons), which the rows write for you.
_NOT_A_WORD = re.compile(r"[^\w'\u2019*?\-]+")


@dataclass
class Row:
    field: str = "any"
    match: str = "all"
    words: str = ""

    def clause(self, alone: bool = False) -> str:
        """This row in the query language, or "" when it has no words. ``alone``: its words
        need no brackets (all of them, in any field, ANDed with the other rows)."""
        words = [word.strip("-") for word in _NOT_A_WORD.sub(" ", self.words).split()]
        words = [word for word in words if word and word.upper() not in ("AND", "OR", "NOT", "TO")]
        if not words:
            return ""
        prefix = next((name for value, _, name in FIELDS if value == self.field), "")
        prefix = f"{prefix}:" if prefix else ""
        if self.match == "phrase":
            return f'{prefix}"{" ".join(words)}"'
        joined = " OR ".join(words) if self.match in ("any", "none") else " ".join(words)
        bare = alone and not prefix and self.match == "all"
        group = f"{prefix}({joined})" if len(words) > 1 and not bare else f"{prefix}{joined}"
        return f"NOT {group}" if self.match == "none" else group


@dataclass
class Form:
    rows: list[Row]
    combine: str = "AND"
    years: str = ""
    date_from: str = ""
    date_to: str = ""
    sort: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> Form:
        rows = [
            Row(
                _choice(args.get(f"field{n}"), FIELDS, "any"),
                _choice(args.get(f"match{n}"), MATCHES, "all"),
                args.get(f"words{n}", "")[:1000],
            )
            for n in range(1, ROWS + 1)
        ]
        if not any(row.words for row in rows) and args.get("q"):
            rows[0].words = args.get("q", "")[:1000]  # from the search box: start with its words
        return cls(
            rows=rows,
            combine=_choice(args.get("combine"), COMBINES, "AND"),
            years=" ".join(args.getlist("year"))[:200],
            date_from=args.get("from", "")[:40],
            date_to=args.get("to", "")[:40],
            sort=args.get("sort", "") if args.get("sort") in SORTS else "",
        )

    def text(self) -> str:
        """The rows as one search: positive rows joined by AND or OR, then each NOT row."""
        clauses = [row.clause(alone=self.combine == "AND") for row in self.rows]
        wanted = [c for c, row in zip(clauses, self.rows, strict=True) if c and row.match != "none"]
        unwanted = [
            c for c, row in zip(clauses, self.rows, strict=True) if c and row.match == "none"
        ]
        positive = f" {self.combine} ".join(wanted)
        if self.combine == "OR" and len(wanted) > 1 and unwanted:
            positive = f"({positive})"
        return " AND ".join(part for part in [positive, *unwanted] if part)


def _choice(value: str | None, choices: tuple[tuple[str, ...], ...], default: str) -> str:
    return value if value in {choice[0] for choice in choices} else default


@advanced.get("/advanced")
def advanced_page() -> str | Response | tuple[str, int]:
    """The form; submitted (``run``), the search it writes, or the form with what is wrong."""
    form = Form.from_args(request.args)
    if "run" in request.args:
        text = form.text()
        try:
            query = make_query(
                text,
                years=re.split(r"[\s,;]+", form.years.strip()) if form.years.strip() else (),
                date_from=form.date_from,
                date_to=form.date_to,
                sort=form.sort or None,
            )
        except QueryError as error:
            form.errors[error.param] = error.message
        else:
            url = search_url(query)
            if len(url) <= LINK_LIMIT:
                response: Response = redirect(url, code=303)  # type: ignore[assignment]
                return response
            form.errors["q"] = "the search is too long for a link; shorten the words"
        return _render(form), 400
    return _render(form)


def _render(form: Form) -> str:
    context: dict[str, Any] = {
        "form": form,
        "fields": FIELDS,
        "matches": MATCHES,
        "combines": COMBINES,
        "sorts": SORT_CHOICES,
        "page_title": "Advanced search",
        "description": "Search the archive by title, summary and person, with date filters.",
    }
    return render_template("advanced.html", **context)
