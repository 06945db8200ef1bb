"""The facets beyond year and person, and the documents' full text, over the real sample.

The expected counts below were read off ../shared/archive-sample/wilson_archive_sample.csv
by hand (its subjects_discussed, associated_places, language, original_archive_title and
authors columns) and the document types off the titles of the sample and the seeds: they
are literals, not something the code under test computed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

from indexer.index.build import build_index
from indexer.search import Engine, make_query
from indexer.search.query import QueryError
from indexer.sources.ingest import ingest
from webapp import create_app

# Every value of the facets the CSV fills, with its count over the 11 sample records.
PLACES = {
    "China": 6,
    "Germany": 6,
    "Japan": 4,
    "Taiwan": 4,
    "Russia": 3,
    "Iran": 2,
    "Ukraine": 2,
    "United States": 2,
    "Afghanistan": 1,
    "France": 1,
    "Great Britain": 1,
    "India": 1,
    "Kazakhstan": 1,
    "Pakistan": 1,
    "Poland": 1,
    "Portugal": 1,
    "Southeast Asia": 1,
    "Turkey": 1,
}
LANGUAGES = {"German": 6, "Japanese": 4, "English": 1}
ARCHIVES = {
    "German Federal Archives (BArch)": 6,
    "Diplomatic Archives of the Ministry of Foreign Affairs of Japan": 4,
    "Nehru Memorial Museum and Library (NMML)": 1,
}
# Authors as the person facet names persons ("Nehru, Jawaharlal" is Jawaharlal Nehru);
# institutions as the archive writes them.
AUTHORS = {
    "Japan. Foreign Ministry": 2,
    "Japan-China Cultural Exchange Association": 1,
    "Japan-China Import-Export Association": 1,
    "Japan. Foreign Ministry. Asian Affairs Bureau": 1,
    "Jawaharlal Nehru": 1,
    "Kawase Ikkan": 1,
    "Nakajima Kenzō": 1,
}
# The five most held of the sample's 36 subjects, then how many hold one record each.
TOP_SUBJECTS = [
    ("Japan--Foreign relations--Taiwan", 4),
    ("China--Foreign relations--Japan", 3),
    ("North Atlantic Treaty Organization", 3),
    ("Europe--Economic integration", 2),
    ("Taiwan--International status", 2),
]
SUBJECTS_HELD_ONCE = 31
# Types named by the titles: the seeds' 34 distinct documents and the sample's 11
# (8 sample titles name none: "The Chancellor's [Helmut Kohl's] Conversation ...").
TYPES = {
    "Ciphered Telegram": 6,
    "Letter": 6,
    "Cable": 5,
    "Report": 4,
    "Memorandum of Conversation": 3,
    "Gazette": 2,
    "Note": 2,
    "List": 1,
    "Minutes": 1,
    "Petition": 1,
    "Proposal": 1,
    "Record of Conversation": 1,
    "Request": 1,
    "Speech": 1,
    "Statement": 1,
}


@pytest.fixture(scope="module")
def sample_index(archive_index) -> Path:
    return archive_index


@pytest.fixture(scope="module")
def engine(sample_index) -> Engine:
    return Engine(sample_index)


@pytest.fixture(scope="module")
def client(sample_index):
    app = create_app({"INDEX_PATH": str(sample_index), "TESTING": True})
    return app.test_client()


def counts(engine: Engine, name: str, **kwargs) -> dict[str, int]:
    results = engine.search(make_query(**kwargs, per_page=1).with_expanded(name, True))
    return {str(value.value): value.count for value in results.facets[name]}


def test_every_facet_counts_what_the_csv_and_the_titles_hold(engine):
    assert engine.search(make_query()).total == 48  # 34 seed documents and 14 others
    assert counts(engine, "place") == PLACES
    assert counts(engine, "language") == LANGUAGES
    assert counts(engine, "archive") == ARCHIVES
    assert counts(engine, "author") == AUTHORS
    assert counts(engine, "type") == TYPES
    subjects = counts(engine, "subject")
    assert list(subjects.items())[:5] == TOP_SUBJECTS
    assert sum(1 for count in subjects.values() if count == 1) == SUBJECTS_HELD_ONCE
    assert "India--Foreign relations--Pakistan" in subjects  # whole, never split at "--"


def test_facets_show_their_first_values_until_expanded(engine):
    results = engine.search(make_query())
    assert len(results.facets["subject"]) == 15 and len(results.facets["place"]) == 15
    assert [v.value for v in results.facets["subject"]][:5] == [s for s, _ in TOP_SUBJECTS]
    assert len(counts(engine, "subject")) == 36


def test_exclusive_values_combine_with_or_and_keep_their_own_counts(engine):
    either = engine.search(make_query(values={"language": ["German", "Japanese"]}))
    assert either.total == 10
    german = engine.search(make_query(values={"language": ["German"]}))
    assert german.total == 6
    # The language facet leaves its own selection out: English still says what it adds.
    assert {v.value: (v.count, v.selected) for v in german.facets["language"]} == {
        "German": (6, True),
        "Japanese": (4, False),
        "English": (1, False),
    }
    # Every other facet counts within the selection.
    assert counts(engine, "place", values={"language": ["German"]})["Germany"] == 6
    assert "Taiwan" not in counts(engine, "place", values={"language": ["German"]})


def test_values_a_record_holds_several_of_combine_with_and(engine):
    assert engine.search(make_query(values={"place": ["China"]})).total == 6
    assert engine.search(make_query(values={"place": ["Japan"]})).total == 4
    both = engine.search(make_query(values={"place": ["China", "Japan"]}, per_page=50))
    assert both.total == 3
    assert all({"China", "Japan"} <= set(hit.values["place"]) for hit in both.results)
    # AND across facets too: no German-language record is about Japan.
    assert engine.search(make_query(values={"place": ["Japan"], "language": ["German"]})).total == 0


def test_a_value_is_one_value_whatever_its_case(engine):
    results = engine.search(make_query(values={"subject": ["japan--foreign relations--TAIWAN"]}))
    assert results.total == 4
    selected = [v for v in results.facets["subject"] if v.selected]
    assert [(v.value, v.count) for v in selected] == [("Japan--Foreign relations--Taiwan", 4)]


def test_a_value_no_record_holds_finds_nothing_and_stays_selected(engine):
    results = engine.search(make_query(values={"subject": ["Lunar exploration"]}))
    assert results.total == 0
    assert [(v.value, v.count, v.selected) for v in results.facets["subject"]] == [
        ("Lunar exploration", 0, True)
    ]


@pytest.mark.parametrize(
    "value, reason",
    [("Korea\x07War", "holds a control character"), ("x" * 201, "is 201 characters long")],
)
def test_a_malformed_value_is_refused_naming_its_parameter(value, reason):
    with pytest.raises(QueryError) as raised:
        make_query(values={"place": [value]})
    assert raised.value.param == "place" and reason in raised.value.message


@pytest.mark.parametrize(
    "text, total",
    [
        ("subject:pakistan", 1),
        ("place:kazakhstan", 1),
        ("language:japanese", 4),
        ("archive:barch", 6),
        ("author:nehru", 1),
        ("type:telegram", 6),  # the six ciphered telegrams
        ("types:letters", 6),
        ("subject:(nuclear iran)", 1),
    ],
)
def test_facets_are_searched_by_their_words(engine, text, total):
    results = engine.search(make_query(text))
    assert results.fallback is None
    assert results.total == total


def test_a_word_only_in_a_document_finds_it_and_shows_the_passage(engine):
    results = engine.search(make_query("Ecclestone"))
    assert results.total == 1
    hit = results.results[0]
    assert hit.title.startswith("The Chancellor's [Helmut Kohl's] Meeting with British PM Blair")
    assert not hit.highlights["title"].marks and not hit.highlights["summary"].marks
    passage = hit.highlights["text"]
    assert len(passage.text) <= 300 and passage.text.startswith("\u2026 ")
    marked = [passage.text[start:end] for start, end in passage.marks]
    assert marked == ["Ecclestone"]


def test_title_outranks_summary_outranks_text(tmp_path):
    from indexer.records.record import Record

    def record(number: int, **fields: str) -> Record:
        return Record(
            id=f"r{number}",
            title=fields.get("title", f"Report number {number}"),
            summary=fields.get("summary", "A record of the talks."),
            text=fields.get("text", ""),
        )

    path = tmp_path / "index"
    build_index(
        [
            record(1, text="The word zanzibar stands in the text. " * 3),
            record(2, summary="The talks named Zanzibar."),
            record(3, title="Zanzibar report"),
        ],
        path,
    )
    results = Engine(path).search(make_query("zanzibar"))
    assert [hit.id for hit in results.results] == ["r3", "r2", "r1"]


def test_records_without_text_are_searched_as_before(engine):
    results = engine.search(make_query("Stalin", values={"type": ["Cable"]}))
    assert results.total and all("text" not in hit.highlights for hit in results.results)


# -- the pages and the API ------------------------------------------------------------


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_sidebar_shows_every_facet_with_values_and_its_chips(client):
    soup = page(client, "/search")
    headings = [h.get_text() for h in soup.select(".facet__title")]
    assert headings == [
        "Year",
        "People",
        "Document types",
        "Subjects",
        "Places",
        "Languages",
        "Original archives",
        "Authors",
    ]
    soup = page(client, "/search?language=German&place=Russia")
    # A facet none of these results holds is left out: these documents name no type and
    # no author.
    headings = [h.get_text() for h in soup.select(".facet__title")]
    assert headings == ["Year", "People", "Subjects", "Places", "Languages", "Original archives"]
    chips = [" ".join(chip.get_text(" ", strip=True).split()[:-1]) for chip in soup.select(".chip")]
    assert chips == ["Place: Russia", "Language: German"]
    soup = page(client, "/search?language=German&sort=-date")
    languages = {
        a.select_one(".facet__label").get_text(): parse_qs(urlparse(a["href"]).query)
        for a in soup.select("#facet-list-language a")
    }
    # Picking Japanese adds it to German (either); the order stays.
    assert languages["Japanese"] == {"language": ["German", "Japanese"], "sort": ["-date"]}
    assert languages["German"] == {"sort": ["-date"]}


def test_a_facet_no_record_holds_is_not_shown(tmp_path, seeds_dir):
    path = tmp_path / "index"
    build_index(ingest([seeds_dir]).records, path)
    client = create_app({"INDEX_PATH": str(path), "TESTING": True}).test_client()
    headings = [h.get_text() for h in page(client, "/search").select(".facet__title")]
    assert headings == ["Year", "People", "Document types"]
    assert set(client.get("/api/search").get_json()["facets"]) == {"year", "person", "type"}


def test_a_text_only_match_shows_its_passage_and_the_record_marks_the_text(client):
    soup = page(client, "/search?q=Ecclestone")
    passage = soup.select_one(".result__passage")
    assert passage is not None and passage.select_one("mark").get_text() == "Ecclestone"
    link = soup.select_one(".result__title a")["href"]
    assert parse_qs(urlparse(link).query) == {"q": ["Ecclestone"]}
    record = page(client, link)
    marks = [m.get_text() for m in record.select(".record__text mark")]
    assert marks == ["Ecclestone"]
    paragraphs = record.select(".record__text > p")
    assert len(paragraphs) > 5  # the document in its paragraphs, not one block
    assert record.select_one(".record__text a")["href"].startswith("https://digitalarchive")


def test_every_facet_value_on_a_record_page_is_a_link_to_the_narrowed_search(client):
    soup = page(client, "/search?q=Ecclestone")
    record = page(client, soup.select_one(".result__title a")["href"])
    links = {
        a.get_text(): parse_qs(urlparse(a["href"]).query)
        for a in record.select(".record__fields a")
    }
    assert links["German"] == {"language": ["German"]}
    assert links["Great Britain"] == {"place": ["Great Britain"]}
    assert links["German Federal Archives (BArch)"] == {
        "archive": ["German Federal Archives (BArch)"]
    }
    assert links["Germany--Foreign relations--Great Britain"] == {
        "subject": ["Germany--Foreign relations--Great Britain"]
    }
    letter = page(
        client, page(client, "/search?q=Nehru+provincial").select_one(".result__title a")["href"]
    )
    assert letter.select_one(".record__type").get_text() == "Letter"
    assert parse_qs(urlparse(letter.select_one(".record__type")["href"]).query) == {
        "type": ["Letter"]
    }


def test_the_api_carries_the_facets_and_the_text_passage(client):
    data = client.get("/api/search?q=Ecclestone&language=German").get_json()
    assert data["query"]["language"] == ["German"]
    assert set(data["facets"]) == {
        "year",
        "person",
        "type",
        "subject",
        "place",
        "language",
        "archive",
        "author",
    }
    hit = data["results"][0]
    assert "<mark>Ecclestone</mark>" in hit["highlights"]["text"]
    assert hit["language"] == ["German"] and hit["archive"] == ["German Federal Archives (BArch)"]
    toggle = {f["value"]: f["toggle_url"] for f in data["facets"]["language"]}
    assert parse_qs(urlparse(toggle["German"]).query) == {"q": ["Ecclestone"]}


@pytest.mark.parametrize("route", ["/search", "/api/search", "/embed", "/search.atom"])
def test_a_malformed_facet_value_is_a_400_naming_it_on_every_route(client, route):
    response = client.get(f"{route}?subject=a%00b")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    if response.mimetype == "application/json":
        assert response.get_json()["error"]["param"] == "subject"
    else:
        assert "<code>subject</code>" in body


def test_the_atom_feed_and_the_embed_page_narrow_by_facets(client):
    feed = client.get("/search.atom?type=Letter&language=English").get_data(as_text=True)
    assert feed.count("<entry>") == 1 and "Letter, English</title>" in feed
    embed = page(client, "/embed?type=Cable")
    assert "of 5 records" in embed.get_text(" ", strip=True)
