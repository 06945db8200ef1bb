"""The OpenAPI 3.1 document of the JSON API, served at /api/openapi.json.

It is checked against the live app by property-based tests (schemathesis): every
documented parameter is sent in every documented shape, and every answer must match
its documented response.
"""

from __future__ import annotations

from typing import Any

from indexer.search import (
    DEFAULT_PER_PAGE,
    FACETS,
    KEYWORD_FACETS,
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_TEXT_LENGTH,
    MAX_VALUE_LENGTH,
    SORTS,
)

from .citations import DEFAULT_STYLE, FEATURED_STYLES
from .exports import FORMATS, MAX_EXPORT
from .people import MAX_FILTER_LENGTH, PEOPLE_SORTS, RECORDS_PER_PAGE

_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_COMBINE = {
    "any": "records holding any of the selected values",
    "all": "records holding all of the selected values",
}
_NULLABLE_STRING = {"type": ["string", "null"]}


def _error() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "param"],
                "properties": {
                    "code": {"type": "integer", "description": "The HTTP status."},
                    "message": {
                        "type": "string",
                        "description": "One sentence saying what is wrong.",
                    },
                    "param": {
                        "type": ["string", "null"],
                        "description": "The parameter at fault, if one is.",
                    },
                },
            }
        },
    }


def _facet_value(value_type: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["value", "count", "selected", "toggle_url"],
        "properties": {
            "value": {"type": value_type},
            "count": {"type": "integer", "minimum": 0},
            "selected": {"type": "boolean"},
            "toggle_url": {
                "type": "string",
                "format": "uri",
                "description": "This search with the value added or removed.",
            },
        },
    }


def _result() -> dict[str, Any]:
    return {
        "type": "object",
        "required": [
            "id",
            "url",
            "title",
            "summary",
            "date",
            "date_precision",
            "year",
            "persons",
            "highlights",
            "source_url",
        ],
        "properties": {
            "id": {"type": "string"},
            "url": {
                "type": "string",
                "format": "uri",
                "description": "The record's page on this site.",
            },
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "date": {
                "type": ["string", "null"],
                "description": "ISO at the record's precision: 1950-01-22, 1950-02 or 1950.",
            },
            "date_precision": {"type": ["string", "null"], "enum": ["day", "month", "year", None]},
            "year": {"type": ["integer", "null"]},
            "persons": {"type": "array", "items": {"type": "string"}},
            "type": {
                "type": ["string", "null"],
                "description": "The document type its title names (since 1.2.0), or null.",
            },
            **{
                facet.name: {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": f"The record's {facet.heading.lower()} (since 1.2.0).",
                }
                for facet in KEYWORD_FACETS
                if facet.name != "type"
            },
            "highlights": {
                "type": "object",
                "required": ["title", "summary"],
                "properties": {
                    "title": {"type": "string"},
                    "summary": {"type": "string"},
                    "text": {
                        "type": "string",
                        "description": (
                            "Since 1.2.0, when the query's words are in the document's text: "
                            "its best passage (about 280 characters, … where it is cut)."
                        ),
                    },
                },
                "description": "HTML: the text escaped, the query's words in <mark>.",
            },
            "source_url": {"type": ["string", "null"], "description": "The record at the archive."},
        },
    }


