"""The search page and record pages through Flask's test client, on the seed index."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

from webapp import create_app
from webapp.params import page_numbers


@pytest.fixture(scope="module")
def app(seed_index):
    return create_app({"INDEX_PATH": str(seed_index), "TESTING": False})


@pytest.fixture
def client(app):
    return app.test_client()


def page(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def heading(soup) -> str:
    return " ".join(soup.select_one("#results-heading").get_text(" ").split())


def params_of(href: str) -> dict:
    return parse_qs(urlparse(href).query)


# -- the search page ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url, count",
    [
        ("/", "1\u201320 of 37 results"),
        ("/search", "1\u201320 of 37 results"),
        ("/search?q=Stalin", "1\u201313 of 13 results for Stalin"),
        ("/search?q=Stalin&year=1953", "1\u20134 of 4 results for Stalin"),
        ("/search?year=1952&page=2&per_page=5", "6\u201310 of 10 results"),
        ("/search?person=Vyacheslav+Molotov", "1\u20134 of 4 results"),
        ("/search?from=1952-09&to=1952-09", "1\u20134 of 4 results"),
        ("/search?q=zzzzqqq", "No results for zzzzqqq"),
        ("/search?q=Mao&page=9", "18 results for Mao (page 9 is past the end)"),
    ],
)
def test_the_results_count_reads_like_the_archive(client, url, count):
    assert heading(page(client, url)).replace("\u201c", "").replace("\u201d", "") == count


def test_the_search_box_keeps_the_query_and_is_labelled(client):
    soup = page(client, "/search?q=%22Central+Committee%22")
    box = soup.select_one("input[type=search][name=q]")
    assert box["value"] == '"Central Committee"'
    assert soup.select_one(f"label[for={box['id']}]").get_text(strip=True) == "Search the archive"


def test_each_result_shows_date_title_link_summary_and_people(client):
    soup = page(client, "/search?q=insects")
    (result,) = soup.select(".result")
    assert result.select_one(".result__date").get_text() == "February 21, 1952"
    link = result.select_one(".result__title a")
    assert link["href"].startswith("/records/cable-mao-zedong-to-filippov-stalin-")
    assert "<mark>insects</mark>" in str(result.select_one(".result__summary"))
    people = {a.get_text(): a["href"] for a in result.select(".person-link")}
    assert set(people) == {"Mao Zedong", "Joseph Stalin"}
    assert params_of(people["Joseph Stalin"]) == {"q": ["insects"], "person": ["Joseph Stalin"]}


@pytest.mark.parametrize(
    "url, shown",
    [
        (
            "/search?q=Stalin&year=1953",
            ["January 28, 1953", "January 15, 1953", "January 29, 1953", "January 12, 1953"],
        ),
        ("/search?year=1950", ["January 22, 1950", "February, 1950", "August 27, 1950"]),
        ("/search?q=Stozhenko", ["1956"]),
    ],
)
def test_dates_are_written_at_their_precision(client, url, shown):
    assert [d.get_text() for d in page(client, url).select(".result__date")] == shown


def test_year_links_keep_the_other_filters_and_toggle(client):
    soup = page(client, "/search?q=Zhou&person=Joseph+Stalin&sort=date")
    years = {
        a.select_one(".facet__label").get_text(): a["href"]
        for a in soup.select(".facet__list--years a")
    }
    assert params_of(years["1952"]) == {
        "q": ["Zhou"],
        "year": ["1952"],
        "person": ["Joseph Stalin"],
        "sort": ["date"],
    }
    selected = page(client, years["1952"]).select_one(".facet__list--years .is-selected")
    assert selected.select_one(".facet__label").get_text() == "1952"
    assert "year" not in params_of(selected["href"])  # a selected year's link removes it


def test_several_years_can_be_picked(client):
    soup = page(client, "/search?year=1952")
    link = next(
        a
        for a in soup.select(".facet__list--years a")
        if a.select_one(".facet__label").get_text() == "1953"
    )
    assert params_of(link["href"])["year"] == ["1952", "1953"]
    assert heading(page(client, link["href"])) == "1\u201314 of 14 results"


def test_the_histogram_links_each_bar_to_its_year(client):
    soup = page(client, "/search?q=Stalin")
    bars = soup.select("svg.histogram a")
    labelled = {a["aria-label"]: a["href"] for a in bars}
    assert labelled["1953: 4 records"] and params_of(labelled["1953: 4 records"])["year"] == [
        "1953"
    ]
    assert len(bars) == 4  # 1949, 1950, 1952, 1953
    assert soup.select_one("svg.histogram title").get_text() == "Records per year, 1949 to 1953"


def test_person_facet_links_and_selected_chips(client):
    soup = page(client, "/search?q=Zhou&year=1952&person=Joseph+Stalin")
    chips = [" ".join(chip.get_text(" ").split()) for chip in soup.select(".chip")]
    assert chips == ["Year: 1952 \u00d7", "Person: Joseph Stalin \u00d7"]
    removes = [a["href"] for a in soup.select(".chip__remove")]
    assert params_of(removes[0]) == {"q": ["Zhou"], "person": ["Joseph Stalin"]}
    assert params_of(removes[1]) == {"q": ["Zhou"], "year": ["1952"]}
    assert params_of(soup.select_one(".chips__clear")["href"]) == {"q": ["Zhou"]}
    people = [a.select_one(".facet__label").get_text() for a in soup.select("#people-list a")]
    assert people[0] == "Joseph Stalin" and "Zhou Enlai" in people


def test_show_all_people_and_filter_names(tmp_path):
    from indexer.index.build import build_index
    from indexer.records.record import Record

    names = [f"Ivan Testov{chr(65 + i // 26)}{chr(97 + i % 26)}" for i in range(40)]
    records = [
        Record(
            id=f"r{i}",
            title=f"Letter {i}",
            date="1950",
            date_precision="year",
            year=1950,
            persons=[name] + (["Joseph Stalin"] if i % 2 else []),
        )
        for i, name in enumerate(names)
    ]
    build_index(records, tmp_path / "index")
    client = create_app({"INDEX_PATH": str(tmp_path / "index")}).test_client()
    top = page(client, "/")
    assert len(top.select("#people-list li")) == 30
    assert top.select_one("#people-list .facet__label").get_text() == "Joseph Stalin"
    everyone = page(client, top.select_one("a.facet__more")["href"])
    assert len(everyone.select("#people-list li")) == 41
    assert everyone.select_one("a.facet__more").get_text() == "Show the top 30 only"
    filtered = page(client, "/search?who=testovbk")
    assert [
        a.select_one(".facet__label").get_text() for a in filtered.select("#people-list a")
    ] == ["Ivan TestovBk"]


def test_sort_links_keep_the_search(client):
    soup = page(client, "/search?q=Molotov&year=1952")
    sorts = {a.get_text(): a["href"] for a in soup.select(".sort a")}
    assert params_of(sorts["Oldest first"]) == {
        "q": ["Molotov"],
        "year": ["1952"],
        "sort": ["date"],
    }
    assert soup.select_one(".sort .is-current").get_text() == "Relevance"
    dated = page(client, sorts["Newest first"])
    assert [d.get_text() for d in dated.select(".result__date")] == [
        "September 06, 1952",
        "September 01, 1952",
        "August 28, 1952",
    ]


def test_paging_has_numbered_pages_that_keep_everything(client):
    soup = page(client, "/search?q=Zhou&per_page=2&page=3")
    current = soup.select_one(".pager .is-current")
    assert current.get_text() == "3" and current["aria-current"] == "page"
    numbers = [a.get_text() for a in soup.select(".pager__pages a")]
    assert numbers[0] == "1" and numbers[-1] == "6"
    next_link = soup.select_one(".pager a[rel=next]")["href"]
    assert params_of(next_link) == {"q": ["Zhou"], "per_page": ["2"], "page": ["4"]}


@pytest.mark.parametrize(
    "page_number, pages, shown",
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, 4, 5]),
        (1, 7, [1, 2, 3, None, 7]),
        (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
    ],
)
def test_page_numbers(page_number, pages, shown):
    assert page_numbers(page_number, pages) == shown


@pytest.mark.parametrize(
    "url, notice",
    [
        ("/search?q=Molotv", "Did you mean Molotov?"),
        (
            "/search?q=%22Mao+Zedong",
            "Your search was read as plain words, because a quotation mark is not closed.",
        ),
        (
            "/search?q=Soviet+credit+for+Chinese+economic+development",
            "No record has all of these words",
        ),
        ("/search?q=Mao+Tse-tung", "Including every record of Mao Zedong"),
        ("/search?q=Filippov", "Including every record of Joseph Stalin"),
    ],
)
def test_notices(client, url, notice):
    text = " ".join(page(client, url).select_one(".results").get_text().split())
    assert notice in text


def test_no_notice_for_a_name_typed_as_it_is(client):
    assert page(client, "/search?q=Zhou").select(".notice--quiet") == []


def test_the_suggestion_links_to_the_corrected_search_with_the_filters(client):
    link = page(client, "/search?q=Molotv&year=1952").select_one(".notice a")
    assert params_of(link["href"]) == {"q": ["Molotov"], "year": ["1952"]}


def test_an_empty_result_offers_removing_each_filter_with_its_count(client):
    soup = page(client, "/search?q=Molotov&year=1953&person=Su+Yu")
    offers = [" ".join(li.get_text(" ").split()) for li in soup.select(".empty li")]
    assert offers == ["Without 1953 ( 0 records)", "Without Su Yu ( 0 records)"] or offers == [
        "Without 1953 (0 records)",
        "Without Su Yu (0 records)",
    ]
    soup = page(client, "/search?q=Molotov&year=1953")
    assert (
        " ".join(soup.select_one(".empty li").get_text(" ").split()).replace("( ", "(")
        == "Without 1953 (4 records)"
    )


def test_title_and_description_reflect_the_query(client):
    soup = page(client, "/search?q=Stalin&year=1953")
    assert soup.title.get_text() == "\u201cStalin\u201d: 4 results | Archive Search"
    assert (
        soup.select_one("meta[name=description]")["content"]
        == "4 archive records matching \u201cStalin\u201d."
    )
    home = page(client, "/")
    assert home.title.get_text() == "Search the archive | Archive Search"


# -- record pages -----------------------------------------------------------------------


def record_url(client, query: str) -> str:
    """The first result's record page, without the search words its link carries."""
    href = page(client, f"/search?q={query}").select_one(".result__title a")["href"]
    path, _, words = href.partition("?")
    assert parse_qs(words) == {"q": [query]}
    return path


