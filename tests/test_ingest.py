"""Sources -> merged, clean records: counts, dedup across sources, ids, persons over a corpus."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import write_corpus
from bench.people_eval import evaluate, evaluate_blind, evaluate_titles, read_gold
from indexer.records.authority import load_authority
from indexer.records.record import Record, list_fields, merge_into, text_fields
from indexer.records.text import clean_text, match_key
from indexer.sources import Problem
from indexer.sources.ingest import ingest


@pytest.fixture(scope="module")
def seed_records(seeds_dir):
    return ingest([seeds_dir])


def by_title(records, title):
    matches = [r for r in records if match_key(r.title) == match_key(title)]
    assert matches, title
    return matches


def test_the_two_seed_pages_give_37_records(seed_records):
    assert seed_records.report.items == 40
    assert seed_records.report.records == 37
    assert seed_records.report.merged == 3
    assert seed_records.report.problems == []
    assert len({r.id for r in seed_records.records}) == 37


def test_the_three_shared_items_name_both_pages(seed_records):
    shared = [r for r in seed_records.records if len(r.sources) == 2]
    assert sorted(r.date for r in shared) == ["1952-09-06", "1952-09-06", "1952-09-16"]
    for record in shared:
        assert {Path(s.split("#")[0]).name for s in record.sources} == {
            "000_2fa1fff422d2efeb.txt",
            "004_fd41f8afa043c1fe.txt",
        }


@pytest.mark.parametrize(
    "title, date, precision, year",
    [
        (
            (
                "Record of Talks between I.V. Stalin and Chairman of the Central People's "
                "Government of the People\u2019s Republic of China Mao Zedong"
            ),
            "1950-01-22",
            "day",
            1950,
        ),
        ("Note from Andrey Vyshinsky to Zhou Enlai, February 1950", "1950-02", "month", 1950),
        ("Cable, Joseph Stalin to Anastas Mikoyan", "1949-02", "month", 1949),
        (
            (
                "Letter, Deputy Chair of the Far Eastern Branch of the Soviet Academy of Sciences "
                "Aleksei Vasil\u2019evich Stozhenko"
            ),
            "1956",
            "year",
            1956,
        ),
        ("Report, Zhou Enlai to Chairman Mao", "1952-09-01", "day", 1952),
    ],
)
def test_seed_dates_keep_their_precision(seed_records, title, date, precision, year):
    (record,) = by_title(seed_records.records, title)
    assert (record.date, record.date_precision, record.year) == (date, precision, year)


def test_every_seed_date_matches_its_bullet(seeds_dir, seed_records):
    precisions = {r.date_precision for r in seed_records.records}
    assert precisions == {"day", "month", "year"}
    assert all(r.date and r.year for r in seed_records.records)


def test_text_html_listing_and_record_page_of_one_document_are_one_record(
    seeds_dir, listing_html, tmp_path
):
    text_page = seeds_dir / "004_fd41f8afa043c1fe.txt"
    alone = {r.id for r in ingest([text_page]).records}
    both = ingest([text_page, listing_html])
    assert both.report.records == 20 and both.report.merged == 20
    assert {r.id for r in both.records} == alone  # ids do not depend on which sources were read
    assert all(r.source_url for r in both.records)  # the HTML's links are kept on the merged record
    # A record page for one of those documents joins the same record.
    page = tmp_path / "record.html"
    page.write_text(
        "<html><head><link rel='canonical' href='/document/cable-mao-zedong-to-stalin'></head>"
        "<body><main><div class='document-header'><div class='date'>January 8, 1949</div>"
        "<h1 class='title'>Cable, Mao Zedong to Stalin</h1></div>"
        "<div class='summary'><h2>Summary</h2><div class='text-block'>"
        "<p>Mao thanks Stalin for sending over "
        "Ivan Kovalev to help with economic struggles in China. "
        "Mao asks for materials with which China may build railroads.</p></div></div>"
        "<div class='pill-block'><h2>Associated Places</h2>"
        "<div class='pill'><span>China</span></div></div>"
        "<div class='information-block'><h3>Record ID</h3><div class='text'>110000</div></div>"
        "</main></body></html>",
        encoding="utf-8",
    )
    three = ingest([text_page, listing_html, page])
    assert three.report.records == 20
    (cable,) = by_title(three.records, "Cable, Mao Zedong to Stalin")
    assert len(cable.sources) == 3
    assert cable.record_id == "110000" and cable.places == ["China"]
    assert cable.id in alone


def test_the_csv_and_the_record_pages_are_the_same_eleven_documents(sample_csv, record_pages):
    result = ingest([sample_csv, *record_pages])
    assert result.report.items == 22 and result.report.records == 11
    for record in result.records:
        assert len(record.sources) == 2
        assert record.record_id and record.places and record.languages


def test_a_copy_without_a_date_joins_the_dated_copy(tmp_path):
    (tmp_path / "a.txt").write_text(
        "  \u2022 February, 1950\n\n    Note on Tibet\n\n    A summary.\n", encoding="utf-8"
    )
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"title": "Note on Tibet", "summary": "A summary."}) + "\n", encoding="utf-8"
    )
    result = ingest([tmp_path])
    assert result.report.records == 1
    assert result.records[0].date == "1950-02"


def test_json_lines_round_trip(seeds_dir, tmp_path):
    first = ingest([seeds_dir]).records
    out = tmp_path / "records.jsonl"
    out.write_text(
        "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in first), encoding="utf-8"
    )
    again = ingest([out])
    assert again.report.problems == []
    fields = ("id", "title", "summary", "date", "date_precision", "year", "persons", "source_url")
    assert [[getattr(r, f) for f in fields] for r in again.records] == [
        [getattr(r, f) for f in fields] for r in first
    ]


def test_unknown_person_spellings_settle_across_the_corpus(tmp_path):
    (tmp_path / "a.txt").write_text(
        "  \u2022 1967\n\n"
        "    Statement of Nakajima Kenzo, Chairman of the Board\n\n"
        "    Nakajima Kenzo speaks.\n\n"
        "  \u2022 1948\n\n"
        "    Order to Commander of East-Asian Operational Section Managarov\n\n"
        "    An order.\n\n"
        "  \u2022 1949\n\n"
        "    Order to Commander of East-Asian Operational Section "
        "General Lieutenant Ivan Managarov\n\n"
        "    Another order.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.jsonl").write_text(
        json.dumps(
            {
                "title": "Another statement",
                "date": "1968",
                "date_precision": "year",
                "persons": ["Nakajima Kenz\u014d"],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    records = ingest([tmp_path]).records
    persons = {name for r in records for name in r.persons}
    assert "Nakajima Kenz\u014d" in persons and "Nakajima Kenzo" not in persons
    assert "Ivan Managarov" in persons and "Managarov" not in persons


def test_problems_name_the_file_and_item_and_keep_the_good_records(tmp_path, seeds_dir):
    (tmp_path / "good.txt").write_bytes((seeds_dir / "000_2fa1fff422d2efeb.txt").read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "odd.txt").write_text(
        "  \u2022 Spring 1950\n\n    A memo\n\n    About things.\n\n"
        "  \u2022 1951\n\n    No summary here\n",
        encoding="utf-8",
    )
    result = ingest([tmp_path])
    assert result.report.records == 22
    lines = sorted(str(p) for p in result.report.problems)
    assert len(lines) == 4
    assert any("empty.txt" in line and "empty" in line for line in lines)
    assert any("binary.bin" in line and "binary" in line for line in lines)
    assert any("odd.txt" in line and "Spring 1950" in line for line in lines)
    assert any("odd.txt, item 2" in line and "no summary" in line for line in lines)


def test_people_precision_and_recall_on_the_hand_checked_table():
    score, differences = evaluate()
    assert len(read_gold()) == 48
    assert score.precision >= 0.95, "\n".join(differences)
    assert score.recall >= 0.95, "\n".join(differences)


def test_people_on_titles_written_apart_and_the_blind_set():
    # Floors, not the measured figures (see the issue note): a regression in the rules
    # shows here first. The blind set's misses are ambiguous bare surnames ("Castro",
    # "Bundy") that the finder deliberately does not guess.
    titles, _ = evaluate_titles()
    blind, differences = evaluate_blind()
    assert titles.precision >= 0.97 and titles.recall >= 0.95
    assert blind.precision >= 0.97, "\n".join(differences)
    assert blind.recall >= 0.95, "\n".join(differences)


def test_seed_persons_use_canonical_names_only(seed_records):
    authority = load_authority()
    pseudonyms = {p.name for person in authority.persons for p in person.pseudonyms}
    for record in seed_records.records:
        assert not set(record.persons) & pseudonyms, record.title
        for name in record.persons:
            person = authority.resolve(name)
            assert person is None or person.name == name, (name, record.title)


def test_the_deletion_index_finds_exactly_the_surnames_one_edit_away():
    import random

    from indexer.records.people import surnames_match
    from indexer.sources.cleaning import _one_deletion

    rng = random.Random(1949)
    surnames = sorted(
        {"".join(rng.choice("abcdefgh") for _ in range(rng.randint(3, 9))) for _ in range(800)}
    )
    near: dict[str, set[str]] = {}
    for surname in surnames:
        for variant in _one_deletion(surname):
            near.setdefault(variant, set()).add(surname)
    for _ in range(500):
        word = list(rng.choice(surnames))
        position = rng.randrange(len(word))
        [
            lambda word=word, position=position: word.__setitem__(position, rng.choice("abcdefgh")),
            lambda word=word, position=position: word.pop(position),
            lambda word=word, position=position: word.insert(position, rng.choice("abcdefgh")),
        ][rng.randrange(3)]()
        key = "".join(word)
        everything = {s for s in surnames if surnames_match(s, key)}
        indexed = {s for v in _one_deletion(key) for s in near.get(v, ()) if surnames_match(s, key)}
        assert indexed == everything, key


# -- the record declared once -------------------------------------------------------------

_VALUE = (
    st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=30)
    .map(clean_text)
    .filter(bool)
)


@given(
    values=st.fixed_dictionaries(
        {
            name: st.lists(_VALUE, max_size=3, unique_by=match_key)
            for name in list_fields()
            if name != "persons"
        }
        | {name: st.one_of(st.none(), _VALUE) for name in text_fields() if name != "source_url"}
    )
)
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_declared_source_field_round_trips_through_json_lines(tmp_path_factory, values):
    """A field declared in SourceFields is written, read back and kept.

    No other list has to be updated for it.
    """
    record = Record(
        id="x",
        title="Letter on Tibet",
        summary="A summary.",
        date="1950-02",
        date_precision="month",
        year=1950,
        **values,
    )
    folder = tmp_path_factory.mktemp("round-trip")
    (folder / "records.jsonl").write_text(
        json.dumps(record.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8"
    )
    again = ingest([folder])
    assert again.report.problems == []
    (read,) = again.records
    for name, value in values.items():
        if name == "organizations":  # the person finder may add organisations it found
            assert getattr(read, name)[: len(value)] == value
        else:
            assert getattr(read, name) == (value or None if name in text_fields() else value), name


def test_copies_merge_by_each_fields_declared_rule():
    page = Record(
        id="a",
        title="Note",
        summary="Short.",
        places=["Tibet"],
        rights="Public domain",
        sources=["page"],
    )
    listing = Record(
        id="a",
        title="Note",
        summary="A much longer summary of the note.",
        places=["tibet", "Lhasa"],
        rights="Other",
        source_note="Archive X",
        date="1950",
        date_precision="year",
        year=1950,
        sources=["listing"],
    )
    merge_into(page, listing)
    assert page.places == ["Tibet", "Lhasa"]  # union, one spelling per value
    assert (
        page.rights == "Public domain" and page.source_note == "Archive X"
    )  # the first copy that has it
    assert page.summary == "A much longer summary of the note."  # the longer summary
    assert (page.date, page.year) == ("1950", 1950) and page.sources == ["page", "listing"]


# -- the spooled corpus equals reading, cleaning and merging in memory ------------------------


def in_memory(paths) -> tuple[list[dict], list[str]]:
    """The rules applied the plain way: every file read, every item cleaned, merged, settled."""
    from indexer.records.people import PersonFinder
    from indexer.sources import PRIORITY, iter_files, read_file
    from indexer.sources.cleaning import clean_record, merge_records, unify_persons

    finder = PersonFinder(load_authority())
    cleaned, problems = [], []
    for path in iter_files(paths):
        for item in read_file(path):
            if isinstance(item, Problem):
                problems.append(str(item))
                continue
            record, found = clean_record(item, finder)
            problems += [str(p) for p in found]
            cleaned.append((PRIORITY[item.kind], record))
    records = merge_records(cleaned)
    unify_persons(records, load_authority())
    return [r.to_dict() for r in records], problems


def test_the_spooled_ingest_equals_the_rules_applied_in_memory(tmp_path, seeds_dir, sample_dir):
    corpus = write_corpus(1500, tmp_path / "generated.jsonl")
    lines = corpus.read_text(encoding="utf-8").splitlines()
    # Copies to merge (same title and date from a JSON Lines file read later) and broken lines.
    (tmp_path / "copies.jsonl").write_text(
        "\n".join([*lines[:40], "{not json", '{"summary": "no title"}']) + "\n", encoding="utf-8"
    )
    paths = [seeds_dir, sample_dir, corpus, tmp_path / "copies.jsonl"]
    expected_records, expected_problems = in_memory(paths)
    result = ingest(paths)
    assert [r.to_dict() for r in result.records] == expected_records
    assert [str(p) for p in result.report.problems] == expected_problems
    assert result.report.merged >= 40


def test_a_large_json_lines_file_is_read_in_pieces_as_if_whole(tmp_path, monkeypatch):
    """Cut at line ends, read on two processes: the same records, problems and line numbers."""
    from indexer.sources import spool

    corpus = write_corpus(3000, tmp_path / "generated.jsonl")
    lines = corpus.read_text(encoding="utf-8").splitlines()
    lines[1234] = "{broken"
    lines[2900] = '{"title": "x", "date": "1950-13"}'
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = ingest([corpus], procs=1)
    monkeypatch.setattr(spool, "CHUNK_BYTES", 50_000)
    monkeypatch.setattr(spool, "PARALLEL_FROM_BYTES", 0)
    assert len(spool.plan_chunks([corpus], tmp_path, 50_000)) > 10
    # Pieces for two workers: an even number, of about equal size, covering the file.
    balanced = spool.plan_chunks([corpus], tmp_path, 50_000, procs=2)
    sizes = [(chunk.end or 0) - chunk.start for chunk in balanced]
    assert len(sizes) % 2 == 0 and max(sizes) - min(sizes) < 2_000
    assert balanced[0].start == 0 and balanced[-1].end == corpus.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(balanced))
    pieces = ingest([corpus], procs=2)
    assert [r.to_dict() for r in pieces.records] == [r.to_dict() for r in whole.records]
    assert [str(p) for p in pieces.report.problems] == [str(p) for p in whole.report.problems]
    assert any("line 1235" in str(p) for p in pieces.report.problems)
    assert (pieces.report.files, pieces.report.items) == (whole.report.files, whole.report.items)


def test_a_json_string_may_hold_a_line_separator(tmp_path):
    """U+2028 is legal inside a JSON string and json.dumps writes it raw: it ends no line."""
    record = {"title": "Note on the \u2028 Tibet question", "summary": "A\u2029B", "date": "1950"}
    (tmp_path / "r.jsonl").write_text(
        json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    result = ingest([tmp_path])
    assert result.report.problems == [] and len(result.records) == 1
