"""Hostile input on every route: never a 5xx, a wrong parameter is a 400 naming it, and
whatever comes back is escaped for where it lands (HTML, attributes, Atom, JSON).

The table is every route times every input; each answer must also carry the security
headers. A second table sends what only a raw socket can (bytes that are not UTF-8,
request lines of 100 KB) to a real gunicorn.
"""

from __future__ import annotations

import json
import socket
from urllib.parse import parse_qsl, quote
from xml.etree import ElementTree

import pytest
from werkzeug.datastructures import MultiDict

from indexer.search.query import make_query
from webapp import create_app

XSS = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'

SEARCH_ROUTES = ["/", "/search", "/search.json", "/api/search", "/embed", "/search.atom"]
OTHER_ROUTES = [
    "/help",
    "/advanced",
    "/opensearch.xml",
    "/embed/help",
    "/api/openapi.json",
    "/records/{id}",
    "/api/records/{id}",
    "/records/{id}.ris",
]

# (name, query string as a client sends it, the parameter a search route must refuse or None)
HOSTILE = [
    ("100 KB query", "q=" + "a" * 100_000, "q"),
    ("1,001 CJK characters", "q=" + "%E6%97%A5" * 1001, "q"),
    ("NUL inside a word", "q=abc%00def", None),
    ("only NULs", "q=%00%00%00", None),
    ("invalid UTF-8", "q=%FF%FE%FD", None),
    ("an encoded surrogate", "q=%ED%A0%80x", None),
    ("overlong UTF-8", "q=%C0%AF", None),
    ("a script", "q=" + quote(XSS), None),
    ("an attribute breakout", "q=" + quote(ATTRIBUTE), None),
    ("an unclosed quote", "q=%22unbalanced", None),
    ("an empty field", "q=title%3A", None),
    ("a bare wildcard", "q=*", None),
    ("a one-letter prefix", "q=a*", None),
    ("a leading wildcard", "q=*a*", None),
    ("400 nested brackets", "q=" + "(" * 400 + "x" + ")" * 400, None),
    ("only operators", "q=NOT+NOT+OR+AND", None),
    ("backslashes", "q=%5C%5C%5C", None),
    ("a term range over everything", "q=summary%3A%5Ba+TO+z%5D", None),
    ("a fuzzy term", "q=stalin~5", None),
    ("a slop phrase", "q=%22soviet+union%22~50", None),
    ("bidi and zero-width characters", "q=%E2%80%AE%E2%80%8Bstalin", None),
    ("999 characters", "q=" + "x" * 999, None),
    ("a huge page", "page=999999999999", "page"),
    ("a negative page", "page=-1", "page"),
    ("page zero", "page=0", "page"),
    ("a word for a page", "page=abc", "page"),
    ("a float page", "page=1e3", "page"),
    ("a NUL page", "page=%00", "page"),
    ("two pages", "page=1&page=2", "page"),
    ("per_page zero", "per_page=0", "per_page"),
    ("a huge per_page", "per_page=100000", "per_page"),
    ("a negative per_page", "per_page=-5", "per_page"),
    ("month 13", "from=1950-13-45", "from"),
    ("a script for a date", "from=" + quote(XSS), "from"),
    ("a nine-digit date", "to=99999999", "to"),
    ("from after to", "from=1960&to=1950", "from"),
    ("a word for a year", "year=abc", "year"),
    ("25 years", "&".join(f"year={1900 + i}" for i in range(25)), "year"),
    ("25 persons", "&".join(f"person=P{i}" for i in range(25)), "person"),
    ("a repeated year", "year=1950&year=1950", None),
    ("a script for a sort", "sort=" + quote(XSS), "sort"),
    ("two sorts", "sort=date&sort=-date", "sort"),
    ("two queries", "q=a&q=b", "q"),
    ("unknown parameters", "unknown=1&debug=true&__class__=x&q%00=1", None),
    ("a script for a person", "person=" + quote(XSS), None),
    ("an attribute breakout for a person", "person=" + quote(ATTRIBUTE), None),
    ("a NUL person", "person=%00", "person"),
    ("a control character in a subject", "subject=Korea%07War", "subject"),
    ("a place over 200 characters", "place=" + "x" * 201, "place"),
    ("a language with a newline", "q=Stalin&language=Russian%0AEnglish", "language"),
    ("an author of 200 characters", "author=" + "y" * 200, None),
    ("a subject no record has", "subject=Nothing%20at%20all&type=Telegram&type=Cable", None),
    ("an archive twice", "archive=A&archive=a", None),
    ("all of an unknown facet", "all=nothing", "all"),
    ("all of every facet", "all=person&all=subject&all=year&all=type", None),
    ("people twice", "people=all&people=everything", None),
]


