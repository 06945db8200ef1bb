"""Each reader against the archive's real pages, pages in another theme, and pages that break."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.sources import Problem, RawRecord, detect, iter_files, read_file

FIXTURES = Path(__file__).parent / "fixtures"


def split(items):
    items = list(items)
    records = [i for i in items if isinstance(i, RawRecord)]
    problems = [i for i in items if isinstance(i, Problem)]
    return records, problems


# -- listing text -------------------------------------------------------------------------


def test_seed_listings_give_twenty_items_each_and_no_furniture(seeds_dir):
    for page in sorted(seeds_dir.glob("*.txt")):
        records, problems = split(read_file(page))
        assert len(records) == 20, page
        assert problems == []
        for record in records:
            assert record.kind == "listing-text"
            assert record.title and record.summary and record.date_text
            assert "SEARCH" not in record.title and "Digital Archive" not in record.title


def test_listing_text_item_fields(seeds_dir):
    records, _ = split(read_file(seeds_dir / "000_2fa1fff422d2efeb.txt"))
    third = records[2]
    assert (third.date_text, third.title) == (
        "February 21, 1952",
        "Cable, Mao Zedong to Filippov [Stalin]",
    )
    assert third.summary == (
        "Mao Zedong requests help from Stalin regarding the dropping of insects on North Korea "
        "by the United States."
    )
    assert third.where.endswith("000_2fa1fff422d2efeb.txt#3")


def test_wrapped_lines_are_joined_and_furniture_ends_an_item(tmp_path):
    page = tmp_path / "wrapped.txt"
    page.write_text(
        "Search in\nSEARCH RESULTS\n1 - 2 of 2\n\n"
        "  \u2022 January 22, 1950\n\n"
        "    Record of Talks between I.V. Stalin and\n    Chairman Mao Zedong\n\n"
        "    Conversation between Stalin and Mao\n    concerning a treaty.\n\n"
        "  \u2022 1956\n\n    A title only\n\n"
        "Show more\n\nDigital Archive International History Declassified\n",
        encoding="utf-8",
    )
    records, problems = split(read_file(page))
    assert [r.title for r in records] == [
        "Record of Talks between I.V. Stalin and Chairman Mao Zedong",
        "A title only",
    ]
    assert records[0].summary == "Conversation between Stalin and Mao concerning a treaty."
    assert records[1].summary == ""  # "Show more" and the footer are not its summary
    assert len(problems) == 1 and "has no summary" in problems[0].reason
    assert problems[0].action == "kept the record without one"


# -- listing HTML -------------------------------------------------------------------------


def test_saved_listing_page_reads_its_twenty_results(listing_html, seeds_dir):
    records, problems = split(read_file(listing_html))
    assert problems == []
    assert len(records) == 20
    text_records, _ = split(read_file(seeds_dir / "004_fd41f8afa043c1fe.txt"))
    # Same titles as the text page, with wrapped lines joined and entities decoded.
    assert [r.title for r in records] == [r.title for r in text_records]
    assert all(
        r.source_url.startswith("https://digitalarchive.wilsoncenter.org/document/")
        for r in records
    )
    assert (
        records[2].source_url
        == "https://digitalarchive.wilsoncenter.org/document/cable-mao-zedong-to-stalin"
    )
    assert "People\u2019s Liberation Army" in records[0].summary  # &rsquo; decoded
    assert [r.date_text for r in records[:3]] == [
        "May 22, 1948",
        "July 06, 1948",
        "January 08, 1949",
    ]


def test_listing_in_another_theme_is_read_by_structure():
    records, problems = split(read_file(FIXTURES / "listing-other-theme.html"))
    assert [r.title for r in records] == [
        (
            "Record of Talks between I.V. Stalin and Chairman of the Central People's "
            "Government of the People\u2019s Republic of China Mao Zedong"
        ),
        "Note from Andrey Vyshinsky to Zhou Enlai, February 1950",
        (
            "Letter, Deputy Chair of the Far Eastern Branch of the Soviet Academy of Sciences "
            "Aleksei Vasil\u2019evich Stozhenko"
        ),
    ]
    assert [r.date_text for r in records] == ["January 22, 1950", "February, 1950", "1956"]
    assert (
        records[1].source_url
        == "https://digitalarchive.wilsoncenter.org/document/note-andrey-vyshinsky-zhou-enlai"
    )
    assert records[1].summary.startswith("Dialogue between Zhou Enlai and Vyshinsky")
    # Navigation, footer, script text and the related box are not results.
    assert all("related" not in (r.source_url or "") for r in records)
    assert [p.reason for p in problems] == [f"{records[2].title[:60]!r} has no summary"]


def test_truncated_html_keeps_the_results_before_the_break(listing_html, tmp_path):
    text = listing_html.read_text(encoding="utf-8")
    cut = text.index("Ciphered telegram, Filippov")  # inside the sixth result's title
    broken = tmp_path / "truncated.html"
    broken.write_text(text[:cut], encoding="utf-8")
    records, _ = split(read_file(broken))
    assert [r.date_text for r in records[:5]] == [
        "May 22, 1948",
        "July 06, 1948",
        "January 08, 1949",
        "February, 1949",
        "November 07, 1949",
    ]
    assert len(records) in (5, 6)


# -- record pages -------------------------------------------------------------------------


def test_record_pages_keep_every_labelled_part(record_pages):
    for page in record_pages:
        records, problems = split(read_file(page))
        assert problems == [], page
        (record,) = records
        assert record.kind == "record-html"
        assert record.title and record.summary and record.date_text
        assert record.record_id and record.record_id.isdigit()
        assert record.places and record.subjects and record.languages and record.original_archive
        assert record.source_note and record.rights and record.uploaded
        assert record.source_url.startswith("https://digitalarchive.wilsoncenter.org/document/")


def test_record_page_fields(sample_dir):
    page = (
        sample_dir / "records" / "chancellors-helmut-kohls-telephone-conversation-polish-presi.html"
    )
    (record,) = split(read_file(page))[0]
    assert record.date_text == "September 12, 1996"
    assert record.title.startswith("The Chancellor's [Helmut Kohl's] Telephone Conversation")
    assert record.summary.startswith("Kohl and Kwasniewski exchange thoughts")
    assert record.people_tags == ["Neuer, Walter", "Yeltsin, Boris", "Chirac, Jacques"]
    assert record.places == ["Germany", "Poland", "Russia", "France"]
    assert record.languages == ["German"]
    assert record.original_archive == ["German Federal Archives (BArch)"]
    assert record.record_id == "300237"
    assert record.source_note.startswith("BArch, B 136/59748, 297-301")
    assert record.uploaded == "2023-10-03"


def test_record_page_authors_and_classification(sample_dir):
    page = (
        sample_dir / "records" / "economic-cooperation-division-ministry-foreign-affairs-japan.html"
    )
    (record,) = split(read_file(page))[0]
    assert record.authors == ["Japan. Foreign Ministry"]
    assert record.classification == "Secret"


def test_record_page_in_another_theme_reads_by_labels():
    (record,) = split(read_file(FIXTURES / "record-other-theme.html"))[0]
    assert record.title == "Cable, Mao Zedong to Filippov [Stalin]"
    assert record.date_text == "February 21, 1952"
    assert record.summary.startswith("Mao Zedong requests help from Stalin")
    assert record.people_tags == [
        "Mao, Zedong",
        "Stalin, Joseph, 1879-1953",
        "Soviet Union. Ministerstvo inostrannykh del",
    ]
    assert record.places == ["China", "Korea (North)", "Russia (Federation)"]
    assert record.record_id == "113054"
    assert (
        record.source_url
        == "https://digitalarchive.wilsoncenter.org/document/cable-mao-zedong-filippov-stalin"
    )


# -- CSV export ---------------------------------------------------------------------------


def test_csv_export_reads_its_json_array_columns(sample_csv):
    records, problems = split(read_file(sample_csv))
    assert problems == []
    assert len(records) == 11
    first = records[0]
    assert first.title == "Letter, Jawaharlal Nehru to All Provincial Premiers"
    assert first.date_text == "April 1, 1949"
    assert first.authors == ["Nehru, Jawaharlal"]
    assert first.places == ["India", "China", "Southeast Asia", "Pakistan"]
    assert first.record_id == "300653"
    assert first.classification == "Secret"
    second = records[1]
    assert second.people_tags == ["Sat\u014d, Eisaku", "Chiang, Ching-kuo (Jiang Jingguo)"]
    kohl_blair = records[5]
    # document_contributors are people too: Kohl and Blair are named there only.
    assert "Kohl, Helmut" in kohl_blair.people_tags
    assert 'Blair, Anthony Charles Lynton ("Tony")' in kohl_blair.people_tags


def test_csv_with_a_broken_list_cell_keeps_the_row_and_the_rows_after(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "title,original_publication_date,summary,associated_places\n"
        'First,"May 1, 1950",One,"[""China""]"\n'
        'Second,"May 2, 1950",Two,"[""China"", broken"\n'
        'Third,"May 3, 1950",Three,"[""Korea""]"\n',
        encoding="utf-8",
    )
    records, problems = split(read_file(export))
    assert [r.title for r in records] == ["First", "Second", "Third"]
    assert records[1].places == []
    assert records[2].places == ["Korea"]
    assert len(problems) == 1
    assert (problems[0].item, problems[0].action) == (
        "row 2, column associated_places",
        "kept the row without that column",
    )


# -- JSON Lines ---------------------------------------------------------------------------


def test_json_lines_with_a_bad_line_keep_the_others(tmp_path):
    lines = tmp_path / "records.jsonl"
    lines.write_text(
        json.dumps(
            {
                "title": "One",
                "date": "1950-02",
                "date_precision": "month",
                "persons": ["Mao Zedong"],
            }
        )
        + "\n"
        + "{not json\n"
        + json.dumps({"title": "Three", "date": "1950-02-31", "date_precision": "day"})
        + "\n"
        + json.dumps({"title": "Four", "date": None, "date_precision": None, "colour": "red"})
        + "\n",
        encoding="utf-8",
    )
    records, problems = split(read_file(lines))
    assert [r.title for r in records] == ["One", "Four"]
    assert records[0].parsed_date.iso == "1950-02" and records[0].parsed_date.precision == "month"
    assert [(p.item, p.action) for p in problems] == [
        ("line 2", "skipped the line"),
        ("line 3", "skipped the line"),
        ("line 4", "ignored them"),
    ]
    assert "day 31" in problems[1].reason


# -- decoding and detection ---------------------------------------------------------------

LISTING = (
    "  \u2022 January 12, 1958\n\n"
    "    Memorandum from \u00dcr\u00fcmchi\n\n"
    "    Xin Lanting discusses Xinjiang.\n"
)


def test_latin1_bytes_are_read_and_reported(tmp_path):
    page = tmp_path / "latin1.txt"
    page.write_bytes(LISTING.replace("\u2022", "*").encode("latin-1"))
    records, problems = split(read_file(page))
    assert records[0].title == "Memorandum from \u00dcr\u00fcmchi"
    assert [p.reason for p in problems] == ["not valid UTF-8"]
    assert problems[0].action.startswith("read it as cp1252")


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path):
    page = tmp_path / "bom.txt"
    page.write_bytes(b"\xef\xbb\xbf" + LISTING.encode("utf-8"))
    records, problems = split(read_file(page))
    assert problems == []
    assert records[0].date_text == "January 12, 1958"


def test_utf16_with_bom_is_read(tmp_path):
    page = tmp_path / "utf16.txt"
    page.write_bytes(LISTING.encode("utf-16"))
    records, problems = split(read_file(page))
    assert problems == [] and records[0].title == "Memorandum from \u00dcr\u00fcmchi"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "the file is empty"),
        (b"   \n\n  ", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)), "binary data"),
        (
            b"Just some notes I took.\nNothing like an archive page.\n",
            "not a page or export we know",
        ),
        (
            (
                b"<html><body><p>An unrelated page</p><p>with paragraphs</p><div>only</div>"
                b"</body></html>"
            ),
            "not a page or export we know",
        ),
    ],
)
def test_files_that_are_not_sources_are_reported_and_skipped(tmp_path, content, reason):
    page = tmp_path / "file.txt"
    page.write_bytes(content)
    records, problems = split(read_file(page))
    assert records == []
    assert len(problems) == 1 and problems[0].reason.startswith(reason)
    assert problems[0].file == str(page)


def test_kind_comes_from_content_not_extension(tmp_path, listing_html, sample_csv, seeds_dir):
    cases = {
        "listing.dat": (listing_html.read_text(encoding="utf-8"), "listing-html"),
        "export.txt": (sample_csv.read_text(encoding="utf-8"), "csv"),
        "page.html": (
            (seeds_dir / "000_2fa1fff422d2efeb.txt").read_text(encoding="utf-8"),
            "listing-text",
        ),
    }
    for name, (text, kind) in cases.items():
        assert detect(text).kind == kind, name


def test_directories_are_read_whole_and_missing_paths_reported(tmp_path, seeds_dir):
    found = list(iter_files([seeds_dir, tmp_path / "nowhere"]))
    files = [f for f in found if isinstance(f, Path)]
    problems = [f for f in found if isinstance(f, Problem)]
    assert sorted(f.name for f in files) == sorted(p.name for p in seeds_dir.glob("*.txt"))
    assert [p.reason for p in problems] == ["no such file or directory"]


def test_an_index_directory_inside_data_is_not_read(tmp_path):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "_MAIN_1.toc").write_bytes(b"\x00\x01")
    (tmp_path / "page.txt").write_text(LISTING, encoding="utf-8")
    assert [p.name for p in iter_files([tmp_path])] == ["page.txt"]
