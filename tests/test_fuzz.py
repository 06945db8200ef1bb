"""Property-based fuzzing of the query parser, the engine and the request parameters.

Whatever text or parameters a client sends: the parser returns a query or a plain-word
fallback, never an exception; the engine answers with consistent totals and escaped
highlights; the web app answers 200 or a 400 that names a parameter it understands,
never a 5xx.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.search import MAX_TEXT_LENGTH, QueryError, make_query
from webapp import create_app
from webapp.params import SEARCH_PARAMS

# Query syntax pieces, so the fuzzer reaches the parser's corners, not only plain words.
SYNTAX = st.sampled_from(
    [
        '"',
        "(",
        ")",
        "*",
        "?",
        ":",
        "-",
        "+",
        "~",
        "^",
        "[",
        "]",
        "{",
        "}",
        " AND ",
        " OR ",
        " NOT ",
        "title:",
        "person:",
        "summary:",
        " TO ",
        "\\",
        "\x00",
        "\u202e",
        "\ud800",
    ]
)
WORDS = st.sampled_from(
    [
        "stalin",
        "Mao",
        "Zedong",
        "telegram",
        "Korea",
        "soviet",
        "Tse-tung",
        "Ho",
        "a",
        "zzz",
        "Molotv",
        "1950",
        "Zhou",
        "Kwaśniewski",
        "日本",
    ]
)
TEXT = st.lists(st.one_of(WORDS, SYNTAX, st.text(max_size=6)), max_size=14).map(" ".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
HIGHLIGHT = re.compile(r"</?mark>")


@given(text=TEXT)
@SETTINGS
def test_any_text_gives_a_query_or_a_plain_word_fallback(engine, text):
    parsed = engine.state().parser.parse(text.replace("\ud800", ""))
    assert parsed.query is not None or not parsed.words or parsed.fallback_reason


@given(
    text=TEXT, page=st.integers(1, 3), sort=st.sampled_from([None, "relevance", "date", "-date"])
)
@SETTINGS
def test_any_text_searches_consistently(engine, text, page, sort):
    try:
        query = make_query(text.replace("\ud800", ""), page=page, sort=sort, per_page=5)
    except QueryError as error:
        assert error.param == "q" and len(text) > MAX_TEXT_LENGTH
        return
    results = engine.search(query)
    # The page holds exactly what is left of the total at this page, at most per_page.
    assert len(results.results) == max(0, min(5, results.total - (page - 1) * 5))
    # Without a year filter the year facet counts every dated match, once.
    dated = sum(
        1 for hit in engine.search(query.with_changes(page=1, per_page=100)).results if hit.year
    )
    if results.total <= 100:
        assert sum(f.count for f in results.facets["year"]) == dated
    assert all(0 < f.count <= results.total for f in results.facets["person"])
    for hit in results.results:
        for name, highlight in hit.highlights.items():
            assert highlight.text == getattr(hit, name)
            ends = [edge for mark in highlight.marks for edge in mark]
            assert ends == sorted(ends) and all(0 <= edge <= len(highlight.text) for edge in ends)
            html = highlight.html()
            assert "<" not in HIGHLIGHT.sub("", html)
            assert unescape(HIGHLIGHT.sub("", html)) == highlight.text


PARAM_NAMES = st.one_of(st.sampled_from(SEARCH_PARAMS), st.text(min_size=1, max_size=8))
PARAM_VALUES = st.one_of(
    TEXT, st.integers(-(10**12), 10**12).map(str), st.sampled_from(["", "all", "1950-02", "-date"])
)


@given(
    params=st.lists(st.tuples(PARAM_NAMES, PARAM_VALUES), max_size=8),
    route=st.sampled_from(["/search", "/api/search", "/embed", "/search.atom"]),
)
@SETTINGS
def test_any_parameters_give_200_or_a_400_naming_one(seed_index, params, route):
    client = _client(seed_index)
    clean = [(name.replace("\ud800", ""), value.replace("\ud800", "")) for name, value in params]
    response = client.get(f"{route}?{urlencode(clean)}")
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if response.status_code == 400 and route == "/api/search":
        assert response.get_json()["error"]["param"] in SEARCH_PARAMS


_clients: dict = {}


def _client(index):
    if index not in _clients:
        _clients[index] = create_app({"INDEX_PATH": str(index)}).test_client()
    return _clients[index]