def _search_response() -> dict[str, Any]:
    return {
        "type": "object",
        "required": [
            "query",
            "total",
            "page",
            "per_page",
            "pages",
            "results",
            "facets",
            "suggestion",
        ],
        "properties": {
            "query": {
                "type": "object",
                "required": [
                    "q",
                    *(facet.name for facet in FACETS),
                    "from",
                    "to",
                    "sort",
                    "page",
                    "per_page",
                ],
                "properties": {
                    "q": {"type": "string"},
                    **{
                        facet.name: {
                            "type": "array",
                            "items": {"type": "integer" if facet.kind == "year" else "string"},
                        }
                        for facet in FACETS
                    },
                    "from": _NULLABLE_STRING,
                    "to": _NULLABLE_STRING,
                    "sort": {"type": "string", "enum": list(SORTS)},
                    "page": {"type": "integer", "minimum": 1},
                    "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                    "fallback": {
                        "type": ["string", "null"],
                        "description": "Why the text was searched as plain words.",
                    },
                    "any_words": {
                        "type": "boolean",
                        "description": "No record had every word; these have some.",
                    },
                    "name_variants": {"type": "array", "items": {"type": "string"}},
                    "partial": {
                        "type": ["string", "null"],
                        "description": (
                            "Why the answer is incomplete (a pattern matched too many words, "
                            "or the search ran out of time), or null when it is whole."
                        ),
                    },
                    "notes": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": (
                            "What the text said that was left out, and why (since 1.1.0): "
                            "'year:1952-06 was left out: year: takes a year such as 1950 ...'. "
                            "year: and date: clauses that narrow the whole search are moved "
                            "into the year, from and to filters, shown in this object."
                        ),
                    },
                    "offer": {
                        "type": ["string", "null"],
                        "description": (
                            "When the text held a year: or date: that cannot be a filter where "
                            "it stands (inside brackets, next to OR or NOT): the URL of the same "
                            "search with it as a filter (since 1.1.0)."
                        ),
                    },
                },
            },
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
            "facets": {
                "type": "object",
                "required": ["year"],
                "properties": {
                    facet.name: {
                        "type": "array",
                        "items": _facet_value("integer" if facet.kind == "year" else "string"),
                        "description": f"{facet.heading}: {_COMBINE[facet.combine]}",
                    }
                    for facet in FACETS
                },
                "description": (
                    "Each facet's values over the whole result, with counts. A facet no "
                    "record of the index has is left out (since 1.2.0: type, subject, place, "
                    "language, archive, author)."
                ),
            },
            "suggestion": {
                "type": ["string", "null"],
                "description": "A corrected query, when one finds more.",
            },
        },
    }


def _param(
    name: str,
    schema: dict[str, Any],
    description: str,
    where: str = "query",
    explode: bool = False,
) -> dict[str, Any]:
    """One parameter: a path parameter is required, a query parameter never is."""
    param: dict[str, Any] = {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": description,
    }
    if explode:
        param.update(style="form", explode=True)
    return param


def _parameters() -> list[dict[str, Any]]:
    return [
        _param(
            "q",
            {"type": "string", "maxLength": MAX_TEXT_LENGTH},
            'Words, "phrases", OR, NOT, -word, title:, summary:, text:, person:, subject:, '
            "place:, language:, archive:, type:, author:, wildcards, word~, "
            "ranges; year: and date: become the filters. Never an error: what cannot be "
            "read is searched as plain words, and `fallback` says why (see /help).",
        ),
        _param(
            "year",
            {
                "type": "array",
                "maxItems": MAX_FILTER_VALUES,
                "items": {"type": "integer", "minimum": 1000, "maximum": 2100},
            },
            "Records of any of these years (repeat the parameter).",
            explode=True,
        ),
        _param(
            "person",
            {
                "type": "array",
                "maxItems": MAX_FILTER_VALUES,
                "items": {"type": "string", "minLength": 1},
            },
            "Records naming all of these persons, by canonical name (repeat the parameter).",
            explode=True,
        ),
        *(
            _param(
                facet.name,
                {
                    "type": "array",
                    "maxItems": MAX_FILTER_VALUES,
                    "items": {"type": "string", "minLength": 1, "maxLength": MAX_VALUE_LENGTH},
                },
                f"{facet.heading}: {_COMBINE[facet.combine]} (repeat the parameter; since 1.2.0).",
                explode=True,
            )
            for facet in KEYWORD_FACETS
        ),
        _param(
            "all",
            {
                "type": "array",
                "items": {"type": "string", "enum": [facet.name for facet in FACETS]},
            },
            "Facets to list with every value, not only the first ones (since 1.2.0).",
            explode=True,
        ),
        _param(
            "from",
            {"type": "string", "pattern": _DATE_PATTERN},
            "From this date (YYYY, YYYY-MM or YYYY-MM-DD); records whose own span overlaps.",
        ),
        _param(
            "to",
            {"type": "string", "pattern": _DATE_PATTERN},
            "To this date (YYYY, YYYY-MM or YYYY-MM-DD).",
        ),
        _param(
            "sort",
            {"type": "string", "enum": list(SORTS)},
            "relevance (default with words), date (oldest first, default without), "
            "-date (newest first).",
        ),
        _param(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            "Page number; a page past the end is an empty page, not an error.",
        ),
        _param(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
            "Results per page.",
        ),
    ]


