"""No query text can raise: properties over text written from the query grammar.

The engine answers every text with results or a plain-word fallback and a reason (or a
QueryError, which the web app answers with a 400 naming the parameter); every route
answers 200 or a 400 naming a parameter. `make test` runs a few thousand examples;
`make fuzz` (bench/fuzz.py) runs 100,000 with a fixed seed. Every input that ever
failed is kept in tests/fixtures/query_regressions.jsonl and replayed here.
"""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from query_grammar import QUERY_TEXT

from indexer.search import MAX_TEXT_LENGTH, Engine, QueryError, Results, make_query
from webapp import create_app
from webapp.params import SEARCH_PARAMS

REGRESSIONS = ROOT / "tests" / "fixtures" / "query_regressions.jsonl"
ROUTES = ("/search", "/api/search", "/embed", "/search.atom", "/search.json")
GRAMMAR = settings(max_examples=2500, deadline=None, suppress_health_check=list(HealthCheck))
HTTP = settings(max_examples=1200, deadline=None, suppress_health_check=list(HealthCheck))
# A reason is a sentence about the text, never an exception's name.
EXCEPTION_NAME = re.compile(r"\b[A-Z][a-z]+(?:Error|Exception)\b|\(\w+Error\)")


def search_or_refuse(engine: Engine, text: str, **params: object) -> Results | None:
    """The property at the engine: results, or a QueryError naming q (text too long)."""
    try:
        query = make_query(text, **params)  # type: ignore[arg-type]
    except QueryError as error:
        assert error.param == "q" and len(text.strip()) > MAX_TEXT_LENGTH, error.message
        return None
    results = engine.search(query)
    check_results(results)
    return results


def check_results(results: Results) -> None:
    """What every answer must be: a sensible page, a reason in words, escaped highlights."""
    first = (results.page - 1) * results.per_page
    assert len(results.results) == max(0, min(results.per_page, results.total - first))
    if results.fallback is not None:
        assert results.fallback_kind and not EXCEPTION_NAME.search(results.fallback), (
            results.fallback
        )
    for note in results.query.notes:
        assert not EXCEPTION_NAME.search(note), note
    for hit in results.results:
        for highlight in hit.highlights.values():
            html = highlight.html()
            assert unescape(re.sub(r"</?mark>", "", html)) == highlight.text


@given(text=QUERY_TEXT, page=st.integers(1, 2), sort=st.sampled_from([None, "relevance", "-date"]))
@GRAMMAR
def test_any_text_from_the_grammar_gives_results_or_a_reason(engine, text, page, sort):
    search_or_refuse(engine, text, page=page, sort=sort, per_page=5)


_clients: dict[str, object] = {}


def client_for(index) -> object:
    if str(index) not in _clients:
        _clients[str(index)] = create_app({"INDEX_PATH": str(index)}).test_client()
    return _clients[str(index)]


def check_http(client, route: str, text: str) -> None:
    """200, or a 400 naming a parameter the search understands."""
    response = client.get(f"{route}?{urlencode({'q': text})}")
    assert response.status_code in (200, 400), (route, text, response.status_code)
    if response.status_code == 400:
        if route.startswith("/api/") or route.endswith(".json"):
            assert response.get_json()["error"]["param"] in SEARCH_PARAMS
        else:
            assert "q" in response.get_data(as_text=True)


@given(text=QUERY_TEXT, route=st.sampled_from(ROUTES))
@HTTP
def test_every_route_answers_any_text_from_the_grammar(seed_index, text, route):
    check_http(client_for(seed_index), route, text)


def _regressions() -> list[dict[str, str]]:
    return [
        json.loads(line)
        for line in REGRESSIONS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


@pytest.mark.parametrize("case", _regressions(), ids=lambda case: case["text"][:40])
def test_every_input_that_ever_failed_now_answers(engine, seed_index, case):
    search_or_refuse(engine, case["text"])
    for route in ROUTES:
        check_http(client_for(seed_index), route, case["text"])


def test_the_regression_file_holds_the_failures_the_issue_reported():
    kinds = {case["error"].split(":")[0] for case in _regressions()}
    assert {"AttributeError", "UnicodeDecodeError"} <= kinds
