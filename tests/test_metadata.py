"""What reference managers read from our pages, read by independent parsers: extruct for
Dublin Core, an HTML parser for the Highwire tags, urllib for COinS' OpenURL key/values."""

from __future__ import annotations

from urllib.parse import parse_qs

import extruct
import pytest
from bs4 import BeautifulSoup

from webapp import create_app


@pytest.fixture(scope="module")
def client(archive_index):
    return create_app({"INDEX_PATH": str(archive_index), "TESTING": True}).test_client()


def first_record_page(client, query: str) -> tuple[str, str]:
    soup = BeautifulSoup(client.get(f"/search?{query}").get_data(as_text=True), "html.parser")
    path = soup.select_one(".result__title a")["href"].split("?")[0]
    return path, client.get(path).get_data(as_text=True)


def test_a_record_page_carries_dublin_core_that_extruct_reads(client):
    path, html = first_record_page(client, "q=Nehru+provincial")
    url = f"http://localhost{path}"
    found = extruct.extract(html, base_url=url, syntaxes=["dublincore"], uniform=True)
    # Keyed by the Dublin Core term extruct resolved each tag to (its URI), not by our names.
    terms: dict[str, list[str]] = {}
    for element in found["dublincore"][0]["elements"]:
        if element["name"].startswith("DC."):
            terms.setdefault(element["URI"].rsplit("/", 1)[1], []).append(element["content"])
    assert terms["title"] == ["Letter, Jawaharlal Nehru to All Provincial Premiers"]
    assert terms["date"] == ["1949-04-01"]
    assert terms["creator"] == ["Jawaharlal Nehru"]
    assert terms["language"] == ["English"]
    assert terms["identifier"] == [url]
    assert terms["publisher"] == ["Wilson Center Digital Archive"]
    assert "India--Foreign relations--Pakistan" in terms["subject"]


def test_a_record_page_carries_highwire_tags_at_its_precision(client):
    path, html = first_record_page(client, "q=Nehru+provincial")
    meta = {
        tag["name"]: tag["content"]
        for tag in BeautifulSoup(html, "html.parser").select("meta[name^=citation_]")
    }
    assert meta["citation_title"] == "Letter, Jawaharlal Nehru to All Provincial Premiers"
    assert meta["citation_publication_date"] == "1949/04/01"
    assert meta["citation_author"] == "Jawaharlal Nehru"
    assert meta["citation_public_url"] == f"http://localhost{path}"


def test_a_month_precision_record_is_dated_to_its_month(client):
    # "November 1967": a month-precision record of the sample.
    _, html = first_record_page(client, "q=Japan&from=1967-11&to=1967-11&sort=date")
    soup = BeautifulSoup(html, "html.parser")
    dates = {
        tag["content"]
        for tag in soup.select("meta[name=citation_publication_date], meta[name='DC.date']")
    }
    assert dates and all(date.replace("-", "/").startswith("1967/11") for date in dates)


def test_every_result_carries_coins(client):
    soup = BeautifulSoup(client.get("/search?q=Stalin").get_data(as_text=True), "html.parser")
    results = soup.select(".result")
    spans = soup.select(".result span.Z3988")
    assert len(spans) == len(results) > 1
    for result, span in zip(results, spans, strict=True):
        context = parse_qs(span["title"])
        assert context["ctx_ver"] == ["Z39.88-2004"]
        assert context["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:dc"]
        assert context["rft.title"] == [result.select_one(".result__title").get_text().strip()]
        href = result.select_one(".result__title a")["href"].split("?")[0]
        assert context["rft.identifier"] == [f"http://localhost{href}"]
