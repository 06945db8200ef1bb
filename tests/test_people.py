"""People pages (/people, /people/<slug>, their JSON) and related records.

Every figure a page shows is checked against the engine's own search over the same
index: a person's count is the number of records the person filter finds, a "named
with" count is the search for both, a year's bar the search for the person in that
year. Related records are checked against a brute-force ranking of every record.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.search import Engine, authority_entry, make_query, person_slug
from indexer.search.people import named_people
from webapp import create_app

STALIN = "joseph-stalin"


@pytest.fixture(scope="module")
def engine(archive_index):
    return Engine(archive_index)


@pytest.fixture(scope="module")
def client(archive_index):
    return create_app({"INDEX_PATH": str(archive_index), "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def records(engine):
    total, found = engine.every_record(make_query(), 10_000)
    assert total == len(found) > 40
    return found


def soup_of(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# -- the engine ------------------------------------------------------------------------


def test_every_person_is_listed_with_the_count_the_filter_finds(engine, records):
    people = engine.people()
    named = {name for record in records for name in record.get("persons", [])}
    assert {person.name for person in people} == named
    for person in people:
        assert person.count == engine.search(make_query(persons=[person.name])).total
        assert engine.person(person.slug) == person == engine.person_named(person.name)
    assert len({person.slug for person in people}) == len(people)


def test_people_are_filed_by_family_name(engine):
    people = engine.people()
    keys = [person.sort_key for person in people]
    assert keys == sorted(keys)
    filed = {person.name: person.initial for person in people}
    assert filed["Joseph Stalin"] == "S"
    assert filed["Mao Zedong"] == "M"  # a Chinese family name comes first
    assert filed["Aleksander Kwaśniewski"] == "K"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Joseph Stalin", "joseph-stalin"),
        ("Aleksander Kwaśniewski", "aleksander-kwasniewski"),
        ("Chiang Ching-kuo", "chiang-ching-kuo"),
        ("G.S. Dobashin", "g-s-dobashin"),
        ("Aleksei Vasil'evich Stozhenko", "aleksei-vasilevich-stozhenko"),
        ("毛泽东", "毛泽东"),
    ],
)
def test_slugs(name, slug):
    assert person_slug(name) == slug


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=12, unique=True))
@settings(max_examples=200)
def test_every_name_gets_its_own_lasting_address(names):
    """Names that fold alike ("Zhou Enlai", "Zhou En-lai", "ZHOU ENLAI") each keep an
    address, the same whatever else the index holds."""
    counts = [(name, index + 1) for index, name in enumerate(names)]
    people = named_people(counts)
    assert sorted(person.name for person in people) == sorted(names)
    assert len({person.slug for person in people}) == len(people)
    for person in people:
        assert person.slug.startswith(person_slug(person.name))
        alone = named_people([(person.name, person.count)])[0]
        if alone.slug != person.slug:  # only a name sharing a slug with a bigger one moves
            assert any(
                person_slug(other) == person_slug(person.name) and other != person.name
                for other in names
            )


def test_the_authority_entry_says_what_the_file_says():
    stalin = authority_entry("Joseph Stalin")
    assert stalin is not None
    assert "Iosif Dzhugashvili" in stalin.aliases and "Stalin" in stalin.short
    semenov = next(p for p in stalin.pseudonyms if p.name == "Semenov")
    assert (semenov.start, semenov.end) == (1952, 1953)
    filippov = next(p for p in stalin.pseudonyms if p.name == "Filippov")
    assert (filippov.start, filippov.end) == (None, None)
    assert (stalin.born, stalin.died) == (1878, 1953)
    assert stalin.source == "https://en.wikipedia.org/wiki/Joseph_Stalin"
    assert authority_entry("Managarov") is None


# -- related records -------------------------------------------------------------------


def _day(record) -> int | None:
    if not record.get("date"):
        return None
    parts = [int(p) for p in record["date"].split("-")] + [1, 1]
    return parts[0] * 372 + parts[1] * 31 + parts[2]


def brute_force_related(records, record, limit=5):
    """Every other record ranked by shared persons + subjects, then date distance, then
    index order (which is the engine's document order for this fixture's ids)."""
    mine = set(record.get("persons", [])), set(record.get("subjects", []))
    here = _day(record)
    ranked = []
    for other in records:
        if other["id"] == record["id"]:
            continue
        persons = [p for p in record.get("persons", []) if p in set(other.get("persons", []))]
        subjects = [s for s in record.get("subjects", []) if s in set(other.get("subjects", []))]
        shared = len(persons) + len(subjects)
        if not shared:
            continue
        there = _day(other)
        distance = float("inf") if there is None else abs(there - here) if here else 0
        ranked.append((-shared, distance, other["id"], persons, subjects))
    assert mine is not None
    ranked.sort(key=lambda row: (row[0], row[1]))
    return ranked


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_related_records_share_the_most_and_are_nearest_in_date(engine, records, data):
    record = records[data.draw(st.integers(0, len(records) - 1), label="record")]
    found = engine.related(record["id"])
    expected = brute_force_related(records, record)
    assert len(found) == min(5, len(expected))
    # Same shared count and date distance, rank by rank (ties may fall either way).
    for got, want in zip(found, expected, strict=False):
        got_row = next(row for row in expected if row[2] == got.record["id"])
        assert got_row[:2] == want[:2], (record["id"], got.record["id"])
        assert got.persons == got_row[3] and got.subjects == got_row[4]
    assert record["id"] not in {f.record["id"] for f in found}


def test_related_of_an_unknown_record_is_empty(engine):
    assert engine.related("no-such-record") == []


# -- /people ---------------------------------------------------------------------------


def test_the_people_page_lists_everyone_a_to_z_with_counts(client, engine):
    soup = soup_of(client, "/people")
    listed = {
        a.get_text(): (a["href"], int(a.find_next_sibling("span").get_text()))
        for a in soup.select(".people__list a")
    }
    assert listed == {p.name: (f"/people/{p.slug}", p.count) for p in engine.people()}
    headings = [h.get_text() for h in soup.select(".people__letter")]
    assert headings == sorted(headings) and "S" in headings
    stalin_group = soup.select_one(".people__letter:-soup-contains('S')").find_parent("section")
    assert "Joseph Stalin" in stalin_group.get_text()


def test_the_filter_knows_other_names_and_pseudonyms(client):
    for typed in ("Filippov", "dzhugashvili", "Iosif Stalin", "stal"):
        soup = soup_of(client, f"/people?q={typed}")
        names = [a.get_text() for a in soup.select(".people__list a")]
        assert "Joseph Stalin" in names, typed
    assert [
        a.get_text() for a in soup_of(client, "/people?q=Mao Tse-tung").select(".people__list a")
    ] == ["Mao Zedong"]
    empty = soup_of(client, "/people?q=Nobodyovich")
    assert empty.select(".people__list a") == [] and "No one named" in empty.get_text()


def test_letters_and_order_by_count(client, engine):
    soup = soup_of(client, "/people?letter=s&sort=count")
    names = [a.get_text() for a in soup.select(".people__list a")]
    expected = sorted(
        (p for p in engine.people() if p.initial == "S"), key=lambda p: (-p.count, p.sort_key)
    )
    assert names == [p.name for p in expected]
    assert soup.select_one(".alphabet .is-current").get_text() == "S"
    empty_letters = {span.get_text() for span in soup.select(".alphabet .is-empty")}
    filed = {p.initial for p in engine.people()}
    assert empty_letters == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ#") - filed


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("letter=AB", "letter"),
        ("letter=%C3%A9", "letter"),
        ("sort=age", "sort"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_a_wrong_parameter_is_a_400_naming_it(client, query, param):
    page = client.get(f"/people?{query}")
    assert page.status_code == 400 and param in page.get_data(as_text=True)
    api = client.get(f"/api/people?{query}")
    assert api.status_code == 400 and api.get_json()["error"]["param"] == param


def test_the_api_lists_the_same_people(client):
    body = client.get("/api/people?q=zhou").get_json()
    html = soup_of(client, "/people?q=zhou")
    assert [p["name"] for p in body["people"]] == [
        a.get_text() for a in html.select(".people__list a")
    ]
    assert body["matched"] == len(body["people"]) and body["total"] > body["matched"]
    zhou = next(p for p in body["people"] if p["name"] == "Zhou Enlai")
    assert urlsplit(zhou["url"]).path == "/people/zhou-enlai"
    assert params(zhou["search_url"]) == {"person": ["Zhou Enlai"]}
    assert client.get(urlsplit(zhou["api_url"]).path).status_code == 200


# -- /people/<slug> ----------------------------------------------------------------------


def test_a_persons_page_shows_every_name_the_authority_file_gives(client):
    soup = soup_of(client, f"/people/{STALIN}")
    assert soup.select_one("h1").get_text() == "Joseph Stalin"
    fields = {
        div.dt.get_text(): div.dd.get_text(" ", strip=True)
        for div in soup.select(".person__names .record__fields > div")
    }
    entry = authority_entry("Joseph Stalin")
    for alias in entry.aliases:
        assert alias in fields["Also written"]
    assert "Semenov (used 1952\u20131953)" in fields["Pseudonyms"]
    assert "Filippov" in fields["Pseudonyms"]
    source = soup.select_one(".person__names a[href^='https://en.wikipedia.org']")
    assert source["href"] == entry.source
    assert "1878" in soup.select_one(".person__role").get_text()


def test_a_persons_years_and_companions_are_the_searches_they_link_to(client, engine):
    soup = soup_of(client, f"/people/{STALIN}")
    bars = soup.select(".year-bars li")
    years = [int(li.select_one(".year-bars__year").get_text()) for li in bars]
    assert years == list(range(years[0], years[-1] + 1))  # gaps shown as years with none
    total = 0
    for li in bars:
        count = int(li.select_one(".year-bars__count").get_text().split()[0])
        link = li.select_one("a")
        if count:
            query = params(link["href"])
            assert query == {
                "person": ["Joseph Stalin"],
                "year": [li.select_one(".year-bars__year").get_text()],
            }
            assert (
                engine.search(make_query(persons=query["person"], years=query["year"])).total
                == count
            )
        else:
            assert link is None
        total += count
    stalin = engine.person(STALIN)
    assert total == stalin.count  # every record of Stalin's is dated here
    companions = soup.select(".named-with li")
    assert companions
    for li in companions:
        search, about = li.select("a")
        together = int(li.select_one(".facet__count").get_text().split()[0])
        both = params(search["href"])["person"]
        assert both[0] == "Joseph Stalin" and len(both) == 2
        assert engine.search(make_query(persons=both)).total == together
        assert about["href"] == f"/people/{person_slug(both[1])}"
    counts = [int(li.select_one(".facet__count").get_text().split()[0]) for li in companions]
    assert counts == sorted(counts, reverse=True)


def test_a_persons_records_are_newest_first_and_paged(client, engine):
    mao = engine.person("mao-zedong")
    pages = -(-mao.count // 8)
    assert pages >= 3
    titles = []
    for page in range(1, pages + 1):
        soup = soup_of(client, f"/people/mao-zedong?page={page}&per_page=8")
        titles += [a.get_text() for a in soup.select(".result__title a")]
        assert soup.select_one(".pager__page.is-current").get_text() == str(page)
        assert all("per_page=8" in a["href"] for a in soup.select("a.pager__page"))
    expected = engine.search(make_query(persons=["Mao Zedong"], sort="-date", per_page=100))
    assert titles == [hit.title for hit in expected.results] and len(titles) == mao.count
    dates = [hit.date for hit in expected.results if hit.date]
    assert dates == sorted(dates, reverse=True)
    past = soup_of(client, "/people/mao-zedong?page=9&per_page=8")
    assert f"only {pages} pages" in past.get_text()
    assert client.get("/people/mao-zedong?per_page=1000").status_code == 400
    assert client.get("/people/mao-zedong?page=abc").status_code == 400


def test_a_person_the_authority_file_does_not_know(client):
    soup = soup_of(client, "/people/managarov")
    assert "not in the authority file" in soup.get_text()
    body = client.get("/api/people/managarov").get_json()
    assert body["authority"] is None and body["count"] == 2


@pytest.mark.parametrize("slug", ["nobody", "joseph-stalin-x", "%00", "a" * 400, "Joseph Stalin"])
def test_an_unknown_person_is_a_real_404(client, slug):
    assert client.get(f"/people/{slug}").status_code == 404
    response = client.get(f"/api/people/{slug}")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == 404


def test_the_api_gives_the_persons_page(client, engine):
    body = client.get(f"/api/people/{STALIN}").get_json()
    assert body["name"] == "Joseph Stalin" and body["count"] == engine.person(STALIN).count
    pseudonyms = {p["name"]: (p["from"], p["to"]) for p in body["authority"]["pseudonyms"]}
    assert pseudonyms["Semenov"] == (1952, 1953) and pseudonyms["Filippov"] == (None, None)
    assert sum(year["count"] for year in body["years"]) == body["count"]
    html = soup_of(client, f"/people/{STALIN}")
    assert [p["name"] for p in body["named_with"]] == [
        li.select("a")[0].get_text() for li in html.select(".named-with li")
    ]
    assert [r["title"] for r in body["records"]["results"]] == [
        a.get_text() for a in html.select(".result__title a")
    ]


# -- links into the people pages -----------------------------------------------------------


def test_a_record_page_links_each_person_to_the_filter_and_their_page(client, engine):
    record = "cable-joseph-stalin-to-anastas-mikoyan-f49dc573"
    soup = soup_of(client, f"/records/{record}")
    items = soup.select(".record__fields li")
    people = {
        li.select("a")[0].get_text(): li.select("a") for li in items if len(li.select("a")) == 2
    }
    assert set(people) == {"Joseph Stalin", "Anastas Mikoyan", "Mao Zedong"}
    for name, (search, about) in people.items():
        assert params(search["href"]) == {"person": [name]}
        assert client.get(about["href"]).status_code == 200
        assert about["href"] == f"/people/{engine.person_named(name).slug}"


def test_a_record_page_shows_related_records_with_the_reason(client, engine):
    record = "cable-joseph-stalin-to-anastas-mikoyan-f49dc573"
    soup = soup_of(client, f"/records/{record}")
    shown = soup.select(".related__list li")
    found = engine.related(record)
    assert [li.select_one("a").get_text() for li in shown] == [f.record["title"] for f in found]
    assert len(shown) == 5
    assert (
        shown[0].select_one(".related__reason").get_text()
        == "Also names Joseph Stalin and Mao Zedong"
    )


def test_the_search_page_offers_the_selected_persons_page(client):
    soup = soup_of(client, "/search?person=Zhou+Enlai&person=Joseph+Stalin")
    links = {a.get_text(): a["href"] for a in soup.select(".person-pages a")}
    assert links == {
        "About Zhou Enlai": "/people/zhou-enlai",
        "About Joseph Stalin": "/people/joseph-stalin",
    }
    sidebar = soup.select_one("#facet-person").find_parent("section")
    assert sidebar.select_one("a[href='/people']") is not None
