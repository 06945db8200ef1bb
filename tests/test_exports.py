"""Exports of a whole search and of one record, read back by the libraries made for each
format: csv, json, rispy, bibtexparser. Every field written comes back."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import pytest
import rispy

from indexer.search import Engine, make_query
from webapp import create_app
from webapp.exports import ARCHIVE, CSV_COLUMNS, FORMATS, LIST_SEPARATOR

# Every record of the seeds and the sample, oldest first: more than a page, with and
# without texts, types, authors and dates of every precision.
SEARCH = {"sort": "date"}


@pytest.fixture(scope="module")
def client(archive_index):
    return create_app({"INDEX_PATH": str(archive_index), "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def expected(archive_index) -> list[dict]:
    """The search's records in its order, as the engine gives them (every page)."""
    total, records = Engine(archive_index).every_record(make_query(**SEARCH), 10_000)
    assert total == len(records) > 20  # more than one page: an export is not a page
    return records


def url_of(record: dict) -> str:
    return record.get("source_url") or f"http://localhost/records/{record['id']}"


def export(client, name: str, **params: str) -> str:
    response = client.get("/export", query_string={**SEARCH, **params, "format": name})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == FORMATS[name].mimetype
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="archive-search-export.{FORMATS[name].extension}"'
    )
    return response.get_data(as_text=True)


def test_csv_holds_every_record_and_field(client, expected):
    rows = list(csv.DictReader(io.StringIO(export(client, "csv"))))
    assert [row["id"] for row in rows] == [record["id"] for record in expected]
    for row, record in zip(rows, expected, strict=True):
        assert list(row) == list(CSV_COLUMNS)
        assert row["title"] == record["title"] and row["summary"] == record["summary"]
        assert row["date"] == (record["date"] or "") and row["url"] == url_of(record)
        assert row["type"] == (record.get("document_type") or "")
        for name in ("persons", "subjects", "places", "languages", "original_archive", "authors"):
            held = record.get(name, [])
            assert (row[name].split(LIST_SEPARATOR) if row[name] else []) == held


def test_json_lines_hold_whole_records(client, expected):
    lines = export(client, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == [
        {**record, "url": url_of(record)} for record in expected
    ]


def test_ris_reads_back_with_rispy(client, expected):
    entries = rispy.loads(export(client, "ris"))
    assert len(entries) == len(expected)
    for entry, record in zip(entries, expected, strict=True):
        assert entry["type_of_reference"] == "GEN" and entry["id"] == record["id"]
        assert entry["title"] == record["title"]
        assert entry.get("abstract", "") == record["summary"]
        assert entry.get("authors", []) == record.get("authors", [])
        keywords = record["persons"] + record.get("subjects", []) + record.get("places", [])
        assert entry.get("keywords", []) == keywords
        assert entry.get("type_of_work") == record.get("document_type")
        assert entry["name_of_database"] == ARCHIVE and entry["urls"] == [url_of(record)]
        if record["date"]:
            parts = record["date"].split("-")
            assert entry["year"] == parts[0]
            assert entry["date"].split("/")[: len(parts)] == parts


def test_bibtex_reads_back_with_bibtexparser(client, expected):
    library = bibtexparser.parse_string(export(client, "bibtex"))
    assert not library.failed_blocks
    assert [entry.key for entry in library.entries] == [record["id"] for record in expected]
    for entry, record in zip(library.entries, expected, strict=True):
        fields = {name: field.value for name, field in entry.fields_dict.items()}
        assert entry.entry_type == "misc"
        assert fields["title"] == record["title"].replace("{", "(").replace("}", ")")
        assert fields["howpublished"] == ARCHIVE and fields["url"] == url_of(record)
        assert fields.get("abstract", "") == record["summary"]
        assert fields.get("type") == record.get("document_type")
        if record["date"]:
            parts = record["date"].split("-")
            assert fields["year"] == parts[0]
            assert ("month" in fields) == (len(parts) > 1)
            assert ("day" in fields) == (len(parts) > 2)


def test_csl_json_is_what_zotero_imports(client, expected):
    items = json.loads(export(client, "csljson"))
    assert [item["id"] for item in items] == [record["id"] for record in expected]
    for item, record in zip(items, expected, strict=True):
        assert item["type"] == "manuscript" and item["title"] == record["title"]
        assert item["archive"] == ARCHIVE and item["URL"] == url_of(record)
        if record["date"]:
            # The date at the record's own precision: a month-precision record has 2 parts.
            assert item["issued"]["date-parts"][0] == [int(p) for p in record["date"].split("-")]
        assert [a["literal"] for a in item.get("author", [])] == record.get("authors", [])


@pytest.mark.parametrize("name", list(FORMATS))
def test_an_empty_result_is_a_valid_empty_file(client, name):
    text = export(client, name, q="zzyzx-no-such-word")
    if name == "csv":
        assert list(csv.reader(io.StringIO(text))) == [list(CSV_COLUMNS)]
    elif name == "csljson":
        assert json.loads(text) == []
    elif name == "bibtex":
        assert bibtexparser.parse_string(text).entries == []
    else:
        assert text == ""


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_record_downloads_in_every_format(client, expected, name):
    record = expected[0]
    response = client.get(f"/records/{record['id']}.{FORMATS[name].name}")
    assert response.status_code == 200 and response.mimetype == FORMATS[name].mimetype
    assert record["id"] in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/export?q=Stalin&format=xml", "/export?q=Stalin"])
def test_an_unknown_or_missing_format_is_a_400_naming_it(client, path):
    assert client.get(path).status_code == 400
    api = client.get(path.replace("/export", "/api/export"), headers={"Accept": "application/json"})
    assert api.status_code == 400 and api.get_json()["error"]["param"] == "format"
    assert client.get("/records/anything.xml").status_code in (400, 404)


def test_a_search_over_the_limit_says_so(client, monkeypatch):
    import webapp.downloads
    import webapp.exports

    monkeypatch.setattr(webapp.downloads, "MAX_EXPORT", 3)
    monkeypatch.setattr(webapp.exports, "MAX_EXPORT", 3)
    response = client.get("/api/export?q=Stalin&format=csv", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "an export holds at most 3" in response.get_json()["error"]["message"]


def test_the_search_page_offers_the_export(client):
    page = client.get("/search?q=Kohl&language=German").get_data(as_text=True)
    assert "Export these 6 results" in page
    assert 'href="/export?q=Kohl&amp;language=German&amp;format=ris"' in page
