"""The JSON API, content negotiation, HTTP caching and CORS, the embed page and the feeds."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import pytest

from webapp import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
RESULT_KEYS = {
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
    "type",
    "subject",
    "place",
    "language",
    "archive",
    "author",
}


@pytest.fixture(scope="module")
def app(seed_index):
    return create_app({"INDEX_PATH": str(seed_index)})


@pytest.fixture
def client(app):
    return app.test_client()


def get_json(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


# -- /api/search -------------------------------------------------------------------------


def test_the_search_answer_has_exactly_the_documented_keys(client):
    data = get_json(client, "/api/search?q=Stalin&year=1953")
    assert list(data) == [
        "query",
        "total",
        "page",
        "per_page",
        "pages",
        "results",
        "facets",
        "suggestion",
    ]
    assert (data["total"], data["page"], data["per_page"], data["pages"]) == (4, 1, 20, 1)
    assert all(set(result) == RESULT_KEYS for result in data["results"])
    first = data["results"][0]
    assert first["url"] == f"http://localhost/records/{first['id']}"
    assert first["date_precision"] == "day" and first["year"] == 1953
    assert "<mark>Stalin</mark>" in first["highlights"]["title"] + first["highlights"]["summary"]
    assert data["query"] == {
        "q": "Stalin",
        "year": [1953],
        "person": [],
        "type": [],
        "subject": [],
        "place": [],
        "language": [],
        "archive": [],
        "author": [],
        "from": None,
        "to": None,
        "sort": "relevance",
        "page": 1,
        "per_page": 20,
        "fallback": None,
        "any_words": False,
        "name_variants": ["Joseph Stalin"],
        "partial": None,
        "notes": [],
        "offer": None,
    }


def test_facet_values_carry_their_toggle_urls(client):
    data = get_json(client, "/api/search?q=Stalin&year=1953")
    years = {f["value"]: f for f in data["facets"]["year"]}
    assert years[1953]["selected"] and years[1953]["count"] == 4
    assert parse_qs(urlparse(years[1953]["toggle_url"]).query) == {"q": ["Stalin"]}
    assert parse_qs(urlparse(years[1952]["toggle_url"]).query) == {
        "q": ["Stalin"],
        "year": ["1952", "1953"],
    }
    assert urlparse(years[1952]["toggle_url"]).path == "/api/search"
    persons = {f["value"]: f for f in data["facets"]["person"]}
    followed = get_json(client, persons["Mao Zedong"]["toggle_url"].replace("http://localhost", ""))
    assert followed["total"] == 3 and followed["query"]["person"] == ["Mao Zedong"]


@pytest.mark.parametrize(
    "url, total",
    [
        ("/api/search", 37),
        ("/api/search?year=1952&year=1953", 14),
        ("/api/search?person=Mao+Zedong&person=Joseph+Stalin", 11),
        ("/api/search?from=1950-02-10&to=1950-02-20", 1),
        ("/api/search?q=Mao+Tse-tung", 18),
        ("/api/search?q=%22unbalanced", 0),
        ("/api/search?q=title:(", 37),
    ],
)
def test_search_parameters(client, url, total):
    assert get_json(client, url)["total"] == total


def test_sorting_and_paging(client):
    data = get_json(client, "/api/search?sort=-date&per_page=3&page=2")
    assert [r["date"] for r in data["results"]] == ["1956", "1956-04-23", "1956-01-17"]
    assert (data["page"], data["pages"]) == (2, 13)


def test_a_page_past_the_end_is_empty_not_an_error(client):
    data = get_json(client, "/api/search?q=Stalin&page=50")
    assert data["results"] == [] and data["total"] == 13 and data["page"] == 50


def test_malformed_text_is_reported_not_refused(client):
    data = get_json(client, "/api/search?q=Mao+AND")
    assert data["query"]["fallback"] == "an operator (AND, OR, NOT) has nothing on one side"
    assert data["total"] == 18


def test_a_suggestion(client):
    assert get_json(client, "/api/search?q=Molotv")["suggestion"] == "Molotov"


@pytest.mark.parametrize(
    "query, param",
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=100000", "per_page"),
        ("per_page=0", "per_page"),
        ("year=19x2", "year"),
        ("from=1950-13", "from"),
        ("to=yesterday", "to"),
        ("from=1953&to=1950", "from"),
        ("sort=sideways", "sort"),
        ("q=a&q=b", "q"),
        ("page=1&page=2", "page"),
    ],
)
def test_wrong_parameters_are_json_400s_naming_them(client, query, param):
    data = get_json(client, f"/api/search?{query}", status=400)
    assert data["error"]["code"] == 400 and data["error"]["param"] == param
    assert data["error"]["message"]


@pytest.mark.parametrize(
    "url", ["/api/records/no-such-record", "/api/nothing", "/api/", "/api/search/extra"]
)
def test_unknown_records_and_routes_are_json_404s(client, url):
    data = get_json(client, url, status=404)
    assert data == {
        "error": {
            "code": 404,
            "message": "There is no page or record at this address.",
            "param": None,
        }
    }


def test_a_record_with_all_its_fields(client):
    first = get_json(client, "/api/search?q=insects")["results"][0]
    record = get_json(client, f"/api/records/{first['id']}")
    assert record["title"] == "Cable, Mao Zedong to Filippov [Stalin]"
    assert record["persons"] == ["Mao Zedong", "Joseph Stalin"] and record["url"] == first["url"]
    assert record["sources"][0].endswith("000_2fa1fff422d2efeb.txt#3")


# -- every HTML search URL as JSON ---------------------------------------------------------------


def test_search_dot_json_and_accept_header_answer_the_same_data(client):
    dotted = get_json(client, "/search.json?q=Molotov&year=1952")
    negotiated = get_json(
        client, "/search?q=Molotov&year=1952", headers={"Accept": "application/json"}
    )
    api = get_json(client, "/api/search?q=Molotov&year=1952")
    assert dotted["total"] == negotiated["total"] == api["total"] == 3
    assert dotted["results"] == api["results"]
    assert urlparse(dotted["facets"]["year"][0]["toggle_url"]).path == "/search.json"
    browser = client.get(
        "/search?q=Molotov", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert browser.mimetype == "text/html"


# -- HTTP done properly ----------------------------------------------------------------------------


def test_etags_give_304_and_caching_is_tied_to_the_index(client):
    first = client.get("/api/search?q=Stalin")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60, must-revalidate"
    assert first.headers["X-Index-Version"].startswith("index.")
    again = client.get("/api/search?q=Stalin", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/api/search?q=Mao", headers={"If-None-Match": etag})
    assert other.status_code == 200
    page = client.get("/search?q=Stalin")
    assert (
        client.get("/search?q=Stalin", headers={"If-None-Match": page.headers["ETag"]}).status_code
        == 304
    )


def test_gzip_for_clients_that_accept_it(client):
    plain = client.get("/api/search")
    zipped = client.get("/api/search", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.get_data())) == plain.get_json()
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    assert "Accept-Encoding" in zipped.headers["Vary"]
    revalidated = client.get(
        "/api/search", headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]}
    )
    assert revalidated.status_code == 304


def test_cors_and_preflight(client):
    answer = client.get(
        "/api/search?q=Stalin", headers={"Origin": "https://guides.library.example.edu"}
    )
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/search",
        headers={
            "Origin": "https://guides.library.example.edu",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "if-none-match" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert (
        "Access-Control-Allow-Origin"
        not in client.get("/search?q=Stalin", headers={"Origin": "https://x.example"}).headers
    )


def test_cors_origins_are_configurable(seed_index):
    client = create_app(
        {"INDEX_PATH": str(seed_index), "CORS_ORIGINS": ["https://guides.example.edu"]}
    ).test_client()
    allowed = client.get("/api/search", headers={"Origin": "https://guides.example.edu"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://guides.example.edu"
    refused = client.get("/api/search", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_link_headers_for_pages(client):
    links = client.get("/api/search?per_page=5&page=2").headers["Link"]
    assert '<http://localhost/api/search?per_page=5&page=3>; rel="next"' in links
    assert '<http://localhost/api/search?per_page=5>; rel="prev"' in links
    assert '<http://localhost/api/search?per_page=5&page=8>; rel="last"' in links
    assert 'rel="next"' not in client.get("/api/search?per_page=5&page=8").headers["Link"]


# -- OpenAPI ---------------------------------------------------------------------------------------


def test_the_openapi_document_is_served(client):
    document = get_json(client, "/api/openapi.json")
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "http://localhost"}]
    parameters = {p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]}
    assert parameters == {
        "q",
        "year",
        "person",
        "type",
        "subject",
        "place",
        "language",
        "archive",
        "author",
        "all",
        "from",
        "to",
        "sort",
        "page",
        "per_page",
    }


# -- embedding -------------------------------------------------------------------------------------


def test_the_embed_page_may_be_framed_and_opens_records_in_new_tabs(client):
    response = client.get("/embed?q=Stalin&year=1953")
    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    body = response.get_data(as_text=True)
    assert body.count('target="_blank" rel="noopener"') >= 5
    assert "site-header" not in body and "1&ndash;4 of 4 records" in body


@pytest.mark.parametrize("url", ["/", "/search?q=Stalin", "/embed/help", "/api/search", "/nowhere"])
def test_every_other_page_denies_framing(client, url):
    headers = client.get(url).headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


def test_the_help_page_gives_copyable_snippets(client):
    body = client.get("/embed/help").get_data(as_text=True)
    assert (
        "&lt;div data-archive-search data-q=&#34;Stalin&#34;" in body
        or '&lt;div data-archive-search data-q="Stalin"' in body
    )
    assert "http://localhost/static/embed.js" in body and "http://localhost/embed?q=Molotov" in body


def test_the_widget_script_is_served(client):
    response = client.get("/static/embed.js")
    assert response.status_code == 200 and "attachShadow" in response.get_data(as_text=True)


# -- OpenSearch and Atom ---------------------------------------------------------------------------


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.get_data())
    templates = {url.get("type"): url.get("template") for url in root.findall(f"{OPENSEARCH}Url")}
    assert templates["text/html"].startswith("http://localhost/search?q={searchTerms}")
    assert templates["application/atom+xml"].startswith(
        "http://localhost/search.atom?q={searchTerms}"
    )
    assert root.findtext(f"{OPENSEARCH}ShortName") == "Archive Search"


def test_every_page_links_the_opensearch_description(client):
    for url in ("/", "/search?q=Stalin", "/embed/help"):
        body = client.get(url).get_data(as_text=True)
        assert 'rel="search" type="application/opensearchdescription+xml"' in body


def test_an_atom_feed_of_any_search(client):
    response = client.get("/search.atom?q=Molotov")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    assert feed.findtext(f"{ATOM}title") == "Archive Search: \u201cMolotov\u201d"
    assert (
        feed.find(f"{ATOM}link[@rel='self']").get("href")
        == "http://localhost/search.atom?q=Molotov&sort=-date"
    )
    first = entries[0]
    assert (
        first.findtext(f"{ATOM}title")
        == "List of Changes to Agreements between China and the Soviet Union"
    )
    assert first.findtext(f"{ATOM}id").startswith("http://localhost/records/")
    assert first.findtext(f"{ATOM}summary").startswith("June 24, 1954. An agreement proposal")
    assert {c.get("term") for c in first.findall(f"{ATOM}category")} == {
        "Zhang Wentian",
        "Vyacheslav Molotov",
    }
    assert feed.findtext(f"{ATOM}updated").endswith("Z")


def test_the_search_page_links_its_feed(client):
    body = client.get("/search?q=Molotov&year=1952").get_data(as_text=True)
    assert 'type="application/atom+xml"' in body and "/search.atom?q=Molotov&amp;year=1952" in body


def test_feed_text_is_escaped(tmp_path):
    from indexer.index.build import build_index
    from indexer.records.record import Record

    build_index(
        [
            Record(
                id="x",
                title='<b>Bold & "quoted"</b>',
                summary="a < b",
                date="1950",
                date_precision="year",
                year=1950,
            )
        ],
        tmp_path / "index",
    )
    client = create_app({"INDEX_PATH": str(tmp_path / "index")}).test_client()
    feed = ET.fromstring(client.get("/search.atom").get_data())
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == '<b>Bold & "quoted"</b>'
    assert entry.findtext(f"{ATOM}summary") == "1950. a < b"


def test_a_partial_answer_is_flagged_in_the_api_and_on_the_page(seed_index):
    client = create_app({"INDEX_PATH": str(seed_index), "SEARCH_TIME_BUDGET": 0}).test_client()
    data = client.get("/api/search?q=s*").get_json()
    assert "took longer than 0 s" in data["query"]["partial"]
    page = client.get("/search?q=s*").get_data(as_text=True)
    assert "These results are incomplete: the search took longer than 0 s" in page
    whole = (
        create_app({"INDEX_PATH": str(seed_index)}).test_client().get("/api/search?q=s*").get_json()
    )
    assert whole["query"]["partial"] is None and whole["total"] > data["total"]