def _search_body() -> dict[str, Any]:
    """POST /api/search's body: the query string's parameters as one JSON object."""
    properties: dict[str, Any] = {}
    for parameter in _parameters():
        schema = parameter["schema"]
        if schema.get("type") == "array":  # one value or a list, as repeating a parameter
            schema = {"oneOf": [schema["items"], schema]}
        properties[parameter["name"]] = {**schema, "description": parameter["description"]}
    return {
        "type": "object",
        "properties": properties,
        "description": "The search's parameters, as in the query string; other keys are ignored.",
    }


def _json(schema_ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}


def document(server_url: str, version: str) -> dict[str, Any]:
    errors = {
        "400": {
            "description": "A parameter is wrong; `param` names it.",
            "content": _json("Error"),
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Archive Search API",
            "version": version,
            "description": (
                "Search the Wilson Center Digital Archive's records: "
                "the same search as the web page, as JSON."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search records, with year and person facets over the whole result.",
                    "parameters": _parameters(),
                    "responses": {
                        "200": {
                            "description": "One page of results, with facets and a suggestion.",
                            "headers": {
                                "ETag": {"schema": {"type": "string"}},
                                "Link": {
                                    "schema": {"type": "string"},
                                    "description": "first, prev, next, last pages.",
                                },
                            },
                            "content": _json("SearchResponse"),
                        },
                        "304": {"description": "Not modified (If-None-Match matched the ETag)."},
                        **errors,
                    },
                },
                "post": {
                    "operationId": "searchPost",
                    "summary": (
                        "The same search, its parameters in a JSON body: for searches too long "
                        "for a request line (8,190 bytes)."
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _search_body()}},
                    },
                    "responses": {
                        "200": {
                            "description": "One page of results, as for GET.",
                            "content": _json("SearchResponse"),
                        },
                        "400": {
                            "description": (
                                "A parameter is wrong, or the body is not a JSON object "
                                "(`param` is then `body`)."
                            ),
                            "content": _json("Error"),
                        },
                        "413": {
                            "description": "The body is over 64 KB.",
                            "content": _json("Error"),
                        },
                    },
                },
            },
            "/api/export": {
                "get": {
                    "operationId": "export",
                    "summary": (
                        "Every record of a search (all pages, in its order, at most "
                        f"{MAX_EXPORT:,}) as a file (since 1.3.0)."
                    ),
                    "parameters": [
                        {
                            "name": "format",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "enum": list(FORMATS)},
                            "description": "csv, jsonl, ris, bibtex or csljson (docs/exports.md).",
                        },
                        *(p for p in _parameters() if p["name"] not in ("page", "per_page")),
                    ],
                    "responses": {
                        "200": {
                            "description": "The file, with its name in Content-Disposition.",
                            "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
                            "content": {
                                # CSL-JSON is JSON: an array of CSL items; the others are text.
                                found.mimetype: {
                                    "schema": {"type": "array", "items": {"type": "object"}}
                                    if found.mimetype.endswith("+json")
                                    else {"type": "string"}
                                }
                                for found in FORMATS.values()
                            },
                        },
                        "400": {
                            "description": (
                                "A parameter is wrong (`param` names it), or the search has "
                                f"more than {MAX_EXPORT:,} records (`param` is null)."
                            ),
                            "content": _json("Error"),
                        },
                    },
                }
            },
            "/api/records/{record_id}": {
                "get": {
                    "operationId": "record",
                    "summary": "One record with all its fields.",
                    "parameters": [
                        _param("record_id", {"type": "string"}, "The record's id.", "path")
                    ],
                    "responses": {
                        "200": {"description": "The record.", "content": _json("Record")},
                        "304": {"description": "Not modified."},
                        "404": {"description": "No record has this id.", "content": _json("Error")},
                    },
                }
            },
            **people_paths(),
            "/api/records/{record_id}/cite": {
                "get": {
                    "operationId": "cite",
                    "summary": "One record cited in a CSL style, as HTML and as plain text.",
                    "parameters": [
                        _param("record_id", {"type": "string"}, "The record's id.", "path"),
                        _param(
                            "style",
                            {"type": "string", "maxLength": 120},
                            "Any installed CSL style by its file name: "
                            + ", ".join(name for name, _ in FEATURED_STYLES)
                            + f", or another. Default {DEFAULT_STYLE}.",
                        ),
                    ],
                    "responses": {
                        "200": {"description": "The citation.", "content": _json("Citation")},
                        "400": {
                            "description": "The style is not installed, or citeproc-py cannot "
                            "render it (`param` is `style`).",
                            "content": _json("Error"),
                        },
                        "404": {"description": "No record has this id.", "content": _json("Error")},
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "SearchResponse": _search_response(),
                "Result": _result(),
                **people_schemas(),
                "Citation": {
                    "type": "object",
                    "required": ["style", "title", "class", "bibliography", "citation", "record"],
                    "properties": {
                        "style": {"type": "string"},
                        "title": {"type": "string", "description": "The style's own title."},
                        "class": {"type": "string", "enum": ["note", "in-text"]},
                        "bibliography": {"$ref": "#/components/schemas/CitationText"},
                        "citation": {"$ref": "#/components/schemas/CitationText"},
                        "record": {"type": "string", "format": "uri"},
                    },
                },
                "CitationText": {
                    "type": "object",
                    "required": ["html", "text"],
                    "properties": {"html": {"type": "string"}, "text": {"type": "string"}},
                },
                "Record": {
                    "type": "object",
                    "required": [
                        "id",
                        "title",
                        "summary",
                        "date",
                        "date_precision",
                        "year",
                        "persons",
                        "source_url",
                        "sources",
                        "url",
                    ],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "summary": {"type": "string"},
                        "date": {"type": ["string", "null"]},
                        "date_precision": {
                            "type": ["string", "null"],
                            "enum": ["day", "month", "year", None],
                        },
                        "year": {"type": ["integer", "null"]},
                        "persons": {"type": "array", "items": {"type": "string"}},
                        "source_url": {"type": ["string", "null"]},
                        "sources": {"type": "array", "items": {"type": "string"}},
                        "url": {"type": "string", "format": "uri"},
                    },
                    "additionalProperties": True,
                },
                "Error": _error(),
            }
        },
    }


