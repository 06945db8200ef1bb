"""The query language as a person meets it: dates in the text, reasons in words, the help
page's examples, the advanced search form, and searches too long for a link."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import ROOT

from indexer.search import Engine, make_query
from webapp import create_app
from webapp.help import DATES, NAMES, SYNTAX


@pytest.fixture(scope="module")
def client(seed_index):
    return create_app({"INDEX_PATH": str(seed_index)}).test_client()


# -- year: and date: in the text are the filters -------------------------------------------

# (text, the same search written with the filters instead)
SAME_AS_FILTERS = [
    ("Stalin year:1953", {"text": "Stalin", "years": ["1953"]}),
    ("year:1953 Stalin", {"text": "Stalin", "years": ["1953"]}),
    ("Stalin AND year:1953", {"text": "Stalin", "years": ["1953"]}),
    ("Mao year:(1950 OR 1953)", {"text": "Mao", "years": ["1950", "1953"]}),
    ("Korea year:[1950 TO 1952]", {"text": "Korea", "date_from": "1950", "date_to": "1952"}),
    ("Korea year:{1949 TO 1953}", {"text": "Korea", "date_from": "1950", "date_to": "1952"}),
    ("Zhou year:>=1953", {"text": "Zhou", "date_from": "1953"}),
    ("Zhou year:<1953", {"text": "Zhou", "date_to": "1952"}),
    ("date:1952-08", {"date_from": "1952-08", "date_to": "1952-08"}),
    ("Zhou date:>1952-06", {"text": "Zhou", "date_from": "1952-07"}),
    ("Zhou date:<=1952-09-16", {"text": "Zhou", "date_to": "1952-09-16"}),
    (
        "Zhou date:[1952-08 TO 1952-09-16}",
        {"text": "Zhou", "date_from": "1952-08", "date_to": "1952-09-15"},
    ),
    ("Title:cable YEAR:1952", {"text": "Title:cable", "years": ["1952"]}),
]


@pytest.mark.parametrize("text, filters", SAME_AS_FILTERS)
def test_dates_in_the_text_search_exactly_as_the_filters(engine: Engine, text, filters):
    """Same records, same order, same facet counts, and the filters show as chips."""
    from_text = engine.search(make_query(text))
    from_filters = engine.search(make_query(**filters))
    assert from_text.query.cache_key() == from_filters.query.cache_key()
    assert [h.id for h in from_text.results] == [h.id for h in from_filters.results]
    assert from_text.total == from_filters.total > 0
    assert from_text.facets == from_filters.facets
    assert from_text.fallback is None and from_text.query.notes == ()


def test_the_year_in_the_text_shows_as_a_chip_and_a_selected_year(client):
    page = client.get("/search?q=Stalin+year:1953").get_data(as_text=True)
    assert re.search(r'class="chip"><span class="chip__kind">Year:</span> 1953', page)
    assert 'value="Stalin"' in page  # the box holds the words; the year is the filter
    data = client.get("/api/search?q=Stalin+year:1953").get_json()
    assert data["query"]["q"] == "Stalin" and data["query"]["year"] == [1953] and data["total"] == 4


@pytest.mark.parametrize(
    "text, note",
    [
        (
            "Stalin year:1952-06",
            (
                "year:1952-06 was left out: year: takes a year such as 1950 "
                "(for a month or a day, use date:1952-06)"
            ),
        ),
        (
            "date:June",
            "date:June was left out: date: takes a date such as 1952, 1952-06 or 1952-06-25",
        ),
        (
            "year:(1950 AND 1951)",
            (
                "year:(1950 AND 1951) was left out: year:( ) takes years joined by OR, "
                "such as year:(1950 OR 1953)"
            ),
        ),
        ("date:1960 date:1950", "the dates in the search exclude each other (1960 is after 1950)"),
    ],
)
def test_a_date_clause_that_means_no_date_is_left_out_with_a_note(engine, client, text, note):
    results = engine.search(make_query(text))
    assert results.query.notes == (note,)
    assert note in client.get("/search?" + urllib.parse.urlencode({"q": text})).get_data(
        as_text=True
    )
    assert client.get("/api/search", query_string={"q": text}).get_json()["query"]["notes"] == [
        note
    ]


@pytest.mark.parametrize(
    "text, offered",
    [
        ("Stalin OR year:1953", "/search?q=Stalin&year=1953"),
        ("(Korea year:[1950 TO 1952])", "/search?q=%28Korea%29&from=1950&to=1952"),
        ("Stalin NOT year:1953", None),  # "not 1953" is no year filter: nothing is offered
    ],
)
def test_a_date_clause_that_cannot_be_a_filter_is_refused_and_the_filter_offered(
    client, text, offered
):
    data = client.get("/api/search", query_string={"q": text}).get_json()
    assert data["query"]["fallback"].startswith("year: narrows the whole search")
    api_offer = f"http://localhost/api{offered}" if offered else None  # the API offers API links
    assert data["query"]["offer"] == api_offer
    page = client.get("/search", query_string={"q": text}).get_data(as_text=True)
    assert ("as a filter</a> instead" in page) is bool(offered)


# -- reasons in words --------------------------------------------------------------------------

FIELDS = (
    "title:, summary:, text:, person:, type:, subject:, place:, language:, archive:, author:, "
    "year: or date:"
)
REASONS = [
    ('"unclosed', "a quotation mark is not closed"),
    ("(Stalin", "a bracket is not closed"),
    ("year:[1950 TO", "the range after year: is not closed (a range is written [first TO last])"),
    ("title:[a TO", "the range after title: is not closed (a range is written [first TO last])"),
    ("record:x", f"record: is not something to search by (search by {FIELDS})"),
    ("date_sort:[1 TO 2]", f"date_sort: is not something to search by (search by {FIELDS})"),
    ("title:", "title: has nothing after it"),
    ("Stalin OR", "an operator (AND, OR, NOT) has nothing on one side"),
    ("*", "a wildcard has no letters to go with it"),
    (">Stalin", "> and < compare within a field: write title:>m, or date:>1952-06 for dates"),
    ("Stalin~5", "a ~ after a word allows at most 2 letters of difference"),
    ("x~1/2", "in x~1/2 the word is shorter than the letters kept fixed after /"),
]


@pytest.mark.parametrize("text, reason", REASONS)
def test_each_kind_of_unreadable_text_says_why_in_words(engine, text, reason):
    results = engine.search(make_query(text))
    assert results.fallback == reason


# -- the help page -----------------------------------------------------------------------------

EXAMPLES = [example for _, items in SYNTAX for example in items] + list(DATES) + list(NAMES)


@pytest.fixture(scope="module")
def archive_client(archive_index):
    return create_app({"INDEX_PATH": str(archive_index)}).test_client()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.text)
def test_every_help_example_is_a_live_search_that_reads_and_finds(archive_client, example):
    """Over what `make serve` indexes: the seeds and the archive sample."""
    client = archive_client
    page = client.get("/help").get_data(as_text=True)
    assert f'href="{example.url.replace("&", "&amp;")}"' in page
    data = client.get(example.url.replace("/search", "/api/search", 1)).get_json()
    assert data["query"]["fallback"] is None and data["query"]["notes"] == []
    assert data["total"] > 0, example.text


def test_the_name_examples_find_the_person_they_name(client):
    expected = {
        "Mao Tse-tung": "Mao Zedong",
        "Chou En-lai": "Zhou Enlai",
        "Filippov": "Joseph Stalin",
    }
    for text, person in expected.items():
        data = client.get("/api/search", query_string={"q": text}).get_json()
        assert data["query"]["name_variants"] == [person]


@pytest.mark.parametrize(
    "path", ["/", "/search?q=Stalin", "/records/x", "/help", "/advanced", "/embed/help"]
)
def test_every_page_links_the_help(client, path):
    assert 'href="/help"' in client.get(path).get_data(as_text=True)


# -- the advanced search -----------------------------------------------------------------------

ADVANCED = [
    ({"words1": "korean war"}, "/search?q=korean+war"),
    ({"field1": "title", "words1": "korean war"}, "/search?q=title%3A%28korean+war%29"),
    (
        {"field1": "summary", "match1": "phrase", "words1": "Central Committee"},
        "/search?q=summary%3A%22Central+Committee%22",
    ),
    (
        {"field1": "person", "match1": "any", "words1": "Zhou Nehru"},
        "/search?q=person%3A%28Zhou+OR+Nehru%29",
    ),
    (
        {"words1": "Stalin", "field2": "person", "match2": "none", "words2": "Mao"},
        "/search?q=Stalin+AND+NOT+person%3AMao",
    ),
    (
        {"words1": "Zhou", "words2": "Nehru", "combine": "OR", "match3": "none", "words3": "India"},
        "/search?q=%28Zhou+OR+Nehru%29+AND+NOT+India",
    ),
    (
        {"words1": 'a "quoted" (bracketed): word', "year": "1952 1953", "sort": "-date"},
        "/search?q=a+quoted+bracketed+word&year=1952&year=1953&sort=-date",
    ),
    ({"from": "1950-06", "to": "1951"}, "/search?from=1950-06&to=1951"),
    ({}, "/search"),
    # The facets' words and the documents' text, as the facet declaration names them.
    (
        {"field1": "subject", "words1": "korean war", "field2": "language", "words2": "Russian"},
        "/search?q=subject%3A%28korean+war%29+AND+language%3ARussian",
    ),
    (
        {"field1": "text", "match1": "phrase", "words1": "a fortnight"},
        "/search?q=text%3A%22a+fortnight%22",
    ),
    ({"field1": "type", "match1": "none", "words1": "cable"}, "/search?q=NOT+type%3Acable"),
]


@pytest.mark.parametrize("form, url", ADVANCED)
def test_the_advanced_form_writes_the_search_a_person_would_type(client, form, url):
    response = client.get("/advanced", query_string={"run": "1", **form})
    assert response.status_code == 303
    assert response.headers["Location"] == url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "form, param, message",
    [
        ({"year": "19x2"}, "year", "year must be a whole number from 1000 to 2100"),
        ({"from": "1950-13"}, "from", "from: '1950-13': month 13 does not exist"),
        ({"from": "1960", "to": "1950"}, "from", "from (1960) is after to (1950)"),
    ],
)
def test_a_wrong_date_in_the_advanced_form_is_shown_beside_it(client, form, param, message):
    response = client.get("/advanced", query_string={"run": "1", "words1": "Stalin", **form})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page.replace("&#39;", "'")
    assert re.search(rf'id="filter-{param}"[^>]*aria-invalid="true"', page)
    assert 'value="Stalin"' in page  # what was typed is kept


def test_the_search_box_carries_the_words_to_the_advanced_form(client):
    page = client.get("/search?q=Korea").get_data(as_text=True)
    assert 'href="/advanced?q=Korea"' in page
    assert 'id="words1" type="text" name="words1" value="Korea"' in client.get(
        "/advanced?q=Korea"
    ).get_data(as_text=True)


# -- a search too long for a link ----------------------------------------------------------------

LONG = "\u65e5\u672c" * 500  # 1,000 characters: 9,000 bytes in a URL, over gunicorn's 8,190


def test_a_long_search_arrives_by_post_and_pages_by_post(client):
    assert len(urllib.parse.urlencode({"q": LONG})) > 8190
    page = client.post("/search", data={"q": LONG}).get_data(as_text=True)
    assert "too long to keep in a link" in page
    data = client.post("/api/search", json={"q": LONG, "per_page": 5}).get_json()
    assert data["query"]["q"] == LONG


@pytest.mark.slow
def test_over_the_request_line_limit_gunicorn_answers_400_naming_it(live_server):
    """Not gunicorn's bare page: a 400 that names the limit and says to use POST."""
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(
            f"{live_server}/search?" + urllib.parse.urlencode({"q": LONG}), timeout=10
        )
    body = refused.value.read().decode()
    assert refused.value.code == 400
    assert "8,190 bytes" in body and "POST" in body and 'class="error-page"' in body
    posted = urllib.request.Request(
        f"{live_server}/search", data=urllib.parse.urlencode({"q": LONG}).encode()
    )
    with urllib.request.urlopen(posted, timeout=10) as answer:
        assert answer.status == 200
    as_json = urllib.request.Request(
        f"{live_server}/api/search",
        data=f'{{"q": "{LONG}"}}'.encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(as_json, timeout=10) as answer:
        assert answer.status == 200


def test_the_cli_reads_dates_in_the_text_as_the_filters(seed_index):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "indexer.cli",
            "search",
            "Stalin year:1953",
            "--index",
            str(seed_index),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.startswith("1 - 4 of 4 results for 'Stalin'")