def test_a_record_page_shows_everything_and_cites(client):
    soup = page(client, record_url(client, "insects"))
    assert soup.select_one(".record__date").get_text() == "February 21, 1952"
    assert soup.select_one("h1").get_text() == "Cable, Mao Zedong to Filippov [Stalin]"
    people = {a.get_text(): a["href"] for a in soup.select(".record__fields a")}
    assert params_of(people["Joseph Stalin"]) == {"person": ["Joseph Stalin"]}
    bibliography, note = [p.get_text() for p in soup.select(".cite__text")]
    # Chicago notes-bibliography by default: "February 21, 1952", never "February 21st" or "02".
    assert bibliography.startswith(
        "\u201cCable, Mao Zedong to Filippov [Stalin].\u201d Cable. February 21, 1952."
    )
    assert note.startswith("\u201cCable, Mao Zedong to Filippov [Stalin],\u201d Cable, February")
    assert soup.title.get_text() == "Cable, Mao Zedong to Filippov [Stalin] | Archive Search"


def test_ris_download(client):
    url = record_url(client, "insects") + ".ris"
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/x-research-info-systems"
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).split("\r\n")
    assert lines[0] == "TY  - GEN" and "TI  - Cable, Mao Zedong to Filippov [Stalin]" in lines
    assert "DA  - 1952/02/21/" in lines and lines[-2] == "ER  - "


