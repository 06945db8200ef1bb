"""Fixtures shared by every test: the real archive pages in ../shared, and scratch files."""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from pathlib import Path

import pytest
from serving import free_port, replica

ROOT = Path(__file__).resolve().parent.parent

# Tests fire requests far faster than any client: the API's rate limit is off for them
# (the apps and servers they start read this), except in the tests of the limit itself,
# which set it explicitly.
os.environ["ARCHIVE_SEARCH_API_RATE_LIMIT"] = ""
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SAMPLE = SHARED / "archive-sample"


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the tests read the archive's real pages from ../shared "
            "(seeds/ and archive-sample/) beside the repository",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _require(SEEDS)


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return _require(SAMPLE)


@pytest.fixture(scope="session")
def sample_csv(sample_dir: Path) -> Path:
    return _require(sample_dir / "wilson_archive_sample.csv")


@pytest.fixture(scope="session")
def record_pages(sample_dir: Path) -> list[Path]:
    pages = sorted(_require(sample_dir / "records").glob("*.html"))
    assert len(pages) == 11, "the archive sample holds 11 record pages"
    return pages


@pytest.fixture(scope="session")
def listing_html(sample_dir: Path) -> Path:
    return _require(sample_dir / "listing-example.html")


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, seeds_dir) -> Path:
    """A real Whoosh index on disk, built from the two seed pages by the real build."""
    from indexer.index.build import build_index
    from indexer.sources.ingest import ingest

    path = tmp_path_factory.mktemp("seed-index") / "index"
    build_index(ingest([seeds_dir]).records, path)
    return path


@pytest.fixture(scope="session")
def archive_index(tmp_path_factory, seeds_dir, sample_csv, record_pages) -> Path:
    """The seeds and the archive sample (CSV and record pages), as `make serve` builds them:
    records with subjects, places, languages, authors and their documents' text."""
    from indexer.index.build import build_index
    from indexer.sources.ingest import ingest

    path = tmp_path_factory.mktemp("archive-index") / "index"
    build_index(ingest([sample_csv, *record_pages, seeds_dir]).records, path)
    return path


@pytest.fixture(scope="session")
def engine(seed_index):
    from indexer.search.engine import Engine

    return Engine(seed_index)


@pytest.fixture(scope="session")
def live_server(seed_index):
    """A real `archive-search serve` (gunicorn, 2 workers) on a free port, over the seed index."""
    yield from _serve(seed_index)


@pytest.fixture(scope="session")
def archive_server(archive_index):
    """The same over the seeds and the archive sample: facets and documents' text."""
    yield from _serve(archive_index)


def _serve(index: Path):
    port = free_port()
    # The access log goes to a file: a pipe nobody reads fills up and stalls the server.
    log_path = index.parent / f"serve-{port}.log"
    server = replica(index, port, log_path, workers=2).start()
    process = server.process
    assert process is not None
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"archive-search serve exited: {log_path.read_text()}")
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("archive-search serve did not answer within 30 s")
    yield base
    server.kill(signal.SIGTERM)


# Whole modules that start servers, browsers or long property searches.
SLOW_MODULES = {
    "test_e2e",
    "test_reliability",
    "test_fuzz",
    "test_openapi",
    "test_query_grammar",
    "test_replicas",
    "test_ratelimit_redis",
    "test_health",
}
# Fixtures that start a server or a subprocess.
SLOW_FIXTURES = {"live_server", "archive_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark as slow every test that starts a server, a browser or a long search, so that
    `make test-fast` (pytest -m "not slow") runs the unit tests alone, in seconds."""
    for item in items:
        module = item.module.__name__ if getattr(item, "module", None) else ""
        if module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
