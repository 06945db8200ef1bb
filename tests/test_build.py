"""Building the index: atomic generations, update by id, locking, and clear errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from whoosh.searching import Searcher

from indexer.index.build import build_index, record_document, update_index
from indexer.index.generations import (
    MANIFEST,
    BuildLocked,
    IndexLocation,
    IndexUnavailable,
    open_index,
)
from indexer.index.schema import UNDATED_SORT, build_schema
from indexer.records.authority import load_authority
from indexer.records.record import Record
from indexer.search.engine import Engine
from indexer.search.query import make_query
from indexer.sources.ingest import ingest


@pytest.fixture(scope="module")
def seed_records(seeds_dir):
    return ingest([seeds_dir]).records


def checksums(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_an_index_is_a_link_to_a_complete_generation(tmp_path, seed_records):
    path = tmp_path / "index"
    result = build_index(seed_records, path)
    assert path.is_symlink() and path.resolve() == result.generation
    manifest = json.loads((result.generation / MANIFEST).read_text())
    assert manifest["records"] == 37 and manifest["schema_version"] >= 1
    assert not list(tmp_path.glob("*.building"))


def test_rebuilds_swap_generations_and_keep_one_old(tmp_path, seed_records):
    path = tmp_path / "index"
    first = build_index(seed_records, path).generation
    second = build_index(seed_records[:10], path).generation
    assert (
        path.resolve() == second and first.exists()
    )  # a request in flight on the old one can finish
    third = build_index(seed_records[:5], path).generation
    assert path.resolve() == third and second.exists() and not first.exists()
    ix, info = open_index(path)
    assert ix.doc_count() == 5 and info.records == 5


def test_an_abandoned_build_is_removed_by_the_next(tmp_path, seed_records):
    path = tmp_path / "index"
    build_index(seed_records, path)
    abandoned = tmp_path / "index.20200101T000000000000-999999999.building"  # no such pid
    abandoned.mkdir()
    (abandoned / "junk").write_text("half-written")
    build_index(seed_records, path)
    assert not abandoned.exists()


def test_a_second_build_at_once_is_refused_naming_the_first(tmp_path, seed_records):
    path = tmp_path / "index"
    with (
        IndexLocation(path).lock(),
        pytest.raises(BuildLocked, match=f"another build of {path} is running"),
    ):
        build_index(seed_records, path)


@pytest.mark.parametrize(
    "breakage, message",
    [
        ("missing", "there is no index at"),
        ("no-manifest", "is not an index built by archive-search"),
        ("old-schema", "has schema version 0"),
        ("damaged", "is damaged"),
    ],
)
def test_an_index_that_cannot_be_opened_says_why(tmp_path, seed_records, breakage, message):
    path = tmp_path / "index"
    if breakage != "missing":
        generation = build_index(seed_records, path).generation
        if breakage == "no-manifest":
            (generation / MANIFEST).unlink()
        elif breakage == "old-schema":
            (generation / MANIFEST).write_text(json.dumps({"schema_version": 0}))
        else:
            for toc in generation.glob("*.toc"):
                toc.unlink()
    with pytest.raises(IndexUnavailable, match=message):
        open_index(path)


def test_update_adds_and_replaces_by_id_without_touching_the_served_files(
    tmp_path, seed_records, listing_html
):
    path = tmp_path / "index"
    served = build_index(seed_records, path).generation
    before = checksums(served)
    additions = ingest([listing_html]).records  # the same 20 documents as the second seed page
    new = Record(
        id="a-new-record-0001",
        title="A new record about Molotov",
        summary="Molotov again.",
        date="1960",
        date_precision="year",
        year=1960,
        persons=["Vyacheslav Molotov"],
    )
    update_index([*additions, new], path)
    assert checksums(served) == before
    ix, info = open_index(path)
    assert ix.doc_count() == 38 and info.records == 38
    engine = Engine(path)
    assert engine.search(make_query("Molotov")).total == 5
    merged = engine.record(
        next(r.id for r in additions if r.title == "Cable, Mao Zedong to Stalin")
    )
    assert len(merged["sources"]) == 2 and merged["source_url"].endswith(
        "/document/cable-mao-zedong-to-stalin"
    )


def test_update_needs_an_index_to_update(tmp_path, seed_records):
    with pytest.raises(IndexUnavailable, match="there is no index"):
        update_index(seed_records, tmp_path / "index")


def test_an_engine_reopens_after_a_swap_and_never_refreshes(tmp_path, seed_records, monkeypatch):
    def refuse(self):
        raise AssertionError("Searcher.refresh() gives wrong results after deletes: never call it")

    monkeypatch.setattr(Searcher, "refresh", refuse)
    path = tmp_path / "index"
    build_index(seed_records, path)
    engine = Engine(path)
    assert engine.search(make_query("Stalin")).total == 13
    first_state = engine.state()
    assert engine.state() is first_state  # reused while nothing changed
    build_index([r for r in seed_records if r.year != 1953], path)
    assert engine.search(make_query("Stalin")).total == 9
    assert engine.state() is not first_state


def test_index_documents_span_a_record_at_its_precision():
    authority = load_authority()
    month = Record(
        id="x",
        title="Note",
        date="1950-02",
        date_precision="month",
        year=1950,
        persons=["Joseph Stalin"],
    )
    document = record_document(month, authority)
    assert (document["date_sort"], document["date_end"]) == (19500201, 19500228)
    assert "Filippov" in document["names"] and "I.V. Stalin" in document["names"]
    undated = record_document(Record(id="y", title="Undated"), authority)
    assert "date_sort" not in undated and "date_end" not in undated
    # An undated record takes the column's default, which sorts after every real date.
    default = build_schema()["date_sort"].column_type.default_value()
    assert default == UNDATED_SORT > document["date_sort"]


def test_segments_are_separate_files_read_through_the_page_cache(tmp_path, seed_records):
    """A compound segment is read into a private copy per worker (see segment.py)."""
    generation = build_index(seed_records, tmp_path / "index").generation
    names = [p.name for p in generation.iterdir()]
    assert not [n for n in names if n.endswith(".seg")]
    assert [n for n in names if n.endswith(".pst")] and [n for n in names if n.endswith(".trm")]
    reader = Engine(tmp_path / "index").state().searcher.reader()
    for segment, _ in reader.leaf_readers():
        assert (
            type(segment._terms._postfile).__name__ == "StructFile"
        )  # a real file, not BufferFile
