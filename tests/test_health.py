"""/healthz, and `archive-search publish`'s own checks (without haproxy)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from serving import build_index, free_port, get_json, healthy, replica, wait_for

from indexer.cli import main
from indexer.index.generations import IndexLocation
from indexer.replicas import PublishError, Replica, publish
from indexer.search import Engine
from webapp import create_app


@pytest.fixture
def own_index(tmp_path, seed_index):
    """A copy of the seed index this test may swap and break."""
    location = IndexLocation(tmp_path / "index")
    location.parent.mkdir(exist_ok=True)
    location.point_to(location.stage_copy(IndexLocation(seed_index).current()))
    return location


def test_healthz_reports_the_generation_served_and_follows_a_swap(own_index, seeds_dir, sample_csv):
    client = create_app(
        {"INDEX_PATH": str(own_index.link), "TESTING": True, "API_RATE_LIMIT": "2 per minute"}
    ).test_client()
    answer = client.get("/healthz")
    body = answer.get_json()
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert body["status"] == "ok" and body["generation"] == own_index.current().name
    assert body["records"] == Engine(own_index.link).info.records > 0
    assert body["built_at"].endswith("Z")
    assert [client.get("/healthz").status_code for _ in range(10)] == [200] * 10  # not limited
    build_index([seeds_dir, sample_csv], own_index.link)
    moved = client.get("/healthz").get_json()
    assert moved["generation"] == own_index.current().name != body["generation"]
    assert moved["records"] > body["records"]


def test_healthz_is_503_while_the_index_cannot_be_opened(own_index):
    client = create_app({"INDEX_PATH": str(own_index.link), "TESTING": True}).test_client()
    assert client.get("/healthz").status_code == 200
    shutil.rmtree(own_index.current())
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json()["status"] == "unavailable" and "index" in answer.get_json()["error"]


def test_a_staged_copy_is_checked_against_the_builds_checksums(tmp_path, seed_index):
    source = IndexLocation(seed_index).current()
    damaged = tmp_path / "damaged" / source.name
    shutil.copytree(source, damaged)
    victim = next(p for p in sorted(damaged.iterdir()) if p.suffix == ".pst")
    victim.write_bytes(victim.read_bytes()[:-10])
    target = IndexLocation(tmp_path / "replica" / "index")
    target.parent.mkdir()
    with pytest.raises(Exception, match="damaged"):
        target.stage_copy(damaged)
    assert target.current() is None and target.generations() == []  # nothing left behind


def test_publish_swaps_a_replica_and_waits_for_it(tmp_path, own_index, seeds_dir, sample_csv):
    port = free_port()
    server = replica(own_index.link, port, tmp_path / "replica.log").start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: healthy(base), 30, "the replica answering")
        source = tmp_path / "source" / "index"
        build_index([seeds_dir, sample_csv], source)
        said = []
        reports = publish(source, [Replica("r1", own_index.link, base)], None, said.append)
        new = IndexLocation(source).current().name
        assert [r.swapped_to for r in reports] == [new]
        assert get_json(base + "/healthz")[1]["generation"] == new
        assert any("copied" in line for line in said) and any("serving" in line for line in said)
        # A replica that never reports the generation fails the publish, naming it.
        server.kill()
        build_index([seeds_dir], source)
        with pytest.raises(PublishError, match=r"r1: .*did not report"):
            publish(
                source, [Replica("r1", own_index.link, base)], None, said.append, health_seconds=1
            )
    finally:
        server.kill()


def test_publish_command_names_what_is_missing(tmp_path):
    result = CliRunner().invoke(
        main,
        ["publish", str(tmp_path / "nothing"), "--replica", "r1", str(tmp_path / "r1"), "http://x"],
    )
    assert result.exit_code == 1
    assert "there is no index at" in result.output