@pytest.fixture(scope="module")
def client(seed_index):
    return create_app({"INDEX_PATH": str(seed_index), "TESTING": False}).test_client()


@pytest.fixture(scope="module")
def record_id(engine) -> str:
    return engine.search(make_query("Stalin")).results[0].id


def check_headers(response, frameable: bool = False) -> None:
    """Security headers on every answer; only /embed (its errors included) may be framed."""
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert ("frame-ancestors *" if frameable else "frame-ancestors 'none'") in policy
    assert response.headers.get("X-Frame-Options") == (None if frameable else "DENY")
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy")


def check_escaped(response) -> None:
    """The payloads come back as text wherever they land, never as markup."""
    body = response.get_data(as_text=True)
    kind = response.mimetype
    if kind == "application/json":
        json.loads(body)
    elif kind in ("application/atom+xml", "application/opensearchdescription+xml"):
        ElementTree.fromstring(response.get_data())  # well-formed: nothing broke out of its element
        assert XSS not in body and "<img" not in body
    else:
        assert XSS not in body
        assert "<img src=x" not in body and "onerror=alert(1)>" not in body


@pytest.mark.parametrize("name,query,bad_param", HOSTILE, ids=[case[0] for case in HOSTILE])
@pytest.mark.parametrize("route", SEARCH_ROUTES + OTHER_ROUTES)
def test_hostile_input_never_breaks_a_route(client, record_id, route, name, query, bad_param):
    path = route.replace("{id}", record_id)
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    check_headers(response, frameable=route == "/embed")
    check_escaped(response)
    if route in SEARCH_ROUTES and bad_param:
        assert response.status_code == 400
        if response.mimetype == "application/json":
            assert response.get_json()["error"]["param"] == bad_param
        else:
            assert f"<code>{bad_param}</code>" in response.get_data(as_text=True)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("name,query,bad_param", HOSTILE, ids=[case[0] for case in HOSTILE])