def people_paths() -> dict[str, Any]:
    """/api/people and /api/people/{slug} (since 1.4.0): the people pages' data."""
    error = {"content": _json("Error")}
    return {
        "/api/people": {
            "get": {
                "operationId": "people",
                "summary": "Every person the records name, A-Z by family name, with counts.",
                "parameters": [
                    _param(
                        "q",
                        {"type": "string", "maxLength": MAX_FILTER_LENGTH},
                        "Part of a name, in any form the authority file knows "
                        "(alias, transliteration, pseudonym).",
                    ),
                    _param(
                        "letter",
                        {"type": "string", "pattern": "^[A-Za-z#]$"},
                        "Only people filed under this letter of their family name (# for others).",
                    ),
                    _param(
                        "sort",
                        {"type": "string", "enum": list(PEOPLE_SORTS)},
                        "name (A-Z, the default) or count (most records first).",
                    ),
                ],
                "responses": {
                    "200": {"description": "The people.", "content": _json("PeopleList")},
                    "400": {"description": "A parameter is wrong; `param` names it.", **error},
                },
            }
        },
        "/api/people/{slug}": {
            "get": {
                "operationId": "person",
                "summary": "One person: names, records per year, people named with them, "
                "their records newest first.",
                "parameters": [
                    _param("slug", {"type": "string"}, "The person's address.", "path"),
                    _param(
                        "page",
                        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                        "Page of their records.",
                    ),
                    _param(
                        "per_page",
                        {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_PER_PAGE,
                            "default": RECORDS_PER_PAGE,
                        },
                        "Records per page.",
                    ),
                ],
                "responses": {
                    "200": {"description": "The person.", "content": _json("PersonPage")},
                    "400": {"description": "A parameter is wrong; `param` names it.", **error},
                    "404": {"description": "No person has this address.", **error},
                },
            }
        },
    }