@pytest.mark.parametrize(
    "url",
    [
        "/records/no-such-record",
        "/records/no-such-record.ris",
        "/records/..%2F..%2Fetc%2Fpasswd",
        "/records/" + "x" * 300,
        "/nowhere",
    ],
)
def test_unknown_pages_are_real_404s(client, url):
    soup = page(client, url, status=404)
    assert soup.select_one("h1").get_text() == "Not found"


# -- bad input never breaks anything -------------------------------------------------------------


@pytest.mark.parametrize(
    "url, param",
    [
        ("/search?page=0", "page"),
        ("/search?page=abc", "page"),
        ("/search?per_page=100000", "per_page"),
        ("/search?year=19x2", "year"),
        ("/search?from=1950-13", "from"),
        ("/search?to=yesterday", "to"),
        ("/search?from=1953&to=1950", "from"),
        ("/search?sort=sideways", "sort"),
        ("/search?q=a&q=b", "q"),
        ("/search?q=" + "x" * 1001, "q"),
    ],
)
def test_a_wrong_parameter_is_a_400_page_naming_it(client, url, param):
    soup = page(client, url, status=400)
    assert soup.select_one(".error-page code").get_text() == param


@pytest.mark.parametrize(
    "text",
    ['"unbalanced', "title:(", "AND", "((", "*", "<script>alert(1)</script>", "\u0000", "x" * 999],
)
def test_malformed_query_text_is_never_an_error(client, text):
    response = client.get("/search", query_string={"q": text})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_user_input_is_escaped_everywhere_it_is_shown(client):
    body = client.get(
        "/search", query_string={"q": '"><img src=x onerror=alert(1)>', "who": "<b>x</b>"}
    ).get_data(as_text=True)
    assert "<img src=x" not in body and "<b>x</b>" not in body
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in body or "&quot;&gt;&lt;img" in body