@pytest.mark.parametrize("route, as_json", [("/search", False), ("/api/search", True)])
def test_hostile_input_by_post_answers_as_its_get(client, route, as_json, name, query, bad_param):
    """The same parameters sent by POST (a form, or the API's JSON body) get the GET's answer."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if as_json:
        body: dict[str, list[str]] = {}
        for key, value in pairs:
            body.setdefault(key, []).append(value)
        response = client.post(
            route, json={key: v[0] if len(v) == 1 else v for key, v in body.items()}
        )
    else:
        response = client.post(route, data=MultiDict(pairs))
    if len(query) > 64 * 1024:  # over the body limit: refused before it is read, naming the limit
        assert response.status_code == 413
        assert "65,536 bytes" in response.get_data(as_text=True)
        return
    assert response.status_code == client.get(f"{route}?{query}").status_code
    assert response.status_code in (200, 400)
    check_headers(response)
    check_escaped(response)
    if bad_param:
        shown = (
            response.get_json()["error"]["param"] if as_json else response.get_data(as_text=True)
        )
        assert shown == bad_param if as_json else f"<code>{bad_param}</code>" in shown


@pytest.mark.parametrize(
    "body", ['"Stalin"', "[1, 2]", "{", "null", '{"q": {"nested": 1}}', '{"year": true}']
)
def test_a_json_body_that_is_not_search_parameters_is_a_400_naming_it(client, body):
    response = client.post("/api/search", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["param"] in ("body", "q", "year")


TRAVERSALS = [
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "a" * 5000,
    "%00",
    quote(XSS, safe=""),
    "%FF",
    "x%00y",
    "..",
    "CON",
    "record%20id",
    "%252e%252e%252f",
]


@pytest.mark.parametrize("record", TRAVERSALS)
@pytest.mark.parametrize(
    "route", ["/records/{id}", "/api/records/{id}", "/records/{id}.ris", "/static/{id}"]
)
def test_ids_and_paths_cannot_reach_files(client, route, record):
    response = client.get(route.replace("{id}", record))
    body = response.get_data(as_text=True)
    assert response.status_code in (404, 308), body[:300]
    assert "root:" not in body and "create_app" not in body and XSS not in body
    check_headers(response)


def test_static_files_stay_inside_the_static_folder(client):
    for path in [
        "/static/../__init__.py",
        "/static/..%2F__init__.py",
        "/static/%2e%2e/__init__.py",
        "/static/../../pyproject.toml",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "create_app" not in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize(
    "route", ["/", "/search", "/api/search", "/search.json", "/embed", "/records/x", "/api/"]
)
def test_nothing_but_reading_is_allowed(client, route, method):
    response = client.open(route, method=method, data=b"rebuild=1")
    if method == "POST" and route in SEARCHES_BY_POST:
        # A search sent by POST (one too long for a link) reads like its GET; rebuild=1 is no
        # search parameter and is ignored.
        assert response.status_code == 200
        assert response.get_data() == client.get(route).get_data()
    else:
        assert response.status_code in (404, 405)
    check_headers(response)


# The searches and their exports, for searches too long for a request line.
SEARCHES_BY_POST = {"/search", "/api/search", "/export", "/api/export"}


def test_no_route_changes_anything(client):
    """Admin actions (building, swapping, deleting) live in the CLI only: every route reads.
    POST is taken only by the searches and exports, for searches too long for a request line."""
    for rule in client.application.url_map.iter_rules():
        allowed = {"GET", "HEAD", "OPTIONS"} | (
            {"POST"} if rule.rule in SEARCHES_BY_POST else set()
        )
        assert rule.methods <= allowed, rule
        assert not any(
            word in rule.rule for word in ("build", "admin", "rebuild", "delete", "upload")
        ), rule


def test_a_large_body_is_refused_with_413(client):
    for path in ["/search?q=stalin", "/api/search?q=stalin"]:
        response = client.get(path, data=b"x" * 100_000)
        assert response.status_code == 413
        check_headers(response)
    assert (
        client.get("/api/search?q=stalin", data=b"x" * 100_000).get_json()["error"]["code"] == 413
    )
    assert client.get("/search?q=stalin", data=b"x" * 1000).status_code == 200


def test_highlights_escape_hostile_record_text(tmp_path):
    """Record text is untrusted too: a title with markup is shown as text around the marks."""
    from indexer.index.build import build_index
    from indexer.records.record import Record

    hostile = Record(
        id="hostile-1",
        title=f"Telegram {XSS} {ATTRIBUTE}",
        summary=f"Stalin & {XSS} telegram",
        date="1950-01-01",
        date_precision="day",
        year=1950,
        persons=[f"Stalin {XSS}"],
    )
    build_index([hostile], tmp_path / "index")
    client = create_app({"INDEX_PATH": str(tmp_path / "index")}).test_client()
    for path in [
        "/search?q=telegram",
        "/embed?q=telegram",
        "/records/hostile-1",
        "/search.atom?q=telegram",
    ]:
        response = client.get(path)
        assert response.status_code == 200
        check_escaped(response)
    data = client.get("/api/search?q=telegram").get_json()
    highlight = data["results"][0]["highlights"]["summary"]
    assert highlight == "Stalin &amp; &lt;script&gt;alert(1)&lt;/script&gt; <mark>telegram</mark>"


# -- raw bytes to a real gunicorn ------------------------------------------------------------

RAW = [
    (b"GET /search?q=" + b"a" * 100_000 + b" HTTP/1.1", {400}),
    # Unencoded bytes are not a valid URI: gunicorn refuses them itself (RFC 9112).
    (b"GET /api/search?q=\xff\xfe\xfd HTTP/1.1", {400}),
    (b"GET /search?q=\xed\xa0\x80 HTTP/1.1", {400}),
    (b"GET /search?q=caf\xc3\xa9 HTTP/1.1", {200, 400}),
    (b"GET /../../etc/passwd HTTP/1.1", {400, 404}),
    (b"GET /records/..%2f..%2fetc%2fpasswd HTTP/1.1", {404}),
    (b"GET /search?q=a\x00b HTTP/1.1", {200, 400}),
    (b"GET /api/search HTTP/1.1\r\nX-Big: " + b"x" * 20_000, {400, 431}),
    (b"BREW /search HTTP/1.1", {400, 405}),
    (b"GET /search HTTP/9.9", {400, 505}),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", {400}),  # a TLS hello on the plain port
]


def raw_request(base: str, line: bytes) -> int | None:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        request = (
            line if line.startswith(b"\x16") else line + b"\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        connection.sendall(request)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    if not answer.startswith(b"HTTP/"):
        return None  # gunicorn closed the connection without answering: no 5xx either
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("line,allowed", RAW, ids=[repr(line[:40]) for line, _ in RAW])
def test_raw_bytes_to_gunicorn_get_no_5xx(live_server, line, allowed):
    status = raw_request(live_server, line)
    assert status is None or status in allowed, status
    # ... and the server is still answering everyone else.
    assert raw_request(live_server, b"GET /api/search?q=stalin HTTP/1.1") == 200


def test_an_embed_error_keeps_the_frame_look_and_its_search_box(client):
    response = client.get("/embed?q=stalin&page=0")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="embed"' in body and 'action="/embed"' in body and "<code>page</code>" in body
    assert "site-header" not in body and "embed.css" in body
    check_headers(response, frameable=True)