def people_schemas() -> dict[str, Any]:
    nullable_year = {"type": ["integer", "null"]}
    person: dict[str, Any] = {
        "type": "object",
        "required": ["name", "slug", "count", "url", "api_url", "search_url"],
        "properties": {
            "name": {"type": "string"},
            "slug": {"type": "string"},
            "count": {"type": "integer", "minimum": 1},
            "url": {"type": "string", "format": "uri"},
            "api_url": {"type": "string", "format": "uri"},
            "search_url": {"type": "string", "format": "uri"},
        },
    }
    return {
        "Person": person,
        "PeopleList": {
            "type": "object",
            "required": ["total", "matched", "q", "letter", "sort", "letters", "people"],
            "properties": {
                "total": {"type": "integer"},
                "matched": {"type": "integer"},
                "q": {"type": "string"},
                "letter": {"type": ["string", "null"]},
                "sort": {"type": "string", "enum": ["name", "count"]},
                "letters": {"type": "object", "additionalProperties": {"type": "integer"}},
                "people": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
            },
        },
        "PersonPage": {
            "type": "object",
            "required": [*person["required"], "authority", "years", "named_with", "records"],
            "properties": {
                **person["properties"],
                "authority": {
                    "oneOf": [
                        {"type": "null"},
                        {
                            "type": "object",
                            "required": ["aliases", "short_forms", "pseudonyms"],
                            "properties": {
                                "aliases": {"type": "array", "items": {"type": "string"}},
                                "short_forms": {"type": "array", "items": {"type": "string"}},
                                "pseudonyms": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["name", "from", "to"],
                                        "properties": {
                                            "name": {"type": "string"},
                                            "from": nullable_year,
                                            "to": nullable_year,
                                        },
                                    },
                                },
                                "born": nullable_year,
                                "died": nullable_year,
                                "role": {"type": ["string", "null"]},
                                "source": {"type": ["string", "null"]},
                            },
                        },
                    ]
                },
                "years": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["year", "count", "search_url"],
                        "properties": {
                            "year": {"type": "integer"},
                            "count": {"type": "integer"},
                            "search_url": {"type": "string"},
                        },
                    },
                },
                "named_with": {
                    "type": "array",
                    "items": {
                        "allOf": [
                            {"$ref": "#/components/schemas/Person"},
                            {
                                "type": "object",
                                "required": ["together", "search_both_url"],
                                "properties": {
                                    "together": {"type": "integer"},
                                    "search_both_url": {"type": "string"},
                                },
                            },
                        ]
                    },
                },
                "records": {
                    "type": "object",
                    "required": ["total", "page", "pages", "per_page", "results"],
                    "properties": {
                        "total": {"type": "integer"},
                        "page": {"type": "integer"},
                        "pages": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "results": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        },
    }