def test_security_headers_on_every_page(client):
    for url in (
        "/",
        "/search?q=Stalin",
        record_url(client, "insects"),
        "/nowhere",
        "/search?page=0",
    ):
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_or_style(client):
    for url in ("/", "/search?q=Stalin&year=1953", record_url(client, "insects"), "/nowhere"):
        soup = page(client, url, status=404 if url == "/nowhere" else 200)
        assert all(script.get("src") for script in soup.find_all("script"))
        assert not soup.find_all("style") and not soup.select("[style]")
        assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)


def test_static_assets_are_served_by_the_app(client):
    for asset in ("style.css", "app.js", "favicon.svg"):
        assert client.get(f"/static/{asset}").status_code == 200
    body = client.get("/").get_data(as_text=True)
    assert not re.search(r"(src|href)=\"https?://(?!digitalarchive\.wilsoncenter\.org)", body)


def test_a_missing_index_is_a_503_page_not_a_traceback(tmp_path):
    app = create_app({"INDEX_PATH": str(tmp_path / "none")})
    response = app.test_client().get("/search?q=Stalin")
    assert response.status_code == 503
    assert "The search is not available right now" in unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"text": "Mao Tse-tung"},
        {"text": 'a "b" & c', "years": (1952, 1953), "persons": ("Zhou Enlai", "Su Yu")},
        {
            "persons": ("Kwa\u015bniewski, A.",),
            "date_from": "1950-02",
            "date_to": "1951",
            "sort": "-date",
            "per_page": 5,
            "page": 3,
            "expanded": ("person",),
            "values": (("subject", ("Korean War, 1950-1953",)), ("language", ("Russian",))),
        },
    ],
)
def test_facet_links_are_exactly_the_toggle_urls(query):
    from indexer.search.query import Query
    from webapp.params import FacetLinks, toggle_person_url, toggle_url, toggle_year_url

    q = Query(**query)
    links = FacetLinks(q, "/api/search")
    for year in (1950, 1952, 1953):
        assert links.year(year) == toggle_year_url(q, year, "/api/search")
    for person in ("Zhou Enlai", "Su Yu", "Jacques Chirac", "A & B"):
        assert links.person(person) == toggle_person_url(q, person, "/api/search")
    for name, value in (
        ("subject", "Korean War, 1950-1953"),
        ("language", "German"),
        ("type", "A & B"),
    ):
        assert links.value(name, value) == toggle_url(q, name, value, "/api/search")
